/**
 * What a NATS connection without authentication or without TLS exposes, said once at start.
 * The bus payloads are sealed whatever the server (no password, code or answer can be read or
 * forged), but an open server still lets anyone see who logs in when (message timing, subjects,
 * trace ids) and disrupt logins by joining the queue groups or flooding them. Judged from the
 * server's own INFO, not from our options: credentials we send to a server that checks none
 * protect nothing.
 */
export interface NatsConnectionSecurity {
  /** The server requires clients to authenticate (INFO `auth_required`). */
  authRequired: boolean;
  /** The connection is TLS (the server requires it, or we asked for it). */
  tls: boolean;
}

export interface ExposureWarning {
  exposure: 'nats_no_auth' | 'nats_no_tls';
  message: string;
}

export function natsExposureWarnings(security: NatsConnectionSecurity): ExposureWarning[] {
  const warnings: ExposureWarning[] = [];
  if (!security.authRequired) {
    warnings.push({
      exposure: 'nats_no_auth',
      message:
        "the NATS server does not require authentication: anyone who reaches it can watch the timing and subjects of every login and disrupt logins by joining the services' queue groups (payloads stay sealed); give each service its own NATS user (docs/deployment.md)",
    });
  }
  if (!security.tls) {
    warnings.push({
      exposure: 'nats_no_tls',
      message:
        'the NATS connection is not TLS: anyone on the network path sees subjects, message timing and NATS credentials in clear (payloads stay sealed); enable TLS on the server and set NATS_TLS (docs/deployment.md)',
    });
  }
  return warnings;
}
