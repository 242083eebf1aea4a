/**
 * One directory (a list of server urls and a service account) and its connections: one
 * service-account connection, bound once, that every search shares (LDAP multiplexes requests on
 * a connection), and a small pool of connections for users' binds, each carrying one bind at a
 * time and kept open for the next. A connection that has dropped is never reused: ldapts would
 * reconnect it by itself, and a StartTLS connection would come back in clear. On a connection
 * failure the next url is tried; the one that answered is tried first next time.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import { Client, ResultCodeError } from 'ldapts';
import { TollgateError, fillFilter, userFilterValues, type LdapOutcome, type LdapVerifyResponse } from '@tollgate/contracts';
import { classifyServiceFailure, classifyUserBind } from './classify-bind-result.js';
import { groupNames } from './group-names.js';
import type { DirectorySettings } from './resolve-ldap-settings.js';

type Stage = NonNullable<LdapVerifyResponse['stage']>;

/** What a check found: the outcome and, for the log and the admin's test, where it was decided. */
export interface DirectoryAnswer {
  outcome: LdapOutcome;
  stage?: Stage;
  subCode?: string;
  resultCode?: number;
  server?: string;
  /** The user's entry, when the search found exactly one. */
  dn?: string;
  /** The names of the user's LDAP groups (first RDN values), on a proven password; absent when the group search failed. */
  groupNames?: string[];
}

interface Conn {
  client: Client;
  url: string;
  /** The TLS socket closed. ldapts does not notice this on a StartTLS connection (isConnected stays true). */
  closed: boolean;
}

const live = (conn: Conn): boolean => !conn.closed && conn.client.isConnected;

/** A check that ends early with an outcome (internal to this file). */
class Stop extends TollgateError<'check_ended'> {
  constructor(readonly answer: DirectoryAnswer) {
    super('check_ended', `LDAP check ended: ${answer.outcome}`);
  }
}

/** The server did not answer: refused, reset, timed out, TLS failed (the code). Try the next url. */
class ConnectionFailure extends TollgateError<'connect' | 'tls'> {
  constructor(stage: 'connect' | 'tls', cause: unknown) {
    super(stage, `LDAP server not reached (${stage})`, { cause });
  }

  get stage(): 'connect' | 'tls' {
    return this.code;
  }
}

const TLS_ERROR = /CERT|SSL|TLS|self[- ]signed|altname/i;

function connectionFailure(error: unknown): ConnectionFailure {
  if (error instanceof ConnectionFailure) return error;
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  return new ConnectionFailure(TLS_ERROR.test(text) ? 'tls' : 'connect', error);
}

/** Resolves as `work` does, or rejects as a connection failure at the deadline (and runs `onTimeout`). */
async function within<T>(work: Promise<T>, deadline: number, onTimeout: () => void): Promise<T> {
  const leftMs = Math.floor(deadline - performance.now());
  if (leftMs <= 0) {
    onTimeout();
    work.catch(() => {});
    throw new ConnectionFailure('connect', new Error('deadline passed'));
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new ConnectionFailure('connect', new Error('operation timed out')));
    }, leftMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}

export interface PoolTotals {
  open: number;
  idle: number;
  waiting: number;
}

export class Directory {
  readonly #settings: DirectorySettings;
  readonly #poolSize: number;
  #preferred = 0;
  #service: Conn | undefined;
  #serviceOpening: Promise<Conn> | undefined;
  readonly #idle: Conn[] = [];
  #open = 0;
  readonly #waiters: ((conn: Conn | undefined) => void)[] = [];
  #closed = false;

  constructor(settings: DirectorySettings, options: { bindPoolSize: number }) {
    this.#settings = settings;
    this.#poolSize = options.bindPoolSize;
  }

  poolTotals(): PoolTotals {
    return { open: this.#open + (this.#service ? 1 : 0), idle: this.#idle.length, waiting: this.#waiters.length };
  }

  /**
   * Search for the user with the service account, then bind as the DN found with the password.
   * An empty password is never sent: an LDAP bind with a DN and no password is an anonymous bind,
   * which "succeeds" (RFC 4513 section 5.1.2).
   */
  async verify(upn: string, password: string, timeoutMs: number): Promise<DirectoryAnswer> {
    const deadline = performance.now() + timeoutMs;
    try {
      const entry = await this.#findUser(upn, deadline);
      if (password.length === 0) return { outcome: 'invalid_credentials', stage: 'bind', dn: entry.dn };
      const bound = await this.#bindAs(entry, password, deadline);
      if (bound.outcome !== 'password_ok') return bound;
      const searched = await this.#groupSearch(entry.dn, deadline);
      // A group search that failed leaves the groups unknown: they stay as last synced.
      return searched === undefined ? bound : { ...bound, groupNames: groupNames([...entry.groupDns, ...searched]) };
    } catch (error) {
      if (error instanceof Stop) return error.answer;
      if (error instanceof ConnectionFailure) return { outcome: 'unavailable', stage: error.stage };
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    const all = [...this.#idle.splice(0), ...(this.#service ? [this.#service] : [])];
    this.#service = undefined;
    await Promise.all(all.map((c) => c.client.unbind().catch(() => {})));
  }

  // ---- the service account's connection, for searches ----

  async #findUser(upn: string, deadline: number): Promise<{ dn: string; groupDns: string[]; lockedTime: string | undefined }> {
    const s = this.#settings;
    const filter = fillFilter(s.userFilter, userFilterValues(upn));
    const attributes = [...(s.groupAttribute ? [s.groupAttribute] : []), 'pwdAccountLockedTime'];
    const { value: result, server } = await this.#onService(deadline, (client) =>
      client.search(s.baseDn, { scope: 'sub', filter, attributes, sizeLimit: 2 }),
    );
    const entries = result.searchEntries;
    if (entries.length === 0) throw new Stop({ outcome: 'invalid_credentials', stage: 'search', server });
    // Two entries for one user name: the filter is too loose, and binding as either would be a guess.
    if (entries.length > 1) throw new Stop({ outcome: 'config_error', stage: 'search', server });
    const entry = entries[0] as (typeof entries)[number];
    const list = (value: unknown): string[] =>
      value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
    const groupAttr = Object.keys(entry).find((k) => k.toLowerCase() === s.groupAttribute.toLowerCase());
    const lockedAttr = Object.keys(entry).find((k) => k.toLowerCase() === 'pwdaccountlockedtime');
    return {
      dn: entry.dn,
      groupDns: groupAttr ? list(entry[groupAttr]) : [],
      lockedTime: lockedAttr ? list(entry[lockedAttr])[0] : undefined,
    };
  }

  async #groupSearch(dn: string, deadline: number): Promise<string[] | undefined> {
    const s = this.#settings;
    if (!s.groupFilter) return [];
    const filter = fillFilter(s.groupFilter, { dn });
    try {
      const { value } = await this.#onService(deadline, (client) =>
        client.search(s.baseDn, { scope: 'sub', filter, attributes: ['cn'], sizeLimit: 1000 }),
      );
      return value.searchEntries.map((e) => e.dn);
    } catch {
      // The password is proven all the same; the groups are not known this time.
      return undefined;
    }
  }

  /** Runs `op` on the service connection; a connection failure gets one fresh connection (maybe on the next url). */
  async #onService<T>(deadline: number, op: (client: Client) => Promise<T>): Promise<{ value: T; server: string }> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.#serviceConn(deadline);
      try {
        return { value: await within(op(conn.client), deadline, () => this.#dropService(conn)), server: conn.url };
      } catch (error) {
        if (error instanceof ResultCodeError) {
          throw new Stop({ outcome: classifyServiceFailure(error.code), stage: 'search', resultCode: error.code, server: conn.url });
        }
        this.#dropService(conn);
        if (attempt >= 1) throw connectionFailure(error);
      }
    }
  }

  #dropService(conn: Conn): void {
    if (this.#service === conn) this.#service = undefined;
    conn.client.unbind().catch(() => {});
  }

  async #serviceConn(deadline: number): Promise<Conn> {
    if (this.#service && live(this.#service)) return this.#service;
    if (this.#service) this.#dropService(this.#service);
    if (this.#closed) throw new ConnectionFailure('connect', new Error('closed'));
    this.#serviceOpening ??= this.#openService(deadline).finally(() => {
      this.#serviceOpening = undefined;
    });
    return this.#serviceOpening;
  }

  async #openService(deadline: number): Promise<Conn> {
    const s = this.#settings;
    let failure: ConnectionFailure | undefined;
    for (const url of this.#urlOrder()) {
      const conn = await this.#connect(url, deadline).catch((error: unknown) => {
        failure = connectionFailure(error);
        return undefined;
      });
      if (!conn) continue;
      try {
        if (s.bindDn) await within(conn.client.bind(s.bindDn, s.bindPassword), deadline, () => conn.client.unbind().catch(() => {}));
        else await within(conn.client.search('', { scope: 'base', attributes: ['1.1'] }), deadline, () => {});
      } catch (error) {
        conn.client.unbind().catch(() => {});
        if (error instanceof ResultCodeError) {
          throw new Stop({ outcome: classifyServiceFailure(error.code), stage: 'service_bind', resultCode: error.code, server: url });
        }
        failure = connectionFailure(error);
        continue;
      }
      this.#prefer(url);
      this.#service = conn;
      return conn;
    }
    throw failure ?? new ConnectionFailure('connect', new Error('no url'));
  }

  // ---- the pool of connections for users' binds ----

  async #bindAs(entry: { dn: string; lockedTime: string | undefined }, password: string, deadline: number): Promise<DirectoryAnswer> {
    let conn = await this.#acquire(deadline);
    const tried = new Set<string>();
    let failure: ConnectionFailure | undefined;
    // A pooled connection that died under us gets one more try on a fresh one; then each url once.
    for (let attempt = 0; attempt <= this.#settings.urls.length; attempt++) {
      if (!conn) {
        const url = this.#urlOrder().find((u) => !tried.has(u));
        if (url === undefined) break;
        tried.add(url);
        conn = await this.#connect(url, deadline).catch((error: unknown) => {
          failure = connectionFailure(error);
          return undefined;
        });
        if (!conn) continue;
      }
      const current: Conn = conn;
      try {
        await within(current.client.bind(entry.dn, password), deadline, () => current.client.unbind().catch(() => {}));
        this.#prefer(current.url);
        this.#release(current);
        return { outcome: 'password_ok', stage: 'bind', server: current.url, dn: entry.dn };
      } catch (error) {
        if (error instanceof ResultCodeError) {
          this.#release(current);
          const classified = classifyUserBind(error.code, error.message, { pwdAccountLockedTime: entry.lockedTime });
          return { ...classified, stage: 'bind', resultCode: error.code, server: current.url, dn: entry.dn };
        }
        current.client.unbind().catch(() => {});
        failure = connectionFailure(error);
        conn = undefined;
      }
    }
    this.#releaseSlot();
    throw failure ?? new ConnectionFailure('connect', new Error('no url'));
  }

  /** A live idle connection, or undefined for a free slot (the caller opens one); waits when the pool is full. */
  async #acquire(deadline: number): Promise<Conn | undefined> {
    while (this.#idle.length > 0) {
      const conn = this.#idle.pop() as Conn;
      if (live(conn)) return conn;
      conn.client.unbind().catch(() => {});
      this.#open--;
    }
    if (this.#open < this.#poolSize) {
      this.#open++;
      return undefined;
    }
    return new Promise<Conn | undefined>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(new ConnectionFailure('connect', new Error('no bind connection free in time')));
        },
        Math.max(1, deadline - performance.now()),
      );
      const waiter = (conn: Conn | undefined) => {
        clearTimeout(timer);
        if (this.#closed) reject(new ConnectionFailure('connect', new Error('closed')));
        else resolve(conn);
      };
      this.#waiters.push(waiter);
    });
  }

  /** A connection back to the pool (or to the first waiter); a dead one frees its slot. */
  #release(conn: Conn): void {
    if (this.#closed || !live(conn)) {
      conn.client.unbind().catch(() => {});
      this.#releaseSlot();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter(conn);
    else this.#idle.push(conn);
  }

  #releaseSlot(): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(undefined);
    else this.#open--;
  }

  // ---- connecting ----

  #urlOrder(): string[] {
    const urls = this.#settings.urls;
    return [...urls.slice(this.#preferred), ...urls.slice(0, this.#preferred)];
  }

  #prefer(url: string): void {
    const i = this.#settings.urls.indexOf(url);
    if (i >= 0) this.#preferred = i;
  }

  /** A new client for `url`; StartTLS done when asked (ldaps connects at the first operation, within its deadline). */
  async #connect(url: string, deadline: number): Promise<Conn> {
    const s = this.#settings;
    const host = new URL(url).hostname;
    // SNI takes a host name only (RFC 6066): an address is checked against the certificate without it.
    const tlsOptions = { ...(s.ca ? { ca: s.ca } : {}), ...(isIP(host) ? {} : { servername: host }), minVersion: 'TLSv1.2' as const };
    const leftMs = Math.max(1, Math.floor(deadline - performance.now()));
    const startTls = url.startsWith('ldap:') && s.startTls;
    const conn: Partial<Conn> & { closed: boolean } = { url, closed: false };
    const createSecureConnection = ((...args: Parameters<typeof tls.connect>) => {
      const socket = tls.connect(...args);
      socket.once('close', () => {
        conn.closed = true;
      });
      return socket;
    }) as typeof tls.connect;
    const client = new Client({
      createSecureConnection,
      url,
      timeout: s.timeoutMs,
      connectTimeout: Math.min(s.timeoutMs, leftMs),
      // ldapts writes the plain socket into the options StartTLS is given: each use gets its own object.
      ...(startTls ? {} : { tlsOptions: { ...tlsOptions } }),
      strictDN: false,
    });
    if (startTls) {
      try {
        await within(client.startTLS({ ...tlsOptions }), deadline, () => client.unbind().catch(() => {}));
      } catch (error) {
        client.unbind().catch(() => {});
        if (error instanceof ResultCodeError) throw new ConnectionFailure('tls', error);
        throw connectionFailure(error);
      }
    }
    conn.client = client;
    return conn as Conn;
  }
}
