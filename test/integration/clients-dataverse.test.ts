/**
 * DataverseClient through the real tenant simulator, with the credential from the environment only.
 * Sources: learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview (Prefer:
 * odata.maxpagesize, nextLink),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 * ($batch with
 * continue-on-error: every part answered, in order),
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 * (404 0x80040217, If-Match).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, createClients, createCredential, type Clients } from '../../src/clients/index.js';
import type { ServiceRequest } from '../../src/clients/types.js';
import { startSim, type RunningSim } from 'tenant-sim/testing';

const ACCOUNT = 'aaaaaaaa-0000-0000-0000-000000000001';
const cid = (n: number) => `11111111-0000-0000-0000-${String(n).padStart(12, '0')}`;
const contacts = Array.from({ length: 7 }, (_, i) => ({
  contactid: cid(i + 1),
  firstname: `F${i + 1}`,
  lastname: `L${i + 1}`,
  fullname: `F${i + 1} L${i + 1}`,
  emailaddress1: `t${i + 1}@vendor.example`,
  statecode: 0,
  statuscode: 1,
  _parentcustomerid_value: ACCOUNT,
  o25fs_setuptechnician: i % 2 === 0,
}));

const ENV_KEYS = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_AUTHORITY_HOST'] as const;
const saved = new Map<string, string | undefined>();

let s: RunningSim;
let clients: Clients;

beforeAll(async () => {
  s = await startSim({ dataverse: { accounts: [{ accountid: ACCOUNT, name: 'Alpha Vendors', statecode: 0, statuscode: 1 }], contacts } });
  for (const k of ENV_KEYS) {
    saved.set(k, process.env[k]);
    process.env[k] = s.info.env[k];
  }
  clients = createClients({ graphBaseUrl: s.info.env.GRAPH_BASE_URL!, dataverseUrl: s.info.env.DATAVERSE_URL! }, createCredential());
});
afterAll(async () => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await s.stop();
});

describe('DataverseClient through the simulator', () => {
  it('list pages with odata.maxpagesize and follows every nextLink (page-results.md)', async () => {
    s.sim.requests.length = 0;
    const rows = await clients.dataverse.list<{ contactid: string; emailaddress1: string }>('contacts', {
      select: ['contactid', 'emailaddress1'],
      filter: 'o25fs_setuptechnician eq true',
      orderby: 'lastname asc',
      pageSize: 2,
    });
    expect(rows.map((r) => r.contactid)).toEqual([cid(1), cid(3), cid(5), cid(7)]);
    expect(rows[0]).toMatchObject({ emailaddress1: 't1@vendor.example' });
    const pages = s.sim.requests.filter((r) => r.service === 'dataverse');
    expect(pages.map((r) => r.status)).toEqual([200, 200]);
  });

  it('sendMany: one $batch with continue-on-error answers every part in order, a missing row included', async () => {
    s.sim.requests.length = 0;
    const requests: ServiceRequest[] = [
      { method: 'PATCH', url: `contacts(${cid(1)})`, headers: { 'If-Match': '*' }, body: { firstname: 'Ann' } },
      { method: 'PATCH', url: `contacts(${cid(99)})`, headers: { 'If-Match': '*' }, body: { firstname: 'Nobody' } },
      { method: 'GET', url: `contacts(${cid(2)})?$select=firstname` },
      { method: 'PATCH', url: `contacts(${cid(3)})`, headers: { 'If-Match': '*' }, body: { firstname: 'Cid' } },
    ];
    const responses = await clients.dataverse.sendMany(requests);
    expect(responses.map((r) => r.status)).toEqual([204, 404, 200, 204]);
    expect(responses[2]!.body).toMatchObject({ firstname: 'F2' });
    expect(classify('dataverse', requests[1]!, responses[1]!)?.code).toBe('DATAVERSE_ROW_GONE');
    const batches = s.sim.requests.filter((r) => r.service === 'dataverse');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(batches[0]!.path).toMatch(/\/api\/data\/v9\.2\/\$batch$/);
    expect(s.sim.state.dataverse.get('contacts', cid(1))).toMatchObject({ firstname: 'Ann' });
    expect(s.sim.state.dataverse.get('contacts', cid(3))).toMatchObject({ firstname: 'Cid' });
    expect(s.sim.state.dataverse.get('contacts', cid(99))).toBeUndefined();
  });
});
