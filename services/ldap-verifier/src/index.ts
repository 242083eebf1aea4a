/** The ldap-verifier package: the service manifest and its pure building blocks. */
export { ldapVerifier } from './manifest.js';
export { createLdapVerifier, SERVICE_VERSION } from './ldap-verifier.js';
export { classifyUserBind, classifyServiceFailure, adSubCode, AD_SUB_CODES } from './classify-bind-result.js';
export { firstRdnValue, groupNames } from './group-names.js';
export { ldapVerifierConfigShape, loadLdapVerifierConfig, type LdapVerifierConfig } from './config.js';
export { resolveLdapSettings, type DirectorySettings, type ResolvedLdap } from './resolve-ldap-settings.js';
export { Directory, type DirectoryAnswer } from './ldap-directory.js';
