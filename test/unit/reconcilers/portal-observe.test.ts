/**
 * What the customer portal family reads (reconcilers/portal/tables.ts, observe.ts), against a
 * recording Dataverse: the invitation code (adx_invitationcode) is never selected, by the family's
 * table declarations, by the product's union of every family's tables, nor by any lookup; and the
 * lookups ask for exactly the website, the web role by name (quotes doubled, OData string literal)
 * and website, the role's N:N contacts and invitations, the Send Invitation workflow, WhoAmI (Learn
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami) and the
 * contacts' accounts.
 */
import { describe, expect, it } from 'vitest';
import { observePortal, portalIncremental, readPortalLookups } from '../../../reconcilers/portal/observe.js';
import type { PortalSettings } from '../../../reconcilers/portal/settings.js';
import { PORTAL_INVITATIONS, PORTAL_TABLES } from '../../../reconcilers/portal/tables.js';
import type { DataverseApi, DataverseQuery, GraphApi, ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { readTables } from '../../../src/engine/tables/read.js';
import { unionTables } from '../../../src/engine/tables/registry.js';
import { allFamilies } from '../../../src/families.js';
import { TransientError } from '../../../src/model/errors.js';
import type { SharedRound } from '../../../src/engine/incremental/index.js';
import type { Settings } from '../../../src/config.js';
import type { Snapshot } from '../../../src/engine/incremental/snapshot-store.js';
import { APP_USER, ROLE, WEBSITE, WORKFLOW, contactId, portalSettings } from '../../support/portal-model.js';

const CODE = 'adx_invitationcode';

/** A Dataverse that answers each entity set from `answers` and records every call. */
function recordingDataverse(answers: Record<string, object[]> = {}, whoAmI: ServiceResponse = { status: 200, headers: {}, body: { UserId: APP_USER.toUpperCase() } }) {
  const lists: { entitySet: string; query: DataverseQuery }[] = [];
  const sends: ServiceRequest[] = [];
  const dataverse: DataverseApi = {
    list: <T>(entitySet: string, query: DataverseQuery): Promise<T[]> => {
      lists.push({ entitySet, query });
      return Promise.resolve((answers[entitySet] ?? []) as T[]);
    },
    send: (request) => {
      sends.push(request);
      return Promise.resolve(whoAmI);
    },
    sendMany: () => Promise.reject(new Error('the portal reads send no batch')),
  };
  return { dataverse, lists, sends };
}
const noGraph = {} as GraphApi;
/** The family's two tables, read with no rows (or the contacts given). */
const tableRows = (contacts: object[] = []) => new Map<string, readonly object[]>([['portalContacts', contacts], ['adx_invitations', []]]);

const site = { adx_websiteid: WEBSITE, adx_name: 'Customer self-service' };
const role = { adx_webroleid: ROLE.toUpperCase(), adx_name: 'Web API Users', _adx_websiteid_value: WEBSITE };
const answers: Record<string, object[]> = {
  adx_websites: [site],
  adx_webroles: [role],
  workflows: [{ workflowid: WORKFLOW.toUpperCase() }, { workflowid: 'ffffffff-0000-4000-8000-00000000000e' }],
  [`adx_webroles(${ROLE})/adx_webrole_contact`]: [{ contactid: contactId(2).toUpperCase() }, { contactid: contactId(1) }],
  [`adx_webroles(${ROLE})/adx_invitation_webrole`]: [{ adx_invitationid: 'ABC00000-0000-4000-8000-000000000001' }],
};

describe('the invitation code is never read', () => {
  it('the invitations table selects every column it needs and not the code', () => {
    expect(PORTAL_INVITATIONS.columns).not.toContain(CODE);
    expect(PORTAL_TABLES.flatMap((t) => t.columns ?? [])).not.toContain(CODE);
  });

  it('the product\'s one read of every family\'s tables neither selects nor filters on it', async () => {
    const { dataverse, lists } = recordingDataverse();
    const graph = { list: () => Promise.resolve([]) } as unknown as GraphApi;
    await readTables({ graph, dataverse }, unionTables(allFamilies().map((f) => f.tables)));
    expect(lists.map((l) => l.entitySet)).toContain('adx_invitations');
    expect(lists.filter((l) => JSON.stringify(l).toLowerCase().includes('invitationcode'))).toEqual([]);
  });

  it('no lookup, in a full or an incremental read, names it', async () => {
    const { dataverse, lists, sends } = recordingDataverse(answers);
    const settings = portalSettings();
    await observePortal(Promise.resolve(tableRows()), { graph: noGraph, dataverse }, settings);
    const shared: Promise<SharedRound> = Promise.resolve({ ok: true, rows: tableRows(), changes: new Map() });
    const read = await portalIncremental.incrementalRead(shared, { graph: noGraph, dataverse }, settings, {} as Settings, {} as Snapshot, new Date());
    expect(typeof read).toBe('object');
    expect(lists).toHaveLength(10); // five lookups, twice (no contacts: no accounts read)
    expect([...lists, ...sends].filter((call) => JSON.stringify(call).toLowerCase().includes('invitationcode'))).toEqual([]);
  });
});

describe('the lookups', () => {
  it('ask for the website, the role by name, its contacts and invitations, the workflow and WhoAmI; ids in lower case', async () => {
    const { dataverse, lists, sends } = recordingDataverse(answers);
    const lookups = await readPortalLookups(dataverse, portalSettings());
    expect(lists).toEqual([
      { entitySet: 'adx_websites', query: { select: ['adx_websiteid', 'adx_name'], filter: `adx_websiteid eq ${WEBSITE}` } },
      { entitySet: 'adx_webroles', query: { select: ['adx_webroleid', 'adx_name', '_adx_websiteid_value'], filter: "adx_name eq 'Web API Users'" } },
      { entitySet: 'workflows', query: { select: ['workflowid', 'name'], filter: "name eq 'Send Invitation' and type eq 1 and category eq 0 and statecode eq 1" } },
      { entitySet: `adx_webroles(${ROLE})/adx_webrole_contact`, query: { select: ['contactid'] } },
      { entitySet: `adx_webroles(${ROLE})/adx_invitation_webrole`, query: { select: ['adx_invitationid'] } },
    ]);
    expect(sends).toEqual([{ method: 'GET', url: 'WhoAmI' }]);
    expect(lookups).toEqual({
      website: site,
      roles: [role],
      roleContactIds: [contactId(1), contactId(2)],
      roleInvitationIds: ['abc00000-0000-4000-8000-000000000001'],
      sendWorkflowId: WORKFLOW,
      appUserId: APP_USER,
    });
  });

  const cases: { reason: string; settings: Partial<PortalSettings>; answers: Record<string, object[]>; want: { sets: string[]; roleFilter?: string; workflowFilter?: string } }[] = [
    {
      reason: 'a quote in a name is doubled in the OData literal',
      settings: { webRoleName: "O'Brien's customers", sendInvitationWorkflowName: "Send 'em" },
      answers: {},
      want: { sets: ['adx_websites', 'adx_webroles', 'workflows'], roleFilter: "adx_name eq 'O''Brien''s customers'", workflowFilter: "name eq 'Send ''em' and type eq 1 and category eq 0 and statecode eq 1" },
    },
    { reason: 'sending off: the workflow is not looked up', settings: { sendInvitation: false }, answers, want: { sets: ['adx_websites', 'adx_webroles', `adx_webroles(${ROLE})/adx_webrole_contact`, `adx_webroles(${ROLE})/adx_invitation_webrole`] } },
    { reason: 'two roles of the name on the site: no N:N read (the configuration check stops the run)', settings: {}, answers: { ...answers, adx_webroles: [role, { ...role, adx_webroleid: 'd0000000-0000-4000-8000-0000000000d2' }] }, want: { sets: ['adx_websites', 'adx_webroles', 'workflows'] } },
    { reason: 'the role only on another website: no N:N read', settings: {}, answers: { ...answers, adx_webroles: [{ ...role, _adx_websiteid_value: 'b0000000-0000-4000-8000-0000000000ff' }] }, want: { sets: ['adx_websites', 'adx_webroles', 'workflows'] } },
    { reason: 'a role id that is not a GUID is never put in a URL', settings: {}, answers: { ...answers, adx_webroles: [{ ...role, adx_webroleid: "x)/contacts('y" }] }, want: { sets: ['adx_websites', 'adx_webroles', 'workflows'] } },
  ];
  for (const tc of cases) {
    it(tc.reason, async () => {
      const { dataverse, lists } = recordingDataverse(tc.answers);
      await readPortalLookups(dataverse, portalSettings(tc.settings));
      expect(lists.map((l) => l.entitySet)).toEqual(tc.want.sets);
      if (tc.want.roleFilter) expect(lists.find((l) => l.entitySet === 'adx_webroles')?.query.filter).toBe(tc.want.roleFilter);
      if (tc.want.workflowFilter) expect(lists.find((l) => l.entitySet === 'workflows')?.query.filter).toBe(tc.want.workflowFilter);
    });
  }

  it('WhoAmI not answering with a user: a passing LOOKUP_FAILED (the product cannot tell its own invitations)', async () => {
    const { dataverse } = recordingDataverse(answers, { status: 503, headers: {}, body: undefined });
    const err = await readPortalLookups(dataverse, portalSettings()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('LOOKUP_FAILED');
  });

  it('the contacts\' accounts are read 50 ids a request, each id once, only GUIDs', async () => {
    const accountId = (n: number): string => `a0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    const contacts = [...Array.from({ length: 60 }, (_, i) => ({ contactid: contactId(i), o25fs_portalaccess: true, _parentcustomerid_value: accountId(i % 51) })), { contactid: contactId(99), o25fs_portalaccess: true, _parentcustomerid_value: 'not-a-guid' }];
    const { dataverse, lists } = recordingDataverse(answers);
    const part = await observePortal(Promise.resolve(tableRows(contacts)), { graph: noGraph, dataverse }, portalSettings());
    const reads = lists.filter((l) => l.entitySet === 'accounts');
    expect(reads.map((r) => r.query.filter!.split(' or ').length)).toEqual([50, 1]);
    expect(reads.flatMap((r) => r.query.filter!.split(' or '))).toEqual(Array.from({ length: 51 }, (_, i) => `accountid eq ${accountId(i)}`));
    expect(part.portalContacts).toHaveLength(61);
  });
});
