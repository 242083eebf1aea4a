import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { startSyslogUdpReceiver } from '@tollgate/testkit';
import { parseRfc5424 } from './parse-rfc5424.js';
import { SyslogSender } from './syslog-sender.js';

const event = {
  requestId: 'r-1',
  username: 'alice',
  upn: 'alice@contoso.com',
  client: 'vpn-1',
  clientAddress: '127.0.0.1',
  decision: 'reject' as const,
  reason: 'otp.invalid',
  latencyMs: 7,
};

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A stream collector that splits octet-counted frames (RFC 6587 3.4.1) strictly. */
function frameReader(onMessage: (text: string) => void) {
  return (socket: Socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const lengthText = buffer.subarray(0, space).toString('ascii');
        assert.match(lengthText, /^[1-9][0-9]*$/, 'MSG-LEN');
        const length = Number(lengthText);
        if (buffer.length < space + 1 + length) return;
        onMessage(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
    socket.on('error', () => undefined);
  };
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('UDP: every message arrives as one RFC 5424 datagram a collector can parse', async () => {
  const receiver = await startSyslogUdpReceiver();
  const sender = new SyslogSender({ host: '127.0.0.1', port: receiver.port, protocol: 'udp', facility: 'authpriv', hostname: 'gw-1' });
  sender.start();
  try {
    sender.decision(event);
    sender.adminChange({
      actor: 'api-token',
      action: 'user.update',
      target: 'alice@contoso.com',
      details: { enabled: false, changed: ['enabled'] },
    });
    const [decision, admin] = await receiver.waitFor((m) => m.length >= 2);
    const d = parseRfc5424(decision!);
    assert.deepEqual(
      [d.facility, d.severity, d.version, d.hostname, d.appName, d.procId, d.msgId],
      [10, 5, 1, 'gw-1', 'tollgate', String(process.pid), 'decision'],
    );
    assert.ok(Math.abs(Date.parse(d.timestamp!) - Date.now()) < 5000);
    assert.equal(d.structuredData['decision@32473']!.reason, 'otp.invalid');
    const a = parseRfc5424(admin!);
    assert.equal(a.msgId, 'admin');
    assert.deepEqual(a.structuredData['admin@32473'], {
      actor: 'api-token',
      action: 'user.update',
      target: 'alice@contoso.com',
      enabled: 'false',
      changed: 'enabled',
    });
    assert.deepEqual({ ...sender.stats(), connected: undefined }, { sent: 2, dropped: 0, failed: 0, queued: 0, connected: undefined });
  } finally {
    await sender.close();
    await receiver.close();
  }
});

test('TCP: octet-counted frames; messages wait while the collector is away and go out when it is back', async () => {
  const received: string[] = [];
  const collector = () => {
    const sockets = new Set<Socket>();
    const read = frameReader((m) => received.push(m));
    const server = createServer((socket) => {
      sockets.add(socket);
      read(socket);
    });
    return {
      server,
      cut: () => {
        for (const s of sockets) s.destroy();
      },
    };
  };
  const first = collector();
  const port = await listen(first.server);
  const sender = new SyslogSender({ host: '127.0.0.1', port, protocol: 'tcp', facility: 'local0' });
  sender.start();
  let second: ReturnType<typeof collector> | undefined;
  try {
    for (let i = 0; i < 50; i++) sender.decision({ ...event, requestId: `r-${i}` });
    await until(() => received.length === 50);
    assert.deepEqual(
      received.map((m) => parseRfc5424(m).structuredData['decision@32473']!.requestId),
      Array.from({ length: 50 }, (_, i) => `r-${i}`),
    );
    assert.equal(parseRfc5424(received[0]!).facility, 16);

    // The collector restarts: the connection drops, messages queue, the sender reconnects.
    const closed = new Promise<void>((resolve) => first.server.close(() => resolve()));
    first.cut();
    await closed;
    await until(() => !sender.stats().connected);
    sender.decision({ ...event, requestId: 'while-away' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sender.stats().queued, 1);
    second = collector();
    await listen(second.server, port);
    await until(() => received.length === 51, 10_000);
    assert.equal(parseRfc5424(received[50]!).structuredData['decision@32473']!.requestId, 'while-away');
  } finally {
    await sender.close();
    for (const c of [first, second]) {
      if (!c?.server.listening) continue;
      c.cut();
      await new Promise<void>((resolve) => c.server.close(() => resolve()));
    }
  }
});

test('a full queue drops and counts instead of growing or blocking', async () => {
  // Nothing listens on this port: TCP never connects, so everything stays queued.
  const probe = createServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const sender = new SyslogSender({ host: '127.0.0.1', port, protocol: 'tcp', facility: 'authpriv', queueMax: 10 });
  sender.start();
  const started = performance.now();
  for (let i = 0; i < 1000; i++) sender.decision(event);
  const elapsedMs = performance.now() - started;
  assert.deepEqual({ queued: sender.stats().queued, dropped: sender.stats().dropped }, { queued: 10, dropped: 990 });
  assert.ok(elapsedMs < 250, `1000 sends took ${elapsedMs} ms`);
  await sender.close(100);
  assert.equal(sender.stats().dropped, 1000, 'what never left is counted as dropped at close');
});

test("TLS: the collector's certificate is checked against SYSLOG_TLS_CA_FILE and frames arrive", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-syslog-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(path.join(dir, 'cert.pem'));
  const received: string[] = [];
  const server = createTlsServer(
    { key: readFileSync(path.join(dir, 'key.pem')), cert },
    frameReader((m) => received.push(m)),
  );
  const port = await listen(server as unknown as Server);
  const trusted = new SyslogSender({ host: 'localhost', port, protocol: 'tls', facility: 'authpriv', ca: cert });
  const untrusted = new SyslogSender({ host: 'localhost', port, protocol: 'tls', facility: 'authpriv' });
  trusted.start();
  untrusted.start();
  try {
    trusted.decision(event);
    untrusted.decision({ ...event, requestId: 'must-not-arrive' });
    await until(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(received.length, 1);
    assert.equal(parseRfc5424(received[0]!).structuredData['decision@32473']!.requestId, 'r-1');
    assert.equal(untrusted.stats().connected, false, 'a certificate from an unknown CA is refused');
  } finally {
    await trusted.close(200);
    await untrusted.close(50);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
