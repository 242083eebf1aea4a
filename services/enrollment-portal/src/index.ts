/** The enrollment-portal package: the service manifest and its pure building blocks. */
export { enrollmentPortal } from './manifest.js';
export { createEnrollmentPortal, SERVICE_VERSION, type EnrollmentPortalComponent } from './enrollment-portal.js';
export { enrollmentPortalConfigShape, loadEnrollmentPortalConfig, type EnrollmentPortalConfig } from './config.js';
export { authorizeUrl, codeChallenge, newSignIn, redirectUri, type SignInStart } from './authorize-request.js';
export { FAILURE_MESSAGES, type PortalProblem } from './failure-messages.js';
export { portalCsp } from './security-headers.js';
