import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nkeys } from 'nats';
import { natsOptions } from './build-context.js';
import { loadProcessConfig } from './process-config.js';

test('an NKey seed file written with a trailing newline authenticates', async () => {
  const user = nkeys.createUser();
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-nkey-'));
  const file = path.join(dir, 'user.nk');
  await writeFile(file, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 });
  const options = await natsOptions(loadProcessConfig({ NATS_URL: 'nats://127.0.0.1:4222', NATS_NKEY_SEED_FILE: file }));
  const nonce = 'server-nonce-123';
  // nats.js hands the server's nonce to the authenticator as a string.
  const authenticator = options.authenticator as unknown as (nonce?: string) => { nkey: string; sig: string };
  const auth = authenticator(nonce);
  assert.equal(auth.nkey, user.getPublicKey());
  assert.equal(user.verify(new TextEncoder().encode(nonce), nkeys.decode(auth.sig)), true);
});

test('NATS TLS and user settings reach the connection options', async () => {
  const options = await natsOptions(
    loadProcessConfig({
      NATS_URL: 'tls://a:4222, tls://b:4222',
      NATS_USER: 'gateway',
      NATS_PASSWORD: 'pw-123',
      NATS_TLS_CA_FILE: '/etc/ca.pem',
    }),
  );
  assert.deepEqual(options.servers, ['tls://a:4222', 'tls://b:4222']);
  assert.equal(options.user, 'gateway');
  assert.equal(options.pass, 'pw-123');
  assert.deepEqual(options.tls, { caFile: '/etc/ca.pem' });
});
