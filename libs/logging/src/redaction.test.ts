import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './index.js';

test('secret fields are redacted at every depth we log', async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('test', { level: 'info', destination });
  logger.info({ password: 'P@ss-word-1', code: '123456', nested: { secret: 'JBSWY3DPEHPK3PXP', token: 'eyJhbGciOi' }, req: { headers: { authorization: 'Bearer admintoken123' } }, user: 'alice' }, 'x');
  logger.info({ a: { b: { clientSecret: 'cs-very-secret' } } }, 'y');
  await new Promise((r) => setImmediate(r));
  const text = lines.join('');
  for (const secret of ['P@ss-word-1', '123456', 'JBSWY3DPEHPK3PXP', 'eyJhbGciOi', 'admintoken123', 'cs-very-secret']) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  assert.ok(text.includes('"user":"alice"'));
  assert.ok(text.includes('"component":"test"'));
  assert.equal(JSON.parse(lines[0]!).level, 'info');
});
