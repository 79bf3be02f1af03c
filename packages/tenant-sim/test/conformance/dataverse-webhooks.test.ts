/**
 * Conformance: webhooks (dataverse/webhooks.ts). Sources, Learn power-apps/developer/data-platform:
 * use-webhooks ("Webhooks send POST requests with JSON payload"; the headers x-request-id,
 * x-ms-dynamics-organization, x-ms-dynamics-entity-name, x-ms-dynamics-request-name,
 * x-ms-correlation-request-id), register-web-hook ("WebhookKey: Includes a query string using code as
 * the key", "HttpHeader: Includes one or more key values pairs in the header"), and
 * reference/entities/serviceendpoint (AuthValue: IsValidForRead False). The silent parts (no retry,
 * the delay, any port) are the simulator's stricter choices, written down in webhooks.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, contactId, dataverseFixture } from './dataverse-fixture.js';

interface Received { url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }

let s: RunningSim;
let server: Server;
let received: Received[];
let answer: number;
let endpoint: string;

beforeEach(async () => {
  s = await startSim(dataverseFixture());
  received = [];
  answer = 202;
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/dataverse`;
});
afterEach(async () => {
  await s.stop();
  await new Promise((resolve) => server.close(resolve));
});

const register = (over: Record<string, unknown> = {}): Promise<unknown> =>
  s.admin('PUT', '/webhooks', { value: [{ name: 'vendor-reconciler: contact', url: endpoint, auth: { type: 'WebhookKey', value: 'function-key-1' }, table: 'contact', messages: ['Create', 'Update'], filteringAttributes: ['o25fs_setuptechnician', 'emailaddress1'], delayMs: 20, ...over }] });

describe('webhooks (use-webhooks, register-web-hook)', () => {
  it('posts the execution context of a create as JSON, with the WebhookKey as ?code= and the documented headers', async () => {
    await register();
    const res = await s.dataverse('POST', 'contacts', { body: { lastname: 'Hook', emailaddress1: 'hook@alpha.example', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT_A})` } });
    const id = /contacts\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid')!)![1]!;
    await s.sim.webhooks.settle();
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(new URL(r!.url, 'http://x').searchParams.get('code')).toBe('function-key-1');
    expect(r!.headers).toMatchObject({ 'content-type': 'application/json', 'x-ms-dynamics-entity-name': 'contact', 'x-ms-dynamics-request-name': 'Create' });
    expect(r!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r!.headers['x-ms-correlation-request-id']).toBe(r!.body.CorrelationId);
    expect(r!.body).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'contact', PrimaryEntityId: id, Mode: 1, Stage: 40, Depth: 1 });
    const target = (r!.body.InputParameters as { key: string; value: { Attributes: { key: string; value: unknown }[] } }[])[0]!;
    expect(target.key).toBe('Target');
    expect(target.value.Attributes).toContainEqual({ key: 'emailaddress1', value: 'hook@alpha.example' });
    expect(s.sim.webhooks.deliveries).toMatchObject([{ step: 'vendor-reconciler: contact', message: 'Create', id, status: 202 }]);
  });

  it('runs an Update step only when the update sets one of its filtering attributes', async () => {
    await register();
    const id = contactId(1);
    await s.dataverse('PATCH', `contacts(${id})`, { body: { telephone1: '555-0100' } });
    await s.dataverse('PATCH', `contacts(${id})`, { body: { o25fs_setuptechnician: true } });
    await s.sim.webhooks.settle();
    expect(received.map((r) => [r.body.MessageName, r.body.PrimaryEntityId])).toEqual([['Update', id]]);
  });

  it('sends HttpHeader keys as headers, and never serves a key back', async () => {
    await register({ auth: { type: 'HttpHeader', values: { 'x-webhook-key': 'secret-2' } } });
    const listed = (await s.admin('GET', '/webhooks')).text;
    expect(listed).not.toContain('secret-2');
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { emailaddress1: 'new@alpha.example' } });
    await s.sim.webhooks.settle();
    expect(received[0]!.headers['x-webhook-key']).toBe('secret-2');
    expect(new URL(received[0]!.url, 'http://x').searchParams.has('code')).toBe(false);
  });

  it('does not retry a delivery the endpoint refused (stricter than the docs, which are silent)', async () => {
    await register();
    answer = 500;
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { emailaddress1: 'again@alpha.example' } });
    await s.sim.webhooks.settle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(1);
    expect(s.sim.webhooks.deliveries.map((d) => d.status)).toEqual([500]);
  });

  it('posts nothing for other tables or without a registration', async () => {
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { emailaddress1: 'none@alpha.example' } });
    await register();
    await s.dataverse('PATCH', `accounts(${ACCOUNT_A})`, { body: { name: 'Renamed' } });
    await s.sim.webhooks.settle();
    expect(received).toEqual([]);
  });
});
