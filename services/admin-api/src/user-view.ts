/** How a user and their token summary appear in responses: never the seed, which the store keeps sealed. */
import type { TokenSummary, UserWithToken } from '@tollgate/store';

export interface TokenView {
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TokenSummary['algorithm'];
  source: TokenSummary['source'];
  serial: string | null;
  manufacturer: string | null;
  model: string | null;
  createdAt: Date;
}

export function tokenView(token: TokenSummary): TokenView {
  return {
    digits: token.digits,
    period: token.period,
    algorithm: token.algorithm,
    source: token.source,
    serial: token.serial,
    manufacturer: token.manufacturer,
    model: token.model,
    createdAt: token.createdAt,
  };
}

export function userView(user: UserWithToken) {
  return {
    upn: user.upn,
    displayName: user.displayName,
    enabled: user.enabled,
    email: user.email,
    phone: user.phone,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    token: user.token ? tokenView(user.token) : null,
    pendingEnrollment: user.pendingEnrollment,
  };
}
