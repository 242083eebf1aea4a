import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { createTestDatabase, startInMemoryTracing } from '@tollgate/testkit';
import { PgliteDb, PostgresDb, type Db } from './index.js';
import { operationOf } from './query-span.js';

// Both Db implementations make the same spans: the statement's name or keyword, db.system, no values.
const tracing = await startInMemoryTracing();
const tracer = trace.getTracer('test');
const pgDatabase = await createTestDatabase('query-span');
const dbs: Db[] = [];
before(async () => {
  dbs.push(new PostgresDb({ url: pgDatabase.url, max: 2 }), await PgliteDb.open({ dataDir: 'memory://' }));
});
after(async () => {
  for (const db of dbs) await db.close();
  await pgDatabase.drop();
  await tracing.shutdown();
});

test('operationOf names the statement by its first keyword', () => {
  assert.equal(operationOf('select 1'), 'SELECT');
  assert.equal(operationOf('\n  -- why\n  UPDATE t SET x = 1'), 'UPDATE');
  assert.equal(operationOf('WITH a AS (SELECT 1) SELECT * FROM a'), 'WITH');
  assert.equal(operationOf('  ('), 'QUERY');
});

for (const kind of ['postgres', 'pglite']) {
  test(`${kind}: a query inside a request's span is its child; its parameter values appear nowhere`, async () => {
    const db = dbs.find((d) => d.kind === kind)!;
    tracing.reset();
    const secret = 'Pw-parameter-value-123456';
    await tracer.startActiveSpan('request', async (span) => {
      await db.query('SELECT $1::text AS v', [secret], { name: 'echo_value' });
      await db.query('SELECT 1 AS one');
      await db.transaction(async (tx) => {
        await tx.query('SELECT $1::text AS v', [secret]);
      });
      await assert.rejects(db.query('SELECT * FROM no_such_table WHERE x = $1', [secret]));
      span.end();
    });
    const request = tracing.spans().find((s) => s.name === 'request')!;
    const queries = tracing.spans().filter((s) => s.name.startsWith('db.query'));
    assert.deepEqual(
      queries.map((s) => s.name),
      ['db.query echo_value', 'db.query SELECT', 'db.query SELECT', 'db.query SELECT'],
    );
    for (const q of queries) {
      assert.equal(q.parentSpanContext?.spanId, request.spanContext().spanId);
      assert.equal(q.attributes['db.system'], 'postgresql');
      assert.equal(q.attributes['db.operation.name'], 'SELECT');
    }
    assert.equal(queries[0]!.attributes['db.response.returned_rows'], 1);
    assert.equal(queries[3]!.status.code, 2);
    assert.equal(queries[3]!.attributes['db.response.status_code'], '42P01');
    assert.ok(!JSON.stringify(tracing.spans().map((s) => [s.name, s.attributes, s.status, s.events])).includes(secret));
  });

  test(`${kind}: a query outside any request makes no span`, async () => {
    const db = dbs.find((d) => d.kind === kind)!;
    tracing.reset();
    await db.query('SELECT 1');
    assert.equal(tracing.spans().length, 0);
  });
}
