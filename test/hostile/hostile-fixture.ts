/**
 * The tenant of the hostile-vendor suite (issue 9): the small tenant of the bad-input corpus with
 * three good technicians, plus what a vendor admin might aim the product at: two staff Member
 * accounts (one in the tenant's own domain, one with an outside address), each licensed, with an
 * enabled Dataverse user and a bookable resource of its own. A test loads it with its attacking
 * contacts, converges, attacks, and checks that the staff and the other technicians are untouched.
 */
import { expect } from 'vitest';
import { E5_SKU, demoId, directLicence } from 'tenant-sim/demo-reference';
import type { Fixture } from 'tenant-sim';
import { goodContacts, rows, smallFixture, type Row, type SmallContact } from '../badinput/small-tenant.js';
import type { Tenant } from '../support/tenant.js';

export const CEO = {
  id: demoId('hostile:user:ceo'),
  systemuserId: demoId('hostile:systemuser:ceo'),
  resourceId: demoId('hostile:resource:ceo'),
  email: 'ceo@contoso.com',
};
export const PARTNER = {
  id: demoId('hostile:user:partner'),
  systemuserId: demoId('hostile:systemuser:partner'),
  resourceId: demoId('hostile:resource:partner'),
  email: 'alex.partner@outside.example',
};
export const STAFF_GROUP = demoId('hostile:group:all-staff');

function staffUser(who: typeof CEO, name: string, upn: string): Row {
  return {
    id: who.id,
    displayName: name,
    givenName: name.split(' ')[0],
    surname: name.split(' ')[1],
    mail: who.email,
    otherMails: [],
    userPrincipalName: upn,
    userType: 'Member',
    creationType: null,
    accountEnabled: true,
    usageLocation: 'GB',
    createdDateTime: '2024-03-01T09:00:00Z',
    ...directLicence(E5_SKU),
  };
}

/** The small tenant with the staff accounts, their Dataverse users and their bookable resources. */
export function hostileFixture(contacts: SmallContact[]): Fixture {
  const f = smallFixture([...goodContacts(), ...contacts], {
    users: [staffUser(CEO, 'Casey Chief', 'ceo@contoso.com'), staffUser(PARTNER, 'Alex Partner', 'alex.partner@contoso.com')],
  });
  const graph = f.graph!;
  graph.groups = [...(graph.groups ?? []), { id: STAFF_GROUP, displayName: 'All staff', members: [CEO.id, PARTNER.id] }];
  graph.subscribedSkus = [
    ...(graph.subscribedSkus ?? []),
    {
      skuId: E5_SKU, skuPartNumber: 'SPE_E5', appliesTo: 'User', capabilityStatus: 'Enabled', consumedUnits: 2,
      prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [],
    },
  ];
  const dv = f.dataverse as Record<string, Row[]>;
  for (const who of [CEO, PARTNER]) {
    dv.systemusers!.push({
      systemuserid: who.systemuserId, azureactivedirectoryobjectid: who.id, internalemailaddress: who.email, fullname: 'Staff',
      // Disabled, as the user sync leaves a user outside the environment's security group
      // (learn.microsoft.com/power-platform/admin/create-users).
      domainname: who.email, isdisabled: true, accessmode: 0, address1_latitude: null, address1_longitude: null,
    });
    dv.bookableresources!.push({
      bookableresourceid: who.resourceId, name: 'Staff engineer', resourcetype: 3, _userid_value: who.systemuserId, timezone: 85,
      statecode: 0, statuscode: 1, msdyn_hourlyrate: 95, msdyn_displayonscheduleboard: true,
    });
  }
  return f;
}

/** Everything the staff accounts are and have, to compare before and after an attack. */
export function staffState(t: Tenant): unknown {
  const graph = t.s.sim.state.graph;
  return [CEO, PARTNER].map((who) => ({
    user: structuredClone(graph.users.get(who.id)),
    technicianGroup: [...graph.groups.values()].filter((g) => g.members.has(who.id)).map((g) => g.id).sort(),
    systemuser: structuredClone(rows(t, 'systemusers').find((s) => s.systemuserid === who.systemuserId)),
    resource: structuredClone(rows(t, 'bookableresources').find((r) => r.bookableresourceid === who.resourceId)),
    resources: rows(t, 'bookableresources').filter((r) => r._userid_value === who.systemuserId).length,
  }));
}

/** No request of the log wrote to a staff user, its group memberships, its licences or its resource. */
export async function expectNoWriteToStaff(t: Tenant): Promise<void> {
  type Entry = { method: string; path: string; inner?: { method: string; path: string }[] };
  const log = (await t.s.admin('GET', '/requests')).json as { value: Entry[] };
  const writes = log.value.flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e])).filter((e) => e.method !== 'GET');
  const ids = [CEO.id, PARTNER.id, CEO.resourceId, PARTNER.resourceId, CEO.systemuserId, PARTNER.systemuserId].map((x) => x.toLowerCase());
  expect(writes.filter((w) => ids.some((id) => w.path.toLowerCase().includes(id))), 'no write names a staff object').toEqual([]);
}
