/**
 * The report page's own script in Chromium (src/report/html-script.ts), on the unit tests' fixture
 * plan (three vendors, every status, a contact named <script>alert(1)</script>) loaded with
 * page.setContent, so the page's meta Content-Security-Policy is what allows or blocks the script:
 * search and status filters hide rows and empty vendors, headers sort, and the page reads the
 * same with JavaScript off. A copy whose script differs by one character does not run at all.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { C, CONTOSO, makePlan } from '../unit/report/fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const html = renderReport('html', { plan: makePlan() });
let browser: Browser;
const dialogs: string[] = [];
const errors: string[] = [];

async function open(options: { javaScriptEnabled?: boolean; width?: number } = {}, content = html): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(content, { waitUntil: 'load' });
  return page;
}

const visibleRows = (page: Page): Promise<string[]> =>
  page.locator('tr.contact:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-contact-id') ?? ''));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (.ci/run does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('the report page\'s script', () => {
  it('shows the filters and counts every contact, with no error and no dialog', async () => {
    const page = await open();
    await expect(page.locator('#filters').isVisible()).resolves.toBe(true);
    expect(await page.locator('#filter-count').textContent()).toBe('Showing all 12 contacts.');
    expect(await visibleRows(page)).toHaveLength(12);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('search narrows the rows to those whose text matches, and hides vendors left empty', async () => {
    const page = await open();
    await page.locator('#filter-text').fill('bob brown');
    expect(await visibleRows(page)).toEqual([C.bob]);
    expect(await page.locator('#filter-count').textContent()).toBe('Showing 1 of 12 contacts.');
    expect(await page.locator('section.vendor:visible').evaluateAll((s) => s.map((x) => x.getAttribute('data-vendor-id')))).toEqual([CONTOSO]);
    // The vendors left empty leave the contents too.
    expect(await page.locator('#toc a[href="#group-1"]').isVisible()).toBe(false);
    expect(await page.locator('#toc a[href="#group-2"]').isVisible()).toBe(true);
    // An error code is searchable text as well.
    await page.locator('#filter-text').fill('email_changed');
    expect(await visibleRows(page)).toEqual([C.dave]);
    await page.locator('#filter-text').fill('');
    expect(await visibleRows(page)).toHaveLength(12);
  });

  it('status filters hide the rows of the statuses turned off, combined with the search', async () => {
    const page = await open();
    const statuses = await page.locator('#filter-status input').evaluateAll((b) => b.map((x) => x.getAttribute('value') ?? ''));
    for (const s of statuses) if (s !== 'error') await page.locator(`#filter-status input[value="${s}"]`).uncheck();
    const rows = await page.locator('tr.contact:visible').evaluateAll((r) => r.map((x) => x.getAttribute('data-status')));
    expect(rows).toEqual(['error']);
    await page.locator('#filter-text').fill('no such text');
    expect(await visibleRows(page)).toEqual([]);
    expect(await page.locator('#filter-count').textContent()).toBe('Showing 0 of 12 contacts.');
  });

  it('sorts a table by a header, both ways, and says so with aria-sort', async () => {
    const page = await open();
    const table = page.locator(`section.vendor[data-vendor-id="${CONTOSO}"] table.contacts`);
    const names = (): Promise<string[]> => table.locator('tbody tr .name').allTextContents();
    const before = await names();
    const header = table.locator('thead th').nth(0);
    await header.locator('button.sort').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await names()).toEqual([...before].sort((a, b) => a.localeCompare(b)));
    await header.locator('button.sort').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual([...before].sort((a, b) => b.localeCompare(a)));
    // By changes: the count, as a number.
    const changes = table.locator('thead th').nth(2);
    await changes.locator('button.sort').click();
    const counts = await table.locator('tbody tr td:nth-child(3)').evaluateAll((c) => c.map((x) => Number(x.getAttribute('data-sort'))));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(await header.getAttribute('aria-sort')).toBeNull();
    // The sort buttons are reachable from the keyboard.
    await changes.locator('button.sort').focus();
    await page.keyboard.press('Enter');
    expect(await changes.getAttribute('aria-sort')).toBe('descending');
  });

  it('without JavaScript, shows every row and no control that would do nothing', async () => {
    const page = await open({ javaScriptEnabled: false });
    expect(await visibleRows(page)).toHaveLength(12);
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('button.sort').count()).toBe(0);
    expect(await page.locator('#toc a').count()).toBeGreaterThan(3);
  });

  it('a script that differs from the hashed one by a character is blocked by the page\'s policy', async () => {
    const tampered = html.replace("'use strict';", "'use strict'; ");
    expect(tampered).not.toBe(html);
    const page = await open({}, tampered);
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('button.sort').count()).toBe(0);
  });
});
