/** A user as `GET /api/v1/users[/:username]` shows one (never the seed). */
export interface UserView {
  upn: string;
  displayName: string | null;
  enabled: boolean;
  /** Where fallback codes go by email and SMS (clients with fallbackCodes). */
  email: string | null;
  phone: string | null;
  createdAt: string;
  /** The user was shown a new seed in the self-service portal and has not confirmed it with a code yet. */
  pendingEnrollment: boolean;
  token: {
    digits: 6 | 8;
    period: 30 | 60;
    algorithm: string;
    source: 'generated' | 'hardware';
    serial: string | null;
    createdAt: string;
  } | null;
}

export interface LastOutcome {
  at: string;
  reason: string;
  clientName: string;
}

export interface UserDetail extends UserView {
  lastAccept: LastOutcome | null;
  lastReject: LastOutcome | null;
}
