/** The entra-verifier's environment configuration: defaults and refusals. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@tollgate/config';
import { loadEntraVerifierConfig } from './config.js';

describe('loadEntraVerifierConfig', () => {
  it('has safe defaults', () => {
    assert.deepEqual(loadEntraVerifierConfig({}), {
      timeoutMs: 2000,
      maxConnections: 256,
      authority: { allowedHosts: [], allowLoopback: false },
      settingsCacheMs: 30_000,
      throttleDefaultSeconds: 5,
      throttleMaxSeconds: 300,
    });
  });

  it('reads every key', () => {
    const config = loadEntraVerifierConfig({
      ENTRA_TIMEOUT_MS: '500',
      ENTRA_MAX_CONNECTIONS: '8',
      ENTRA_ALLOWED_AUTHORITY_HOSTS: 'login.example.net, sts.example.org:8443',
      ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
      ENTRA_SETTINGS_CACHE_MS: '1000',
      ENTRA_THROTTLE_DEFAULT_SECONDS: '0',
      ENTRA_THROTTLE_MAX_SECONDS: '60',
    });
    assert.deepEqual(config, {
      timeoutMs: 500,
      maxConnections: 8,
      authority: { allowedHosts: ['login.example.net', 'sts.example.org:8443'], allowLoopback: true },
      settingsCacheMs: 1000,
      throttleDefaultSeconds: 0,
      throttleMaxSeconds: 60,
    });
  });

  const bad: Array<[string, string]> = [
    ['ENTRA_TIMEOUT_MS', '10'],
    ['ENTRA_TIMEOUT_MS', 'soon'],
    ['ENTRA_MAX_CONNECTIONS', '0'],
    ['ENTRA_ALLOWED_AUTHORITY_HOSTS', 'http://login.example.net'],
    ['ENTRA_ALLOW_LOOPBACK_AUTHORITY', 'maybe'],
  ];
  for (const [key, value] of bad) {
    it(`refuses ${key}=${value}, naming the key`, () => {
      assert.throws(
        () => loadEntraVerifierConfig({ [key]: value }),
        (error: unknown) => error instanceof ConfigError && error.key === key && error.component === 'entra-verifier',
      );
    });
  }
});
