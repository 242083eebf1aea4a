import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendWatch, describeFailure, type BackendProbe, type BackendStatus } from './backend-watch.js';

/** A probe whose next answers the test decides: 'ok', an error, or 'hang' (until released). */
function scriptedProbe(check: string, backend: string) {
  let behaviour: 'ok' | 'hang' | Error = 'ok';
  let calls = 0;
  const release: Array<() => void> = [];
  const probe: BackendProbe = {
    check,
    backend,
    run: () => {
      calls++;
      if (behaviour === 'ok') return Promise.resolve();
      if (behaviour === 'hang') return new Promise<void>((resolve) => release.push(resolve));
      return Promise.reject(behaviour);
    },
  };
  return {
    probe,
    set: (b: typeof behaviour) => (behaviour = b),
    calls: () => calls,
    release: () => {
      for (const r of release.splice(0)) r();
    },
  };
}

test('describeFailure: the code, else the first line of the message, else a word', () => {
  assert.equal(describeFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
  assert.equal(describeFailure(new Error('first line\nsecond')), 'first line');
  assert.equal(describeFailure(undefined), 'failed');
  assert.equal(describeFailure({ code: 42, message: '' }), 'failed');
});

test('backend watch: up at start; a failing probe marks it down with the cause; the next answer marks it up', async () => {
  const redis = scriptedProbe('state', 'redis');
  const changes: Array<[string, BackendStatus]> = [];
  const watch = new BackendWatch([redis.probe], { intervalMs: 1000, timeoutMs: 50, onChange: (c, s) => changes.push([c, s]) });
  assert.deepEqual(watch.status().get('state'), { ok: true });
  redis.set(Object.assign(new Error('x'), { code: 'state_unavailable' }));
  await watch.probeAll();
  assert.deepEqual(watch.status().get('state'), { ok: false, cause: 'redis: state_unavailable' });
  await watch.probeAll(); // same cause again: no second change
  redis.set('ok');
  await watch.probeAll();
  assert.deepEqual(watch.status().get('state'), { ok: true });
  assert.deepEqual(
    changes.map(([c, s]) => [c, s.ok]),
    [
      ['state', false],
      ['state', true],
    ],
  );
});

test('backend watch: a probe that does not answer is down after the timeout, and never joined by a second one', async () => {
  const pg = scriptedProbe('database', 'postgresql');
  const watch = new BackendWatch([pg.probe], { intervalMs: 1000, timeoutMs: 40 });
  pg.set('hang');
  const started = performance.now();
  await watch.probeAll();
  assert.ok(performance.now() - started < 500);
  assert.deepEqual(watch.status().get('database'), { ok: false, cause: 'postgresql: no answer within 40 ms' });
  await watch.probeAll();
  await watch.probeAll();
  assert.equal(pg.calls(), 1, 'a stalled backend holds one probe, not one per round');
  assert.equal(watch.status().get('database')?.ok, false);
  pg.set('ok');
  pg.release();
  await new Promise((r) => setImmediate(r));
  await watch.probeAll();
  assert.equal(pg.calls(), 2);
  assert.deepEqual(watch.status().get('database'), { ok: true });
});

test('backend watch: started, it probes every interval by itself', async () => {
  const nats = scriptedProbe('bus', 'nats');
  const watch = new BackendWatch([nats.probe], { intervalMs: 20, timeoutMs: 10 });
  nats.set(new Error('disconnected'));
  watch.start();
  await new Promise((r) => setTimeout(r, 120));
  assert.ok(nats.calls() >= 3, `${nats.calls()} probes`);
  assert.deepEqual(watch.status().get('bus'), { ok: false, cause: 'nats: disconnected' });
  nats.set('ok');
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(watch.status().get('bus'), { ok: true });
  watch.stop();
  const calls = nats.calls();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(nats.calls(), calls, 'stopped, it probes no more');
});
