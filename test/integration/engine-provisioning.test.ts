/**
 * Provisioning from scratch through the real clients (issue 3, "Tests": provisioning from scratch;
 * the requests are the ones docs/plan-format.md lists per change kind).
 *
 * Three new technicians of two vendors (characteristics, coordinates, org unit, warehouse; one in
 * Ireland, one without a country): the first apply invites, anchors, sets the usage location,
 * licenses and adds to the group; until Dataverse's user sync has run the contacts wait; after it,
 * the next apply creates the bookable resources, links them, creates the characteristics and copies
 * the coordinates; then nothing is left to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookableResourceIdFor, resourceCharacteristicIdFor } from '../../reconcilers/technicians/ids.js';
import { REF, STATUS_VALUE, WORK_LOCATION, startEngineTenant, threeTechnicians, type EngineTenant, type WireRequest } from './engine-fixture.js';

const techs = threeTechnicians();
const [ada, brendan, chen] = techs as [(typeof techs)[0], (typeof techs)[0], (typeof techs)[0]];
/** Usage location per technician: from the country (Ireland → IE), else DEFAULT_USAGE_LOCATION (GB). */
const usageLocation: Record<string, string> = { [ada.id]: 'GB', [brendan.id]: 'IE', [chen.id]: 'GB' };

let t: EngineTenant;
beforeAll(async () => {
  t = await startEngineTenant(techs);
});
afterAll(() => t.stop());

const userIdOf = (contactId: string): string => String(t.contact(contactId).o25fs_entraobjectid);
const strip = (w: WireRequest): { method: string; path: string; body: unknown } => ({ method: w.method, path: w.path, body: w.body });

describe('provisioning from scratch', () => {
  it('first apply: one invitation per email, anchor, usage location before the licence, licence and group; status invited', async () => {
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(run.plan.changes.map((c) => c.kind).filter((k) => k.startsWith('bookableresource') || k.startsWith('characteristic'))).toEqual([]);

    // Exactly one invitation per email (the simulator logs every POST /invitations).
    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress).sort()).toEqual(techs.map((x) => x.email).sort());
    expect(t.s.sim.state.graph.users.size).toBe(3);

    for (const tech of techs) {
      const userId = userIdOf(tech.id);
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.s.sim.state.invitations.find((i) => i.invitedUserEmailAddress === tech.email)?.invitedUserId).toBe(userId);

      const invites = t.wire.filter((w) => w.method === 'POST' && w.path === '/invitations' && (w.body as { invitedUserEmailAddress?: string }).invitedUserEmailAddress === tech.email);
      expect(invites.map((w) => w.body)).toEqual([
        {
          invitedUserEmailAddress: tech.email,
          invitedUserDisplayName: tech.displayName,
          inviteRedirectUrl: REF.redirectUrl,
          sendInvitationMessage: false,
          invitedUserType: 'Guest',
        },
      ]);

      // usageLocation is PATCHed before the licence is assigned (Graph refuses a licence without it).
      const patch = t.wire.findIndex((w) => w.method === 'PATCH' && w.path === `/users/${userId}`);
      const licence = t.wire.findIndex((w) => w.method === 'POST' && w.path === `/users/${userId}/assignLicense`);
      expect(patch).toBeGreaterThanOrEqual(0);
      expect(patch).toBeLessThan(licence);
      // The same PATCH carries the ownership mark (reconcilers/technicians/ownership.ts): no extra write per technician.
      const mark = `vendor-reconciler:v1;contact=${tech.id.toLowerCase()};group=${REF.groupId.toLowerCase()};sku=${REF.skuId.toLowerCase()}`;
      expect(t.wire[patch]!.body).toEqual({
        usageLocation: usageLocation[tech.id],
        onPremisesExtensionAttributes: { extensionAttribute15: mark },
        givenName: tech.contact.firstname,
        surname: tech.contact.lastname,
      });
      expect(t.wire[licence]!.body).toEqual({ addLicenses: [{ skuId: REF.skuId, disabledPlans: [] }], removeLicenses: [] });
      // New technicians join the group together: PATCH /groups/{id} binding up to 20 (graph-member-coalesce.ts), no single adds.
      const bound = t.wire.filter((w) => w.method === 'PATCH' && w.path === `/groups/${REF.groupId}`).flatMap((w) => (w.body as { 'members@odata.bind': string[] })['members@odata.bind']);
      expect(bound.filter((ref) => ref === `${t.s.info.graphBaseUrl}/directoryObjects/${userId}`)).toHaveLength(1);
      expect(t.wire.filter((w) => w.method === 'POST' && w.path === `/groups/${REF.groupId}/members/$ref`)).toEqual([]);
      expect(t.wire.filter((w) => w.method === 'PATCH' && w.path === `contacts(${tech.id})`).map((w) => w.body)).toEqual([
        { o25fs_entraobjectid: userId },
        { o25fs_provisioningstatus: STATUS_VALUE.invited, o25fs_provisioningerror: null },
      ]);

      // End state in Entra and on the contact.
      expect(t.user(userId)).toMatchObject({
        userType: 'Guest',
        mail: tech.email,
        displayName: tech.displayName,
        givenName: tech.contact.firstname,
        surname: tech.contact.lastname,
        usageLocation: usageLocation[tech.id],
        accountEnabled: true,
        assignedLicenses: [{ skuId: REF.skuId, disabledPlans: [] }],
      });
      expect((t.user(userId) as { onPremisesExtensionAttributes?: Record<string, unknown> }).onPremisesExtensionAttributes?.extensionAttribute15).toBe(mark);
      expect(t.groupMembers().has(userId)).toBe(true);
      expect(t.contact(tech.id)).toMatchObject({ o25fs_entraobjectid: userId, o25fs_provisioningstatus: STATUS_VALUE.invited, o25fs_provisioningerror: null });
    }
    // Every write of this run, and nothing else: 3 invitations, 3 anchors, 3 profile PATCHes, one group PATCH for all 3, 3 licences, 3 statuses.
    expect(t.writes()).toHaveLength(16);
    expect(t.table('bookableresources')).toEqual([]);
  });

  it('before the user sync: nothing to change, the contacts wait for their Dataverse user (a state, not an error)', async () => {
    await t.clearLogs();
    const run = await t.apply();
    expect(run.plan.changes).toEqual([]);
    expect(run.plan.subjects.map((c) => [c.subject.id, c.status, c.error])).toEqual(techs.map((x) => [x.id, 'waiting_for_dataverse_user', undefined]));
    expect(t.writes().map(strip)).toEqual(
      techs.map((x) => ({ method: 'PATCH', path: `contacts(${x.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.waiting_for_dataverse_user, o25fs_provisioningerror: null } })),
    );
  });

  it('after the user sync: bookable resource, link, characteristics and coordinates, with the exact bodies; status active', async () => {
    t.sync();
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    // The id formula is fixed forever (docs/plan-format.md, "Deterministic ids"): a golden value guards it.
    expect(bookableResourceIdFor(ada.id)).toBe('db7155f4-5293-598e-b9fb-b0bddd890004');

    const writes = t.writes();
    for (const tech of techs) {
      const userId = userIdOf(tech.id);
      const su = t.systemUserOf(userId);
      const suId = String(su.systemuserid);
      const brId = bookableResourceIdFor(tech.id);
      const c = tech.contact;
      expect(writes.filter((w) => w.method === 'POST' && w.path === 'bookableresources' && (w.body as { bookableresourceid: string }).bookableresourceid === brId).map((w) => w.body)).toEqual([
        {
          bookableresourceid: brId,
          name: tech.displayName,
          resourcetype: 3,
          timezone: REF.timezone,
          msdyn_startlocation: WORK_LOCATION.organizationalUnit,
          msdyn_endlocation: WORK_LOCATION.resourceAddress,
          'msdyn_OrganizationalUnit@odata.bind': `/msdyn_organizationalunits(${c._o25fs_organizationalunitid_value})`,
          msdyn_displayonscheduleboard: true,
          msdyn_displayonscheduleassistant: false,
          msdyn_hourlyrate: c.o25fs_hourlyrate,
          msdyn_timeoffapprovalrequired: true,
          'msdyn_warehouse@odata.bind': `/msdyn_warehouses(${c._o25fs_warehouseid_value})`,
          'UserId@odata.bind': `/systemusers(${suId})`,
        },
      ]);
      expect(writes.filter((w) => w.path === `contacts(${tech.id})`).map(strip)).toEqual([
        { method: 'PATCH', path: `contacts(${tech.id})`, body: { 'o25fs_BookableResourceId@odata.bind': `/bookableresources(${brId})` } },
        { method: 'PATCH', path: `contacts(${tech.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.active, o25fs_provisioningerror: null } },
      ]);
      expect(writes.filter((w) => w.path === `systemusers(${suId})`).map(strip)).toEqual([
        { method: 'PATCH', path: `systemusers(${suId})`, body: { address1_latitude: c.address1_latitude, address1_longitude: c.address1_longitude } },
      ]);
      const charBodies = writes.filter((w) => w.method === 'POST' && w.path === 'bookableresourcecharacteristics' && (w.body as Record<string, string>)['Resource@odata.bind'] === `/bookableresources(${brId})`).map((w) => w.body);
      expect(charBodies).toEqual(
        tech.characteristics.map((vc) => ({
          bookableresourcecharacteristicid: resourceCharacteristicIdFor(brId, vc._o25fs_characteristicid_value!),
          'Resource@odata.bind': `/bookableresources(${brId})`,
          'Characteristic@odata.bind': `/characteristics(${vc._o25fs_characteristicid_value})`,
          'RatingValue@odata.bind': `/ratingvalues(${vc._o25fs_ratingvalueid_value})`,
        })),
      );

      // End state in Dataverse.
      expect(t.s.sim.state.dataverse.get('bookableresources', brId)).toMatchObject({
        name: tech.displayName,
        resourcetype: 3,
        timezone: REF.timezone,
        _userid_value: suId,
        statecode: 0,
        statuscode: 1,
        msdyn_startlocation: WORK_LOCATION.organizationalUnit,
        msdyn_endlocation: WORK_LOCATION.resourceAddress,
        _msdyn_organizationalunit_value: c._o25fs_organizationalunitid_value,
        _msdyn_warehouse_value: c._o25fs_warehouseid_value,
        msdyn_hourlyrate: c.o25fs_hourlyrate,
      });
      expect(t.contact(tech.id)).toMatchObject({ _o25fs_bookableresourceid_value: brId, o25fs_provisioningstatus: STATUS_VALUE.active, o25fs_provisioningerror: null });
      expect(su).toMatchObject({ isdisabled: false, address1_latitude: c.address1_latitude, address1_longitude: c.address1_longitude });
      const rows = t.table('bookableresourcecharacteristics').filter((r) => r._resource_value === brId);
      expect(rows.map((r) => [r._characteristic_value, r._ratingvalue_value, r.statecode]).sort()).toEqual(
        tech.characteristics.map((vc) => [vc._o25fs_characteristicid_value, vc._o25fs_ratingvalueid_value, 0]).sort(),
      );
    }
    // 3 coordinates, 3 resources, 3 links, 4 characteristics, 3 statuses.
    expect(writes).toHaveLength(16);
    expect(t.table('bookableresources')).toHaveLength(3);
  });

  it('a third run plans nothing, writes nothing and sends no second invitation', async () => {
    await t.clearLogs();
    const run = await t.apply();
    expect(run.plan.changes).toEqual([]);
    expect(Object.values(run.statuses)).toEqual(['active', 'active', 'active']);
    expect(t.writes()).toEqual([]);
    expect(t.s.sim.state.invitations).toHaveLength(3);
  });
});
