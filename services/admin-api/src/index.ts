/**
 * @tollgate/admin-api: the HTTP API through which admins manage Tollgate (Entra settings, policy,
 * RADIUS clients, users, TOTP tokens, CSV import, auth log). Exports the launcher's
 * manifest and the Express app factory for tests and embedding.
 */
export { adminApi } from './manifest.js';

export { createAdminApp, type AdminApiDeps } from './app.js';
export { createAdminApiComponent, type AdminApiComponent } from './admin-api-component.js';
export { adminConfigShape, loadAdminConfig, type AdminConfig } from './admin-config.js';
export { apiTokenSha256 } from './api-token.js';
export { createFirstAdmin, parseAdminCreateArgs, type AdminCreateArgs } from './admin-cli.js';
export { verifyPassword } from './password-hash.js';
