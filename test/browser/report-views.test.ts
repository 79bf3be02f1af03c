/**
 * The report as admins open it, in Chromium: `vendor-reconciler serve --demo` (the simulator's demo
 * tenant) at a phone's width (390 px, and 360 px, the narrowest the page is made for) and a
 * desktop's (1280 px), in the light and the dark scheme (emulateMedia colorScheme), with the
 * keyboard, and through axe-core (the pinned devDependency, injected into the page by the test)
 * with no violation of WCAG 2.1 A/AA or axe's best practices. Also the run history page and one
 * vendor's view. Screenshots go to test-results/ (report-390-dark.png and others).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let serve: ChildProcess;
let output = '';
let baseUrl: string;
let browser: Browser;
let plan: Plan;
const pageErrors: string[] = [];

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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  plan = (await (await fetch(`${baseUrl}/api/plan?format=json`)).json()) as Plan;
  mkdirSync(new URL('test-results/', ROOT), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
});

async function open(path: string, width: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.emulateMedia({ colorScheme: scheme });
  const res = await page.goto(`${baseUrl}${path}`);
  expect(res?.status()).toBe(200);
  return page;
}

interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }

/** axe-core, evaluated through the DevTools protocol (the page's policy allows only its own script). */
async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  // Strings run in the page (this file is typed for Node, without the DOM's globals).
  const result = await page.evaluate<AxeResult>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] })",
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** How far the page is wider than the window (0 when it never scrolls sideways). */
const overflow = (page: Page): Promise<number> => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

/** A computed style property of the element a locator finds first. */
const styleOf = (page: Page, selector: string, property: string): Promise<string> =>
  page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`);

describe('the report at phone and desktop widths', () => {
  for (const width of [360, 390]) {
    it(`at ${width} px: no sideways scroll, contacts stacked, error text wrapped by words`, async () => {
      const page = await open('/api/plan', width);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // Stacked: the header row is out of sight, each cell a block as wide as its row.
      const cell = page.locator('table.contacts td[data-label="Status"]').first();
      expect(await cell.count()).toBeGreaterThan(0);
      expect(await styleOf(page, 'table.contacts td[data-label="Status"]', 'display')).toBe('block');
      // The error blocks are about as wide as the screen: text wraps between words, not letters.
      const widths = await page.locator('.error p').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().width));
      expect(widths.length).toBeGreaterThan(0);
      expect(Math.min(...widths)).toBeGreaterThan(width * 0.6);
      expect(await styleOf(page, '.error-message', 'overflowWrap')).toBe('break-word');
      if (width === 390) await page.screenshot({ path: new URL('test-results/report-390.png', ROOT).pathname, fullPage: false });
      await page.close();
    });
  }

  it('at 1280 px: the contacts are a table with its header row, and nothing overflows', async () => {
    const page = await open('/api/plan', 1280);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await styleOf(page, 'table.contacts', 'display')).toBe('table');
    expect(await page.locator('table.contacts thead').first().isVisible()).toBe(true);
    await page.screenshot({ path: new URL('test-results/report-1280.png', ROOT).pathname, fullPage: false });
    await page.close();
  });
});

describe('dark mode, focus and accessibility', () => {
  it('follows prefers-color-scheme: dark backgrounds and light text, and still no sideways scroll at 390 px', async () => {
    const light = await open('/api/plan', 1280, 'light');
    const dark = await open('/api/plan', 390, 'dark');
    const colours = (p: Page): Promise<[string, string]> => p.evaluate<[string, string]>('[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]');
    expect(await colours(light)).toEqual(['rgb(255, 255, 255)', 'rgb(27, 27, 31)']);
    expect(await colours(dark)).toEqual(['rgb(21, 21, 26)', 'rgb(232, 232, 238)']);
    expect(await overflow(dark)).toBeLessThanOrEqual(0);
    await dark.screenshot({ path: new URL('test-results/report-390-dark.png', ROOT).pathname, fullPage: false });
    await light.close();
    await dark.close();
  });

  it('the keyboard reaches the skip link first, then the contents, the filters and the sort buttons, each with a visible outline', async () => {
    const page = await open('/api/plan', 1280);
    await page.keyboard.press('Tab');
    const first = await page.evaluate<{ text: string; top: number; outline: string }>(
      '(() => { const el = document.activeElement; const s = getComputedStyle(el); return { text: el.textContent, top: el.getBoundingClientRect().top, outline: s.outlineStyle + " " + s.outlineWidth }; })()',
    );
    // The demo holds several families: the page speaks of subjects.
    expect(first).toMatchObject({ text: 'Skip to the subjects', outline: 'solid 3px' });
    expect(first.top).toBeGreaterThanOrEqual(0);
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate<{ kind: string; outline: string }>(
        "(() => { const el = document.activeElement; const kind = el.closest('#toc') ? 'toc' : el.closest('#filters') ? 'filters' : el.classList.contains('sort') ? 'sort' : el.tagName.toLowerCase(); return { kind, outline: getComputedStyle(el).outlineStyle }; })()",
      );
      reached.add(where.kind);
      expect(where.outline, where.kind).toBe('solid');
    }
    expect([...reached]).toEqual(expect.arrayContaining(['toc', 'filters', 'sort']));
    await page.close();
  });

  it('axe-core does report a violation when there is one (the control case)', async () => {
    const page = await open('/api/plan', 1280);
    await page.evaluate("document.querySelector('main').appendChild(Object.assign(document.createElement('img'), { src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }))");
    expect((await axe(page)).map((v) => v.split(' ')[0])).toContain('image-alt');
    await page.close();
  });

  for (const [name, width, scheme] of [['1280 px, light', 1280, 'light'], ['390 px, dark', 390, 'dark']] as const) {
    it(`axe-core finds no violation in the report (${name})`, async () => {
      const page = await open('/api/plan', width, scheme);
      expect(await axe(page)).toEqual([]);
      await page.close();
    });
  }

  it('search and status filters work on the demo tenant\'s report', async () => {
    const page = await open('/api/plan', 390);
    const someone = plan.subjects.find((s) => s.subject.displayName === 'Aisha Khan')!;
    await page.locator('#filter-text').fill('aisha khan');
    const rows = await page.locator('tr.contact:visible').evaluateAll((r) => r.map((x) => x.getAttribute('data-contact-id')));
    expect(rows).toEqual([someone.subject.id]);
    await page.locator('#filter-text').fill('');
    await page.locator(`#filter-status input[value="${someone.status}"]`).uncheck();
    const statuses = await page.locator('tr.contact:visible').evaluateAll((r) => r.map((x) => x.getAttribute('data-status')));
    expect(statuses).not.toContain(someone.status);
    expect(statuses.length).toBe(plan.subjects.filter((s) => s.status !== someone.status).length);
    await page.close();
  });
});

describe('the run history and one vendor\'s view', () => {
  it('the run history lists a run that links to its report; both pass axe, light and dark', async () => {
    const res = await fetch(`${baseUrl}/api/run`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"dryRun":true}' });
    const run = (await res.json()) as { runId: string };
    for (const [width, scheme] of [[1280, 'light'], [390, 'dark']] as const) {
      const page = await open('/api/runs', width, scheme);
      expect(await page.locator(`tr.run[data-run-id="${run.runId}"]`).count()).toBe(1);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axe(page)).toEqual([]);
      await page.locator(`tr.run[data-run-id="${run.runId}"] a`).click();
      await page.waitForURL(`**/api/runs/${run.runId}?format=html`);
      expect(await page.locator(`#summary`).count()).toBe(1);
      await page.close();
    }
  });

  it('one vendor\'s view shows only that vendor\'s contacts, and passes axe', async () => {
    const vendor = plan.subjects.find((s) => s.subject.displayName === 'Aisha Khan')!.subject.group!;
    const page = await open(`/api/vendors/${vendor.id}/plan`, 390);
    const groups = await page.locator('section.vendor').evaluateAll((s) => s.map((x) => x.getAttribute('data-vendor-id')));
    expect(groups).toEqual([vendor.id]);
    const text = await page.locator('body').innerText();
    const others = plan.subjects.filter((s) => s.subject.group?.id !== vendor.id && s.subject.displayName.length > 3).map((s) => s.subject.displayName);
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((n) => text.includes(n))).toEqual([]);
    expect(await axe(page)).toEqual([]);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
