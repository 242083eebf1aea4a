import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A syslog collector for tests: a UDP socket on loopback that keeps every datagram as text
 * (one RFC 5424 message each, RFC 5426).
 */
export interface SyslogUdpReceiver {
  readonly port: number;
  readonly messages: string[];
  waitFor(predicate: (messages: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startSyslogUdpReceiver(): Promise<SyslogUdpReceiver> {
  const socket: Socket = createSocket('udp4');
  const messages: string[] = [];
  socket.on('message', (datagram) => messages.push(datagram.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    messages,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) throw new Error(`syslog messages not received in time (have ${messages.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
