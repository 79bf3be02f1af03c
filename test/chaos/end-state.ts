/**
 * The end state of a small tenant, keyed by contact (ids the services generate, such as user and
 * systemuser ids, are left out), so a run under faults can be compared with a fault-free one.
 */
import type { Tenant } from '../support/tenant.js';
import { groupMembers, row, rows, type Row } from '../badinput/small-tenant.js';

const RESOURCE_COLUMNS = [
  'name', 'resourcetype', 'timezone', 'statecode', 'statuscode', 'msdyn_startlocation', 'msdyn_endlocation', '_msdyn_organizationalunit_value',
  'msdyn_displayonscheduleboard', 'msdyn_displayonscheduleassistant', 'msdyn_hourlyrate', 'msdyn_timeoffapprovalrequired', '_msdyn_warehouse_value',
];

export function endState(t: Tenant): Record<string, Row> {
  const out: Record<string, Row> = {};
  for (const c of rows(t, 'contacts')) {
    const userId = c.o25fs_entraobjectid ? String(c.o25fs_entraobjectid) : null;
    const user = userId ? t.s.sim.state.graph.users.get(userId) : undefined;
    const su = userId ? rows(t, 'systemusers').find((s) => s.azureactivedirectoryobjectid === userId) : undefined;
    const brId = c._o25fs_bookableresourceid_value ? String(c._o25fs_bookableresourceid_value) : null;
    const br = brId ? row(t, 'bookableresources', brId) : undefined;
    out[String(c.contactid)] = {
      status: c.o25fs_provisioningstatus ?? null,
      error: c.o25fs_provisioningerror ?? null,
      user: user
        ? {
            mail: user.mail, displayName: user.displayName, givenName: user.givenName, surname: user.surname, usageLocation: user.usageLocation,
            accountEnabled: user.accountEnabled, licences: (user.assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort(), member: groupMembers(t).has(userId!),
          }
        : null,
      systemuser: su ? { isdisabled: su.isdisabled, latitude: su.address1_latitude ?? null, longitude: su.address1_longitude ?? null } : null,
      resource: br ? { id: br.bookableresourceid, ...Object.fromEntries(RESOURCE_COLUMNS.map((k) => [k, br[k] ?? null])), user: br._userid_value === su?.systemuserid } : null,
      characteristics: rows(t, 'bookableresourcecharacteristics')
        .filter((r) => brId !== null && r._resource_value === brId)
        .map((r) => `${String(r.bookableresourcecharacteristicid)}:${String(r._characteristic_value)}:${String(r._ratingvalue_value ?? null)}:${String(r.statecode)}`)
        .sort(),
    };
  }
  return out;
}
