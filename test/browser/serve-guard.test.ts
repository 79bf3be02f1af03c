/**
 * A web page can't drive `vendor-reconciler serve` (issue 9, item 8), tried with a real browser:
 * headless Chromium sends its own Origin, Sec-Fetch-Site and Content-Type headers, so this checks
 * that src/server/request-guard.ts refuses what a browser really sends, not what a test supposes.
 *
 * The local server runs in-process with recording handlers (so "nothing ran" is observable), and a
 * second server plays the attacker's site. Chromium's --host-resolver-rules maps attacker.test and
 * rebind.test to 127.0.0.1, which is what DNS rebinding achieves with a real DNS name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRequest, AppResponse, Logger } from '../../src/app/types.js';
import { startLocalServer, type LocalServer } from '../../src/server/local-server.js';

const CHROMIUM = '/usr/bin/chromium';

const handled: string[] = [];
const refusals: string[] = [];
const log: Logger = {
  info: () => undefined,
  warn: (m) => {
    const code = /refused a request \((\d+ \w+)\)/.exec(m)?.[1];
    if (code) refusals.push(code);
  },
  error: () => undefined,
};
const handler = (name: string) => (request: AppRequest): Promise<AppResponse> => {
  handled.push(`${name} ${request.method}`);
  return Promise.resolve({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' });
};

let serve: LocalServer;
let servePort = 0;
let attacker: Server;
let attackerPort = 0;
let browser: Browser;

/** The attacker's page: every way a page can send a request to another origin without asking. */
function attackPage(): string {
  const target = `http://127.0.0.1:${servePort}`;
  return `<!doctype html><html><body>
<img src="${target}/api/plan?via=img">
<iframe name="sink"></iframe>
<form id="f" method="post" action="${target}/api/run" enctype="text/plain" target="sink"><input name='{"a":"' value='"}'></form>
<script>
  fetch('${target}/api/run', { method: 'POST', mode: 'no-cors', body: '{}' }).catch(() => {});
  fetch('${target}/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).catch(() => {});
  document.getElementById('f').submit();
</script></body></html>`;
}

const until = async (done: () => boolean, ms = 10_000): Promise<void> => {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
};

beforeAll(async () => {
  serve = await startLocalServer({ plan: handler('plan'), run: handler('run'), runStatus: handler('runStatus'), runs: handler('runs'), vendorPlan: handler('vendorPlan'), bookings: handler('bookings'), bookingStage: handler('bookingStage') }, { port: 0, log });
  servePort = (serve.server.address() as AddressInfo).port;
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackPage());
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebind.test 127.0.0.1'],
  });
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await new Promise((r) => attacker?.close(r));
});

describe('serve against a web page in a real browser', () => {
  it('the admin typing the address reaches the report (the control case)', async () => {
    handled.length = 0;
    const page = await browser.newPage();
    const res = await page.goto(`http://127.0.0.1:${servePort}/api/plan`);
    expect(res?.status()).toBe(200);
    expect(handled).toEqual(['plan GET']);
    await page.close();
  });

  it('a page on another site: the img, both fetches and the form post are refused, and no handler runs', async () => {
    handled.length = 0;
    refusals.length = 0;
    const page = await browser.newPage();
    await page.goto(`http://attacker.test:${attackerPort}/`);
    // img GET, the no-cors POST, the JSON POST's preflight (OPTIONS), the text/plain form post.
    await until(() => refusals.length >= 4);
    expect(refusals.sort()).toEqual(['403 CROSS_SITE_REQUEST', '403 CROSS_SITE_REQUEST', '403 CROSS_SITE_REQUEST', '403 CROSS_SITE_REQUEST']);
    expect(handled).toEqual([]);
    await page.close();
  });

  it('DNS rebinding: the server under the attacker\'s host name answers 400 HOST_NOT_LOOPBACK, and no handler runs', async () => {
    handled.length = 0;
    refusals.length = 0;
    const page = await browser.newPage();
    const res = await page.goto(`http://rebind.test:${servePort}/api/plan`);
    expect(res?.status()).toBe(400);
    expect(((await res?.json()) as { code: string }).code).toBe('HOST_NOT_LOOPBACK');
    // Same origin now (rebind.test:port), so the page's own JSON POST is no cross-site request: the Host check stops it.
    await page.evaluate(() => fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status));
    // The page load and the POST (Chromium may also ask for /favicon.ico: refused the same way).
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(refusals)]).toEqual(['400 HOST_NOT_LOOPBACK']);
    expect(handled).toEqual([]);
    await page.close();
  });
});
