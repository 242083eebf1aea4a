import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

// A real echo server behind the proxy; every case talks to it through real sockets.
let echo: net.Server;
let proxy: FaultProxy;
const echoed = new Set<net.Socket>();

before(async () => {
  echo = net.createServer((socket) => {
    echoed.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => echoed.delete(socket));
    socket.pipe(socket);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  proxy = await startFaultProxy({ targetPort: (echo.address() as net.AddressInfo).port });
});
after(async () => {
  await proxy.close();
  for (const socket of echoed) socket.destroy();
  await new Promise((r) => echo.close(r));
});

interface Conn {
  socket: net.Socket;
  received: () => string;
  /** Resolves with the error code (or 'closed') once the socket is gone. */
  gone: Promise<string>;
}

async function connect(): Promise<Conn> {
  const socket = net.connect({ port: proxy.port, host: '127.0.0.1' });
  let text = '';
  let code = 'closed';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', (e: NodeJS.ErrnoException) => (code = e.code ?? 'error'));
  const gone = new Promise<string>((resolve) => socket.on('close', () => resolve(code)));
  await once(socket, 'connect');
  return { socket, received: () => text, gone };
}

async function until(check: () => boolean, ms = 1000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('pass: bytes go through both ways', async () => {
  proxy.set('pass');
  const c = await connect();
  c.socket.write('hello');
  assert.ok(await until(() => c.received() === 'hello'), c.received());
  c.socket.destroy();
});

test('stall: nothing moves either way, and what was held is delivered once it passes again', async () => {
  proxy.set('pass');
  const existing = await connect();
  proxy.set('stall');
  existing.socket.write('held-1');
  const fresh = await connect(); // accepted, but stalled from the start
  fresh.socket.write('held-2');
  await settle(200);
  assert.equal(existing.received(), '');
  assert.equal(fresh.received(), '');
  proxy.set('pass');
  assert.ok(await until(() => existing.received() === 'held-1'), existing.received());
  assert.ok(await until(() => fresh.received() === 'held-2'), fresh.received());
  existing.socket.destroy();
  fresh.socket.destroy();
});

test('refuse: open connections are reset, new ones too, until it passes again', async () => {
  proxy.set('pass');
  const open = await connect();
  proxy.set('refuse');
  assert.equal(await open.gone, 'ECONNRESET');
  assert.equal(proxy.stats.open, 0);
  const refused: Conn | string = await connect().catch((e: NodeJS.ErrnoException) => e.code ?? 'error');
  if (typeof refused !== 'string') {
    refused.socket.write('x');
    assert.equal(await refused.gone, 'ECONNRESET');
    assert.equal(refused.received(), '');
  }
  proxy.set('pass');
  const again = await connect();
  again.socket.write('back');
  assert.ok(await until(() => again.received() === 'back'));
  again.socket.destroy();
});

test('cut: the open connections are reset mid-stream; new ones pass without switching back', async () => {
  proxy.set('pass');
  const open = await connect();
  open.socket.write('before');
  assert.ok(await until(() => open.received() === 'before'));
  proxy.set('cut');
  assert.equal(await open.gone, 'ECONNRESET');
  assert.equal(proxy.mode, 'pass');
  const next = await connect();
  next.socket.write('after');
  assert.ok(await until(() => next.received() === 'after'));
  next.socket.destroy();
});
