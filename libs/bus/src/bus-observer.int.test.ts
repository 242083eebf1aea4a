import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BusError } from '@tollgate/contracts';
import { TEST_BUS_SEAL, TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { MemoryBus, NatsBus, type Bus, type BusObserver, type BusRequestOutcome } from './index.js';

/** The observer (what the launcher's bus metrics count) hears each request's outcome, on both transports. */
const opened: Bus[] = [];
after(async () => {
  for (const bus of opened) await bus.drain();
});

for (const kind of ['nats', 'memory'] as const) {
  test(`${kind}: every request is reported once with its outcome and duration`, async () => {
    const seen: Array<[string, BusRequestOutcome, number]> = [];
    const observer: BusObserver = { requestDone: (subject, outcome, seconds) => seen.push([subject, outcome, seconds]) };
    const server: Bus =
      kind === 'nats' ? await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL }) : new MemoryBus({ observer });
    const client: Bus = kind === 'nats' ? await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL, observer }) : server;
    opened.push(server);
    if (client !== server) opened.push(client);
    const prefix = uniquePrefix(`obs-${kind}`);
    await server.serve({
      name: 'obs',
      version: '1.0.0',
      endpoints: [
        { name: 'ok', subject: `${prefix}.ok`, handler: async () => 'fine' },
        {
          name: 'bad',
          subject: `${prefix}.bad`,
          handler: async () => {
            throw new BusError('bad_request', 'field x is wrong');
          },
        },
        { name: 'slow', subject: `${prefix}.slow`, handler: () => new Promise((r) => setTimeout(() => r('late'), 300)) },
      ],
    });
    assert.equal(await client.request(`${prefix}.ok`, {}, { timeoutMs: 1000 }), 'fine');
    await assert.rejects(client.request(`${prefix}.bad`, {}, { timeoutMs: 1000 }), { code: 'bad_request' });
    await assert.rejects(client.request(`${prefix}.slow`, {}, { timeoutMs: 50 }), { code: 'timeout' });
    await assert.rejects(client.request(`${prefix}.nobody`, {}, { timeoutMs: 1000 }), { code: 'no_responders' });
    assert.deepEqual(
      seen.map(([subject, outcome]) => [subject, outcome]),
      [
        [`${prefix}.ok`, 'ok'],
        [`${prefix}.bad`, 'bad_request'],
        [`${prefix}.slow`, 'timeout'],
        [`${prefix}.nobody`, 'no_responders'],
      ],
    );
    const timeoutSeconds = seen[2]![2];
    assert.ok(timeoutSeconds >= 0.04 && timeoutSeconds < 1, `timeout took ${timeoutSeconds} s`);
  });
}
