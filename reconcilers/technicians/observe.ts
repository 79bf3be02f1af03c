/**
 * The technicians family's observation: the rows of its tables (reconcilers/technicians/tables.ts),
 * which the core reads once for every family (src/engine/observe.ts), and the lookups that depend on
 * what they returned. Never one GET per contact; the only per-object reads are for anchored users
 * that are not guests (a guest converted to a member, say), sent together in $batch envelopes.
 *
 * The lookups (accounts by id, anchored non-guests, marked contacts, users with new emails, former
 * group members), the technician group's members and the group itself (one GET: its name for the
 * report, its licences in group mode), and, while SERVICE_ACCOUNT_DOMAIN is set, the
 * service accounts and that domain (service-account-observe.ts) are not tables: the group is a configured id,
 * and the others depend on the rows. The group's reads need no rows, so they start beside the table
 * reads; each client bounds its own concurrency. The incremental observer's technicians reads
 * (reconcilers/technicians/incremental.ts) reuse these lookups.
 */
import type { DataverseApi, GraphApi } from '../../src/clients/types.js';
import { ConfigurationError } from '../../src/model/errors.js';
import { markAttributeOf, type Settings } from '../../src/config.js';
import { technicianSettings, type TechnicianSettings } from './settings.js';
import { emailKey } from './email.js';
import type { ObservationPart } from '../../src/engine/family.js';
import { isGuest, isOwnableMember, markedContactOf, readMark } from './ownership.js';
import { readNameHolders, readServiceAccounts } from './service-account-observe.js';
import { observeTechnicianGroup } from './group-licensing.js';
import { accountTypeOf, plannedServiceAccountUpn } from './desired.js';
import type { TableServices } from '../../src/engine/tables/read.js';
import { rowsFor } from '../../src/engine/tables/registry.js';
import type { TableRows } from '../../src/engine/tables/table.js';
import type { AccountRow, GraphUser } from '../../src/model/rows.js';
import type { ContactRow } from './rows.js';
import {
  BOOKABLE_RESOURCES, CHARACTERISTICS, CONTACT_COLUMNS, CONTACTS, RATING_VALUES, RESOURCE_CHARACTERISTICS, SUBSCRIBED_SKUS, SYSTEM_USERS, USER_SELECT, USERS, VENDOR_CHARACTERISTICS,
} from './tables.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Accounts are read by id, this many per request (keeps the URL well under Dataverse's limits). */
const ACCOUNT_IDS_PER_READ = 50;

/** The family's part of the observation (src/engine/family.ts `observe`). */
export async function observeTechnicians(rowsRead: Promise<TableRows>, services: TableServices, settings: TechnicianSettings, core: Settings): Promise<ObservationPart> {
  const { graph, dataverse } = services;
  const [tables, groupMemberIds, serviceAccounts, technicianGroup] = await Promise.all([
    rowsRead,
    readGroupMembers(graph, settings.technicianGroupId),
    readServiceAccounts(graph, settings),
    observeTechnicianGroup(graph, settings),
  ]);
  // Guests and the service accounts: the users the product may own, read in bulk.
  const guests = [...rowsFor(tables, USERS), ...serviceAccounts.users];
  const contacts = rowsFor(tables, CONTACTS);

  const [accounts, anchoredUsers, marked, withEmail] = await Promise.all([
    readAccounts(dataverse, contacts),
    readAnchoredNonGuests(graph, contacts, guests),
    readMarkedContacts(dataverse, contacts, guests.map(normaliseUser), core),
    readUsersWithNewEmails(graph, contacts, guests.map(normaliseUser)),
  ]);
  const [formerGroupMemberIds, nameHolders] = await Promise.all([
    readFormerGroupMembers(graph, guests.map(normaliseUser), core),
    readNameHolders(graph, plannedUpns(contacts, accounts, serviceAccounts.users, core), [...guests, ...anchoredUsers, ...withEmail]),
  ]);

  return {
    contacts: [...contacts, ...marked.found],
    deletedContactIds: marked.deleted,
    formerGroupMemberIds,
    accounts,
    vendorCharacteristics: rowsFor(tables, VENDOR_CHARACTERISTICS),
    characteristics: rowsFor(tables, CHARACTERISTICS),
    ratingValues: rowsFor(tables, RATING_VALUES),
    users: uniqueUsers([...guests, ...anchoredUsers, ...withEmail, ...nameHolders].map(normaliseUser)),
    groupMemberIds,
    subscribedSkus: rowsFor(tables, SUBSCRIBED_SKUS),
    systemUsers: rowsFor(tables, SYSTEM_USERS),
    bookableResources: rowsFor(tables, BOOKABLE_RESOURCES),
    resourceCharacteristics: rowsFor(tables, RESOURCE_CHARACTERISTICS),
    ...(serviceAccounts.domain !== undefined ? { serviceAccountDomain: serviceAccounts.domain } : {}),
    ...technicianGroup,
  };
}

/**
 * The contacts owned users' marks name that the contact read did not return (Setup Technician off
 * and no anchor, or deleted), read by id; those Dataverse does not return are deleted. Usually none.
 */
export async function readMarkedContacts(
  dataverse: DataverseApi,
  contacts: readonly ContactRow[],
  users: readonly GraphUser[],
  settings: Settings,
): Promise<{ found: ContactRow[]; deleted: string[] }> {
  const attribute = markAttributeOf(settings);
  const known = new Set(contacts.map((c) => c.contactid.toLowerCase()));
  const owned = users.filter((u) => isGuest(u) || isOwnableMember(u, attribute));
  const wanted = [...new Set(owned.map((u) => markedContactOf(u, attribute)).filter((id): id is string => id !== null && GUID.test(id) && !known.has(id)))].sort();
  if (wanted.length === 0) return { found: [], deleted: [] };
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += ACCOUNT_IDS_PER_READ) chunks.push(wanted.slice(i, i + ACCOUNT_IDS_PER_READ));
  const pages = await Promise.all(
    chunks.map((chunk) => dataverse.list<ContactRow>('contacts', { select: [...CONTACT_COLUMNS], filter: chunk.map((id) => `contactid eq ${id}`).join(' or ') })),
  );
  const found = pages.flat();
  const foundIds = new Set(found.map((c) => c.contactid.toLowerCase()));
  return { found, deleted: wanted.filter((id) => !foundIds.has(id)) };
}

/**
 * The sign-in names of the service accounts the plan may create: contacts on a service account
 * whose account is not among the listed ones (by its mark). None while service accounts are off.
 */
export function plannedUpns(contacts: readonly ContactRow[], accounts: readonly AccountRow[], serviceAccounts: readonly GraphUser[], settings: Settings): string[] {
  if (serviceAccounts.length === 0 && !contacts.some((c) => c.o25fs_accounttype !== null && c.o25fs_accounttype !== undefined)) return [];
  const attribute = markAttributeOf(settings);
  const created = new Set(serviceAccounts.map((u) => markedContactOf(u, attribute)).filter((id): id is string => id !== null));
  const byId = new Map(accounts.map((a) => [a.accountid.toLowerCase(), a]));
  return contacts.flatMap((c) => {
    if (created.has(c.contactid.toLowerCase())) return [];
    const upn = plannedServiceAccountUpn(c, byId, settings);
    return upn ? [upn] : [];
  });
}

/** The guest list may overlap the users read by id or by email: one entry per id. */
export function uniqueUsers(users: GraphUser[]): GraphUser[] {
  const seen = new Set<string>();
  return users.filter((u) => !seen.has(u.id) && (seen.add(u.id), true));
}

/** `in` takes at most 15 values in one $filter (the simulator refuses more; packages/tenant-sim/docs/simulator-graph.md). */
const EMAILS_PER_READ = 15;

/**
 * Users other than the guests already read whose mail is the email of an active technician contact
 * that no guest carries yet: the contacts the plan would invite. A Member (staff) account found
 * here stops that contact in the plan itself (EMAIL_BELONGS_TO_MEMBER), so the dry run shows what
 * the apply does. One read per 15 such emails; none once every technician has its guest.
 */
export async function readUsersWithNewEmails(graph: GraphApi, contacts: readonly ContactRow[], known: readonly GraphUser[]): Promise<GraphUser[]> {
  const carried = new Set<string>();
  for (const u of known) for (const m of [u.mail, ...u.otherMails]) if (m) carried.add(emailKey(m) ?? m.toLowerCase());
  const emails = [
    ...new Set(
      contacts
        // A contact on a service account is never invited, so its email needs no look-up.
        .filter((c) => c.o25fs_setuptechnician === true && c.statecode === 0 && accountTypeOf(c) !== 'service')
        .map((c) => emailKey(c.emailaddress1))
        .filter((e): e is string => e !== null && !carried.has(e)),
    ),
  ].sort();
  if (emails.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < emails.length; i += EMAILS_PER_READ) chunks.push(emails.slice(i, i + EMAILS_PER_READ));
  const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const pages = await Promise.all(
    chunks.map((chunk) =>
      graph.list<GraphUser>(`/users?$filter=${encodeURIComponent(`mail in (${chunk.map(literal).join(',')})`)}&$select=${USER_SELECT.join(',')}&$top=999`),
    ),
  );
  return pages.flat();
}

/**
 * Members of the groups the marks record as granted that are no longer TECHNICIAN_GROUP_ID, so the
 * old membership can be removed after the setting changed. Usually no group, so no read.
 */
export async function readFormerGroupMembers(graph: GraphApi, users: readonly GraphUser[], settings: Settings): Promise<Record<string, string[]>> {
  const attribute = markAttributeOf(settings);
  const current = technicianSettings(settings).technicianGroupId.toLowerCase();
  const groups = new Set<string>();
  for (const u of users) {
    const reading = readMark(u, attribute);
    if (reading.kind === 'ours' && reading.mark.groupId && reading.mark.groupId !== current && GUID.test(reading.mark.groupId)) groups.add(reading.mark.groupId);
  }
  const out: Record<string, string[]> = {};
  await Promise.all(
    [...groups].sort().map(async (groupId) => {
      out[groupId] = (await readGroupMembers(graph, groupId)) ?? [];
    }),
  );
  return out;
}

/** Direct members of the technician group; null when the group does not exist. */
export async function readGroupMembers(graph: GraphApi, groupId: string): Promise<string[] | null> {
  // One read, no existence check first: a 404 that names the group itself is classified as
  // GROUP_NOT_FOUND (src/clients/classify-graph.ts), and the plan reports that once for the run.
  try {
    const members = await graph.list<{ id: string }>(`/groups/${groupId}/members/microsoft.graph.user?$select=id&$top=999`);
    return members.map((m) => m.id.toLowerCase());
  } catch (err) {
    if (err instanceof ConfigurationError && err.code === 'GROUP_NOT_FOUND') return null;
    throw err;
  }
}

export async function readAccounts(dataverse: DataverseApi, contacts: ContactRow[]): Promise<AccountRow[]> {
  const ids = [...new Set(contacts.map((c) => c._parentcustomerid_value).filter((v): v is string => !!v))].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += ACCOUNT_IDS_PER_READ) chunks.push(ids.slice(i, i + ACCOUNT_IDS_PER_READ));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      dataverse.list<AccountRow>('accounts', { select: ['accountid', 'name'], filter: chunk.map((id) => `accountid eq ${id}`).join(' or ') }),
    ),
  );
  return pages.flat();
}

/** Users that a contact is anchored to but that are not in the guest list: read them by id, batched. */
export async function readAnchoredNonGuests(graph: GraphApi, contacts: ContactRow[], guests: GraphUser[]): Promise<GraphUser[]> {
  const known = new Set(guests.map((u) => u.id.toLowerCase()));
  const missing = [...new Set(contacts.map((c) => c.o25fs_entraobjectid?.toLowerCase()).filter((id): id is string => !!id && !known.has(id)))].sort();
  if (missing.length === 0) return [];
  const responses = await graph.sendMany(missing.map((id) => ({ method: 'GET' as const, url: `/users/${id}?$select=${USER_SELECT.join(',')}` })));
  // Without @odata.context, so a user read by id looks like one from a list (the incremental observer merges both).
  return responses.filter((r) => r.status === 200).map((r) => {
    const { '@odata.context': _context, ...user } = r.body as GraphUser & { '@odata.context'?: string };
    return user;
  });
}

export function normaliseUser(u: GraphUser): GraphUser {
  return {
    ...u,
    id: u.id.toLowerCase(),
    otherMails: u.otherMails ?? [],
    assignedLicenses: u.assignedLicenses ?? [],
    licenseAssignmentStates: u.licenseAssignmentStates ?? [],
    usageLocation: u.usageLocation ?? null,
    accountEnabled: u.accountEnabled ?? null,
  };
}
