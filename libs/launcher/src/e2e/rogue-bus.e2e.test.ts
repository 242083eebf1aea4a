import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Msg, type NatsConnection } from 'nats';
import { TEST_NATS_URL, metricValue, oathtoolTotp, radclient } from '@tollgate/testkit';
import { startDistributedStack } from './distributed-stack.js';

/**
 * The audit's attack, kept as a test: every service in its own process on a NATS server without
 * authentication, and a rogue NATS client on it that listens to every Tollgate subject and every
 * reply inbox, and answers the verifier and aggregator subjects with success faster than the real
 * services. It must read no password or code, and its answers must get nobody in.
 */
const DOMAIN = 'contoso.com';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;

let stack: Awaited<ReturnType<typeof startDistributedStack>>;
let attacker: NatsConnection;
const seen: Msg[] = [];
const forged = { entra: 0, otp: 0, decide: 0 };
const secrets: string[] = [];

const FORGED_ANSWERS: Array<[keyof typeof forged, string, unknown]> = [
  ['entra', 'auth.v1.verify.entra', { outcome: 'password_ok_mfa', aadsts: 50076, httpStatus: 400, latencyMs: 1 }],
  ['otp', 'auth.v1.verify.otp', { outcome: 'valid' }],
  ['decide', 'auth.v1.decide', { decision: 'accept', reason: 'ok' }],
];

before(async () => {
  stack = await startDistributedStack();
  const prefix = stack.env.NATS_SUBJECT_PREFIX!;
  attacker = await connect({ servers: TEST_NATS_URL, name: 'rogue' });
  attacker.subscribe(`${prefix}.>`, { callback: (_e, msg) => seen.push(msg) });
  attacker.subscribe('_INBOX.>', { callback: (_e, msg) => seen.push(msg) });
  for (const [name, suffix, answer] of FORGED_ANSWERS) {
    attacker.subscribe(`${prefix}.${suffix}`, {
      callback: (_e, msg) => {
        forged[name]++;
        msg.respond(new TextEncoder().encode(JSON.stringify(answer)));
      },
    });
  }
  await attacker.flush();
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('POST', '/api/v1/radius-clients', { name: 'vpn-1', address: '127.0.0.1', secret: RADIUS_SECRET });
});

after(async () => {
  await attacker?.close();
  await stack?.stop();
});

async function enroll(name: string) {
  const upn = `${name}@${DOMAIN}`;
  const password = `Pw-${randomBytes(6).toString('base64url')}!`;
  stack.entra.setUser(upn, { password, kind: 'mfa' });
  await stack.admin.call('POST', '/api/v1/users', { username: upn });
  const { secret } = await stack.admin.call<{ secret: string }>('POST', `/api/v1/users/${upn}/totp`, {});
  secrets.push(password, secret);
  return { upn, password, seed: secret };
}

function auth(username: string, password: string) {
  secrets.push(password);
  return radclient({
    port: stack.radiusPort,
    secret: RADIUS_SECRET,
    attributes: { 'User-Name': username, 'User-Password': password, 'NAS-Identifier': 'vpn-1' },
    timeoutSec: 4,
    retries: 1,
  });
}

test('a wrong password with the code 000000 is rejected although the rogue answers "valid" first', async () => {
  const alice = await enroll('alice');
  const reply = await auth(alice.upn, 'wrong-password000000');
  assert.equal(reply.code, 'Access-Reject', reply.raw);
  assert.ok(forged.entra > 0 && forged.otp > 0 && forged.decide > 0, `the rogue answered: ${JSON.stringify(forged)}`);
  let reasons = await stack.admin.reasons(alice.upn, 1);
  // The auth log is written in batches: wait for the row.
  for (let i = 0; i < 50 && reasons.length === 0; i++) {
    await sleep(50);
    reasons = await stack.admin.reasons(alice.upn, 1);
  }
  assert.ok(['entra.invalid_credentials', 'otp.invalid'].includes(reasons[0] ?? ''), `decided on the real answers: ${reasons[0]}`);
});

test('a right password with a wrong code is rejected; a right password with a fresh code is still accepted', async () => {
  const bob = await enroll('bob');
  const code = await oathtoolTotp({ base32Secret: bob.seed, digits: 6, period: 30, algorithm: 'SHA1' });
  const wrong = code === '000000' ? '111111' : '000000';
  secrets.push(code);
  assert.equal((await auth(bob.upn, bob.password + wrong)).code, 'Access-Reject');
  const accepted = await auth(bob.upn, bob.password + code);
  assert.equal(accepted.code, 'Access-Accept', 'forged answers do not end the wait for the real one');
});

test('the rogue saw no password, code or seed, and the forged answers are counted and logged', async () => {
  await sleep(100);
  const prefix = stack.env.NATS_SUBJECT_PREFIX!;
  assert.ok(
    seen.some((m) => m.subject === `${prefix}.auth.v1.decide`),
    'the rogue did see the traffic',
  );
  assert.ok(seen.length > 20, `${seen.length} messages seen`);
  for (const msg of seen) {
    const wire = Buffer.from(msg.data).toString('latin1');
    for (const secret of [...secrets, 'wrong-password', '000000'])
      assert.ok(!wire.includes(secret), `a secret crossed the bus in clear on ${msg.subject}`);
    if (msg.subject.startsWith(prefix) && !wire.startsWith('{'))
      assert.ok(!wire.includes(DOMAIN), `a user name crossed in clear on ${msg.subject}`);
  }
  const metrics = await stack.metrics();
  for (const service of ['decide', 'verify.otp', 'verify.entra']) {
    const refused = metricValue(metrics, 'tollgate_bus_refused_messages_total', {
      subject: `${prefix}.auth.v1.${service}`,
      kind: 'reply',
      reason: 'unsealed',
    });
    assert.ok(refused > 0, `forged answers on ${service} counted: ${refused}`);
  }
  const output = stack.output().join('\n');
  assert.match(output, /refused a bus message that failed its seal check/);
  assert.match(output, /the NATS server does not require authentication/);
  assert.match(output, /the NATS connection is not TLS/);
});
