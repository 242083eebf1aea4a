/**
 * The two kinds of syslog message Tollgate sends, and what goes in each: one per decision (the
 * aggregator's audit line) and one per admin change (the admin API's audit line). The facts
 * are the same as those log lines; no password, code, seed or secret is ever among them, and
 * admin details pass the logger's redaction paths as well.
 *
 * Structured-data IDs use 32473, the example enterprise number of RFC 5612: collectors match
 * on the `decision@32473` / `admin@32473` names (see docs/observability.md).
 */
import { createRedactor, REDACT_PATHS } from '@tollgate/logging';
import type { SeverityName } from './codes.js';
import type { SdValue, StructuredElement } from './rfc5424.js';

export const ENTERPRISE_NUMBER = 32473;

export interface DecisionEvent {
  requestId: string;
  /** User-Name as the NAS sent it. */
  username: string;
  upn?: string | undefined;
  /** The RADIUS client's configured name. */
  client: string;
  clientAddress?: string | undefined;
  decision: 'accept' | 'reject' | 'challenge';
  reason: string;
  aadsts?: number | undefined;
  latencyMs: number;
}

export interface AdminChangeEvent {
  actor: string;
  /** The actor's role (admin, helpdesk, auditor), when known. */
  role?: string | undefined;
  /** The client address the change came from, when known. */
  sourceAddress?: string | undefined;
  /** How the change ended (`success`, `denied`), when known. */
  outcome?: string | undefined;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** Where decisions and admin changes go besides the log (a syslog collector); never blocks. */
export interface AuditSink {
  decision(event: DecisionEvent): void;
  adminChange(event: AdminChangeEvent): void;
}

/** What one message says, before the header (facility, time, host) is added. */
export interface AuditMessage {
  msgId: 'decision' | 'admin';
  severity: SeverityName;
  structuredData: StructuredElement[];
  message: string;
}

/** Rejects that say the system, not the user, is in trouble: worth a warning. */
const TROUBLE = new Set([
  'timeout',
  'verifier.unavailable',
  'internal_error',
  'entra.unavailable',
  'entra.config_error',
  'entra.throttled',
  'entra.not_configured',
  'ldap.unavailable',
  'ldap.config_error',
  'ldap.not_configured',
]);

export function decisionMessage(e: DecisionEvent): AuditMessage {
  const severity: SeverityName = e.decision === 'accept' ? 'info' : TROUBLE.has(e.reason) ? 'warning' : 'notice';
  const who = e.upn ?? e.username;
  return {
    msgId: 'decision',
    severity,
    structuredData: [
      {
        id: `decision@${ENTERPRISE_NUMBER}`,
        params: [
          ['requestId', e.requestId],
          ['user', e.username],
          ['upn', e.upn],
          ['client', e.client],
          ['clientAddress', e.clientAddress],
          ['decision', e.decision],
          ['reason', e.reason],
          ['aadsts', e.aadsts],
          ['latencyMs', Math.round(e.latencyMs)],
        ],
      },
    ],
    message: `${e.decision} ${who} from ${e.client}: ${e.reason}`,
  };
}

const redactDetails = createRedactor(REDACT_PATHS);

function flatten(value: unknown): SdValue {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.join(',');
  return JSON.stringify(value);
}

export function adminChangeMessage(e: AdminChangeEvent): AuditMessage {
  const details = redactDetails(e.details ?? {}) as Record<string, unknown>;
  const params: Array<[string, SdValue]> = [
    ['actor', e.actor],
    ['role', e.role],
    ['sourceAddress', e.sourceAddress],
    ['action', e.action],
    ['target', e.target],
    ['outcome', e.outcome],
  ];
  const own = new Set(['actor', 'role', 'sourceAddress', 'action', 'target', 'outcome']);
  for (const [key, value] of Object.entries(details)) {
    if (own.has(key)) continue;
    params.push([key, flatten(value)]);
  }
  return {
    msgId: 'admin',
    severity: 'notice',
    structuredData: [{ id: `admin@${ENTERPRISE_NUMBER}`, params }],
    message: `${e.actor} ${e.action} ${e.target}`,
  };
}
