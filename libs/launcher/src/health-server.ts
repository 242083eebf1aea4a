import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What /readyz answers: each check, and for each failing one why (`redis: no answer within 500 ms`). */
export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
  causes: Record<string, string>;
}

/**
 * The per-process HTTP endpoint for orchestrators and Prometheus: `/healthz` (the process is
 * alive), `/readyz` (it can take work: 503 while starting, degraded or shutting down) and
 * `/metrics` (Prometheus text format).
 */
export class HealthServer {
  readonly #server: http.Server;
  readonly #registry: Registry;
  readonly #readiness: () => Readiness;

  constructor(registry: Registry, readiness: () => Readiness) {
    this.#registry = registry;
    this.#readiness = readiness;
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 65_000;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      const state = this.#readiness();
      return send(res, state.ready ? 200 : 503, 'application/json', `${JSON.stringify(state)}\n`);
    }
    if (path === '/metrics') {
      try {
        return send(res, 200, this.#registry.contentType, await this.#registry.metrics());
      } catch {
        return send(res, 500, 'text/plain', 'metrics unavailable\n');
      }
    }
    return send(res, 404, 'text/plain', 'not found\n');
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve((this.#server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
