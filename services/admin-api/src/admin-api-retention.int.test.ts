/** `/api/v1/settings/retention` over real HTTP: the default, a change (audited), and bad values naming the field. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

describe('admin API: retention setting', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_retention');
  });
  after(() => h.close());

  test('reads 90 days by default; a PUT stores and is audited', async () => {
    assert.deepEqual((await h.call('GET', '/api/v1/settings/retention')).body, { authEventDays: 90 });
    const put = await h.call('PUT', '/api/v1/settings/retention', { body: { authEventDays: 30 } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual((await h.call('GET', '/api/v1/settings/retention')).body, { authEventDays: 30 });
    const log = await h.call('GET', '/api/v1/audit-log?action=settings.retention.update');
    assert.deepEqual(log.body.entries[0].details, { authEventDays: 30 });
  });

  test('out of range, wrong type or unknown field -> 400 naming it', async () => {
    const table: [unknown, string][] = [
      [{ authEventDays: 0 }, 'authEventDays'],
      [{ authEventDays: 3651 }, 'authEventDays'],
      [{ authEventDays: 1.5 }, 'authEventDays'],
      [{ authEventDays: '30' }, 'authEventDays'],
      [{}, 'authEventDays'],
      [{ authEventDays: 30, days: 1 }, 'days'],
    ];
    for (const [body, field] of table) {
      const answer = await h.call('PUT', '/api/v1/settings/retention', { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.field, field, JSON.stringify(body));
    }
    assert.deepEqual((await h.call('GET', '/api/v1/settings/retention')).body, { authEventDays: 30 });
  });
});
