/**
 * What the console's browser tests share: one admin account of each role and the sign-in form
 * filled in a browser.
 */
import assert from 'node:assert/strict';
import type { ConsoleVisitor } from '@tollgate/testkit/browser';
import type { Harness } from './admin-api-harness.js';

export const CONSOLE_PASSWORD = 'a long passphrase for the console';

/** `root` (admin), `desk` (helpdesk) and `audit` (auditor), all with CONSOLE_PASSWORD. */
export async function createConsoleAccounts(h: Harness): Promise<void> {
  for (const [username, role] of [
    ['root', 'admin'],
    ['desk', 'helpdesk'],
    ['audit', 'auditor'],
  ]) {
    const created = await h.call('POST', '/api/v1/admins', { body: { username, password: CONSOLE_PASSWORD, role } });
    assert.equal(created.status, 201, created.text);
  }
}

/** Fills the sign-in form (with an authenticator code when given) and submits it. */
export async function submitSignIn(visitor: ConsoleVisitor, base: string, username: string, code?: string): Promise<void> {
  const { page } = visitor;
  await page.goto(`${base}/`);
  await page.getByLabel('User name', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(CONSOLE_PASSWORD);
  if (code !== undefined) await page.getByLabel('Authenticator code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and waits for the dashboard. */
export async function signInToDashboard(visitor: ConsoleVisitor, base: string, username: string): Promise<void> {
  await submitSignIn(visitor, base, username);
  await visitor.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
