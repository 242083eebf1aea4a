/**
 * A TCP proxy for fault tests: it sits between Tollgate and a backend (Redis, PostgreSQL,
 * NATS, the Entra stand-in) and can be switched at run time:
 * - `pass`: forwards both ways;
 * - `refuse`: resets (RST) every open connection and every new one at once;
 * - `stall`: accepts connections but moves no bytes either way; what was sent is held (in the
 *   socket buffers) and delivered once the proxy passes again, as a paused backend would;
 * - `cut`: resets the connections open at that moment, mid-stream, then passes new ones.
 */
import net from 'node:net';

export type FaultMode = 'pass' | 'refuse' | 'stall' | 'cut';

export interface FaultProxy {
  /** The local port to point the client at (127.0.0.1). */
  readonly port: number;
  readonly mode: Exclude<FaultMode, 'cut'>;
  /** Connections accepted so far, and those open now. */
  readonly stats: { readonly accepted: number; readonly open: number };
  set(mode: FaultMode): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** Port to listen on (127.0.0.1); 0 or unset picks a free one. */
  port?: number;
}

/**
 * Resets a connection (RST). A socket already closing (its end sent) is only destroyed: a reset
 * after a pending shutdown makes libuv spin (Node 20).
 */
function rst(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.writableEnded || socket.readableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  let mode: Exclude<FaultMode, 'cut'> = 'pass';
  let accepted = 0;
  const pairs = new Set<Pair>();

  const reset = (pair: Pair) => {
    pairs.delete(pair);
    for (const socket of [pair.client, pair.upstream]) rst(socket);
  };
  const hold = (pair: Pair, stalled: boolean) => {
    for (const socket of [pair.client, pair.upstream])
      if (stalled) socket.pause();
      else socket.resume();
  };
  const join = (from: net.Socket, to: net.Socket, pair: Pair) => {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => mode === 'pass' && from.resume());
      }
    });
    from.on('end', () => to.end());
    from.on('error', () => undefined);
    from.on('close', () => {
      pairs.delete(pair);
      to.destroy();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    accepted++;
    client.setNoDelay(true);
    if (mode === 'refuse') {
      client.on('error', () => undefined);
      rst(client);
      return;
    }
    const upstream = net.connect({ host: targetHost, port: options.targetPort, noDelay: true });
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    join(client, upstream, pair);
    join(upstream, client, pair);
    // Attaching 'data' listeners starts the flow: hold it again while stalled.
    hold(pair, mode === 'stall');
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    get mode() {
      return mode;
    },
    get stats() {
      return { accepted, open: pairs.size };
    },
    set(next: FaultMode) {
      if (next === 'refuse' || next === 'cut') for (const pair of [...pairs]) reset(pair);
      mode = next === 'cut' ? 'pass' : next;
      for (const pair of pairs) hold(pair, mode === 'stall');
    },
    async close() {
      for (const pair of [...pairs]) reset(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
