/**
 * The console's configuration and log pages in a real browser (Debian's Chromium through
 * playwright-core) against a real admin API on a fresh PostgreSQL database: an admin adds, edits
 * and deletes a RADIUS client; imports an OATH CSV with one bad line (reported, nothing imported)
 * and then with "import the good lines"; filters the auth log and exports it as CSV; creates an
 * API token that is shown once; changes the policy (errors beside their fields); manages admin
 * accounts; reads the audit log; edits a group's policy and members. Helpdesk sees none of these but the auth log and the API refuses
 * them; an auditor sees every page with no button that changes anything. Every page visited is
 * screenshot and checked by axe-core.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { radiusClientSecretContext } from '@tollgate/contracts';
import { adminAccounts, authEvents, radiusClients, tokens, type AuthEvent } from '@tollgate/store';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { startHarness, type Harness } from './testing/admin-api-harness.js';
import { CONSOLE_PASSWORD as PASSWORD, createConsoleAccounts, signInToDashboard as signIn } from './testing/console-accounts.js';

const NAS_SECRET = 'nas-shared-secret-0123456789';
const GOOD_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CSV = [
  'upn,serial number,secret key,time interval,manufacturer,model',
  `good@contoso.com,HW-1,${GOOD_SEED},30,Contoso,HardwareKey`,
  'bad@contoso.com,HW-2,not-base32!,30,Contoso,HardwareKey',
  '',
].join('\n');
const CHANGING = /add|enrol|disable|enable|delete|reset|remove|save|create|revoke|import|edit|test/i;
const ALL_PAGES = [
  'Dashboard',
  'Users',
  'Groups',
  'Auth log',
  'RADIUS clients',
  'Entra ID',
  'Policy',
  'Self-service portal',
  'Token import',
  'Audit log',
  'Admins',
  'API tokens',
];

function event(minutesAgo: number, username: string, decision: AuthEvent['decision'], reason: string, clientName: string): AuthEvent {
  return {
    at: new Date(Date.now() - minutesAgo * 60_000),
    requestId: `pages-${minutesAgo}`,
    username,
    upn: username.includes('@') ? username : null,
    clientName,
    clientAddress: clientName === 'vpn-1' ? '192.0.2.10' : '192.0.2.20',
    decision,
    reason,
    aadsts: null,
    latencyMs: 20 + minutesAgo,
  };
}

const nav = (visitor: ConsoleVisitor) => visitor.page.getByRole('navigation', { name: 'Main' });
const navLinks = (visitor: ConsoleVisitor) => nav(visitor).getByRole('link').allInnerTexts();

async function open(visitor: ConsoleVisitor, link: string, heading: string): Promise<void> {
  await nav(visitor).getByRole('link', { name: link, exact: true }).click();
  await visitor.page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
}

describe('admin console configuration and log pages in a browser', () => {
  let h: Harness;
  let admin: ConsoleVisitor;
  const visitors: ConsoleVisitor[] = [];
  const visitor = async (folder: string) => {
    const v = await openConsole(h.base, folder);
    visitors.push(v);
    return v;
  };

  before(async () => {
    h = await startHarness('console_pages_e2e');
    await createConsoleAccounts(h);
    await authEvents.insertMany(h.db, [
      event(2, 'alice@contoso.com', 'accept', 'ok', 'vpn-1'),
      event(3, 'bob@contoso.com', 'reject', 'otp.invalid', 'vpn-1'),
      event(4, 'bob@contoso.com', 'reject', 'otp.replayed', 'vpn-2'),
      event(5, 'carol@contoso.com', 'reject', 'entra.invalid_credentials', 'vpn-1'),
      event(6, '=HYPERLINK("x")', 'reject', 'otp.invalid', 'vpn-2'),
      event(300, 'dave@contoso.com', 'reject', 'otp.invalid', 'vpn-2'),
    ]);
    admin = await visitor('pages-admin');
    await signIn(admin, h.base, 'root');
  });

  after(async () => {
    for (const v of visitors) await v.close();
    await h?.close();
  });

  test('an admin sees every page in the navigation', async () => {
    assert.deepEqual(await navLinks(admin), ALL_PAGES);
  });

  test('an admin adds a RADIUS client (a short secret shown beside its field), edits it and deletes it after confirming', async () => {
    const { page } = admin;
    await open(admin, 'RADIUS clients', 'RADIUS clients');
    await page.getByText('No RADIUS client yet').waitFor();
    await admin.check('radius-clients-empty');
    await page.getByRole('button', { name: 'Add a RADIUS client' }).click();
    await page.getByLabel('Name', { exact: true }).fill('vpn-1');
    await page.getByLabel('Address or network').fill('192.0.2.10');
    await page.getByLabel('Shared secret').fill('short');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.locator('#field-secret-error').waitFor();
    assert.match(await page.locator('#field-secret-error').innerText(), /at least 8 characters/);
    await admin.check('radius-client-bad-secret');
    await page.getByLabel('Shared secret').fill(NAS_SECRET);
    await page.getByLabel('How users enter their code').selectOption('auto');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByText('vpn-1 is added.').waitFor();
    const row = page.locator('tbody tr', { hasText: 'vpn-1' });
    assert.match(await row.innerText(), /192\.0\.2\.10(\/32)?\s+required\s+auto/);
    assert.doesNotMatch(await page.content(), new RegExp(NAS_SECRET), 'the secret is gone once saved');
    await admin.check('radius-clients');

    await page.getByRole('button', { name: 'Edit vpn-1' }).click();
    await page.getByRole('heading', { name: 'Edit vpn-1' }).waitFor();
    assert.equal(await page.getByLabel('New shared secret').inputValue(), '', 'the secret is never filled in');
    await page.getByLabel('Name', { exact: true }).fill('vpn-main');
    await page.getByLabel('Require Message-Authenticator').uncheck();
    await page.getByLabel('How users enter their code').selectOption('challenge');
    await admin.check('radius-client-edit');
    await page.getByRole('button', { name: 'Save client' }).click();
    await page.getByText('vpn-main is saved.').waitFor();
    assert.match(await page.locator('tbody tr', { hasText: 'vpn-main' }).innerText(), /not required\s+challenge/);
    const [stored] = await radiusClients.list(h.db);
    assert.equal(stored!.name, 'vpn-main');
    assert.equal(stored!.otpMode, 'challenge');
    assert.equal(stored!.requireMessageAuthenticator, false);
    assert.equal(
      h.keyring.openText(stored!.secretSealed, radiusClientSecretContext(stored!.id)),
      NAS_SECRET,
      'an empty secret field keeps the secret',
    );

    await page.getByRole('button', { name: 'Delete vpn-main' }).click();
    await admin.check('radius-client-confirm-delete');
    await page.getByRole('button', { name: 'Delete vpn-main for good' }).click();
    await page.getByText('vpn-main is deleted.').waitFor();
    assert.deepEqual(await radiusClients.list(h.db), []);
  });

  test('a CSV with one bad line: that line is reported and nothing imported; with partial the good line goes in', async () => {
    const { page } = admin;
    await open(admin, 'Token import', 'Token import');
    await admin.check('token-import');
    await page.getByRole('button', { name: 'Import tokens' }).click();
    await page.locator('#field-file-error').waitFor();
    const file = { name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) };
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import tokens' }).click();
    await page.getByText('0 token(s) imported, 1 bad line(s).').waitFor();
    const [line, field, problem] = await page.locator('table.import-errors tbody tr td').allInnerTexts();
    assert.deepEqual([line, field], ['3', 'secret key'], 'the header is line 1, the bad row line 3');
    assert.ok(problem && problem.length > 0, 'with what is wrong');
    assert.equal(await page.locator('table.import-errors tbody tr').count(), 1, 'only the bad line');
    assert.match(await page.locator('body').innerText(), /nothing was imported/);
    assert.equal(await tokens.get(h.db, 'good@contoso.com'), null, 'nothing imported');
    assert.equal((await h.call('GET', '/api/v1/users/good@contoso.com')).status, 404);
    await admin.check('token-import-rejected');

    await page.getByLabel('Import the good lines even if some are bad').check();
    await page.getByRole('button', { name: 'Import tokens' }).click();
    await page.getByText('1 token(s) imported, 1 bad line(s).').waitFor();
    assert.equal(await page.locator('table.import-errors tbody tr').count(), 1);
    assert.match(await page.locator('table.import-errors tbody tr').innerText(), /^3\s+secret key/);
    const imported = await tokens.get(h.db, 'good@contoso.com');
    assert.equal(imported?.serial, 'HW-1');
    assert.equal(h.keyring.openText(imported!.secretSealed, 'totp:good@contoso.com'), GOOD_SEED);
    assert.equal(await tokens.get(h.db, 'bad@contoso.com'), null);
    await admin.check('token-import-partial');
  });

  test('the auth log filters by reason, client and time, and exports exactly the rows shown as CSV', async () => {
    const { page } = admin;
    await open(admin, 'Auth log', 'Auth log');
    await page.getByText('6 decision(s), newest first').waitFor();
    await admin.check('auth-log');

    await page.getByLabel('Reason', { exact: true }).fill('otp.');
    await page.getByLabel('RADIUS client', { exact: true }).fill('vpn-2');
    // Typed as a person would, in the page's time zone (UTC in these browsers).
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    await page.getByLabel('From', { exact: true }).fill(hourAgo);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('2 decision(s), newest first (filtered)').waitFor();
    const users = await page.locator('table.auth-log tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(users, ['bob@contoso.com', '=HYPERLINK("x")'], 'dave is older than the hour, the others another client or reason');
    await admin.check('auth-log-filtered');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const saved = await download;
    assert.equal(saved.suggestedFilename(), 'auth-log.csv');
    const csv = (await readFile((await saved.path())!, 'utf8')).split('\r\n');
    const { body } = await h.call(
      'GET',
      `/api/v1/auth-events?reason=otp.&client=vpn-2&since=${encodeURIComponent(`${hourAgo.replace(' ', 'T')}:00Z`)}`,
    );
    assert.deepEqual(csv, [
      'at,requestId,username,upn,clientName,clientAddress,decision,reason,aadsts,latencyMs',
      `${body.events[0].at},pages-4,bob@contoso.com,bob@contoso.com,vpn-2,192.0.2.20,reject,otp.replayed,,24`,
      `${body.events[1].at},pages-6,"'=HYPERLINK(""x"")",,vpn-2,192.0.2.20,reject,otp.invalid,,26`,
      '',
    ]);

    await page.getByLabel('Reason', { exact: true }).fill('');
    await page.getByLabel('From', { exact: true }).fill('yesterday-ish');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#field-since-error').waitFor();
    assert.match(await page.locator('#field-since-error').innerText(), /ISO 8601/);
    await admin.check('auth-log-bad-time');
  });

  test('an API token is created with a role, its value shown once, and revoked after confirming', async () => {
    const { page } = admin;
    await open(admin, 'API tokens', 'API tokens');
    await page.getByText('No API token yet.').waitFor();
    await page.getByLabel('Token name').fill('backup-script');
    await page.getByLabel('Role').selectOption('auditor');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.locator('code.secret');
    await shown.waitFor();
    const value = await shown.innerText();
    assert.match(value, /^tg_[A-Za-z0-9_-]{20,}$/);
    await admin.check('api-token-created');
    const used = await h.call('GET', '/api/v1/radius-clients', { authorization: `Bearer ${value}` });
    assert.equal(used.status, 200, 'the value shown is the token');
    assert.equal(
      (await h.call('POST', '/api/v1/users', { authorization: `Bearer ${value}`, body: { username: 'x@contoso.com' } })).status,
      403,
      'with its role',
    );
    await page.getByRole('button', { name: 'Done, hide the token' }).click();
    assert.equal(await page.locator('code.secret').count(), 0);
    await page.reload();
    await page.locator('tbody tr', { hasText: 'backup-script' }).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(value), 'never shown again');
    await admin.check('api-tokens');
    await page.getByRole('button', { name: 'Revoke backup-script' }).click();
    await page.getByRole('button', { name: 'Revoke backup-script for good' }).click();
    await page.getByText('backup-script is revoked.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/radius-clients', { authorization: `Bearer ${value}` })).status, 401);
  });

  test('the policy page saves the policy, the retention and shows a refusal beside the field the API names', async () => {
    const { page } = admin;
    await open(admin, 'Policy', 'Policy');
    assert.equal(await page.getByLabel('Wrong codes before the lock').inputValue(), '5');
    await admin.check('policy');
    await page.getByLabel('Wrong codes before the lock').fill('0');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('#field-otpMaxFailures-error').waitFor();
    assert.match(await page.locator('#field-otpMaxFailures-error').innerText(), /from 1 to 100/);
    await admin.check('policy-bad-value');
    await page.getByLabel('Wrong codes before the lock').fill('7');
    await page.getByLabel('Verification order').selectOption('otp_first');
    await page.getByLabel('A challenge waits for its code (seconds)').fill('90');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('The policy is saved.').waitFor();
    const policy = (await h.call('GET', '/api/v1/settings/policy')).body;
    assert.equal(policy.otpMaxFailures, 7);
    assert.equal(policy.verificationOrder, 'otp_first');
    assert.equal(policy.challengeTtlSeconds, 90);

    await page.getByLabel('Keep authentication events for (days)').fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('The retention is saved.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/settings/retention')).body.authEventDays, 30);

    // root has no own TOTP: the API refuses to require one, naming the setting.
    await page.getByLabel('TOTP required for admins').check();
    await page.getByRole('button', { name: 'Save account setting' }).click();
    await page.locator('#field-requireTotpForAdmins-error').waitFor();
    assert.match(await page.locator('#field-requireTotpForAdmins-error').innerText(), /own account has no TOTP/);
    assert.equal((await h.call('GET', '/api/v1/settings/admin-security')).body.requireTotpForAdmins, false);
    await admin.check('policy-admin-totp-refused');
  });

  test('the Entra page saves the connection (a bad tenant beside its field) and shows why a test could not run', async () => {
    const { page } = admin;
    await open(admin, 'Entra ID', 'Entra ID');
    await page.getByLabel('Tenant').fill('common');
    await page.getByRole('button', { name: 'Save Entra settings' }).click();
    await page.locator('#field-tenantId-error').waitFor();
    await admin.check('entra-bad-tenant');
    await page.getByLabel('Check passwords with Entra ID').check();
    await page.getByLabel('Tenant').fill('7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8');
    await page.getByLabel('Application (client) ID').fill('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    await page.getByLabel("Users' domain").fill('contoso.com');
    await page.getByLabel('New client secret').fill('a-client-secret-value');
    await page.getByRole('button', { name: 'Save Entra settings' }).click();
    await page.getByText('The Entra settings are saved.').waitFor();
    await page.getByText('A client secret is set.').waitFor();
    assert.equal(await page.getByLabel('New client secret').inputValue(), '');
    const entra = (await h.call('GET', '/api/v1/settings/entra')).body;
    assert.equal(entra.domain, 'contoso.com');
    assert.equal(entra.hasClientSecret, true);
    // No entra-verifier runs beside this admin API: the page says so (the real test runs in the one-box browser test).
    await page.getByLabel('Test user name').fill('alice');
    await page.getByLabel('Test password').fill('Secret-Pass');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText(/the entra-verifier did not answer/).waitFor();
    await admin.check('entra-saved');
  });

  test('admin accounts: add one with a role, change the role, disable it, delete it; the last admin stays', async () => {
    const { page } = admin;
    await open(admin, 'Admins', 'Admin accounts');
    await page.getByLabel('Account name').fill('temp');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.locator('#field-password-error').waitFor();
    await admin.check('admins-bad-password');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Role', { exact: true }).selectOption('helpdesk');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('temp is added.').waitFor();
    await page.getByLabel('Role of temp').selectOption('auditor');
    await page.getByText('temp is now auditor.').waitFor();
    assert.equal((await adminAccounts.get(h.db, 'temp'))?.role, 'auditor');
    await page.getByRole('button', { name: 'Disable temp' }).click();
    await page.getByText('temp is disabled.').waitFor();
    assert.equal((await adminAccounts.get(h.db, 'temp'))?.disabled, true);
    await admin.check('admins');
    await page.getByRole('button', { name: 'Delete temp', exact: true }).click();
    await page.getByRole('button', { name: 'Delete temp for good' }).click();
    await page.getByText('temp is deleted.').waitFor();
    assert.equal(await adminAccounts.get(h.db, 'temp'), null);

    await page.getByRole('button', { name: 'Delete root', exact: true }).click();
    await page.getByRole('button', { name: 'Delete root for good' }).click();
    await page.getByText(/last enabled admin account cannot be deleted/).waitFor();
    assert.ok(await adminAccounts.get(h.db, 'root'), 'the last admin is kept');
    await admin.check('admins-last-admin');
  });

  test('the audit log lists the changes made above and filters by action', async () => {
    const { page } = admin;
    await open(admin, 'Audit log', 'Audit log');
    await page.locator('tbody tr', { hasText: 'radius_client.create' }).waitFor();
    await admin.check('audit-log');
    await page.getByLabel('Action').fill('radius_client.');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Page 1, newest first, action radius_client.').waitFor();
    const actions = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    assert.deepEqual(actions, ['radius_client.delete', 'radius_client.update', 'radius_client.create']);
    assert.match(await page.locator('tbody tr').first().innerText(), /root \(account, admin\)/);
    assert.doesNotMatch(await page.content(), new RegExp(NAS_SECRET));
    assert.deepEqual(admin.foreignRequests, [], 'no request left the console origin');
    assert.deepEqual(admin.pageProblems, [], 'no CSP refusal, no page error');
  });

  test('groups: add one, edit its policy (errors beside their fields, a warning for the MFA exemption), add and remove members, delete another', async () => {
    const { page } = admin;
    assert.equal(
      (await h.call('POST', '/api/v1/radius-clients', { body: { name: 'vpn-g', address: '192.0.2.77', secret: NAS_SECRET } })).status,
      201,
    );
    assert.equal((await h.call('POST', '/api/v1/groups', { body: { name: 'old-group' } })).status, 201);
    await open(admin, 'Groups', 'Groups');
    await page.getByLabel('Group name').fill('not a name!');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.locator('#field-name-error').waitFor();
    await admin.check('groups-bad-name');
    await page.getByLabel('Group name').fill('vpn-staff');
    await page.getByLabel('Description').fill('Staff on the VPN');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('heading', { name: 'vpn-staff', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Members', level: 2 }).waitFor();
    assert.match(await page.locator('main').innerText(), /This weakens security/, 'the exemption is explained before it is ticked');
    await admin.check('group-new');

    await page.getByRole('button', { name: 'Add an attribute' }).click();
    await page.getByLabel('Attribute 1').fill('Session-Timeout');
    await page.getByLabel('Value 1').fill('an hour');
    await page.getByLabel('Any RADIUS client').uncheck();
    await page.getByLabel('vpn-g').check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('#field-attr-value-0-error').waitFor();
    assert.match(await page.locator('#field-attr-value-0-error').innerText(), /whole number|number/);
    await admin.check('group-bad-attribute');
    await page.getByLabel('Value 1').fill('3600');
    await page.getByLabel('Waive the second factor for members').check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText("The group's policy is saved.").waitFor();
    await page.getByText(/Warning: members of this group sign in with their password alone/).waitFor();
    const stored = (await h.call('GET', '/api/v1/groups/vpn-staff')).body;
    assert.deepEqual(stored.replyAttributes, [{ name: 'Session-Timeout', value: 3600 }]);
    assert.deepEqual(stored.allowedClients, ['vpn-g']);
    assert.equal(stored.mfaExempt, true);
    await admin.check('group-exempt-warning');

    await page.getByLabel('User to add').fill('nobody@contoso.com');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.locator('#field-username-error').waitFor();
    await page.getByLabel('User to add').fill('good@contoso.com');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('good@contoso.com is a member.').waitFor();
    await page.getByRole('link', { name: 'good@contoso.com' }).waitFor();
    await admin.check('group-member');
    assert.equal((await h.call('GET', '/api/v1/groups/vpn-staff')).body.memberCount, 1);
    await page.getByRole('button', { name: 'Remove good@contoso.com' }).click();
    await page.getByText('good@contoso.com is no longer a member.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/groups/vpn-staff')).body.memberCount, 0);
    await page.getByLabel('User to add').fill('good@contoso.com');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('good@contoso.com is a member.').waitFor();

    await page.goto(`${h.base}/groups/old-group`);
    await page.getByRole('heading', { name: 'old-group', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Members', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Delete old-group for good' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    assert.equal((await h.call('GET', '/api/v1/groups/old-group')).status, 404);
    assert.match(await page.locator('tbody tr', { hasText: 'vpn-staff' }).innerText(), /1\s+waived\s+vpn-g/);
    assert.deepEqual(admin.pageProblems, []);
  });

  test('helpdesk sees only the auth log of these pages, the others say so, and the API refuses them (403)', async () => {
    const desk = await visitor('pages-helpdesk');
    await signIn(desk, h.base, 'desk');
    assert.deepEqual(await navLinks(desk), ['Dashboard', 'Users', 'Groups', 'Auth log']);
    await open(desk, 'Auth log', 'Auth log');
    await desk.check('auth-log');
    for (const path of [
      '/radius-clients',
      '/settings/entra',
      '/settings/policy',
      '/token-import',
      '/audit-log',
      '/admins',
      '/api-tokens',
    ]) {
      await desk.page.goto(`${h.base}${path}`);
      await desk.page.getByRole('heading', { name: 'Not available' }).waitFor();
    }
    await desk.check('api-tokens-refused');
    await desk.page.goto(`${h.base}/groups/vpn-staff`);
    await desk.page.getByRole('link', { name: 'good@contoso.com' }).waitFor();
    const deskButtons = await desk.page.getByRole('button').allInnerTexts();
    assert.deepEqual(
      deskButtons.filter((b) => CHANGING.test(b)),
      [],
      `group page buttons for helpdesk: ${deskButtons.join(', ')}`,
    );
    await desk.check('group-read-only');
    const statuses = await desk.page.evaluate(async () => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const reads = [
        '/api/v1/radius-clients',
        '/api/v1/settings/entra',
        '/api/v1/settings/policy',
        '/api/v1/admins',
        '/api/v1/api-tokens',
        '/api/v1/audit-log',
      ];
      const got = await Promise.all(reads.map(async (p) => (await fetch(p)).status));
      const posted = await fetch('/api/v1/tokens/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': session.csrfToken },
        body: 'upn,serial number,secret key,time interval\n',
      });
      return [...got, posted.status];
    });
    assert.deepEqual(statuses, [403, 403, 403, 403, 403, 403, 403]);
    assert.deepEqual(desk.pageProblems, []);
  });

  test('an auditor sees every page but token import, and no button that changes anything on them', async () => {
    assert.equal(
      (await h.call('POST', '/api/v1/radius-clients', { body: { name: 'vpn-9', address: '192.0.2.9', secret: NAS_SECRET } })).status,
      201,
    );
    assert.equal((await h.call('POST', '/api/v1/api-tokens', { body: { name: 'monitoring', role: 'auditor' } })).status, 201);
    const auditor = await visitor('pages-auditor');
    await signIn(auditor, h.base, 'audit');
    assert.deepEqual(
      await navLinks(auditor),
      ALL_PAGES.filter((p) => p !== 'Token import'),
    );
    const pages: [string, string, string][] = [
      ['Groups', 'Groups', 'groups'],
      ['Auth log', 'Auth log', 'auth-log'],
      ['RADIUS clients', 'RADIUS clients', 'radius-clients'],
      ['Entra ID', 'Entra ID', 'entra'],
      ['Policy', 'Policy', 'policy'],
      ['Audit log', 'Audit log', 'audit-log'],
      ['Admins', 'Admin accounts', 'admins'],
      ['API tokens', 'API tokens', 'api-tokens'],
    ];
    for (const [link, heading, shot] of pages) {
      await open(auditor, link, heading);
      await auditor.page.locator('section.panel').first().waitFor();
      await auditor.page.waitForLoadState('networkidle');
      const buttons = await auditor.page.getByRole('button').allInnerTexts();
      assert.deepEqual(
        buttons.filter((b) => CHANGING.test(b)),
        [],
        `${link}: buttons shown: ${buttons.join(', ')}`,
      );
      const editable = await auditor.page
        .locator('main input:enabled, main select:enabled')
        .evaluateAll((els) => els.map((e) => e.getAttribute('name') ?? ''));
      // Filters of the logs are the only fields an auditor may use.
      const filters = ['username', 'reason', 'decision', 'client', 'since', 'until', 'limit', 'actor', 'action'];
      assert.deepEqual(
        editable.filter((name) => !filters.includes(name)),
        [],
        `${link}: fields that could change something`,
      );
      await auditor.check(shot);
    }
    await auditor.page.locator('tbody tr', { hasText: 'monitoring' }).waitFor();
    assert.equal(await auditor.page.locator('code.secret').count(), 0);
    await auditor.page.goto(`${h.base}/groups/vpn-staff`);
    await auditor.page.getByRole('link', { name: 'good@contoso.com' }).waitFor();
    const groupButtons = await auditor.page.getByRole('button').allInnerTexts();
    assert.deepEqual(
      groupButtons.filter((b) => CHANGING.test(b)),
      [],
      `group page buttons: ${groupButtons.join(', ')}`,
    );
    assert.equal(await auditor.page.locator('main input:enabled, main select:enabled').count(), 0, 'the policy is locked');
    await auditor.check('group');
    await auditor.page.goto(`${h.base}/token-import`);
    await auditor.page.getByRole('heading', { name: 'Not available' }).waitFor();
    await auditor.check('token-import-refused');
    assert.doesNotMatch(await auditor.page.content(), new RegExp(NAS_SECRET));
    assert.deepEqual(auditor.foreignRequests, []);
    assert.deepEqual(auditor.pageProblems, []);
  });
});
