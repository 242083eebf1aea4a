/**
 * Debian's Chromium driven by playwright-core for the console's browser tests (no browser
 * download: the machine has no internet). Each visitor is its own browser with a fresh, empty
 * profile directory and the flags that keep Chromium from calling Google's hosts. `check` saves
 * a screenshot of the page under test-results/console/ and runs axe-core in it (injected over
 * the DevTools protocol, so the page's CSP stays as strict as it is): a serious or critical
 * violation fails. Requests to any other origin and CSP refusals are recorded for the test to assert on.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** As reference.md says for root on this machine; Playwright adds --headless and --no-sandbox itself. */
export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (git-ignored): test-results/console/ at the repository root. */
export const SCREENSHOT_ROOT = fileURLToPath(new URL('../../../test-results/console/', import.meta.url));

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export interface ConsoleVisitor {
  page: Page;
  context: BrowserContext;
  /** Requests the pages made to any origin but the console's. */
  foreignRequests: string[];
  /** Console errors about the Content-Security-Policy, and uncaught page errors. */
  pageProblems: string[];
  /** Saves `<name>.png` and runs axe; throws naming every serious or critical violation. */
  check(name: string): Promise<AxeViolation[]>;
  close(): Promise<void>;
}

let axeSource: Promise<string> | undefined;
const loadAxe = () => {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
};

/** Opens a browser on `base` (the admin API's address); screenshots go to SCREENSHOT_ROOT/<folder>/. */
export async function openConsole(base: string, folder: string): Promise<ConsoleVisitor> {
  const profile = await mkdtemp(path.join(tmpdir(), 'tollgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const origin = new URL(base).origin;
  const foreignRequests: string[] = [];
  const pageProblems: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  const dir = path.join(SCREENSHOT_ROOT, folder);
  await mkdir(dir, { recursive: true });

  return {
    page,
    context,
    foreignRequests,
    pageProblems,
    async check(name) {
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
      await page.evaluate(await loadAxe());
      const violations = await page.evaluate(async () => {
        type Result = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };
        const axe = (globalThis as unknown as { axe: { run(options: object): Promise<Result> } }).axe;
        const result = await axe.run({ resultTypes: ['violations'] });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => n.target.join(' ')),
        }));
      });
      const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (grave.length > 0) {
        throw new Error(`axe on ${name}: ${grave.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`).join('; ')}`);
      }
      return violations;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
