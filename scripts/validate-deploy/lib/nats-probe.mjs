/**
 * The live check of the NATS permissions: each service connects as its own user through the
 * launcher's own connection code (loadProcessConfig + natsOptions, so NATS_USER/NATS_PASSWORD,
 * NATS_NKEY_SEED_FILE and NATS_TLS_* are exercised as a deployment sets them) and the real NatsBus,
 * then (1) the whole request path works — gateway -> aggregator -> the three verifiers, admin-api ->
 * entra-verifier and ldap-verifier tests, admin-api's config event reaching every other service — with no permission
 * error, including the services framework's $SRV subscriptions; and (2) every publish or subscribe
 * a service must not do is refused by the server (a gateway cannot ask a verifier directly, only
 * the entra-verifier can read passwords on verify.entra and only the ldap-verifier on verify.ldap,
 * only admin-api (and the ldap-verifier, for a user's synced LDAP groups) can announce config
 * changes, nobody can answer into another's inbox). Anonymous and wrong-password connections fail.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVICES, SUBJECT_PREFIX } from './tollgate-facts.mjs';

const S = (name) => `${SUBJECT_PREFIX}.${name}`;
const DECIDE = S('auth.v1.decide');
const VERIFY_OTP = S('auth.v1.verify.otp');
const VERIFY_ENTRA = S('auth.v1.verify.entra');
const TEST_ENTRA = S('admin.v1.entra.test');
const VERIFY_LDAP = S('auth.v1.verify.ldap');
const TEST_LDAP = S('admin.v1.ldap.test');
const CONFIG_CHANGED = S('events.v1.config.changed');
const PORTAL_SETTINGS = S('portal.v1.settings');

/** What each service must NOT be able to do (publish / subscribe). */
export const FORBIDDEN = {
  'radius-gateway': {
    publish: [VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_ENTRA, TEST_LDAP, CONFIG_CHANGED, '_INBOX.probe', '$SRV.PING'],
    subscribe: [PORTAL_SETTINGS, DECIDE, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_ENTRA, '>'],
  },
  aggregator: {
    publish: [DECIDE, TEST_ENTRA, TEST_LDAP, CONFIG_CHANGED, '_INBOX.probe', '$SRV.PING'],
    subscribe: [PORTAL_SETTINGS, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_ENTRA, '>'],
  },
  'otp-verifier': {
    publish: [DECIDE, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, CONFIG_CHANGED, '_INBOX.probe', '$SRV.PING'],
    subscribe: [PORTAL_SETTINGS, DECIDE, VERIFY_ENTRA, VERIFY_LDAP, '_INBOX.>', '>'],
  },
  'entra-verifier': {
    publish: [DECIDE, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_ENTRA, CONFIG_CHANGED, '_INBOX.probe', '$SRV.PING'],
    subscribe: [PORTAL_SETTINGS, DECIDE, VERIFY_OTP, VERIFY_LDAP, TEST_LDAP, '_INBOX.>', '>'],
  },
  'ldap-verifier': {
    publish: [DECIDE, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_LDAP, '_INBOX.probe', '$SRV.PING'],
    subscribe: [PORTAL_SETTINGS, DECIDE, VERIFY_OTP, VERIFY_ENTRA, TEST_ENTRA, '_INBOX.>', '>'],
  },
  'admin-api': {
    publish: [DECIDE, VERIFY_OTP, VERIFY_LDAP, '_INBOX.probe', '$SRV.PING'],
    subscribe: [DECIDE, VERIFY_OTP, VERIFY_ENTRA, VERIFY_LDAP, TEST_ENTRA, TEST_LDAP, CONFIG_CHANGED, '>'],
  },
};

async function loadRuntime(root) {
  const load = (file) => import(pathToFileURL(path.join(root, file)).href);
  const [{ loadProcessConfig }, { natsOptions }, { NatsBus }, { BusSeal, Keyring }, nats] = await Promise.all([
    load('libs/launcher/dist/process-config.js'),
    load('libs/launcher/dist/build-context.js'),
    load('libs/bus/dist/index.js'),
    load('libs/security/dist/index.js'),
    import(pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('nats')).href),
  ]);
  if (
    typeof loadProcessConfig !== 'function' ||
    typeof natsOptions !== 'function' ||
    typeof NatsBus?.connect !== 'function' ||
    typeof BusSeal?.fromKeyring !== 'function'
  ) {
    throw new Error(
      'the launcher no longer exports loadProcessConfig/natsOptions, the bus NatsBus or security BusSeal: update scripts/validate-deploy/lib/nats-probe.mjs',
    );
  }
  return { loadProcessConfig, natsOptions, NatsBus, BusSeal, Keyring, nats };
}

/** Waits until `done()` holds or `ms` passed (events from the server arrive asynchronously). */
async function until(done, ms = 3000) {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

const within = (ms, promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

/**
 * `environments`: service -> the NATS_* variables a deployment gives it. `url`: the server.
 * Returns a list of problems (empty when everything holds) and a count of checks.
 */
export async function probeNatsPermissions(root, { url, environments, tlsRequired = false }) {
  const { loadProcessConfig, natsOptions, NatsBus, BusSeal, Keyring, nats } = await loadRuntime(root);
  const problems = [];
  let checks = 0;
  const base = {
    DATABASE_URL: 'postgres://probe@127.0.0.1/probe',
    REDIS_URL: 'redis://127.0.0.1:6379',
    TOLLGATE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  };
  const optionsFor = async (env) => ({
    ...(await natsOptions(loadProcessConfig({ ...base, NATS_URL: url, ...env }))),
    maxReconnectAttempts: 0,
    timeout: 5000,
  });
  const buses = {};
  const violations = {};
  // One installation's bus seal, as every service derives it from the same master key.
  const seal = BusSeal.fromKeyring(Keyring.fromBase64(base.TOLLGATE_MASTER_KEY));
  try {
    for (const service of SERVICES) {
      buses[service] = await NatsBus.connect(
        { ...(await optionsFor(environments[service])), name: `validate-deploy-${service}` },
        { seal },
      );
      violations[service] = [];
      void (async () => {
        for await (const status of buses[service].connection.status()) {
          if (status.data === 'PERMISSIONS_VIOLATION')
            violations[service].push(
              `${status.permissionContext?.operation === 'publish' ? 'publish' : 'subscribe'} ${status.permissionContext?.subject}`,
            );
        }
      })();
    }
    checks += SERVICES.length;

    // Who may not connect at all.
    const refused = async (label, options) => {
      checks++;
      try {
        const nc = await nats.connect({ ...options, maxReconnectAttempts: 0, timeout: 3000 });
        await nc.close();
        problems.push(`${label}: the server accepted the connection`);
      } catch {
        // refused, as it must be
      }
    };
    const anyTls = await optionsFor({});
    await refused('anonymous connection', anyTls);
    await refused('wrong password for radius-gateway', { ...anyTls, user: 'radius-gateway', pass: 'not-the-password' });
    if (tlsRequired)
      await refused('plain (non-TLS) connection to a TLS-only server', {
        servers: url.replace(/^tls:/, 'nats:'),
        user: 'radius-gateway',
        pass: environments['radius-gateway'].NATS_PASSWORD,
        tls: null,
      });

    // The request path, as the services use it.
    const heard = Object.fromEntries(SERVICES.filter((s) => s !== 'admin-api').map((s) => [s, []]));
    for (const service of Object.keys(heard)) buses[service].subscribe(CONFIG_CHANGED, (event) => heard[service].push(event));
    await buses['otp-verifier'].serve({
      name: 'otp-verifier',
      version: '1.0.0',
      endpoints: [{ name: 'verifyOtp', subject: VERIFY_OTP, handler: async () => ({ outcome: 'valid' }) }],
    });
    await buses['entra-verifier'].serve({
      name: 'entra-verifier',
      version: '1.0.0',
      endpoints: [
        { name: 'verify', subject: VERIFY_ENTRA, handler: async () => ({ outcome: 'password_ok_mfa' }) },
        { name: 'test', subject: TEST_ENTRA, handler: async () => ({ outcome: 'password_ok_mfa', test: true }) },
      ],
    });
    await buses['ldap-verifier'].serve({
      name: 'ldap-verifier',
      version: '1.0.0',
      endpoints: [
        { name: 'verify', subject: VERIFY_LDAP, handler: async () => ({ outcome: 'password_ok' }) },
        { name: 'test', subject: TEST_LDAP, handler: async () => ({ outcome: 'password_ok', test: true }) },
      ],
    });
    await buses.aggregator.serve({
      name: 'aggregator',
      version: '1.0.0',
      endpoints: [
        {
          name: 'decide',
          subject: DECIDE,
          handler: async () => {
            const [otp, entra, ldap] = await Promise.all([
              buses.aggregator.request(VERIFY_OTP, { probe: true }, { timeoutMs: 3000 }),
              buses.aggregator.request(VERIFY_ENTRA, { probe: true }, { timeoutMs: 3000 }),
              buses.aggregator.request(VERIFY_LDAP, { probe: true }, { timeoutMs: 3000 }),
            ]);
            const proven = entra.outcome === 'password_ok_mfa' && ldap.outcome === 'password_ok';
            return { decision: otp.outcome === 'valid' && proven ? 'accept' : 'reject' };
          },
        },
      ],
    });
    // Subscriptions of one connection are in place for another only once the server has them.
    await Promise.all(SERVICES.map((s) => buses[s].connection.flush()));
    const expectAnswer = async (label, promise, check) => {
      checks++;
      try {
        const answer = await within(5000, promise, label);
        if (!check(answer)) problems.push(`${label}: unexpected answer ${JSON.stringify(answer)}`);
      } catch (error) {
        problems.push(`${label}: ${error.message}`);
      }
    };
    await expectAnswer(
      'radius-gateway asks the aggregator, which asks the verifiers',
      buses['radius-gateway'].request(DECIDE, { probe: true }, { timeoutMs: 5000 }),
      (a) => a?.decision === 'accept',
    );
    await expectAnswer(
      'admin-api asks the entra-verifier to test the settings',
      buses['admin-api'].request(TEST_ENTRA, { probe: true }, { timeoutMs: 5000 }),
      (a) => a?.test === true,
    );
    await expectAnswer(
      'admin-api asks the ldap-verifier to test the settings',
      buses['admin-api'].request(TEST_LDAP, { probe: true }, { timeoutMs: 5000 }),
      (a) => a?.test === true,
    );
    buses['ldap-verifier'].publish(CONFIG_CHANGED, { kind: 'users', key: 'probe@example.com' });
    buses['admin-api'].publish(CONFIG_CHANGED, { kind: 'all' });
    await Promise.all(SERVICES.map((s) => buses[s].connection.flush()));
    await until(() => Object.values(heard).every((events) => events.some((e) => e?.kind === 'all')));
    for (const [service, events] of Object.entries(heard)) {
      checks++;
      if (!events.some((e) => e?.kind === 'all')) problems.push(`${service} did not hear admin-api's config event`);
    }
    for (const service of SERVICES) {
      if (violations[service].length) problems.push(`${service}: the server refused what its code does: ${violations[service].join('; ')}`);
      violations[service].length = 0;
    }

    // What each service must not do.
    for (const [service, forbidden] of Object.entries(FORBIDDEN)) {
      const nc = buses[service].connection;
      for (const subject of forbidden.publish) nc.publish(subject, new Uint8Array([123, 125]));
      for (const subject of forbidden.subscribe) nc.subscribe(subject);
    }
    await Promise.all(SERVICES.map((s) => buses[s].connection.flush().catch(() => undefined)));
    const expected = Object.values(FORBIDDEN).reduce((n, f) => n + f.publish.length + f.subscribe.length, 0);
    await until(() => Object.values(violations).reduce((n, v) => n + v.length, 0) >= expected);
    for (const [service, forbidden] of Object.entries(FORBIDDEN)) {
      for (const [operation, subjects] of Object.entries(forbidden)) {
        for (const subject of subjects) {
          checks++;
          if (!violations[service].includes(`${operation} ${subject}`))
            problems.push(`${service} may ${operation} ${subject}, which it must not`);
        }
      }
    }
  } catch (error) {
    problems.push(`probe failed: ${error.message}`);
  } finally {
    await Promise.all(Object.values(buses).map((bus) => bus.drain().catch(() => undefined)));
  }
  return { problems, checks };
}
