import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { trace, context, ROOT_CONTEXT, TraceFlags } from '@opentelemetry/api';
import { createLogger, createRedactor, errorFields, REDACT_PATHS } from './index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination, text: () => lines.join('') };
}

test('secret fields are redacted at every depth we log', async () => {
  const { lines, destination, text } = capture();
  const logger = createLogger('test', { level: 'info', destination });
  logger.info(
    {
      password: 'P@ss-word-1',
      code: '123456',
      nested: { secret: 'JBSWY3DPEHPK3PXP', token: 'eyJhbGciOi' },
      req: { headers: { authorization: 'Bearer admintoken123' } },
      user: 'alice',
    },
    'x',
  );
  logger.info({ a: { b: { clientSecret: 'cs-very-secret' } } }, 'y');
  logger.info({ list: [{ password: 'in-an-array-1' }], audit: { user: 'bob', seed: 'GEZDGNBVGY3TQOJQ' } }, 'z');
  logger.child({ sharedSecret: 'child-binding-secret', requestId: 'r-1' }).info('from a child');
  await new Promise((r) => setImmediate(r));
  for (const secret of [
    'P@ss-word-1',
    '123456',
    'JBSWY3DPEHPK3PXP',
    'eyJhbGciOi',
    'admintoken123',
    'cs-very-secret',
    'in-an-array-1',
    'GEZDGNBVGY3TQOJQ',
    'child-binding-secret',
  ]) {
    assert.ok(!text().includes(secret), `${secret} leaked: ${text()}`);
  }
  // biome-ignore lint/suspicious/noExplicitAny: a parsed log line, read by path; the assertions check its shape
  const [first, second, third, fourth] = lines.map((l) => JSON.parse(l) as Record<string, any>);
  assert.equal(first!.password, '[redacted]');
  assert.equal(first!.nested.secret, '[redacted]');
  assert.equal(first!.req.headers.authorization, '[redacted]');
  assert.equal(first!.user, 'alice');
  assert.equal(second!.a.b.clientSecret, '[redacted]');
  assert.equal(third!.list[0].password, '[redacted]');
  assert.equal(third!.audit.user, 'bob');
  assert.equal(fourth!.sharedSecret, '[redacted]');
  assert.equal(fourth!.requestId, 'r-1');
  for (const line of [first, second, third, fourth]) assert.equal(line!.component, 'test');
  assert.equal(first!.level, 'info');
});

test('deeper than the paths reach is not redacted (the paths are the contract, not key names anywhere)', () => {
  const redact = createRedactor(REDACT_PATHS);
  const deep = { a: { b: { c: { password: 'x' } } } };
  assert.deepEqual(redact(deep), deep);
});

test("the caller's object is left alone and an object without secrets is not copied", () => {
  const redact = createRedactor(REDACT_PATHS);
  const clean = { requestId: 'r', audit: { user: 'alice', decision: 'accept', nested: { reason: 'ok' } } };
  assert.equal(redact(clean), clean);
  const dirty = { audit: { user: 'alice', password: 'pw' }, other: { keep: 1 } };
  const out = redact(dirty) as typeof dirty;
  assert.equal(dirty.audit.password, 'pw');
  assert.equal(out.audit.password, '[redacted]');
  assert.equal(out.other, dirty.other, 'untouched branches are shared, not copied');
});

test('explicit paths and wildcards combine (req.headers.authorization beside *.*.token)', () => {
  const redact = createRedactor(['req.headers.authorization', '*.*.token', 'top']);
  const out = redact({
    req: { headers: { authorization: 'a', token: 't', accept: 'json' } },
    x: { y: { token: 't2' } },
    top: { anything: 1 },
    // biome-ignore lint/suspicious/noExplicitAny: the redacted object, read by path; the assertions check its shape
  }) as any;
  assert.deepEqual(out, {
    req: { headers: { authorization: '[redacted]', token: '[redacted]', accept: 'json' } },
    x: { y: { token: '[redacted]' } },
    top: '[redacted]',
  });
});

test('an Error keeps its message and stack when a field of it is censored', () => {
  const redact = createRedactor(['err.password']);
  const err = Object.assign(new Error('boom'), { password: 'pw' });
  const out = redact({ err }) as { err: Error & { password: string } };
  assert.ok(out.err instanceof Error);
  assert.equal(out.err.message, 'boom');
  assert.equal(out.err.password, '[redacted]');
  assert.equal(err.password, 'pw');
});

test('trace_id and span_id are on lines written inside a span', async () => {
  const { lines, destination } = capture();
  const logger = createLogger('traced', { level: 'info', destination });
  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
  // Without a context manager `context.with` does not propagate; the mixin reads the span it is handed.
  const span = trace.wrapSpanContext(spanContext);
  const original = trace.getActiveSpan;
  trace.getActiveSpan = () => span;
  try {
    logger.info('inside');
  } finally {
    trace.getActiveSpan = original;
  }
  context.with(ROOT_CONTEXT, () => logger.info('outside'));
  await new Promise((r) => setImmediate(r));
  const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(inside!.trace_id, spanContext.traceId);
  assert.equal(inside!.span_id, spanContext.spanId);
  assert.equal(outside!.trace_id, undefined);
});

describe("an error's code is kept, an OTP code is not", () => {
  const redact = createRedactor(REDACT_PATHS);
  // biome-ignore lint/suspicious/noExplicitAny: the redacted object, read by path; the assertions check its shape
  const kept: Array<[string, object, (out: any) => unknown, string]> = [
    ['err.code, a network error', { err: { name: 'Error', code: 'ECONNREFUSED' } }, (o) => o.err.code, 'ECONNREFUSED'],
    ['err.code, a SQLSTATE', { err: { name: 'DatabaseError', code: '23505' } }, (o) => o.err.code, '23505'],
    ['error.code', { error: { name: 'Error', code: 'ETIMEDOUT' } }, (o) => o.error.code, 'ETIMEDOUT'],
    ['a nested err.code', { batch: { err: { code: '22021' } } }, (o) => o.batch.err.code, '22021'],
    ['a nested error.code', { step: { error: { code: 'ECONNRESET' } } }, (o) => o.step.error.code, 'ECONNRESET'],
  ];
  for (const [name, input, pick, expected] of kept) {
    test(`kept: ${name}`, () => assert.equal(pick(redact(input)), expected));
  }

  // biome-ignore lint/suspicious/noExplicitAny: the redacted object, read by path; the assertions check its shape
  const censored: Array<[string, object, (out: any) => unknown]> = [
    ['a top-level code', { code: '123456' }, (o) => o.code],
    ['request.code', { request: { upn: 'alice@contoso.com', code: '123456' } }, (o) => o.request.code],
    ['payload.code', { payload: { code: '654321' } }, (o) => o.payload.code],
    ['req.body.code', { req: { body: { code: '111222' } } }, (o) => o.req.body.code],
    ['a code beside err, not in it', { err: { code: 'E1' }, attempt: { code: '999000' } }, (o) => o.attempt.code],
    ['a code deeper inside err', { err: { details: { code: '424242' } } }, (o) => o.err.details.code],
    ['err.password is still a password', { err: { code: 'E1', password: 'pw-in-error' } }, (o) => o.err.password],
  ];
  for (const [name, input, pick] of censored) {
    test(`censored: ${name}`, () => assert.equal(pick(redact(input)), '[redacted]'));
  }

  test("through the logger: an Error's code reaches the line, the OTP code of the same line does not", async () => {
    const { lines, destination, text } = capture();
    const logger = createLogger('test', { level: 'info', destination });
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    logger.error({ err, request: { code: '135790' } }, 'state store unavailable');
    logger.error({ err: errorFields(Object.assign(new Error('duplicate key'), { code: '23505' })) }, 'insert failed');
    await new Promise((r) => setImmediate(r));
    // biome-ignore lint/suspicious/noExplicitAny: a parsed log line, read by path; the assertions check its shape
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(first!.err.code, 'ECONNREFUSED');
    assert.equal(first!.request.code, '[redacted]');
    assert.equal(second!.err.code, '23505');
    assert.ok(!text().includes('135790'));
  });

  test('an exception path wins over a wildcard whatever the order the paths are given in', () => {
    const input = { code: 'c', err: { code: 'E' }, x: { err: { code: 'E2' }, code: 'c2' } };
    const cases: Array<[string[], unknown]> = [
      [['*.code', '!err.code'], { code: 'c', err: { code: 'E' }, x: { err: { code: 'E2' }, code: '[redacted]' } }],
      [['!err.code', '*.code'], { code: 'c', err: { code: 'E' }, x: { err: { code: 'E2' }, code: '[redacted]' } }],
      [['*.*.code', '!*.err.code', 'code'], { code: '[redacted]', err: { code: 'E' }, x: { err: { code: 'E2' }, code: 'c2' } }],
      [['*.*.code', 'code'], { code: '[redacted]', err: { code: 'E' }, x: { err: { code: '[redacted]' }, code: 'c2' } }],
    ];
    for (const [paths, expected] of cases) assert.deepEqual(createRedactor(paths)(input), expected, paths.join(' '));
  });
});
