/**
 * The plain-text start-up banner: where the services (their manifests' `listens`) and the health
 * endpoint listen (and
 * which key restricts a wildcard bind or opens the one-box loopback default),
 * which backends are embedded and which are real (hosts only: a URL may carry credentials), where
 * the data directory is, and, on the one start that created it, the admin API token.
 */
import type { BackendPlan } from './backend-plan.js';
import type { AdminToken, MasterKeySource } from './data-dir.js';

export interface Endpoint {
  bind: string;
  port: number;
  /** The environment key that sets `bind`, named where the banner says how to change it. */
  key?: string;
  /** `bind` is loopback because this is a one-box process and `key` was not set. */
  oneBoxDefault?: boolean;
}

/** One socket a service of this process listens on, from its manifest's `listens` entry. */
export interface Listener extends Endpoint {
  service: string;
  label: string;
  protocol: 'udp' | 'http';
  path?: string | undefined;
  note?: string | undefined;
}

export interface StartupSummary {
  services: string[];
  /** This process runs every service there is. */
  allServices: boolean;
  plan: BackendPlan;
  /** The configured URLs; only their hosts are shown. */
  urls: { nats?: string | undefined; database?: string | undefined; redis?: string | undefined };
  /** In start order of their services. */
  listeners: Listener[];
  health: Endpoint;
  /** Set when the data directory is in use. */
  dataDir?: string | undefined;
  pgliteDir?: string | undefined;
  /** Undefined in a portal-only process (it holds `PORTAL_BUS_KEY` alone). */
  masterKey?: { source: MasterKeySource; file: string } | undefined;
  /** A portal-only process: no database, no state store, no master key. */
  storeless?: boolean | undefined;
  adminToken?: { token: AdminToken; file: string } | undefined;
  /** pid of a run that did not stop cleanly (its lock was stale). */
  staleLockFrom?: number | undefined;
}

const hostPart = (bind: string): string => (bind.includes(':') ? `[${bind}]` : bind);

/** The address to type on this machine: a wildcard bind is reached on loopback. */
function local(endpoint: Endpoint): string {
  const host = endpoint.bind === '0.0.0.0' ? '127.0.0.1' : endpoint.bind === '::' ? '::1' : endpoint.bind;
  return `${hostPart(host)}:${endpoint.port}`;
}

/** Where it listens and, for a wildcard or the one-box default, which key changes that. */
function listening(endpoint: Endpoint): string {
  const at = `listening on ${hostPart(endpoint.bind)}:${endpoint.port}`;
  const change = endpoint.key ? `; ${endpoint.key} ` : '';
  if (endpoint.bind === '0.0.0.0' || endpoint.bind === '::') return `${at}, all interfaces${change && `${change}restricts it`}`;
  if (endpoint.oneBoxDefault) return `${at}, this machine only${change && `${change}opens it`}`;
  return at;
}

/** Hosts of a (comma-separated) URL list, never user or password. */
export function hostsOf(urls: string | undefined): string {
  if (!urls) return '';
  return urls
    .split(',')
    .map((u) => {
      try {
        return new URL(u.trim()).host || '?';
      } catch {
        return '?';
      }
    })
    .join(', ');
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(13)}${value}`;
}

export function formatBanner(s: StartupSummary): string {
  const lines: string[] = [];
  lines.push(`Tollgate is running: ${s.allServices ? 'all services' : s.services.join(', ')} in this process.`);
  for (const l of s.listeners) {
    if (l.protocol === 'udp') lines.push(row(l.label, `udp ${hostPart(l.bind)}:${l.port}${l.note ? ` (${l.note})` : ''}`));
    else lines.push(row(l.label, `http://${local(l)}${l.path ?? ''}  (${listening(l)})`));
    // The admin API serves the web console at its root.
    if (l.service === 'admin-api')
      lines.push(row('Console', `http://${local(l)}/  (a console account: tollgate admin create <name> --role admin)`));
  }
  lines.push(row('Health', `http://${local(s.health)}/readyz  (also /healthz, /metrics; ${listening(s.health)})`));
  lines.push(
    row('Bus', s.plan.bus === 'memory' ? 'in-process (embedded; set NATS_URL to use NATS)' : `NATS at ${hostsOf(s.urls.nats)}`),
    row(
      'Database',
      s.storeless
        ? 'none (this process holds no database credentials)'
        : s.plan.db === 'pglite'
          ? `embedded PostgreSQL (PGlite) in ${s.pgliteDir} (set DATABASE_URL to use PostgreSQL)`
          : `PostgreSQL at ${hostsOf(s.urls.database)}`,
    ),
    row(
      'State',
      s.storeless
        ? 'none'
        : s.plan.state === 'memory'
          ? 'process memory (embedded; set REDIS_URL to use Redis)'
          : `Redis at ${hostsOf(s.urls.redis)}`,
    ),
  );
  if (s.dataDir) lines.push(row('Data dir', s.dataDir));
  const key = s.masterKey;
  lines.push(
    row(
      key ? 'Master key' : 'Key',
      !key
        ? 'PORTAL_BUS_KEY only (no master key)'
        : key.source === 'env'
          ? 'from TOLLGATE_MASTER_KEY'
          : key.source === 'file'
            ? key.file
            : `${key.file} (created now, mode 0600: back it up with the data directory)`,
    ),
  );
  if (s.adminToken) {
    const { token, file } = s.adminToken;
    if (token.source === 'env') lines.push(row('Admin token', 'from ADMIN_API_TOKEN'));
    else if (token.source === 'file')
      lines.push(
        row('Admin token', `the one printed on the first start (only its hash is kept: ${file}; lost it? delete that file and restart)`),
      );
  }
  if (s.staleLockFrom !== undefined)
    lines.push(row('Note', `the previous run (pid ${s.staleLockFrom}) did not stop cleanly; the database recovered from its log`));
  if (s.adminToken?.token.source === 'created') {
    const admin = s.listeners.find((l) => l.service === 'admin-api');
    const base = admin ? `http://${local(admin)}` : 'http://127.0.0.1:8080';
    lines.push(
      '',
      '  First start: an admin API token was created. It is shown only this once; keep it safe.',
      '',
      `      ADMIN_API_TOKEN=${s.adminToken.token.token}`,
      '',
      `  Tollgate keeps only its SHA-256 (${s.adminToken.file}). Lost it? Delete that file and restart.`,
      `  Try it:  curl -H "Authorization: Bearer $ADMIN_API_TOKEN" ${base}/api/v1/settings/policy`,
    );
  }
  if (s.plan.bus === 'memory') lines.push('', '  One-box (embedded) mode: see docs/embedded-mode.md for its limits and the step up.');
  lines.push('  Stop with Ctrl-C.');
  return `${lines.join('\n')}\n`;
}
