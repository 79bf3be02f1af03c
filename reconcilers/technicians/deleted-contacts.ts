/**
 * Deleted contacts. A vendor admin who deletes a technician's contact takes the row that said who
 * should have access, but not the access: the guest stays licensed and in the technician group. The
 * product notices from Entra alone: a guest whose ownership mark names a contact that Dataverse no
 * longer has (observe.ts reads such ids and lists the missing ones in deletedContactIds).
 *
 * Each deleted contact is planned as a deactivated technician, from a stand-in row built from its
 * user: same diffs, same guards, so its removals are visible and held back like any other. The
 * stand-in is never written (status.ts skips deleted contacts; plan.ts drops contact-row changes).
 */
import type { Observation } from '../../src/model/observation.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import { cmp } from './desired.js';
import { isGuest, isOwnableMember, markedContactOf } from './ownership.js';
import { ACCOUNT_TYPE } from './desired.js';

/**
 * A stand-in row for each deleted contact that still has a marked guest or service account (lowest
 * user id first; the contact's other identity, if any, is found by its mark as the former one).
 */
export function deletedContactRows(observation: Observation, markAttribute: string): ContactRow[] {
  const deleted = new Set((observation.deletedContactIds ?? []).map((id) => id.toLowerCase()));
  if (deleted.size === 0) return [];
  const byContact = new Map<string, GraphUser>();
  for (const u of [...observation.users].sort((a, b) => cmp(a.id.toLowerCase(), b.id.toLowerCase()))) {
    const contactId = markedContactOf(u, markAttribute);
    if (contactId && deleted.has(contactId) && (isGuest(u) || isOwnableMember(u, markAttribute)) && !byContact.has(contactId)) byContact.set(contactId, u);
  }
  return [...byContact.entries()].sort(([a], [b]) => cmp(a, b)).map(([contactId, user]) => standIn(contactId, user));
}

function standIn(contactId: string, user: GraphUser): ContactRow {
  return {
    contactid: contactId,
    fullname: user.displayName,
    firstname: user.givenName,
    lastname: user.surname,
    emailaddress1: user.mail ?? user.otherMails[0] ?? null,
    statecode: 1,
    statuscode: 2,
    _parentcustomerid_value: null,
    address1_country: null,
    address1_latitude: null,
    address1_longitude: null,
    o25fs_setuptechnician: true,
    _o25fs_bookableresourceid_value: null,
    o25fs_startlocation: null,
    o25fs_endlocation: null,
    _o25fs_organizationalunitid_value: null,
    o25fs_displayonscheduleboard: null,
    o25fs_enableforavailabilitysearch: null,
    o25fs_hourlyrate: null,
    o25fs_timeoffapprovalrequired: null,
    _o25fs_warehouseid_value: null,
    o25fs_entraobjectid: user.id.toLowerCase(),
    o25fs_accounttype: isGuest(user) ? null : ACCOUNT_TYPE.service,
    o25fs_provisioningstatus: null,
    o25fs_provisioningerror: null,
  };
}
