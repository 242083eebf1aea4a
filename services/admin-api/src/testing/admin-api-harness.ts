/**
 * Shared set-up for the admin API integration tests: a fresh PostgreSQL database, a MemoryBus
 * whose config events are recorded, a fresh keyring, a captured log, and the component listening
 * on an OS-assigned port. `call` records every response body so a test can prove no secret leaked.
 */
import { Registry } from 'prom-client';
import { MemoryBus, type Bus } from '@tollgate/bus';
import { ConfigChanged, subject } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import type { ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { MemoryStateStore, type StateStore } from '@tollgate/state';
import { migrate, PgliteDb, PostgresDb, type Db } from '@tollgate/store';
import { createTestDatabase, uniquePrefix } from '@tollgate/testkit';
import { createAdminApiComponent, type AdminApiComponent } from '../admin-api-component.js';

export const API_TOKEN = 'test-admin-token-0123456789abcdef';

export interface CallOptions {
  body?: unknown;
  /** Sent as is (with `contentType`), instead of JSON. */
  raw?: string;
  contentType?: string;
  /** Overrides the Authorization header; null sends none. */
  authorization?: string | null;
  /** Extra request headers (a session cookie, X-CSRF-Token). */
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON response, read by path; the assertions check its shape
  body: any;
  text: string;
  headers: Headers;
}

export interface Harness {
  base: string;
  db: Db;
  bus: Bus;
  keyring: Keyring;
  state: StateStore;
  prefix: string;
  metrics: Registry;
  component: AdminApiComponent;
  logs: string[];
  responses: string[];
  events: ConfigChanged[];
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Resolves once an event matching `match` has been published (MemoryBus delivers on a later tick). */
  waitForEvent(match: (event: ConfigChanged) => boolean): Promise<ConfigChanged>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the component's environment, e.g. ENTRA_ALLOW_LOOPBACK_AUTHORITY. */
export async function startHarness(
  label: string,
  env: Record<string, string> = {},
  options: {
    state?: StateStore;
    /** The embedded install's database (PGlite in memory) instead of PostgreSQL. */
    embedded?: boolean;
    /** A bus of the test's own (a NatsBus); it is drained on close. A MemoryBus when omitted. */
    bus?: Bus;
    /** The subject prefix, when the test's other components must share it. */
    prefix?: string;
  } = {},
): Promise<Harness> {
  const database = options.embedded ? undefined : await createTestDatabase(label);
  const db: Db = database ? new PostgresDb({ url: database.url, max: 4 }) : await PgliteDb.open({ dataDir: 'memory://' });
  await migrate(db);
  const bus = options.bus ?? new MemoryBus();
  const state = options.state ?? new MemoryStateStore();
  const keyring = Keyring.fromBase64(Keyring.generateBase64());
  const prefix = options.prefix ?? uniquePrefix('adm');
  const metrics = new Registry();
  const logs: string[] = [];
  const responses: string[] = [];
  const events: ConfigChanged[] = [];
  bus.subscribe(subject(prefix, 'configChanged'), (payload) => events.push(ConfigChanged.parse(payload)));
  const logger = createLogger('admin-api', { level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const context: ServiceContext = {
    // Tests that send wrong tokens on purpose share one source (127.0.0.1); the throttle has its own test.
    env: {
      ADMIN_PORT: '0',
      ADMIN_BIND: '127.0.0.1',
      ADMIN_API_TOKEN: API_TOKEN,
      ADMIN_ISSUER: 'Tollgate Test',
      ADMIN_AUTH_MAX_FAILURES: '100',
      ...env,
    },
    logger,
    bus,
    subjectPrefix: prefix,
    db,
    // The embedded install's state store; the lockout test also runs against Redis.
    state,
    keyring,
    metrics,
  };
  const component = await createAdminApiComponent(context);
  await component.start();
  const base = `http://127.0.0.1:${component.port}`;

  return {
    base,
    db,
    bus,
    keyring,
    state,
    prefix,
    metrics,
    component,
    logs,
    responses,
    events,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.authorization !== null) headers.authorization = options.authorization ?? `Bearer ${API_TOKEN}`;
      let body: string | undefined;
      if (options.raw !== undefined) {
        body = options.raw;
        headers['content-type'] = options.contentType ?? 'text/csv';
      } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] = options.contentType ?? 'application/json';
      }
      const response = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      responses.push(text);
      let parsed: unknown;
      if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
      return { status: response.status, body: parsed, text, headers: response.headers };
    },
    async waitForEvent(match) {
      for (let i = 0; i < 100; i++) {
        const found = events.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error('expected config event was not published');
    },
    async close() {
      await component.stop();
      await bus.drain();
      await db.close();
      await database?.drop();
    },
  };
}

/** Asserts that no captured response (but the allowed ones) nor log line contains `secret`. */
export function leaks(harness: Harness, secret: string, allowedResponses: string[] = []): string[] {
  const places: string[] = [];
  harness.responses.forEach((r, i) => {
    if (r.includes(secret) && !allowedResponses.includes(r)) places.push(`response #${i}`);
  });
  harness.logs.forEach((l, i) => {
    if (l.includes(secret)) places.push(`log line #${i}`);
  });
  return places;
}
