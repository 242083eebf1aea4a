/** The seal contexts are a stored format: pinned here so a change cannot slip through. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTRA_CLIENT_SECRET_CONTEXT, radiusClientSecretContext, totpSeedContext } from './seal-contexts.js';

test('seal contexts keep their stored form and bind the record', () => {
  assert.equal(ENTRA_CLIENT_SECRET_CONTEXT, 'settings:entra');
  assert.equal(totpSeedContext('alice@contoso.com'), 'totp:alice@contoso.com');
  assert.notEqual(totpSeedContext('alice@contoso.com'), totpSeedContext('bob@contoso.com'));
  assert.equal(radiusClientSecretContext('c-17'), 'radius-client:c-17');
});
