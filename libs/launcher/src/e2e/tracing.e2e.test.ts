import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { oathtoolTotp, radclient, SpanKinds, type ReceivedSpan } from '@tollgate/testkit';
import { startDistributedStack } from './distributed-stack.js';
import type { Stack } from './stack.js';

/**
 * One Access-Request, one trace across every process: each service in its own process on the
 * real NATS, exporting over OTLP/HTTP (JSON) to the test's own receiver. The trace must have
 * the shape an SRE reads: the gateway's root, the decide request and the aggregator's handler,
 * the two verifiers side by side, their PostgreSQL, Redis and Entra calls, all one trace id,
 * no span whose parent is missing.
 */
const DOMAIN = 'trace.example';
const SECRET = `nas-${randomBytes(12).toString('hex')}`;
let stack: Stack;
let user: { upn: string; password: string; seed: string };

before(async () => {
  stack = await startDistributedStack({ extraEnv: { TOLLGATE_TRACE_USERNAMES: 'true' } });
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('POST', '/api/v1/radius-clients', { name: 'vpn-trace', address: '127.0.0.1', secret: SECRET });
  const upn = `tina@${DOMAIN}`;
  const password = `Pw-${randomBytes(6).toString('base64url')}!`;
  stack.entra.setUser(upn, { password, kind: 'mfa' });
  await stack.admin.call('POST', '/api/v1/users', { username: upn });
  const { secret } = await stack.admin.call<{ secret: string }>('POST', `/api/v1/users/${upn}/totp`, {});
  user = { upn, password, seed: secret };
});

after(async () => {
  await stack?.stop();
});

const rootsBefore = () =>
  new Set(
    stack
      .spans()
      .filter((s) => s.name === 'radius Access-Request')
      .map((s) => s.traceId),
  );

/** Sends one Access-Request and returns every span of its trace once the root has arrived. */
async function traceOf(password: string): Promise<{ reply: string; spans: ReceivedSpan[]; root: ReceivedSpan }> {
  const seen = rootsBefore();
  const reply = await radclient({
    port: stack.radiusPort,
    secret: SECRET,
    attributes: { 'User-Name': user.upn, 'User-Password': password },
    timeoutSec: 4,
    retries: 1,
  });
  const newRoot = () => stack.spans().find((s) => s.name === 'radius Access-Request' && !seen.has(s.traceId));
  const deadline = Date.now() + 10_000;
  while (!newRoot()) {
    if (Date.now() > deadline) throw new Error('the root span never arrived');
    await new Promise((r) => setTimeout(r, 50));
  }
  const root = newRoot()!;
  // Spans of other processes travel in their own exports: wait until the trace stops growing.
  let count = -1;
  while (count !== stack.spans().filter((s) => s.traceId === root.traceId).length) {
    count = stack.spans().filter((s) => s.traceId === root.traceId).length;
    await new Promise((r) => setTimeout(r, 300));
  }
  return { reply: reply.code, spans: stack.spans().filter((s) => s.traceId === root.traceId), root };
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);
const descendantsOf = (spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] =>
  childrenOf(spans, parent).flatMap((child) => [child, ...descendantsOf(spans, child)]);
const one = (spans: ReceivedSpan[], predicate: (s: ReceivedSpan) => boolean, what: string) => {
  const found = spans.filter(predicate);
  assert.equal(found.length, 1, `${what}: found ${found.length} in ${spans.map((s) => `${s.service}/${s.name}`).join(', ')}`);
  return found[0]!;
};

test('an accepted Access-Request is one trace: gateway -> aggregator -> both verifiers in parallel -> PostgreSQL, Redis, Entra', async () => {
  const code = await oathtoolTotp({ base32Secret: user.seed, digits: 6, period: 30, algorithm: 'SHA1' });
  const { reply, spans, root } = await traceOf(user.password + code);
  assert.equal(reply, 'Access-Accept');

  // The root: the gateway's SERVER span, no parent, with client, decision, reason and (allowed here) the user.
  assert.equal(root.service, 'tollgate-radius-gateway');
  assert.equal(root.kind, SpanKinds.server);
  assert.equal(root.parentSpanId, undefined);
  assert.deepEqual(
    [
      root.attributes['radius.client'],
      root.attributes['tollgate.decision'],
      root.attributes['tollgate.reason'],
      root.attributes['enduser.id'],
    ],
    ['vpn-trace', 'accept', 'ok', user.upn],
  );
  // One trace id; every parent is in the trace; every process took part.
  for (const span of spans) {
    assert.equal(span.traceId, root.traceId);
    if (span !== root)
      assert.ok(
        spans.some((p) => p.spanId === span.parentSpanId),
        `${span.service}/${span.name} has no parent in the trace`,
      );
  }
  assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), [
    'tollgate-aggregator',
    'tollgate-entra-verifier',
    'tollgate-otp-verifier',
    'tollgate-radius-gateway',
  ]);

  // gateway -> decide request (CLIENT) -> aggregator's handler (SERVER, another process).
  const decideRequest = one(childrenOf(spans, root), (s) => s.name.endsWith('.decide request'), 'decide request');
  assert.equal(decideRequest.kind, SpanKinds.client);
  const decide = one(childrenOf(spans, decideRequest), (s) => s.name.endsWith('.decide process'), 'aggregator handler');
  assert.equal(decide.service, 'tollgate-aggregator');
  assert.equal(decide.kind, SpanKinds.server);
  assert.deepEqual(
    [
      decide.attributes['tollgate.decision'],
      decide.attributes['tollgate.reason'],
      decide.attributes['tollgate.otp.digits'],
      decide.attributes['tollgate.aadsts'],
    ],
    ['accept', 'ok', 6, 50076],
  );

  // The two verifier requests are siblings under the handler, and ran at the same time.
  const askOtp = one(childrenOf(spans, decide), (s) => /verify\.otp request$/.test(s.name), 'otp request');
  const askEntra = one(childrenOf(spans, decide), (s) => /verify\.entra request$/.test(s.name), 'entra request');
  assert.ok(askOtp.startNs < askEntra.endNs && askEntra.startNs < askOtp.endNs, 'the verifier requests overlap in time');
  const otp = one(childrenOf(spans, askOtp), (s) => s.kind === SpanKinds.server, 'otp-verifier handler');
  const entra = one(childrenOf(spans, askEntra), (s) => s.kind === SpanKinds.server, 'entra-verifier handler');
  assert.equal(otp.service, 'tollgate-otp-verifier');
  assert.equal(otp.attributes['tollgate.otp.outcome'], 'valid');
  assert.equal(entra.service, 'tollgate-entra-verifier');

  // Under the verifiers: the token endpoint call, the (batched) PostgreSQL statements, Redis.
  const post = one(descendantsOf(spans, entra), (s) => s.name === 'POST token endpoint', 'token endpoint call');
  assert.deepEqual(
    [post.kind, post.attributes['http.response.status_code'], post.attributes['tollgate.aadsts']],
    [SpanKinds.client, 400, 50076],
  );
  const otpWork = descendantsOf(spans, otp);
  const claim = one(otpWork, (s) => s.name === 'db.query tollgate_claim_steps', 'step claim statement');
  assert.equal(claim.attributes['db.system'], 'postgresql');
  assert.ok(
    otpWork.some((s) => s.name === 'batch step_claim'),
    'the claim ran in a batch span',
  );
  assert.ok(
    otpWork.some((s) => s.name.startsWith('redis ')),
    'the lockout counter was read in Redis',
  );
  // The gateway's retransmission cache in Redis, under the root.
  assert.ok(descendantsOf(spans, root).some((s) => s.service === 'tollgate-radius-gateway' && s.name === 'redis SET'));
  // The answer went out after everything else ended: the root ends last. The SDK times spans on
  // clocks anchored to Date.now() (millisecond resolution), so two spans' ends can disagree by
  // less than a millisecond; more than that is a real ordering fault.
  const CLOCK_SKEW_NS = 1_000_000n;
  for (const span of spans) assert.ok(span.endNs <= root.endNs + CLOCK_SKEW_NS, `${span.name} ended after the root`);
});

test("a rejected Access-Request carries its reason and Entra's code on the gateway's and the aggregator's spans", async () => {
  const code = await oathtoolTotp({ base32Secret: user.seed, digits: 6, period: 30, algorithm: 'SHA1', atMs: Date.now() + 30_000 });
  const { reply, spans, root } = await traceOf(`wrong-${user.password}${code}`);
  assert.equal(reply, 'Access-Reject');
  assert.deepEqual([root.attributes['tollgate.decision'], root.attributes['tollgate.reason']], ['reject', 'entra.invalid_credentials']);
  const decide = one(spans, (s) => s.name.endsWith('.decide process'), 'aggregator handler');
  assert.deepEqual([decide.attributes['tollgate.reason'], decide.attributes['tollgate.aadsts']], ['entra.invalid_credentials', 50126]);
  assert.equal(one(spans, (s) => s.name === 'POST token endpoint', 'token endpoint call').attributes['tollgate.aadsts'], 50126);
  const text = JSON.stringify(spans.map((s) => [s.name, s.attributes]));
  for (const secret of [user.password, code, user.seed, SECRET]) assert.ok(!text.includes(secret), 'no secret on any span');
});
