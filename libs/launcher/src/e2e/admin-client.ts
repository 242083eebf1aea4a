import type { EntraStandIn } from '@tollgate/testkit';

/** A thin client of the admin API for end-to-end tests: JSON in, JSON out, status checked. */
export class AdminClient {
  readonly #base: string;
  readonly #token: string;

  constructor(base: string, token: string) {
    this.#base = base;
    this.#token = token;
  }

  /** The admin API's address (where the console is served too). */
  get base(): string {
    return this.#base;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, expect = [200, 201, 204]): Promise<T> {
    const res = await fetch(`${this.#base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Points Tollgate at the Entra stand-in: its tenant and client, `domain` for bare user names,
   * and its address (or `authorityHost`, e.g. a fault proxy in front of it).
   */
  async useEntraStandIn(
    entra: Pick<EntraStandIn, 'tenant' | 'clientId' | 'url'>,
    domain: string,
    authorityHost = entra.url,
  ): Promise<void> {
    await this.call('PUT', '/api/v1/settings/entra', {
      enabled: true,
      tenantId: entra.tenant,
      clientId: entra.clientId,
      domain,
      authorityHost,
    });
  }

  /** The latest auth-log reasons for a user (newest first). */
  async reasons(username: string, limit = 10): Promise<string[]> {
    const { events } = await this.call<{ events: Array<{ reason: string }> }>(
      'GET',
      `/api/v1/auth-events?username=${encodeURIComponent(username)}&limit=${limit}`,
    );
    return events.map((e) => e.reason);
  }
}
