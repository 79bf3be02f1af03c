/**
 * The least-privilege lists in the docs are derived, not hand-kept: a full demo run (provisioning,
 * drift repair, deprovisioning, then an incremental run with Graph delta and Dataverse change
 * tracking) against the simulator, and the client report's minimal permissions (GET /_sim/report,
 * packages/tenant-sim/docs/simulator.md "The client report") must equal
 * - docs/deploy.md §3: the operations table (API page → least-privileged application permission)
 *   and the "Grant these" list;
 * - docs/dataverse-schema.md "Privileges of the application user": the privileges per table.
 * The app holds exactly the permissions deploy.md says to grant, so a missing one shows as a 403
 * in the run. The same run must wait out every Retry-After and follow every page link as given.
 * One vendor's technicians are on service accounts (SERVICE_ACCOUNT_DOMAIN set, o25fs_accounttype
 * Service account; docs/operations.md "Service accounts"), so the run also creates, updates and
 * disables member users and reads the domain: the lists cover a tenant that uses both identities.
 * The demo's customer portal is on (PORTAL_WEBSITE_ID): its customers get the web role and an
 * invitation sent by the Send Invitation workflow, and one customer's access is turned off before
 * the last run, so the lists also cover the role's removal and the invitation's withdrawal.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { DEMO_FIXTURE, DEMO_SETTINGS, startTenant, type Tenant } from '../support/tenant.js';

interface Report {
  retryAfter: { violations: number };
  paging: { handBuilt: number; pagingRequests: number };
  permissions: {
    graph: { operations: { operation: string; leastPrivileged: string }[]; minimal: string[] };
    dataverse: { tables: { table: string; privileges: string[] }[] };
    unclassified: Record<string, number>;
  };
}

/** The backticked names in `text`. */
const ticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const deployDoc = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
const section = deployDoc.slice(deployDoc.indexOf('## 3. Microsoft Graph application permissions'), deployDoc.indexOf('## 4. '));
const grantParagraph = section.slice(section.indexOf('**Grant these'));
const granted = ticked(grantParagraph.slice(0, grantParagraph.indexOf('\n\n'))).sort();

let t: Tenant;
let report: Report;
let log: { method: string; path: string; status: number; inner?: { method: string; path: string; status: number }[] }[] = [];
let customer = '';
beforeAll(async () => {
  // contoso.com is one of the demo tenant's verified (managed) domains.
  t = await startTenant({ ...DEMO_FIXTURE, app: { ...DEMO_FIXTURE.app, roles: granted } }, { ...DEMO_SETTINGS, SERVICE_ACCOUNT_DOMAIN: 'contoso.com' });
  const store = new MemorySnapshotStore();
  const observer = createIncrementalObserver({ store, settings: t.settings });
  const run = () => t.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
  const state = t.s.sim.state;
  const contacts = [...state.dataverse.table('contacts').values()];
  // A contact anchored to a user who is no longer a guest: the full read looks that user up by id.
  const anchored = contacts.find((c) => c.o25fs_entraobjectid && c.statecode === 0)!;
  state.graph.users.get(String(anchored.o25fs_entraobjectid))!.userType = 'Member';
  // Another vendor's technicians without an identity yet on service accounts (switching provisioned
  // guests would make the whole vendor lose its guests' access at once and trip the removal threshold).
  const saVendor = contacts.find((c) => c.o25fs_setuptechnician === true && c._parentcustomerid_value && c._parentcustomerid_value !== anchored._parentcustomerid_value)!._parentcustomerid_value;
  const onServiceAccounts = contacts.filter((c) => c._parentcustomerid_value === saVendor && !c.o25fs_entraobjectid && c.statecode === 0 && c.o25fs_setuptechnician === true);
  for (const c of onServiceAccounts) state.dataverse.update('contacts', String(c.contactid), { o25fs_accounttype: 808950001 });
  // Provisioning, drift repair and deprovisioning of the demo tenant; full read first, then incremental.
  for (let i = 0; i < 4; i += 1) {
    await run();
    t.s.sim.userSync.runNow(state);
  }
  // A resource characteristic's rating cleared by hand: the next run writes the contact's rating back.
  // (Not the one of the contact whose user became a Member: that contact is no longer the product's
  // to change, ANCHOR_NOT_OWNABLE.)
  const rated = [...state.dataverse.table('bookableresourcecharacteristics').values()].find(
    (r) => r._ratingvalue_value && r.statecode === 0 && r._resource_value !== anchored._o25fs_bookableresourceid_value,
  )!;
  state.dataverse.update('bookableresourcecharacteristics', String(rated.bookableresourcecharacteristicid), { _ratingvalue_value: null });
  // One service account's contact deactivated: the account is disabled (PATCH accountEnabled).
  const leaving = onServiceAccounts[0]!;
  state.dataverse.update('contacts', String(leaving.contactid), { statecode: 1, statuscode: 2 });
  // A customer's portal access turned off: its web role is removed ($ref DELETE) and its unredeemed invitation withdrawn (PATCH).
  const invited = [...state.dataverse.table('contacts').values()].find((c) => c.o25fs_portalaccess === true && c.o25fs_portalstatus === 808950001 && c.emailaddress1)!;
  state.dataverse.update('contacts', String(invited.contactid), { o25fs_portalaccess: false });
  customer = String(invited.contactid);
  await run();
  report = (await t.s.admin('GET', '/report')).json as Report;
  log = (await t.s.admin('GET', '/requests')).json.value as typeof log;
}, 120_000);
afterAll(() => t.stop());

describe('the run behind the lists', () => {
  it('waited out every Retry-After, built no page URL and made no request the report cannot classify', () => {
    expect(report.retryAfter.violations).toBe(0);
    expect(report.paging.pagingRequests).toBeGreaterThan(0);
    expect(report.paging.handBuilt).toBe(0);
    expect(report.permissions.unclassified).toEqual({});
  });

  it('created service accounts (POST /users) and read their domain, so the lists cover them', () => {
    const members = [...t.s.sim.state.graph.users.values()].filter((u) => u.userType === 'Member' && String(u.mailNickname ?? '').startsWith('vr-'));
    expect(members.length).toBeGreaterThan(1);
    expect(members.filter((u) => u.accountEnabled === false).length).toBeGreaterThan(0);
    expect(report.permissions.graph.operations.map((o) => o.operation)).toEqual(expect.arrayContaining(['user-post-users', 'domain-get']));
  });

  it('ran with exactly the permissions deploy.md grants, and no request was refused for a missing one (403)', () => {
    expect(granted.length).toBeGreaterThan(0);
    const statuses = log.flatMap((e) => [e.status, ...(e.inner ?? []).map((i) => i.status)]);
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((st) => st === 403)).toEqual([]);
  });
});

describe('the customer portal in the run', () => {
  it('issued and sent invitations, then removed the role of the customer whose access was turned off and withdrew its invitation', () => {
    const requests = log.flatMap((e) => [e, ...(e.inner ?? [])]).map((e) => `${e.method} ${e.path.replace(/^\/api\/data\/v9\.2\//, '')} ${e.status}`);
    expect(requests.filter((r) => r.startsWith('POST adx_invitations ')).length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((r) => /ExecuteWorkflow 200$/.test(r)).length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((r) => r.startsWith('DELETE adx_webroles(') && r.includes(`adx_webrole_contact(${customer})/$ref 204`))).toHaveLength(1);
    const withdrawn = [...t.s.sim.state.dataverse.table('adx_invitations').values()].filter((i) => i._adx_invitecontact_value === customer);
    expect(withdrawn.map((i) => [i.statecode, i.statuscode])).toEqual([[1, 2]]);
  });
});

describe('docs/deploy.md §3 equals the report (Graph application permissions)', () => {
  it('the table has one row per API page the run used, with that page\'s least-privileged permission', () => {
    const rows = section.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l));
    const documented = Object.fromEntries(rows.map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return [ticked(cells[1]!)[0]!, ticked(cells[cells.length - 2]!)[0]!];
    }));
    const derived = Object.fromEntries(report.permissions.graph.operations.map((o) => [o.operation, o.leastPrivileged]));
    expect(documented).toEqual(derived);
  });

  it('the permissions to grant, and the two scripts that grant them, are the minimal set', () => {
    expect(granted).toEqual(report.permissions.graph.minimal);
    const cli = /for ROLE in ([^;]+);/.exec(section)![1]!.trim().split(/\s+/).sort();
    expect(cli).toEqual(report.permissions.graph.minimal);
    const ps = /foreach \(\$role in ([^)]+)\)/.exec(section)![1]!.split(',').map((r) => r.trim().replace(/'/g, '')).sort();
    expect(ps).toEqual(report.permissions.graph.minimal);
  });
});

describe('docs/dataverse-schema.md equals the report (Dataverse privileges)', () => {
  it('each table\'s ticks are the privileges the run needed', () => {
    const doc = readFileSync(new URL('../../docs/dataverse-schema.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Privileges of the application user'));
    const header = section.split('\n').find((l) => l.startsWith('| Table |'))!.split('|').map((c) => c.trim());
    const columns = header.slice(2, -2).map((c) => c.replace(/ /g, ''));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Table') && !l.startsWith('|---'));
    const documented = Object.fromEntries(rows.map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      const table = ticked(cells[1]!)[0] ?? cells[1]!.toLowerCase().replace(/ /g, '');
      return [table, columns.filter((_, i) => cells[i + 2] === '✓')];
    }));
    const derived = Object.fromEntries(report.permissions.dataverse.tables.map((t) => [t.table, t.privileges]));
    expect(documented).toEqual(derived);
  });
});

describe('docs/deploy/grant-permissions.sh grants exactly the derived lists', () => {
  const script = readFileSync(new URL('../../docs/deploy/grant-permissions.sh', import.meta.url), 'utf8');
  const array = (name: string): string[] => new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(script)![1]!.split(/\s+/).filter(Boolean).map((s) => s.replace(/"/g, ''));

  it('is valid bash', () => {
    expect(spawnSync('bash', ['-n', fileURLToPath(new URL('../../docs/deploy/grant-permissions.sh', import.meta.url))]).status).toBe(0);
  });

  it('its Graph roles, with those for service accounts, are the minimal set', () => {
    expect([...array('GRAPH_ROLES'), ...array('GRAPH_ROLES_SERVICE_ACCOUNTS')].sort()).toEqual(report.permissions.graph.minimal);
  });

  it('its Dataverse privileges per table are the ones the run needed', () => {
    const scripted = Object.fromEntries(array('DATAVERSE_PRIVILEGES').map((e) => [e.split(':')[0]!, e.split(':')[1]!.split(',').sort()]));
    const derived = Object.fromEntries(report.permissions.dataverse.tables.map((t) => [t.table, [...t.privileges].sort()]));
    expect(scripted).toEqual(derived);
  });
});
