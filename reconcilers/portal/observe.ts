/**
 * The customer portal family's observation: its two tables (tables.ts) from the core's one read of
 * every family's tables, and the lookups that depend on the settings: the website, the web role by
 * name on that website (names are unique only per website: facts file, adx_webrole), the role's
 * contacts and invitations through their N:N relationships, the Send Invitation workflow by name,
 * and the product's own Dataverse user (WhoAmI), the creator of the invitations it issued.
 *
 * The same reads serve the incremental observer: every table of this family is read in full each
 * run, so its "incremental" read is its full read over the round's rows (no token of its own).
 */
import type { DataverseApi } from '../../src/clients/types.js';
import type { ObservationPart } from '../../src/engine/family.js';
import type { FamilyRead, IncrementalReads } from '../../src/engine/incremental/family-reads.js';
import type { TableServices } from '../../src/engine/tables/read.js';
import { rowsFor } from '../../src/engine/tables/registry.js';
import type { TableRows } from '../../src/engine/tables/table.js';
import { TransientError } from '../../src/model/errors.js';
import type { PortalLookups } from './observation.js';
import type { PortalContactRow, WebRoleRow, WebsiteRow } from './rows.js';
import type { PortalSettings } from './settings.js';
import { PORTAL_CONTACTS, PORTAL_INVITATIONS } from './tables.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;
const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

async function readWebsite(dataverse: DataverseApi, id: string): Promise<WebsiteRow | null> {
  const rows = await dataverse.list<WebsiteRow>('adx_websites', { select: ['adx_websiteid', 'adx_name'], filter: `adx_websiteid eq ${id}` });
  return rows[0] ?? null;
}

async function readWorkflow(dataverse: DataverseApi, settings: PortalSettings): Promise<string | null> {
  if (!settings.sendInvitation) return null;
  // An activated (statecode 1) classic workflow definition (type 1, category 0) of that name.
  const rows = await dataverse.list<{ workflowid: string }>('workflows', { select: ['workflowid', 'name'], filter: `name eq ${literal(settings.sendInvitationWorkflowName)} and type eq 1 and category eq 0 and statecode eq 1` });
  return rows.map((r) => r.workflowid.toLowerCase()).sort()[0] ?? null;
}

/** WhoAmI: the caller's systemuserid (Learn, WhoAmI function). */
async function whoAmI(dataverse: DataverseApi): Promise<string> {
  const response = await dataverse.send({ method: 'GET', url: 'WhoAmI' });
  const id = (response.body as { UserId?: unknown } | undefined)?.UserId;
  if (response.status !== 200 || typeof id !== 'string') {
    throw new TransientError('LOOKUP_FAILED', `Dataverse did not say which user the product is (WhoAmI answered ${response.status}), so it cannot tell its own invitations from others.`, 'Nothing to do: the next run asks again.');
  }
  return id.toLowerCase();
}

/** The lookups of the portal family (observation.ts PortalLookups). */
export async function readPortalLookups(dataverse: DataverseApi, settings: PortalSettings): Promise<PortalLookups> {
  const [website, roles, sendWorkflowId, appUserId] = await Promise.all([
    readWebsite(dataverse, settings.websiteId),
    dataverse.list<WebRoleRow>('adx_webroles', { select: ['adx_webroleid', 'adx_name', '_adx_websiteid_value'], filter: `adx_name eq ${literal(settings.webRoleName)}` }),
    readWorkflow(dataverse, settings),
    whoAmI(dataverse),
  ]);
  const onSite = roles.filter((r) => lc(r._adx_websiteid_value) === lc(settings.websiteId));
  const role = onSite.length === 1 && GUID.test(onSite[0]!.adx_webroleid) ? onSite[0]!.adx_webroleid.toLowerCase() : null;
  const [contacts, invitations] = role
    ? await Promise.all([
        dataverse.list<{ contactid: string }>(`adx_webroles(${role})/adx_webrole_contact`, { select: ['contactid'] }),
        dataverse.list<{ adx_invitationid: string }>(`adx_webroles(${role})/adx_invitation_webrole`, { select: ['adx_invitationid'] }),
      ])
    : [[], []];
  return {
    website,
    roles,
    roleContactIds: contacts.map((c) => c.contactid.toLowerCase()).sort(),
    roleInvitationIds: invitations.map((i) => i.adx_invitationid.toLowerCase()).sort(),
    sendWorkflowId,
    appUserId,
  };
}

/** The customer accounts of the contacts, by id, 50 per read (their names head the report's groups). */
async function readAccounts(dataverse: DataverseApi, contacts: readonly PortalContactRow[]): Promise<{ accountid: string; name: string | null }[]> {
  const ids = [...new Set(contacts.map((c) => lc(c._parentcustomerid_value)).filter((id) => GUID.test(id)))].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 50) chunks.push(ids.slice(i, i + 50));
  const pages = await Promise.all(chunks.map((chunk) => dataverse.list<{ accountid: string; name: string | null }>('accounts', { select: ['accountid', 'name'], filter: chunk.map((id) => `accountid eq ${id}`).join(' or ') })));
  return pages.flat();
}

export async function observePortal(rowsRead: Promise<TableRows>, services: TableServices, settings: PortalSettings): Promise<ObservationPart> {
  const [rows, portal] = await Promise.all([rowsRead, readPortalLookups(services.dataverse, settings)]);
  return partOf(services.dataverse, rows, portal);
}

async function partOf(dataverse: DataverseApi, rows: TableRows, portal: PortalLookups): Promise<ObservationPart> {
  const portalContacts = rowsFor(rows, PORTAL_CONTACTS);
  return { portalContacts, portalInvitations: rowsFor(rows, PORTAL_INVITATIONS), portal: { ...portal, accounts: await readAccounts(dataverse, portalContacts) } };
}

async function fullRead(rowsRead: Promise<TableRows>, services: TableServices, settings: PortalSettings): Promise<FamilyRead> {
  return { part: await observePortal(rowsRead, services, settings), tokens: {}, missingUserIds: [] };
}

export const portalIncremental: IncrementalReads<PortalSettings> = {
  openTokens: async () => ({}),
  fullRead: (rows, services, settings) => fullRead(rows, services, settings),
  incrementalRead: async (shared, services, settings) => {
    const [round, portal] = await Promise.all([shared, readPortalLookups(services.dataverse, settings)]);
    if (!round.ok) return `the ${round.refused[0]?.table ?? 'table'} token was refused (${round.refused[0]?.reason ?? ''})`;
    return { part: await partOf(services.dataverse, round.rows, portal), tokens: {}, missingUserIds: [] };
  },
  snapshotRows: () => new Map(),
};

