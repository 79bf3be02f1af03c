/**
 * Conformance at bench scale: the default and maximum page size of 5,000 rows and paging through a
 * large table (page-results.md). Also a regression guard: filters must hold over
 * tens of thousands of rows (Node 22.23's optimiser once made a per-row filter closure fall through).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';

const N = 30_000;
const ACCOUNT = 'aaaaaaaa-0000-0000-0000-000000000001';
const contacts = Array.from({ length: N }, (_, i) => ({
  contactid: `11111111-0000-0000-0000-${String(i).padStart(12, '0')}`,
  lastname: `L${i % 997}`,
  statecode: i % 10 === 0 ? 1 : 0,
  statuscode: i % 10 === 0 ? 2 : 1,
  emailaddress1: i % 3 === 0 ? null : `u${i}@x.example`,
  _parentcustomerid_value: i % 2 === 0 ? ACCOUNT : null,
}));

let s: RunningSim;
let token: string;
beforeAll(async () => {
  s = await startSim({ dataverse: { contacts } });
  token = await s.token('dataverse');
});
afterAll(() => s.stop());

async function all(query: string, prefer?: string): Promise<{ ids: string[]; pages: number[]; applied: (string | null)[] }> {
  let url: string | undefined = `${s.info.dataverseUrl}/api/data/v9.2/contacts?${query}`;
  const ids: string[] = [];
  const pages: number[] = [];
  const applied: (string | null)[] = [];
  while (url) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, ...(prefer ? { Prefer: prefer } : {}) } });
    const json: any = await res.json();
    applied.push(res.headers.get('preference-applied'));
    pages.push(json.value.length);
    ids.push(...json.value.map((r: any) => r.contactid));
    url = json['@odata.nextLink'];
  }
  return { ids, pages, applied };
}

describe('paging a large table (page-results.md)', () => {
  it('without Prefer, pages hold the default 5,000 rows and every row comes exactly once, in primary-key order', async () => {
    const { ids, pages } = await all('$select=contactid');
    expect(pages).toEqual([5000, 5000, 5000, 5000, 5000, 5000]);
    expect(ids).toEqual(contacts.map((c) => c.contactid));
  });

  it('odata.maxpagesize above 5,000 is capped at 5,000 (the maximum), and Preference-Applied says so', async () => {
    const { pages, applied } = await all('$select=contactid', 'odata.maxpagesize=10000');
    expect(pages).toEqual([5000, 5000, 5000, 5000, 5000, 5000]);
    expect(applied.every((a) => a === 'odata.maxpagesize=5000')).toBe(true);
  });

  it('$filter holds over every row of a large scan (and/ne null/_x_value/state)', async () => {
    const filter = encodeURIComponent(`statecode eq 0 and emailaddress1 ne null and _parentcustomerid_value eq ${ACCOUNT}`);
    const { ids } = await all(`$select=contactid&$filter=${filter}`, 'odata.maxpagesize=1000');
    const expected = contacts.filter((c) => c.statecode === 0 && c.emailaddress1 !== null && c._parentcustomerid_value === ACCOUNT).map((c) => c.contactid);
    expect(ids).toEqual(expected);
  });

  it('$orderby pages keep the order across nextLinks', async () => {
    const { ids } = await all(`$select=contactid,lastname&$orderby=${encodeURIComponent('lastname desc')}`, 'odata.maxpagesize=2500');
    const expected = [...contacts]
      .sort((a, b) => (a.lastname.toLowerCase() < b.lastname.toLowerCase() ? 1 : a.lastname.toLowerCase() > b.lastname.toLowerCase() ? -1 : a.contactid < b.contactid ? -1 : 1))
      .map((c) => c.contactid);
    expect(ids).toEqual(expected);
  });
});
