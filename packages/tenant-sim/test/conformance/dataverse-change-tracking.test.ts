/**
 * Conformance: Dataverse change tracking. Source: Learn
 * use-change-tracking-synchronize-data-external-systems.md: `Prefer: odata.track-changes`
 * → `Preference-Applied`, paging, `@odata.deltaLink` with `$deltatoken`, created/updated rows then
 * `$deletedEntity` rows, `$filter`/`$orderby`/`$expand`/`$top` not supported, tables need
 * ChangeTrackingEnabled, 7-day retention (ExpireChangeTrackingInDays). The expired-token error is
 * not documented: the simulator answers 410 as OData 4.0 §11.3 prescribes for a
 * delta link that is no longer valid (docs/simulator-dataverse.md "Change tracking").
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, contactId, dataverseFixture } from './dataverse-fixture.js';

let s: RunningSim;
let root: string;
beforeEach(async () => {
  await s?.stop();
  s = await startSim(dataverseFixture());
  root = `${s.info.dataverseUrl}/api/data/v9.2/`;
});
afterAll(() => s.stop());

const TRACK = { Prefer: 'odata.track-changes' };
const rel = (link: string): string => link.slice(root.length);

async function initial(query = '$select=fullname,emailaddress1', headers: Record<string, string> = TRACK): Promise<{ rows: any[]; deltaLink: string; pages: number }> {
  const rows: any[] = [];
  let pages = 0;
  let next = `contacts?${query}`;
  for (;;) {
    const res = await s.dataverse('GET', next, { headers });
    expect(res.status).toBe(200);
    pages++;
    rows.push(...res.json.value);
    if (res.json['@odata.nextLink']) {
      next = rel(res.json['@odata.nextLink']);
      continue;
    }
    return { rows, deltaLink: rel(res.json['@odata.deltaLink']), pages };
  }
}

describe('Prefer: odata.track-changes on a collection (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems)', () => {
  it('answers Preference-Applied: odata.track-changes, every row, and @odata.deltaLink with $deltatoken=<version>!<date> on the last page', async () => {
    const res = await s.dataverse('GET', 'contacts?$select=fullname', { headers: TRACK });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('odata.track-changes');
    expect(res.json['@odata.context']).toBe(`${root}$metadata#contacts(fullname)`);
    expect(res.json.value.map((r: any) => r.contactid)).toEqual([1, 2, 3, 4, 5].map(contactId));
    expect(res.json['@odata.nextLink']).toBeUndefined();
    expect(res.json['@odata.deltaLink']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/contacts\?\$select=fullname&\$deltatoken=\d+!\d{2}%2F\d{2}%2F\d{4}%20\d{2}%3A\d{2}%3A\d{2}$/);
  });

  it('pages as a normal read (odata.maxpagesize, @odata.nextLink) and puts the deltaLink only on the last page', async () => {
    const headers = { Prefer: 'odata.track-changes,odata.maxpagesize=2' };
    const first = await s.dataverse('GET', 'contacts?$select=fullname', { headers });
    expect(first.headers.get('preference-applied')).toBe('odata.track-changes,odata.maxpagesize=2');
    expect(first.json['@odata.deltaLink']).toBeUndefined();
    expect(decodeURIComponent(first.json['@odata.nextLink'])).toContain('istracking="True"');
    const all = await initial('$select=fullname', headers);
    expect(all.pages).toBe(3);
    expect(all.rows).toHaveLength(5);
  });

  it('$filter, $orderby, $expand and $top are not supported with track-changes → 400 (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems)', async () => {
    for (const q of ['$filter=statecode eq 0', '$orderby=fullname', '$expand=parentcustomerid_account', '$top=2']) {
      const res = await s.dataverse('GET', `contacts?$select=fullname&${q}`, { headers: TRACK });
      expect(res.status, q).toBe(400);
      expect(res.json.error.message, q).toContain('not supported with change tracking');
    }
  });

  it('a table without change tracking enabled → 400 (ChangeTrackingEnabled, learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems; stricter)', async () => {
    const res = await s.dataverse('GET', 'msdyn_organizationalunits?$select=msdyn_name', { headers: TRACK });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      "Change tracking is not enabled for the entity 'msdyn_organizationalunit'. Turn on Track changes (EntityMetadata.ChangeTrackingEnabled) for the table.",
    );
  });
});

describe('GET the deltaLink (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems)', () => {
  it('with nothing changed: no rows, context …/$delta, a new deltaLink', async () => {
    const { deltaLink } = await initial();
    const res = await s.dataverse('GET', deltaLink, { headers: TRACK });
    expect(res.status).toBe(200);
    expect(res.json['@odata.context']).toBe(`${root}$metadata#contacts(fullname,emailaddress1)/$delta`);
    expect(res.json.value).toEqual([]);
    expect(res.json['@odata.deltaLink']).toMatch(/\$deltatoken=/);
  });

  it('returns created and updated rows (full selected columns) first, then deleted rows as $deletedEntity', async () => {
    const { deltaLink } = await initial();
    const upd = await s.dataverse('PATCH', `contacts(${contactId(2)})`, { body: { emailaddress1: 'bob@new.example' } });
    expect(upd.status).toBe(204);
    const created = await s.dataverse('POST', 'contacts', { body: { firstname: 'Fay', lastname: 'Field', emailaddress1: 'fay@alpha.example', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT_A})` } });
    expect(created.status).toBe(204);
    const newId = /contacts\((.*)\)/.exec(created.headers.get('odata-entityid')!)![1]!;
    expect((await s.dataverse('DELETE', `contacts(${contactId(4)})`)).status).toBe(204);
    const res = await s.dataverse('GET', deltaLink, { headers: TRACK });
    expect(res.status).toBe(200);
    expect(res.json.value).toEqual([
      { '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), fullname: "Bob O'Bryan", emailaddress1: 'bob@new.example', contactid: contactId(2) },
      { '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), fullname: 'Fay Field', emailaddress1: 'fay@alpha.example', contactid: newId },
      { '@odata.context': `${root}$metadata#contacts/$deletedEntity`, id: contactId(4), reason: 'deleted' },
    ]);
    const again = await s.dataverse('GET', rel(res.json['@odata.deltaLink']), { headers: TRACK });
    expect(again.json.value).toEqual([]);
  });

  it('a row deleted by a cascade, and a change made through the store (the user sync), are reported too', async () => {
    const brcInitial = await s.dataverse('GET', 'bookableresourcecharacteristics?$select=_resource_value', { headers: TRACK });
    const deltaLink = rel(brcInitial.json['@odata.deltaLink']);
    const su = await s.dataverse('GET', 'systemusers?$select=isdisabled', { headers: TRACK });
    const suLink = rel(su.json['@odata.deltaLink']);
    // Deleting the resource cascades to its characteristic link
    // (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresourcecharacteristic).
    const resources = await s.dataverse('GET', 'bookableresources?$select=name');
    expect((await s.dataverse('DELETE', `bookableresources(${resources.json.value[0].bookableresourceid})`)).status).toBe(204);
    const brc = await s.dataverse('GET', deltaLink, { headers: TRACK });
    expect(brc.json.value).toEqual([{ '@odata.context': `${root}$metadata#bookableresourcecharacteristics/$deletedEntity`, id: expect.any(String), reason: 'deleted' }]);
    const row = [...s.sim.state.dataverse.table('systemusers').values()][0]!;
    s.sim.state.dataverse.update('systemusers', String(row.systemuserid), { isdisabled: true });
    const users = await s.dataverse('GET', suLink, { headers: TRACK });
    expect(users.json.value).toEqual([{ '@odata.etag': expect.any(String), isdisabled: true, systemuserid: row.systemuserid }]);
  });

  it('a change made while a client pages through the changes comes in the next round; none is skipped', async () => {
    const { deltaLink } = await initial();
    for (const n of [1, 2, 3]) await s.dataverse('PATCH', `contacts(${contactId(n)})`, { body: { emailaddress1: `c${n}@x.example` } });
    const headers = { Prefer: 'odata.track-changes,odata.maxpagesize=1' };
    const p1 = await s.dataverse('GET', deltaLink, { headers });
    expect(p1.json.value.map((r: any) => r.contactid)).toEqual([contactId(1)]);
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { emailaddress1: 'again@x.example' } });
    await s.dataverse('PATCH', `contacts(${contactId(2)})`, { body: { emailaddress1: 'again@x.example' } });
    const seen: string[] = [];
    let next: string | undefined = rel(p1.json['@odata.nextLink']);
    let last = '';
    while (next) {
      const res = await s.dataverse('GET', next, { headers });
      seen.push(...res.json.value.map((r: any) => r.contactid));
      next = res.json['@odata.nextLink'] ? rel(res.json['@odata.nextLink']) : undefined;
      last = res.json['@odata.deltaLink'] ? rel(res.json['@odata.deltaLink']) : last;
    }
    expect(seen).toEqual([contactId(3)]);
    const round2 = await s.dataverse('GET', last, { headers: TRACK });
    expect(round2.json.value.map((r: any) => [r.contactid, r.emailaddress1])).toEqual([
      [contactId(1), 'again@x.example'],
      [contactId(2), 'again@x.example'],
    ]);
  });

  it('the deltaLink must be sent with the same Prefer: odata.track-changes header (stricter), and takes no $filter', async () => {
    const { deltaLink } = await initial();
    expect((await s.dataverse('GET', deltaLink)).status).toBe(400);
    expect((await s.dataverse('GET', `${deltaLink}&$filter=statecode eq 0`, { headers: TRACK })).status).toBe(400);
  });

  it('a token older than the retention (7 days, ExpireChangeTrackingInDays) → 410 Gone (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems; the real error is not documented: strict choice)', async () => {
    const { deltaLink } = await initial();
    await s.admin('PUT', '/tracking', { clockOffsetMs: 6 * 86_400_000 });
    expect((await s.dataverse('GET', deltaLink, { headers: TRACK })).status).toBe(200);
    await s.admin('PUT', '/tracking', { clockOffsetMs: 7 * 86_400_000 + 60_000 });
    const res = await s.dataverse('GET', deltaLink, { headers: TRACK });
    expect(res.status).toBe(410);
    expect(res.json.error.message).toContain('has expired: changes are kept for 7 days (ExpireChangeTrackingInDays)');
  });

  it('a malformed $deltatoken → 400', async () => {
    const res = await s.dataverse('GET', 'contacts?$select=fullname&$deltatoken=nonsense', { headers: TRACK });
    expect(res.status).toBe(400);
  });
});
