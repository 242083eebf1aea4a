import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BusError } from '@tollgate/contracts';
import { TEST_BUS_SEAL, TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { MemoryBus, NatsBus, type Bus } from './index.js';

// Each transport gets the same contract tests: the embedded install must behave like NATS.
const transports: Array<[string, () => Promise<[Bus, Bus]>]> = [
  [
    'nats',
    async () => [
      await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL }),
      await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL }),
    ],
  ],
  [
    'memory',
    async () => {
      const bus = new MemoryBus();
      return [bus, bus];
    },
  ],
];

const opened: Bus[] = [];
after(async () => {
  for (const bus of opened) await bus.drain();
});

for (const [kind, open] of transports) {
  const [server, client] = await open();
  opened.push(server, client);
  const prefix = uniquePrefix(kind);

  test(`${kind}: request/reply through a versioned service`, async () => {
    await server.serve({
      name: 'echo',
      version: '1.0.0',
      endpoints: [{ name: 'echo', subject: `${prefix}.echo`, handler: async (p) => ({ got: p }) }],
    });
    assert.deepEqual(await client.request(`${prefix}.echo`, { a: 1 }, { timeoutMs: 1000 }), { got: { a: 1 } });
  });

  test(`${kind}: a queue group answers each request exactly once`, async () => {
    const seen: string[] = [];
    for (const id of ['r1', 'r2']) {
      await server.serve({
        name: 'qg',
        version: '1.0.0',
        endpoints: [
          {
            name: 'qg',
            subject: `${prefix}.qg`,
            handler: async () => {
              seen.push(id);
              return id;
            },
          },
        ],
      });
    }
    const replies = await Promise.all(Array.from({ length: 40 }, () => client.request<string>(`${prefix}.qg`, null, { timeoutMs: 1000 })));
    assert.equal(seen.length, 40);
    assert.deepEqual(new Set(replies), new Set(seen));
  });

  test(`${kind}: errors cross as codes, without stacks`, async () => {
    await server.serve({
      name: 'fails',
      version: '1.0.0',
      endpoints: [
        {
          name: 'bad',
          subject: `${prefix}.bad`,
          handler: async () => {
            throw new BusError('bad_request', 'upn: required');
          },
        },
        {
          name: 'boom',
          subject: `${prefix}.boom`,
          handler: async () => {
            throw new Error('secret detail at /src/x.ts:1');
          },
        },
        { name: 'slow', subject: `${prefix}.slow`, handler: () => new Promise((r) => setTimeout(() => r('late'), 300)) },
      ],
    });
    await assert.rejects(
      client.request(`${prefix}.bad`, {}, { timeoutMs: 1000 }),
      (e: unknown) => e instanceof BusError && e.code === 'bad_request' && e.message === 'upn: required',
    );
    await assert.rejects(
      client.request(`${prefix}.boom`, {}, { timeoutMs: 1000 }),
      (e: unknown) => e instanceof BusError && e.code === 'internal' && !e.message.includes('secret'),
    );
    const started = Date.now();
    await assert.rejects(client.request(`${prefix}.slow`, {}, { timeoutMs: 100 }), { code: 'timeout' });
    assert.ok(Date.now() - started < 280);
    await assert.rejects(client.request(`${prefix}.nobody`, {}, { timeoutMs: 500 }), { code: 'no_responders' });
  });

  test(`${kind}: service discovery lists each served replica with its request count, until it stops`, async () => {
    const name = `disc-${kind}-${Math.random().toString(36).slice(2, 10)}`;
    const served = await Promise.all(
      ['a', 'b'].map((replica) =>
        server.serve({
          name,
          version: '2.1.0',
          endpoints: [
            {
              name: 'work',
              subject: `${prefix}.disc`,
              handler: async (p) => {
                if ((p as { fail?: boolean }).fail) throw new BusError('bad_request', 'no');
                return { replica };
              },
            },
          ],
        }),
      ),
    );
    await client.request(`${prefix}.disc`, {}, { timeoutMs: 1000 });
    await client.request(`${prefix}.disc`, { fail: true }, { timeoutMs: 1000 }).catch(() => undefined);
    const mine = (await client.replicas!(500)).filter((r) => r.name === name);
    assert.equal(mine.length, 2);
    assert.ok(mine.every((r) => r.version === '2.1.0' && typeof r.id === 'string' && r.id.length > 0 && r.startedAt !== null));
    assert.equal(new Set(mine.map((r) => r.id)).size, 2, 'each replica has its own id');
    assert.equal(
      mine.reduce((n, r) => n + r.requests, 0),
      2,
    );
    await Promise.all(served.map((s) => s.stop()));
    assert.deepEqual(
      (await client.replicas!(500)).filter((r) => r.name === name),
      [],
    );
  });

  test(`${kind}: events fan out to every subscriber`, async () => {
    const got: unknown[] = [];
    const off1 = client.subscribe(`${prefix}.ev`, (p) => got.push(['a', p]));
    const off2 = server.subscribe(`${prefix}.ev`, (p) => got.push(['b', p]));
    if (kind === 'nats') await (client as NatsBus).connection.flush();
    if (kind === 'nats') await (server as NatsBus).connection.flush();
    server.publish(`${prefix}.ev`, { kind: 'all' });
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    off1();
    off2();
    assert.deepEqual(got.sort(), [
      ['a', { kind: 'all' }],
      ['b', { kind: 'all' }],
    ]);
  });
}

test('drain lets in-flight requests finish, then refuses new ones', async () => {
  for (const [, open] of transports) {
    const [server, client] = await open();
    const subjectName = `${uniquePrefix('drain')}.work`;
    await server.serve({
      name: 'drain',
      version: '1.0.0',
      endpoints: [{ name: 'work', subject: subjectName, handler: () => new Promise((r) => setTimeout(() => r('done'), 150)) }],
    });
    const pending = client.request(subjectName, null, { timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 30));
    await server.drain();
    assert.equal(await pending, 'done');
    if (client !== server) {
      await assert.rejects(
        client.request(subjectName, null, { timeoutMs: 300 }),
        (e: unknown) => e instanceof BusError && ['no_responders', 'timeout'].includes(e.code),
      );
      await client.drain();
    }
  }
});

test('stopping one served service hands new requests to the other replica and lets its own finish', async () => {
  for (const [kind, open] of transports) {
    const [server, client] = await open();
    const other = kind === 'nats' ? await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL }) : server;
    const subjectName = `${uniquePrefix('handoff')}.work`;
    const leaving = await server.serve({
      name: 'handoff',
      version: '1.0.0',
      endpoints: [{ name: 'work', subject: subjectName, handler: () => new Promise((r) => setTimeout(() => r('leaving'), 150)) }],
    });
    // Only the leaving replica exists when the first request goes out.
    const held = client.request(subjectName, null, { timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 30));
    await other.serve({
      name: 'handoff',
      version: '1.0.0',
      endpoints: [{ name: 'work', subject: subjectName, handler: async () => 'staying' }],
    });
    await leaving.stop();
    assert.equal(await held, 'leaving', `${kind}: the request in hand was answered`);
    const after = await Promise.all(Array.from({ length: 10 }, () => client.request(subjectName, null, { timeoutMs: 1000 })));
    assert.deepEqual(new Set(after), new Set(['staying']), `${kind}: every new request went to the other replica`);
    for (const bus of new Set([server, client, other])) await bus.drain();
  }
});
