/**
 * An HTTP service's socket as the components start and stop it: listen with bounded request,
 * header and keep-alive times; stop by refusing new connections, closing idle keep-alive ones at
 * once and giving the requests in progress `graceMs` before their connections are cut.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `bind:port` (0: any free port) and resolves once the socket is bound. */
export async function listenHttp(handler: RequestListener, port: number, bind: string): Promise<Server> {
  const server = createServer(handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The port a listening server is bound to (0 when it is not listening). */
export function boundPort(server: Server | undefined): number {
  return server ? ((server.address() as AddressInfo | null)?.port ?? 0) : 0;
}

/**
 * Stops taking connections and resolves once the server is closed; requests still open after
 * `graceMs` have their connections cut (`onForced` is told first, e.g. to log it).
 */
export async function closeHttp(server: Server, graceMs: number, onForced?: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
    timer.unref();
  });
  if ((await Promise.race([closed, grace])) === 'timeout') {
    onForced?.();
    server.closeAllConnections();
  }
  await closed;
  clearTimeout(timer);
}
