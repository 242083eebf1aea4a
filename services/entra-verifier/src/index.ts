/** The entra-verifier package: the service manifest and its pure building blocks. */
export { entraVerifier } from './manifest.js';
export { createEntraVerifier, SERVICE_VERSION } from './entra-verifier.js';
export { classifyRopcResponse, parseRetryAfter, type RopcAnswer, type RopcClassification } from './classify-ropc-response.js';
export { outcomeForAadsts, KNOWN_AADSTS_CODES, type AadstsOutcome } from './aadsts-codes.js';
export { entraVerifierConfigShape, loadEntraVerifierConfig, type EntraVerifierConfig } from './config.js';
export { RopcClient, type RopcCall, type RopcResult } from './ropc-client.js';
