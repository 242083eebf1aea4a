import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  encodeAccessRequest,
  freeTcpPort,
  freeUdpPort,
  oathtoolTotp,
  radclient,
  radiusPackage,
  RawRadiusSocket,
  startEntraStandIn,
  type TollgateProcess,
} from '@tollgate/testkit';
import { AdminClient } from './admin-client.js';
import { bannerToken, startEmbeddedProcess, waitForLine } from './embedded-stack.js';

/**
 * The README's promise, end to end: `make run` on an empty directory (no NATS, PostgreSQL, Redis,
 * key or token given), provision through the admin API, log in with radclient and an oathtool code,
 * stop with Ctrl-C, start again: everything is still there, the old code stays used (even when the
 * exact datagram that used it is replayed from its source port within the first claim's 30 s), a
 * new one works. Then a hard kill: nothing committed is lost and the stale lock is taken over.
 */
const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-restart-'));
const dataDir = path.join(dir, 'data');
const entra = await startEntraStandIn();
const [radiusPort, adminPort] = [await freeUdpPort(), await freeTcpPort()];
const running: TollgateProcess[] = [];
// A NAS whose socket outlives the restarts: a resend from it has the same source port.
const nas = new RawRadiusSocket();
after(async () => {
  nas.close();
  for (const proc of running) await proc.stop('SIGKILL');
  await entra.close();
  await rm(dir, { recursive: true, force: true });
});

const start = async () => {
  // ADMIN_BIND unset, as `make run` has it: the one-box default (loopback) applies.
  const proc = await startEmbeddedProcess({ cwd: dir, radiusPort, adminPort, env: { ADMIN_BIND: undefined } });
  running.push(proc);
  return proc;
};
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

const UPN = 'rita@contoso.com';
const PASSWORD = `Pw-${randomBytes(6).toString('base64url')}!`;
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;
const auth = (typed: string) =>
  radclient({
    port: radiusPort,
    secret: RADIUS_SECRET,
    attributes: { 'User-Name': UPN, 'User-Password': typed, 'NAS-Identifier': 'vpn-1' },
    timeoutSec: 4,
    retries: 1,
  });

/** Sends one request and returns the auth-log reason it produced (the log is written in batches). */
async function authWithReason(admin: AdminClient, typed: string): Promise<{ code: string; raw: string; reason: string | undefined }> {
  return withReason(admin, () => auth(typed));
}

/** Sends exactly these bytes from the NAS socket; the answer's code, or 'timeout'. */
async function sendRaw(packet: Buffer): Promise<{ code: string; raw: string }> {
  const answer = await nas.send(radiusPort, packet, 4000);
  return answer
    ? { code: radiusPackage.decode({ packet: answer, secret: RADIUS_SECRET }).code, raw: answer.toString('hex') }
    : { code: 'timeout', raw: '' };
}

async function withReason(
  admin: AdminClient,
  send: () => Promise<{ code: string; raw: string }>,
): Promise<{ code: string; raw: string; reason: string | undefined }> {
  const before = (await admin.reasons(UPN, 100)).length;
  const reply = await send();
  for (let i = 0; i < 100; i++) {
    const reasons = await admin.reasons(UPN, 100);
    if (reasons.length > before) return { code: reply.code, raw: reply.raw, reason: reasons[0] };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { code: reply.code, raw: reply.raw, reason: undefined };
}

test('first start, provision, accept; restart keeps everything, the old code stays used; a hard kill loses nothing', async () => {
  // First start on an empty directory: it creates what a secure install needs and says so once.
  const first = await start();
  const token = await bannerToken(first);
  const banner = first.output.join('\n');
  assert.match(banner, new RegExp(`RADIUS +udp 127\\.0\\.0\\.1:${radiusPort}`));
  assert.match(banner, new RegExp(`Admin API +http://127\\.0\\.0\\.1:${adminPort}/api/v1`));
  assert.match(banner, new RegExp(`\\(listening on 127\\.0\\.0\\.1:${adminPort}, this machine only; ADMIN_BIND opens it\\)`));
  assert.match(banner, /Bus +in-process \(embedded/);
  assert.match(banner, /Database +embedded PostgreSQL \(PGlite\)/);
  assert.match(banner, /State +process memory \(embedded/);
  assert.ok(banner.includes(`Data dir     ${dataDir}`), 'the default data directory is ./data');
  assert.match(banner, /master\.key \(created now, mode 0600/);
  assert.equal(await modeOf(path.join(dataDir, 'master.key')), 0o600);
  assert.equal(await modeOf(path.join(dataDir, 'admin-token.sha256')), 0o600);
  assert.equal(await modeOf(dataDir), 0o700);
  assert.ok(!(await readFile(path.join(dataDir, 'admin-token.sha256'), 'utf8')).includes(token), 'only a hash of the token is at rest');
  const key = (await readFile(path.join(dataDir, 'master.key'), 'utf8')).trim();

  // Provision: Entra (the stand-in), a RADIUS client, a user with a generated TOTP seed.
  const admin = new AdminClient(`http://127.0.0.1:${adminPort}`, token);
  await admin.useEntraStandIn(entra, 'contoso.com');
  await admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 7, otpLockoutSeconds: 120, passwordMaxFailures: 4 });
  await admin.call('POST', '/api/v1/radius-clients', { name: 'vpn-1', address: '127.0.0.1', secret: RADIUS_SECRET });
  entra.setUser(UPN, { password: PASSWORD, kind: 'mfa' });
  await admin.call('POST', '/api/v1/users', { username: UPN, displayName: 'Rita' });
  const { secret: seed } = await admin.call<{ secret: string }>('POST', `/api/v1/users/${UPN}/totp`, {});
  const oldCode = await oathtoolTotp({ base32Secret: seed, digits: 6, period: 30, algorithm: 'SHA1', atMs: Date.now() });
  // The login a bystander captures: these exact bytes, from the NAS's socket.
  const captured = encodeAccessRequest({ secret: RADIUS_SECRET, identifier: 42, username: UPN, password: PASSWORD + oldCode });
  const acceptedAt = Date.now();
  const accepted = await sendRaw(captured);
  assert.equal(accepted.code, 'Access-Accept', accepted.raw);

  // Ctrl-C: a clean stop, and the lock is gone.
  assert.equal(await first.stop('SIGINT'), 0, first.output.join('\n'));
  await assert.rejects(stat(path.join(dataDir, 'tollgate.lock')), /ENOENT/);

  // Second start: same key, no new token printed, everything kept.
  const second = await start();
  const again = second.output.join('\n');
  assert.ok(!again.includes('ADMIN_API_TOKEN=') && !again.includes(token), 'the second start prints no token');
  assert.match(again, /Admin token +the one printed on the first start/);
  assert.ok(!again.includes('created now'));
  assert.equal((await readFile(path.join(dataDir, 'master.key'), 'utf8')).trim(), key);
  assert.deepEqual(await admin.call('GET', '/api/v1/settings/policy'), {
    otpMaxFailures: 7,
    otpLockoutSeconds: 120,
    passwordMaxFailures: 4,
    sourceMaxFailures: 20,
    passwordFailureWindowSeconds: 900,
    verificationOrder: 'parallel',
    challengeTtlSeconds: 120,
  });
  const user = await admin.call<{ enabled: boolean; token: { digits: number } | null }>('GET', `/api/v1/users/${UPN}`);
  assert.equal(user.enabled, true);
  assert.equal(user.token?.digits, 6);
  const { clients } = await admin.call<{ clients: Array<{ name: string }> }>('GET', '/api/v1/radius-clients');
  assert.deepEqual(
    clients.map((c) => c.name),
    ['vpn-1'],
  );

  // The captured datagram replayed from the same source port: the restart emptied the in-memory
  // retransmission cache, so it is decided again, and docs/embedded-mode.md promises that the code
  // is then refused as used, even within 30 s of its claim (where a re-run may re-claim its step).
  const replayedDatagram = await withReason(admin, () => sendRaw(captured));
  assert.ok(Date.now() - acceptedAt < 30_000, "the replay came within the first claim's 30 s, so only the restart rule refused it");
  assert.equal(replayedDatagram.code, 'Access-Reject', 'a captured datagram replayed after a restart is refused');
  assert.equal(replayedDatagram.reason, 'otp.replayed');
  const replay = await authWithReason(admin, PASSWORD + oldCode);
  assert.equal(replay.code, 'Access-Reject', 'a used code stays used across a restart');
  assert.equal(replay.reason, 'otp.replayed');
  const newCode = await oathtoolTotp({ base32Secret: seed, digits: 6, period: 30, algorithm: 'SHA1', atMs: Date.now() + 30_000 });
  const fresh = await auth(PASSWORD + newCode);
  assert.equal(fresh.code, 'Access-Accept', fresh.raw);

  // A hard kill (no clean stop): committed data survives and the stale lock is taken over.
  await second.stop('SIGKILL');
  const third = await start();
  await waitForLine(third, /^\s+Note +the previous run \(pid \d+\) did not stop cleanly/);
  const afterKill = await authWithReason(admin, PASSWORD + newCode);
  assert.equal(afterKill.code, 'Access-Reject', 'the code accepted before the kill stays used');
  assert.equal(afterKill.reason, 'otp.replayed');
  assert.equal(await third.stop('SIGTERM'), 0);

  // No secret in any output, and the token only in the one banner line of the first start.
  const everything = [...first.output, ...second.output, ...third.output].join('\n');
  for (const secret of [seed, PASSWORD, oldCode, newCode, RADIUS_SECRET, key])
    assert.ok(!everything.includes(secret), `a secret leaked (length ${secret.length})`);
  assert.equal(everything.split(token).length - 1, 1);
});
