/**
 * DataverseClient against a local HTTPS server: exact requests and how answers are read.
 * Sources:
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 * (OData headers), learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 * (Prefer: odata.maxpagesize on
 * every page, follow @odata.nextLink),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 * ($batch multipart format, continue-on-error, parts
 * answered in order, up to 1000 per batch),
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits (429 with Retry-After;
 * concurrency code 0x80072326).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataverseClient } from '../../../src/clients/dataverse-client.js';
import type { ServiceRequest } from '../../../src/clients/types.js';
import { startServer, staticCredential, type TestServer } from './https-server.js';

let server: TestServer;
let client: DataverseClient;
let scopes: string[];
const ROOT = () => `${server.origin}/org/api/data/v9.2/`;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.maxInFlight = 0;
  scopes = [];
  client = new DataverseClient({ url: `${server.origin}/org`, credential: staticCredential(scopes) });
});

/** The embedded requests of a multipart batch, parsed back from what the server received. */
function partsOf(contentType: string, body: string) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1]!;
  expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      // MIME headers, blank line, request line and headers, blank line, body (then the CRLF before the delimiter).
      const [mime, head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const [line, ...headerLines] = head!.split('\r\n');
      return { mime, line, headers: headerLines, body: rest.join('\r\n\r\n').replace(/\r\n$/, '') };
    });
}

function batchAnswer(parts: { status: string; headers?: string[]; body?: string }[]): { status: number; headers: Record<string, string>; body: string } {
  const b = 'batchresponse_5b1c';
  const text = parts
    .map((p) => [`--${b}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', `HTTP/1.1 ${p.status}`, ...(p.headers ?? []), '', p.body ?? ''].join('\r\n'))
    .join('\r\n');
  return { status: 200, headers: { 'Content-Type': `multipart/mixed; boundary=${b}` }, body: `${text}\r\n--${b}--\r\n` };
}

const patches = (n: number): ServiceRequest[] =>
  Array.from({ length: n }, (_, i) => ({ method: 'PATCH', url: `contacts(00000000-0000-0000-0000-${String(i).padStart(12, '0')})`, headers: { 'If-Match': '*' }, body: { o25fs_provisioningstatus: 1 } }));

describe('DataverseClient.sendMany', () => {
  it('builds one multipart $batch: no change sets, continue-on-error, absolute part URLs, OData headers (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api)', async () => {
    server.handle = () => batchAnswer([{ status: '204 No Content' }, { status: '204 No Content' }, { status: '204 No Content' }]);
    const requests: ServiceRequest[] = [...patches(2), { method: 'DELETE', url: 'bookableresourcecharacteristics(11111111-0000-0000-0000-000000000001)' }];
    await client.sendMany(requests);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/org/api/data/v9.2/$batch');
    expect(sent.headers).toMatchObject({ prefer: 'odata.continue-on-error', 'odata-version': '4.0', 'odata-maxversion': '4.0', accept: 'application/json', authorization: 'Bearer static-token' });
    expect(sent.headers['content-type']).toMatch(/^multipart\/mixed; boundary="batch_[0-9a-f-]+"$/);
    expect(sent.body).not.toMatch(/changeset/);
    const parts = partsOf(sent.headers['content-type'] as string, sent.body);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatchObject({
      mime: 'Content-Type: application/http\r\nContent-Transfer-Encoding: binary',
      line: `PATCH ${ROOT()}contacts(00000000-0000-0000-0000-000000000000) HTTP/1.1`,
      headers: ['Accept: application/json', 'OData-MaxVersion: 4.0', 'OData-Version: 4.0', 'Content-Type: application/json; type=entry', 'If-Match: *'],
      body: '{"o25fs_provisioningstatus":1}',
    });
    expect(parts[2]).toMatchObject({ line: `DELETE ${ROOT()}bookableresourcecharacteristics(11111111-0000-0000-0000-000000000001) HTTP/1.1`, headers: ['Accept: application/json', 'OData-MaxVersion: 4.0', 'OData-Version: 4.0'], body: '' });
    expect(scopes).toEqual([`${server.origin}/org/.default`]);
  });

  it('reads a continue-on-error answer with mixed statuses into per-part responses, in order (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api)', async () => {
    server.handle = () =>
      batchAnswer([
        { status: '204 No Content', headers: ['OData-Version: 4.0', `OData-EntityId: ${ROOT()}contacts(1)`] },
        { status: '400 Bad Request', headers: ['Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0'], body: '{"error":{"code":"0x80044331","message":"A validation error occurred."}}' },
        { status: '201 Created', headers: ['Content-Type: application/json; odata.metadata=minimal'], body: '{"bookableresourceid":"b1"}' },
        { status: '404 Not Found', headers: ['Content-Type: application/json'], body: '{"error":{"code":"0x80040217","message":"contact With Id = 4 Does Not Exist"}}' },
      ]);
    const responses = await client.sendMany(patches(4));
    expect(responses).toEqual([
      { status: 204, headers: { 'odata-version': '4.0', 'odata-entityid': `${ROOT()}contacts(1)` }, body: undefined },
      { status: 400, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' }, body: { error: { code: '0x80044331', message: 'A validation error occurred.' } } },
      { status: 201, headers: { 'content-type': 'application/json; odata.metadata=minimal' }, body: { bookableresourceid: 'b1' } },
      { status: 404, headers: { 'content-type': 'application/json' }, body: { error: { code: '0x80040217', message: 'contact With Id = 4 Does Not Exist' } } },
    ]);
  });

  it('splits at the configured batch size and keeps input order across batches', async () => {
    server.handle = (req) => {
      const parts = partsOf(req.headers['content-type'] as string, req.body);
      return batchAnswer(parts.map((p) => ({ status: '200 OK', headers: ['Content-Type: application/json'], body: JSON.stringify({ line: p.line }) })));
    };
    client = new DataverseClient({ url: `${server.origin}/org`, credential: staticCredential(), batchSize: 4 });
    const requests = patches(10);
    const responses = await client.sendMany(requests);
    expect(server.requests.map((r) => partsOf(r.headers['content-type'] as string, r.body).length).sort()).toEqual([2, 4, 4]);
    expect(responses.map((r) => (r.body as { line: string }).line)).toEqual(requests.map((r) => `PATCH ${ROOT()}${r.url} HTTP/1.1`));
  });

  it('an outer 429 is retried as a whole after its Retry-After (learn.microsoft.com/power-apps/developer/data-platform/api-limits)', async () => {
    server.handle = (_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } } : batchAnswer([{ status: '204 No Content' }, { status: '204 No Content' }]));
    const responses = await client.sendMany(patches(2));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.replace(/batch_[0-9a-f-]+/g, 'B')).toBe(server.requests[0]!.body.replace(/batch_[0-9a-f-]+/g, 'B'));
    expect(responses.map((r) => r.status)).toEqual([204, 204]);
  });

  it('a concurrency 429 (0x80072326) halves the requests in flight; x-ms-dop-hint sets them within the configured maximum', async () => {
    server.handle = (_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 52.' } } } : { status: 204 });
    expect(client.concurrency.current).toBe(16);
    await client.send(patches(1)[0]!);
    expect(client.concurrency.current).toBe(8);
    server.handle = () => ({ status: 204, headers: { 'x-ms-dop-hint': '4' } });
    await client.send(patches(1)[0]!);
    expect(client.concurrency.current).toBe(4);
    server.handle = () => ({ status: 204, headers: { 'x-ms-dop-hint': '100' } });
    await client.send(patches(1)[0]!);
    expect(client.concurrency.current).toBe(16);
    expect(new DataverseClient({ url: server.origin, credential: staticCredential(), concurrency: 500 }).concurrency.current).toBe(52);
  });
});

describe('DataverseClient.list', () => {
  it('sends Prefer: odata.maxpagesize on every page and follows @odata.nextLink (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview)', async () => {
    server.handle = (req) =>
      req.url.includes('$skiptoken')
        ? { status: 200, body: { value: [{ contactid: 'c3' }] } }
        : { status: 200, body: { value: [{ contactid: 'c1' }, { contactid: 'c2' }], '@odata.nextLink': `${ROOT()}contacts?$select=contactid,emailaddress1&$filter=o25fs_setuptechnician%20eq%20true&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E` } };
    const rows = await client.list<{ contactid: string }>('contacts', { select: ['contactid', 'emailaddress1'], filter: 'o25fs_setuptechnician eq true', pageSize: 2 });
    expect(rows.map((r) => r.contactid)).toEqual(['c1', 'c2', 'c3']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/org/api/data/v9.2/contacts?$select=contactid,emailaddress1&$filter=o25fs_setuptechnician%20eq%20true',
      '/org/api/data/v9.2/contacts?$select=contactid,emailaddress1&$filter=o25fs_setuptechnician%20eq%20true&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E',
    ]);
    for (const r of server.requests) expect(r.headers).toMatchObject({ prefer: 'odata.maxpagesize=2', accept: 'application/json', 'odata-version': '4.0', 'odata-maxversion': '4.0' });
    expect(server.requests[0]!.headers['content-type']).toBeUndefined();
  });

  it('the page size defaults to 5000, the documented maximum', async () => {
    server.handle = () => ({ status: 200, body: { value: [] } });
    await client.list('systemusers', { select: ['systemuserid'], pageSize: 20_000 });
    await client.list('systemusers', { select: ['systemuserid'] });
    expect(server.requests.map((r) => r.headers.prefer)).toEqual(['odata.maxpagesize=5000', 'odata.maxpagesize=5000']);
  });

  it('a refused read stops the list with a classified error', async () => {
    server.handle = () => ({ status: 403, body: { error: { code: '0x80040220', message: 'Principal user is missing prvReadcontact privilege' } } });
    await expect(client.list('contacts', { select: ['contactid'] })).rejects.toMatchObject({ code: 'DATAVERSE_PRIVILEGE', errorClass: 'configuration' });
  });

  it('writes send Content-Type: application/json with the JSON body', async () => {
    server.handle = () => ({ status: 204 });
    await client.send({ method: 'POST', url: 'bookableresources', body: { name: 'Ada' } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/org/api/data/v9.2/bookableresources', body: '{"name":"Ada"}' });
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });
});
