/**
 * Sends audit messages to a syslog collector without ever holding up the caller: `decision()`
 * and `adminChange()` format the message and queue it, and a flush at the end of the event-loop
 * turn writes the queue out. UDP (RFC 5426) sends one datagram per message on a connected
 * socket; TCP (RFC 6587) and TLS (RFC 5425) use octet-counting framing (`<length> <message>`)
 * on one connection that is re-opened with backoff whenever it drops. While the collector is
 * unreachable messages wait in the queue; once the queue holds `queueMax`, new ones are dropped
 * and counted (a syslog outage never slows authentication nor grows memory without bound).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type { Logger } from '@tollgate/logging';
import type { FacilityName } from './codes.js';
import {
  adminChangeMessage,
  decisionMessage,
  type AdminChangeEvent,
  type AuditMessage,
  type AuditSink,
  type DecisionEvent,
} from './audit-events.js';
import { formatRfc5424 } from './rfc5424.js';

export type SyslogProtocol = 'udp' | 'tcp' | 'tls';

export interface SyslogSettings {
  host: string;
  port: number;
  protocol: SyslogProtocol;
  facility: FacilityName;
  /** PEM CA certificate(s) to trust for TLS; the system's CAs when omitted. */
  ca?: string | Buffer | undefined;
  /** Messages held while the collector is slow or away; beyond this, new ones are dropped. */
  queueMax?: number;
  /** HOSTNAME of the header (default: this machine's name). */
  hostname?: string;
  /** Longest single message in bytes (the end of MSG is cut); 2048 over UDP, 8192 otherwise. */
  maxMessageBytes?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface SyslogStats {
  /** Messages handed to the socket without error. */
  sent: number;
  /** Messages refused because the queue was full. */
  dropped: number;
  /** Messages lost to a socket error after they left the queue. */
  failed: number;
  queued: number;
  connected: boolean;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** UDP datagrams handed to the kernel and not yet confirmed sent; more wait in the queue. */
const UDP_MAX_IN_FLIGHT = 256;

export class SyslogSender implements AuditSink {
  readonly #settings: Required<Omit<SyslogSettings, 'ca' | 'logger'>> & Pick<SyslogSettings, 'ca' | 'logger'>;
  readonly #procId = String(process.pid);
  #queue: Buffer[] = [];
  #stats = { sent: 0, dropped: 0, failed: 0 };
  #stream: Socket | undefined;
  #udp: UdpSocket | undefined;
  #connected = false;
  #waitingDrain = false;
  #udpInFlight = 0;
  #flushScheduled = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #backoffMs = RECONNECT_MIN_MS;
  #closing = false;
  #warnedDown = false;
  readonly #idle = new Set<() => void>();

  constructor(settings: SyslogSettings) {
    this.#settings = {
      queueMax: 10_000,
      hostname: osHostname(),
      maxMessageBytes: settings.protocol === 'udp' ? 2048 : 8192,
      now: () => new Date(),
      ...settings,
    };
  }

  /** Opens the socket (UDP) or starts connecting (TCP/TLS; messages queue until connected). */
  start(): void {
    this.#connect();
  }

  decision(event: DecisionEvent): void {
    this.send(decisionMessage(event));
  }

  adminChange(event: AdminChangeEvent): void {
    this.send(adminChangeMessage(event));
  }

  send(message: AuditMessage): void {
    if (this.#closing) return;
    if (this.#queue.length >= this.#settings.queueMax) {
      this.#stats.dropped++;
      return;
    }
    const text = formatRfc5424({
      facility: this.#settings.facility,
      severity: message.severity,
      timestamp: this.#settings.now(),
      hostname: this.#settings.hostname,
      appName: 'tollgate',
      procId: this.#procId,
      msgId: message.msgId,
      structuredData: message.structuredData,
      message: message.message,
    });
    let bytes = Buffer.from(text, 'utf8');
    if (bytes.length > this.#settings.maxMessageBytes) bytes = bytes.subarray(0, this.#settings.maxMessageBytes);
    this.#queue.push(bytes);
    this.#scheduleFlush();
  }

  stats(): SyslogStats {
    return { ...this.#stats, queued: this.#queue.length, connected: this.#connected };
  }

  /** Sends what is queued (waiting at most `timeoutMs`), then closes; what cannot go is counted as dropped. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.#closing) return;
    this.#flush();
    // Waiting makes sense only with a collector to send to; a queue for one that is away is dropped.
    if (
      this.#connected &&
      (this.#queue.length > 0 || this.#udpInFlight > 0 || this.#waitingDrain || (this.#stream?.writableLength ?? 0) > 0)
    ) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#idle.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.#idle.add(done);
      });
    }
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    this.#stats.dropped += this.#queue.length;
    this.#queue = [];
    const stream = this.#stream;
    const udp = this.#udp;
    this.#stream = undefined;
    this.#udp = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(() => resolve())).catch(() => undefined);
    stream?.destroy();
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#closing || !this.#connected) return;
    if (this.#udp) this.#flushUdp(this.#udp);
    else if (this.#stream && !this.#waitingDrain) this.#flushStream(this.#stream);
    this.#checkIdle();
  }

  #flushUdp(socket: UdpSocket): void {
    while (this.#queue.length > 0 && this.#udpInFlight < UDP_MAX_IN_FLIGHT) {
      const datagram = this.#queue.shift()!;
      this.#udpInFlight++;
      socket.send(datagram, (error) => {
        this.#udpInFlight--;
        if (error) this.#stats.failed++;
        else this.#stats.sent++;
        if (this.#queue.length > 0) this.#scheduleFlush();
        this.#checkIdle();
      });
    }
  }

  #flushStream(socket: Socket): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    // Octet counting (RFC 6587 3.4.1): MSG-LEN SP SYSLOG-MSG, no trailer to escape.
    const frames: Buffer[] = [];
    for (const message of batch) frames.push(Buffer.from(`${message.length} `, 'ascii'), message);
    const ok = socket.write(Buffer.concat(frames), (error) => {
      if (error) this.#stats.failed += batch.length;
      else this.#stats.sent += batch.length;
      this.#checkIdle();
    });
    if (!ok) this.#waitingDrain = true;
  }

  #checkIdle(): void {
    if (this.#idle.size === 0) return;
    const pending = this.#queue.length + this.#udpInFlight + (this.#waitingDrain ? 1 : 0) + (this.#stream?.writableLength ?? 0);
    if (pending > 0) return;
    for (const idle of this.#idle) idle();
    this.#idle.clear();
  }

  #connect(): void {
    if (this.#closing) return;
    const { host, port, protocol } = this.#settings;
    if (protocol === 'udp') {
      const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      let open = false;
      // Once open, errors are about earlier datagrams (ICMP port unreachable): their sends count them.
      socket.on('error', () => undefined);
      // A connected UDP socket: the name is resolved once, not once per message.
      socket.connect(port, host, (error?: Error) => {
        if (error) {
          socket.close();
          this.#down(error);
          return;
        }
        open = true;
        this.#udp = socket;
        this.#up();
      });
      socket.once('close', () => {
        if (open && this.#udp === socket) this.#udp = undefined;
      });
      return;
    }
    const socket =
      protocol === 'tls'
        ? tlsConnect({ host, port, ...(this.#settings.ca ? { ca: this.#settings.ca } : {}), ...(isIP(host) ? {} : { servername: host }) })
        : tcpConnect({ host, port });
    socket.setKeepAlive(true, 30_000);
    socket.setNoDelay(true);
    socket.once(protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      this.#stream = socket;
      this.#up();
    });
    socket.on('drain', () => {
      this.#waitingDrain = false;
      this.#flush();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      const wasUp = this.#stream === socket;
      if (wasUp) this.#stream = undefined;
      this.#waitingDrain = false;
      this.#down(wasUp ? 'connection closed' : 'connect failed');
    });
    // A collector never writes back on this channel; whatever it sends is ignored.
    socket.resume();
  }

  #up(): void {
    this.#connected = true;
    this.#backoffMs = RECONNECT_MIN_MS;
    if (this.#warnedDown)
      this.#settings.logger?.info({ host: this.#settings.host, port: this.#settings.port }, 'syslog collector reachable again');
    this.#warnedDown = false;
    this.#flush();
  }

  #down(cause: unknown): void {
    this.#connected = false;
    if (this.#closing) return;
    if (!this.#warnedDown) {
      this.#warnedDown = true;
      const code = typeof cause === 'string' ? cause : ((cause as { code?: string })?.code ?? 'error');
      this.#settings.logger?.warn(
        { host: this.#settings.host, port: this.#settings.port, protocol: this.#settings.protocol, cause: code },
        'syslog collector unreachable: messages queue (and drop once the queue is full)',
      );
    }
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#connect(), this.#backoffMs);
    this.#reconnectTimer.unref();
    this.#backoffMs = Math.min(this.#backoffMs * 2, RECONNECT_MAX_MS);
  }
}
