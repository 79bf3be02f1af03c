/**
 * The contact's owner is copied to its bookable resource (reconcilers/technicians/bookable-resource-owner.ts)
 * against the simulator's record ownership (packages/tenant-sim/docs/simulator-dataverse.md
 * "Ownership"): resources the application created are assigned to the contact's owning user or
 * team, contacts without an owner leave their resource with the application, a resource reassigned
 * by hand is assigned back, and a converged tenant assigns nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from 'tenant-sim';
import { ownedBy, teamRow } from 'tenant-sim/fixture-builders';
import { DEMO_FIXTURE, startTenant, type Tenant } from '../support/tenant.js';

type Row = Record<string, unknown>;
const STAFF = 'a1111111-0000-4000-8000-0000000000a1';
const TEAM = 'a2222222-0000-4000-8000-0000000000a2';
const OTHER_TEAM = 'a3333333-0000-4000-8000-0000000000a3';

const fixture = structuredClone(DEMO_FIXTURE) as Fixture & { dataverse: Record<string, Row[]> };
const appUser = fixture.dataverse.systemusers!.find((u) => u.applicationid)!;
// Technicians already converged in the demo (anchored, with a resource), and new ones (neither).
const active = fixture.dataverse.contacts!.filter((c) => c.o25fs_setuptechnician === true && c.statecode === 0);
const contacts = active.filter((c) => c.o25fs_entraobjectid && c._o25fs_bookableresourceid_value);
const fresh = active.filter((c) => !c.o25fs_entraobjectid && !c._o25fs_bookableresourceid_value && String(c.emailaddress1 ?? '').includes('@'));
const [byStaff, byTeam, unowned] = [contacts[0]!, contacts[1]!, contacts[2]!];
// The demo's contacts are owned by their vendor's team; these three say otherwise.
Object.assign(byStaff, ownedBy(STAFF, 'systemuser'));
Object.assign(byTeam, ownedBy(TEAM, 'team'));
Object.assign(unowned, { _ownerid_value: null, _owninguser_value: null, _owningteam_value: null });
const unownedResource = fixture.dataverse.bookableresources!.find((r) => r.bookableresourceid === unowned._o25fs_bookableresourceid_value)!;
fixture.dataverse.systemusers!.push({ ...appUser, systemuserid: STAFF, azureactivedirectoryobjectid: 'b1111111-0000-4000-8000-0000000000b1', applicationid: null, fullname: 'Dana Account-Manager', internalemailaddress: 'dana@contoso.com', domainname: 'dana@contoso.com', accessmode: 0 });
fixture.dataverse.teams = [...(fixture.dataverse.teams ?? []), teamRow(TEAM, 'Night shift'), teamRow(OTHER_TEAM, 'Someone else')];

let t: Tenant;
beforeAll(async () => {
  t = await startTenant(fixture);
});
afterAll(() => t.stop());

const resourceOf = (contact: Row): Row | undefined => {
  const dv = t.s.sim.state.dataverse;
  const link = dv.get('contacts', String(contact.contactid))?._o25fs_bookableresourceid_value;
  return typeof link === 'string' ? dv.get('bookableresources', link) : undefined;
};

async function converge(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.outcome).toBe('succeeded');
    t.s.sim.userSync.runNow(t.s.sim.state);
  }
}

describe("the bookable resource follows the contact's owner", () => {
  it("assigns resources to the contact's owning user or team, new ones right after their create", async () => {
    expect(fresh.length).toBeGreaterThan(5);
    await converge();
    expect(resourceOf(byStaff)).toMatchObject({ _ownerid_value: STAFF, _owninguser_value: STAFF, _owningteam_value: null });
    expect(resourceOf(byTeam)).toMatchObject({ _ownerid_value: TEAM, _owninguser_value: null, _owningteam_value: TEAM });
    // Created by the application, then assigned: owned like their contacts, none left with the app.
    const created = fresh.map(resourceOf).filter((r) => r !== undefined);
    expect(created.length).toBeGreaterThan(5);
    for (const contact of fresh) {
      const r = resourceOf(contact);
      if (r) expect(r._ownerid_value).toBe(contact._ownerid_value);
    }
    expect(created.some((r) => r._ownerid_value === appUser.systemuserid)).toBe(false);
  });

  it("a contact whose owner was not read leaves its resource's owner as it is", () => {
    expect(resourceOf(unowned)).toMatchObject({ _ownerid_value: unownedResource._ownerid_value, _owningteam_value: unownedResource._owningteam_value });
  });

  it('a converged tenant assigns nothing', async () => {
    const { plan } = await t.engine().plan({ kind: 'tenant' });
    expect(plan.changes.filter((c) => c.kind === 'bookableresource.owner')).toEqual([]);
  });

  it('a resource reassigned by hand is assigned back to the contact\'s owner, with the reason', async () => {
    const id = String(resourceOf(byTeam)!.bookableresourceid);
    const patched = await t.s.dataverse('PATCH', `bookableresources(${id})`, { body: { 'ownerid@odata.bind': `/teams(${OTHER_TEAM})` }, headers: { 'If-Match': '*' } });
    expect(patched.status).toBe(204);
    const { plan } = await t.engine().plan({ kind: 'tenant' });
    const owner = plan.changes.filter((c) => c.kind === 'bookableresource.owner');
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({ target: { entity: 'bookableresource', id }, before: { _owninguser_value: null, _owningteam_value: OTHER_TEAM }, after: { _owninguser_value: null, _owningteam_value: TEAM } });
    const run = await t.engine().run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.results.filter((r) => r.changeId.endsWith('/bookableresource.owner')).map((r) => r.outcome)).toEqual(['applied']);
    expect(resourceOf(byTeam)).toMatchObject({ _ownerid_value: TEAM, _owningteam_value: TEAM });
  });
});
