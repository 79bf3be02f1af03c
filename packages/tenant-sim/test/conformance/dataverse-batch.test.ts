/**
 * Conformance: Dataverse $batch. Source: execute-batch-operations-using-web-api.md:
 * request/response format, change sets, Content-ID references, "Handling errors".
 */
import { DynamicsWebApi } from 'dynamics-web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { CHAR_1, CHAR_2, RESOURCE_1, USER_2, batchBody, contactId, dataverseFixture, parseBatchResponse, type BatchItem } from './dataverse-fixture.js';

let s: RunningSim;
let root: string;
beforeEach(async () => {
  s = await startSim(dataverseFixture());
  root = `${s.info.dataverseUrl}/api/data/v9.2/`;
});
afterEach(() => s.stop());

async function batch(items: (BatchItem | BatchItem[])[], headers: Record<string, string> = {}) {
  const boundary = 'batch_AAA123';
  const res = await s.dataverse('POST', '$batch', { body: batchBody(boundary, items), headers: { 'Content-Type': `multipart/mixed; boundary="${boundary}"`, ...headers } });
  const contentType = res.headers.get('content-type') ?? '';
  return { res, contentType, parts: contentType.startsWith('multipart/mixed') ? parseBatchResponse(contentType, res.text) : [] };
}

const resourceBody = (name: string, user: string) => ({ name, resourcetype: 3, 'UserId@odata.bind': `/systemusers(${user})`, timezone: 85 });

describe('$batch format and order', () => {
  it('runs parts in order and answers in the same order: batchresponse_ boundary, changesetresponse_, Content-ID echoed, OData-EntityId', async () => {
    const { res, contentType, parts } = await batch([
      { method: 'GET', url: `${root}contacts(${contactId(1)})?$select=lastname` },
      [
        { method: 'POST', url: `${root}bookableresources`, body: resourceBody('Dee Dune', USER_2), contentId: '1' },
        { method: 'POST', url: `${root}bookableresourcecharacteristics`, body: { 'Resource@odata.bind': '$1', 'Characteristic@odata.bind': `/characteristics(${CHAR_2})` }, contentId: '2' },
      ],
      { method: 'GET', url: `/api/data/v9.2/bookableresourcecharacteristics?$select=_resource_value&$filter=${encodeURIComponent(`_characteristic_value eq ${CHAR_2}`)}` },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(contentType).toMatch(/^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/);
    expect(res.text).toMatch(/Content-Type: multipart\/mixed; boundary=changesetresponse_[0-9a-f-]{36}/);
    expect(parts.map((p) => [p.status, p.contentId, p.changeset])).toEqual([
      [200, null, false],
      [204, '1', true],
      [204, '2', true],
      [200, null, false],
    ]);
    expect((parts[0]!.body as any).lastname).toBe('Archer');
    const resourceUrl = parts[1]!.headers['odata-entityid']!;
    expect(resourceUrl).toMatch(new RegExp(`^${root.replace(/[.$?()]/g, '\\$&')}bookableresources\\([0-9a-f-]{36}\\)$`));
    const resourceId = /\(([^)]+)\)$/.exec(resourceUrl)![1];
    expect((parts[3]!.body as any).value.map((r: any) => r._resource_value)).toEqual([resourceId]);
  });

  it('logs the batch once with its parts as inner entries (Dataverse counts a batch as one request)', async () => {
    await s.token('dataverse');
    await s.admin('DELETE', '/requests');
    await batch([{ method: 'GET', url: 'accounts?$select=name' }, [{ method: 'PATCH', url: `contacts(${contactId(1)})`, body: { jobtitle: 'A' }, contentId: '1' }]]);
    const log = await s.admin('GET', '/requests');
    expect(log.json.value).toEqual([
      {
        service: 'dataverse',
        method: 'POST',
        path: '/api/data/v9.2/$batch',
        status: 200,
        inner: [
          { method: 'GET', path: 'accounts', status: 200 },
          { method: 'PATCH', path: `contacts(${contactId(1)})`, status: 204 },
        ],
      },
    ]);
  });

  it('a body that is not multipart/mixed is 400', async () => {
    const res = await s.dataverse('POST', '$batch', { body: { requests: [] } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toMatch(/^0x/);
  });

  it('more than 1000 requests is 400 (batch limit 1000)', async () => {
    const items: BatchItem[] = Array.from({ length: 1001 }, () => ({ method: 'GET', url: 'accounts?$select=name' }));
    const { res } = await batch(items);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('1000');
    const ok = await batch(items.slice(0, 1000));
    expect(ok.res.status).toBe(200);
    expect(ok.parts).toHaveLength(1000);
  });
});

describe('change sets (execute-batch-operations "Change sets", "Reference URIs in an operation")', () => {
  it('are atomic: a failing request rolls back every write of its change set', async () => {
    const before = s.sim.state.dataverse.table('bookableresources').size;
    const etag = s.sim.state.dataverse.etag('contacts', contactId(1));
    const { res, parts } = await batch([
      [
        { method: 'POST', url: 'bookableresources', body: resourceBody('Dee Dune', USER_2), contentId: '1' },
        { method: 'PATCH', url: `contacts(${contactId(1)})`, body: { jobtitle: 'Rolled back' }, contentId: '2' },
        { method: 'POST', url: 'bookableresourcecharacteristics', body: { 'Resource@odata.bind': '$1' }, contentId: '3' },
      ],
    ]);
    expect(res.status).toBe(400);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ status: 400, contentId: '3' });
    expect(s.sim.state.dataverse.table('bookableresources').size).toBe(before);
    expect(s.sim.state.dataverse.get('contacts', contactId(1))?.jobtitle).toBeUndefined();
    expect(s.sim.state.dataverse.etag('contacts', contactId(1))).toBe(etag);
  });

  it('an undeclared Content-ID reference is 400 "Content-ID Reference: \'$1\' does not exist in the batch context."', async () => {
    const { res, parts } = await batch([[{ method: 'POST', url: 'bookableresourcecharacteristics', body: { 'Resource@odata.bind': '$1', 'Characteristic@odata.bind': `/characteristics(${CHAR_1})` }, contentId: '2' }]]);
    expect(res.status).toBe(400);
    expect((parts[0]!.body as any).error.message).toBe("Content-ID Reference: '$1' does not exist in the batch context.");
  });

  it('a $n reference also works in the URL of a later request (PATCH $1)', async () => {
    const { parts } = await batch([
      [
        { method: 'POST', url: 'accounts', body: { name: 'New vendor' }, contentId: '1' },
        { method: 'PATCH', url: '$1', body: { accountnumber: 'V-1' }, contentId: '2' },
      ],
    ]);
    expect(parts.map((p) => p.status)).toEqual([204, 204]);
    const id = /\(([^)]+)\)$/.exec(parts[0]!.headers['odata-entityid']!)![1]!;
    expect(s.sim.state.dataverse.get('accounts', id)).toMatchObject({ name: 'New vendor', accountnumber: 'V-1' });
  });

  it('GET is not allowed inside a change set', async () => {
    const { res, parts } = await batch([[{ method: 'GET', url: 'accounts', contentId: '1' }]]);
    expect(res.status).toBe(400);
    expect(parts[0]!.status).toBe(400);
  });
});

describe('errors ("Handling errors")', () => {
  const items = (): BatchItem[] => [
    { method: 'PATCH', url: `contacts(${contactId(1)})`, body: { jobtitle: 'First' } },
    { method: 'POST', url: 'contacts', body: { lastname: 'x'.repeat(60) } },
    { method: 'PATCH', url: `contacts(${contactId(2)})`, body: { jobtitle: 'Third' } },
  ];

  it('without odata.continue-on-error the first failure stops the batch: outer 400 with only the failing part', async () => {
    const { res, parts } = await batch(items());
    expect(res.status).toBe(400);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.status).toBe(400);
    expect(parts[0]!.body).toEqual({ error: { code: '0x80044331', message: "A validation error occurred.  The length of the 'lastname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'." } });
    // Earlier parts outside a change set stay committed; later parts are not processed.
    expect(s.sim.state.dataverse.get('contacts', contactId(1))?.jobtitle).toBe('First');
    expect(s.sim.state.dataverse.get('contacts', contactId(2))?.jobtitle).toBeUndefined();
  });

  it('with Prefer: odata.continue-on-error the batch is 200 and every part is answered', async () => {
    const { res, parts } = await batch(items(), { Prefer: 'odata.continue-on-error' });
    expect(res.status).toBe(200);
    expect(parts.map((p) => p.status)).toEqual([204, 400, 204]);
    expect(s.sim.state.dataverse.get('contacts', contactId(2))?.jobtitle).toBe('Third');
  });

  it('with continue-on-error a failed change set is one failing part and the batch goes on', async () => {
    const { res, parts } = await batch(
      [
        [
          { method: 'POST', url: 'bookableresources', body: resourceBody('A', USER_2), contentId: '1' },
          { method: 'DELETE', url: `characteristics(${CHAR_1})`, contentId: '2' },
        ],
        { method: 'DELETE', url: `bookableresources(${RESOURCE_1})` },
      ],
      { Prefer: 'odata.continue-on-error' },
    );
    expect(res.status).toBe(200);
    expect(parts.map((p) => [p.status, p.contentId])).toEqual([
      [405, '2'],
      [204, null],
    ]);
    expect(s.sim.state.dataverse.table('bookableresources').size).toBe(0);
  });
});

describe('dynamics-web-api 2.5 batch format (multipart/mixed;boundary=dwa_batch_<uuid>, absolute URLs, change sets)', () => {
  it('executes a dynamics-web-api batch and the library parses the answer', async () => {
    const token = await s.token('dataverse');
    const api = new DynamicsWebApi({ serverUrl: `${s.info.dataverseUrl}/`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token });
    api.startBatch();
    void api.retrieveMultiple({ collection: 'accounts', select: ['name'] });
    void api.create({ collection: 'bookableresources', data: resourceBody('Dee Dune', USER_2) });
    void api.update({ collection: 'contacts', key: contactId(4), data: { jobtitle: 'Fitter' } });
    const results = await api.executeBatch();
    expect(results).toHaveLength(3);
    expect((results[0] as any).value.map((a: any) => a.name)).toEqual(['Alpha Vendors', "O'Brien Services"]);
    expect(typeof results[1]).toBe('string');
    expect(s.sim.state.dataverse.get('bookableresources', results[1] as string)).toMatchObject({ name: 'Dee Dune', _userid_value: USER_2 });
    expect(s.sim.state.dataverse.get('contacts', contactId(4))?.jobtitle).toBe('Fitter');
  });
});
