import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { errorFields, type Logger } from '@tollgate/logging';
import { withDatagramSpan } from './access-request-span.js';

/**
 * The UDP socket: binds, sizes its kernel buffers, hands each datagram to `handle` and sends
 * whatever comes back. Stopping first ignores new datagrams, then waits (bounded) for the
 * ones in hand so their answers still go out, then closes.
 */
export interface UdpServerOptions {
  bind: string;
  port: number;
  socketBufferBytes: number;
  /** Upper bound on waiting for in-flight requests at stop. */
  drainTimeoutMs: number;
  logger: Logger;
  handle(datagram: Buffer, source: { address: string; port: number }): Promise<Buffer | null>;
}

export class UdpServer {
  readonly #options: UdpServerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #socket: Socket | undefined;
  #accepting = false;
  #bound = false;

  constructor(options: UdpServerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { bind, port, logger } = this.#options;
    const socket = createSocket({ type: isIPv6(bind) ? 'udp6' : 'udp4', ipv6Only: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: bind, port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (error) => logger.error({ err: errorFields(error) }, 'radius socket error'));
    socket.on('message', (datagram, remote) => this.#receive(datagram, remote));
    this.#socket = socket;
    this.#sizeBuffers(socket);
    this.#bound = true;
    this.#accepting = true;
    const address = socket.address();
    logger.info({ address: address.address, port: address.port }, 'radius gateway listening');
  }

  #sizeBuffers(socket: Socket): void {
    const { socketBufferBytes: requested, logger } = this.#options;
    for (const [name, set] of [
      ['receive', (n: number) => socket.setRecvBufferSize(n)],
      ['send', (n: number) => socket.setSendBufferSize(n)],
    ] as const) {
      try {
        set(requested);
      } catch (error) {
        logger.warn({ buffer: name, requested, err: errorFields(error) }, 'could not set socket buffer size');
      }
    }
    // Linux caps the request at net.core.[rw]mem_max and reports double what it granted
    // (the doubling is bookkeeping overhead), so halve it to compare with the request.
    const reported = { receive: socket.getRecvBufferSize(), send: socket.getSendBufferSize() };
    const usable = process.platform === 'linux' ? { receive: reported.receive / 2, send: reported.send / 2 } : reported;
    if (usable.receive < requested || usable.send < requested) {
      logger.warn({ requested, granted: usable, reported }, 'socket buffers smaller than requested (raise net.core.rmem_max / wmem_max)');
    } else {
      logger.info({ requested, granted: usable, reported }, 'socket buffers sized');
    }
  }

  #receive(datagram: Buffer, remote: RemoteInfo): void {
    if (!this.#accepting) return;
    // One root span per datagram, ended once the answer has left (access-request-span.ts).
    const work = withDatagramSpan(() =>
      this.#options.handle(datagram, { address: remote.address, port: remote.port }).then((response) => {
        const socket = this.#socket;
        if (!response || !socket) return undefined;
        // Resolve only once the datagram left, so stop() never closes the socket under a send.
        return new Promise<void>((resolve) => {
          socket.send(response, remote.port, remote.address, (error) => {
            if (error) this.#options.logger.warn({ err: errorFields(error) }, 'radius answer could not be sent');
            resolve();
          });
        });
      }),
    )
      .catch((error: unknown) => {
        this.#options.logger.error({ err: errorFields(error) }, 'radius request failed; no answer sent');
      })
      .finally(() => this.#inFlight.delete(work));
    this.#inFlight.add(work);
  }

  /** The bound port (useful with port 0). */
  port(): number {
    if (!this.#socket || !this.#bound) throw new Error('radius socket is not bound');
    return this.#socket.address().port;
  }

  ready(): boolean {
    return this.#bound && this.#accepting;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  async stop(): Promise<void> {
    this.#accepting = false;
    const socket = this.#socket;
    if (!socket) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.drainTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.#socket = undefined;
    this.#bound = false;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
