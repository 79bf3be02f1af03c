/**
 * End to end: the real command `vendor-reconciler serve --demo --port 0` (simulator with the demo
 * tenant, Azurite, the local adapter) in a child process, and its report opened in headless Chromium
 * (Debian's chromium, driven by playwright-core). Checks what an admin sees: the summary's numbers
 * (against the same report as JSON), a contact's row, the contact named <script>alert(1)</script>
 * shown as text with no script run, and the last run's line after POST /api/run. Saves a screenshot
 * to test-results/report.png (and the script-named contact's row to report-script-name.png).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url);
const SCRIPT_NAME = '<script>alert(1)</script>';

let serve: ChildProcess;
let output = '';
let baseUrl: string;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

/** Starts the command and waits for the line that names the report's URL. */
function startServe(): Promise<string> {
  serve = spawn(process.execPath, ['bin/vendor-reconciler.mjs', 'serve', '--demo', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /Open the report: (http:\/\/127\.0\.0\.1:\d+)\/api\/plan/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    serve.stdout?.on('data', onData);
    serve.stderr?.on('data', onData);
    serve.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before it listened:\n${output}`));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (.ci/run does)`);
  baseUrl = await startServe();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
});

const planJson = async (): Promise<Plan & { lastRun?: { runId: string } }> => (await fetch(`${baseUrl}/api/plan?format=json`)).json() as Promise<Plan & { lastRun?: { runId: string } }>;

describe('serve --demo in a browser', () => {
  it('shows the summary with the plan\'s numbers', async () => {
    const plan = await planJson();
    const response = await page.goto(`${baseUrl}/api/plan`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await expect(page.title()).resolves.toMatch(/vendor-reconciler/i);

    const metric = (name: string): Promise<string | null> => page.locator(`#summary .card[data-metric="${name}"] .value`).textContent();
    expect(await metric('changes')).toBe(String(plan.changes.length));
    expect(await metric('contacts')).toBe(String(plan.subjects.length));
    expect(await metric('orphans')).toBe(String(plan.summary.orphans));
    expect(await metric('licence-needed')).toBe(String(plan.summary.licences[0]!.unitsNeeded));
    expect(await page.locator('#changes-by-kind tr[data-kind="user.invite"] td').textContent()).toBe(String(plan.summary.changesByKind['user.invite']));
    expect(await page.locator('#last-run').textContent()).toBe('Last run: none recorded yet.');
  });

  it('shows a contact\'s row with its status and its changes', async () => {
    const plan = await planJson();
    const aisha = plan.subjects.find((c) => c.subject.displayName === 'Aisha Khan')!;
    const row = page.locator(`tr.contact[data-contact-id="${aisha.subject.id}"]`);
    await expect(row.locator('.name').textContent()).resolves.toBe('Aisha Khan');
    expect(await row.getAttribute('data-status')).toBe(aisha.status);
    expect(await row.locator('li.change').count()).toBe(aisha.changeIds.length);
    expect(await page.locator(`section.vendor[data-vendor-id="${aisha.subject.group?.id}"] tr.contact[data-contact-id="${aisha.subject.id}"]`).count()).toBe(1);
  });

  it('shows the contact named <script>alert(1)</script> as text, and runs no script', async () => {
    const plan = await planJson();
    const xss = plan.subjects.find((c) => c.subject.displayName.includes(SCRIPT_NAME))!;
    expect(xss).toBeDefined();
    const name = await page.locator(`tr.contact[data-contact-id="${xss.subject.id}"] .name`).textContent();
    expect(name).toBe(xss.subject.displayName);
    expect(name).toContain(SCRIPT_NAME);
    // The page's only script element is its own (src/report/html-script.ts): the name is text.
    expect(await page.locator('script').count()).toBe(1);
    expect(dialogs).toEqual([]);

    mkdirSync(new URL('test-results/', ROOT), { recursive: true });
    await page.screenshot({ path: new URL('test-results/report.png', ROOT).pathname, fullPage: false });
    await page.locator(`tr.contact[data-contact-id="${xss.subject.id}"]`).screenshot({ path: new URL('test-results/report-script-name.png', ROOT).pathname });
  });

  it('after POST /api/run, the reloaded report names the run as the last run', async () => {
    // serve refuses a POST that is not application/json (src/server/request-guard.ts).
    const res = await fetch(`${baseUrl}/api/run`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    const run = (await res.json()) as { runId: string; outcome: string; results: unknown[] };
    expect(run.outcome).toBe('succeeded');
    await page.reload();
    const lastRun = await page.locator('#last-run').textContent();
    expect(lastRun).toContain(`succeeded: ${run.results.length} changes applied, 0 errors (run ${run.runId}).`);
    expect((await planJson()).lastRun?.runId).toBe(run.runId);
    expect(dialogs).toEqual([]);
  });
});
