/**
 * Service accounts where the tenant says no (issue 12, "The account" and "Choosing it"), and across
 * incremental runs, through the real engine against the simulator:
 * - a staff Member already holds the deterministic userPrincipalName or mailNickname of a new
 *   contact's account: the contact gets SERVICE_ACCOUNT_UPN_TAKEN and the staff account is left
 *   exactly as it was (never adopted: reconcilers/technicians/ownership.ts);
 * - SERVICE_ACCOUNT_DOMAIN names a domain the tenant has not verified: the run stops with
 *   SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED before writing anything;
 * - the incremental observer (docs/incremental.md) keeps seeing the service accounts: the users
 *   delta carries guests only, so the family lists the accounts every run (service-account-observe.ts).
 *   A quiet incremental run plans nothing; one after a licence was removed and the account
 *   disabled by hand repairs both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIncrementalObserver, MemorySnapshotStore } from '../../src/engine/incremental/index.js';
import { technicianKey } from '../support/subject-key.js';
import { errorText } from '../../src/engine/status.js';
import { STATUS_VALUE, startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';
import { ACCOUNT_TYPE, REMOTE_ASSIST_SKU, SA_SETTINGS, SA_SKUS, serviceAccountFixture } from './service-accounts-fixture.js';

const service = { o25fs_accounttype: ACCOUNT_TYPE.service };
const ada = technician(1, { first: 'Ada', last: 'Lovelace' });
const bea = technician(3, { first: 'Bea', last: 'Jones', vendor: 'northwind', contact: service });
const dana = technician(5, { first: 'Dana', last: 'Scott', vendor: 'northwind', contact: service });
const DANA_UPN = 'northwind_dana.scott_c0000000@contoso.com';
const DANA_NICK = 'vr-c0000000000040008000000000000005';

let t: EngineTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function tenant(options: { domainVerified?: boolean } = {}): Promise<EngineTenant> {
  const technicians = [ada, bea, dana];
  t = await startEngineTenant(technicians, SA_SETTINGS);
  t.s.sim.reset(serviceAccountFixture(technicians, options));
  return t;
}

describe('a staff account holding the names of a new contact\'s service account', () => {
  // The plan reads the accounts whose mailNickname starts with vr- and the holders of the sign-in
  // names about to be created (service-account-observe.ts), so it sees either holder; the apply's
  // look-up right before POST /users (service-account-create.ts, unit-tested) catches one that
  // appears in between. Nothing is created or adopted.
  const cases = [
    { reason: 'the staff account has the mailNickname (another UPN): the plan stops the contact', upn: 'dana.scott@contoso.com', nick: DANA_NICK},
    { reason: 'the staff account has the userPrincipalName (another nickname): the plan stops the contact', upn: DANA_UPN, nick: 'dana.scott'},
  ] as const;
  it.each(cases)('$reason; the staff account untouched, the others provisioned', async ({ upn, nick }) => {
    const tt = await tenant();
    const created = await tt.s.graph('POST', '/users', {
      body: { accountEnabled: true, displayName: 'Dana Scott (staff)', mailNickname: nick, userPrincipalName: upn, passwordProfile: { password: 'Staff-Passw0rd!x' } },
    });
    expect(created.status).toBe(201);
    const staffId = String(created.json.id).toLowerCase();
    const before = structuredClone(tt.user(staffId));
    await tt.clearLogs();

    const run = await tt.apply();
    const subject = run.plan.subjects.find((s) => s.subject.id === dana.id)!;
    expect(run.outcome).toBe('succeeded');
    expect(subject).toMatchObject({ status: 'error', changeIds: [], error: { class: 'contact', code: 'SERVICE_ACCOUNT_UPN_TAKEN' } });
    expect(run.plan.changes.filter((c) => c.subject.id === dana.id)).toEqual([]);
    const error = subject.error!;
    expect(error.message).toContain(DANA_UPN);
    expect(error.message).toContain(staffId);
    expect(run.statuses[technicianKey(dana.id)]).toBe('error');
    expect(tt.contact(dana.id)).toMatchObject({ o25fs_entraobjectid: null, o25fs_provisioningstatus: STATUS_VALUE.error, o25fs_provisioningerror: errorText(error) });

    expect(tt.user(staffId)).toEqual(before);
    // No Graph write names the staff account (the contact's status names it, for the admin).
    expect(tt.writes().filter((w) => w.service === 'graph' && (w.path.includes(staffId) || JSON.stringify(w.body ?? null).includes(staffId)))).toEqual([]);
    // One POST /users: Bea's, created as usual; the error stops Dana's contact only.
    expect(tt.writes().filter((w) => w.method === 'POST' && w.path === '/users').map((w) => (w.body as { mailNickname: string }).mailNickname)).toEqual(['vr-c0000000000040008000000000000003']);
    expect(tt.contact(bea.id).o25fs_entraobjectid).toEqual(expect.any(String));
    expect(tt.s.sim.state.graph.users.size).toBe(3);
  });
});

describe('SERVICE_ACCOUNT_DOMAIN not verified', () => {
  it('the run stops with SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED and writes nothing, not even for the guests', async () => {
    const tt = await tenant({ domainVerified: false });
    const run = await tt.apply();
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatchObject({ class: 'configuration', code: 'SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED' });
    expect(run.error!.message).toBe('SERVICE_ACCOUNT_DOMAIN=contoso.com is not verified yet, so no service account can be created there; the run stops.');
    expect(run.results).toEqual([]);
    expect(tt.writes()).toEqual([]);
    expect(tt.s.sim.state.graph.users.size).toBe(0);
    expect(tt.s.sim.state.invitations).toEqual([]);
  });
});

describe('incremental runs', () => {
  it('keep the service accounts across runs: converged, a further incremental run plans and writes nothing', async () => {
    const tt = await tenant();
    const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: tt.settings });
    const run = () => tt.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
    expect((await run()).outcome).toBe('succeeded');
    expect(observer.last?.mode).toBe('full');
    tt.sync();
    await run();
    await run(); // its own writes come back once through the deltas
    await tt.clearLogs();

    const quiet = await run();
    expect(observer.last?.mode).toBe('incremental');
    expect(quiet.plan.changes).toEqual([]);
    expect(quiet.plan.subjects.map((s) => [s.subject.id, s.status])).toEqual([ada, bea, dana].map((c) => [c.id, 'active']));
    expect(tt.writes()).toEqual([]);
    const members = [...tt.s.sim.state.graph.users.values()].filter((u) => u.userType === 'Member');
    expect(members.map((u) => u.userPrincipalName).sort()).toEqual(['northwind_bea.jones_c0000000@contoso.com', DANA_UPN]);
    expect(tt.table('bookableresources')).toHaveLength(3);
  });
});

describe('incremental runs see drift on a service account', () => {
  it('a licence removed and the account disabled by hand are repaired by the next incremental run', async () => {
    const tt = await tenant();
    const observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: tt.settings });
    const run = () => tt.engine({ observer }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'timer' });
    await run();
    tt.sync();
    await run();
    await run();
    const account = String(tt.contact(bea.id).o25fs_entraobjectid);
    // An admin takes the Remote Assist licence away and blocks sign-in, in Graph.
    expect((await tt.s.graph('POST', `/users/${account}/assignLicense`, { body: { addLicenses: [], removeLicenses: [REMOTE_ASSIST_SKU] } })).status).toBe(200);
    expect((await tt.s.graph('PATCH', `/users/${account}`, { body: { accountEnabled: false } })).status).toBe(204);

    const repair = await run();
    expect(observer.last?.mode).toBe('incremental');
    expect(repair.plan.changes.map((c) => c.id).sort()).toEqual([`${bea.id}/licence.assign/${REMOTE_ASSIST_SKU}`, `${bea.id}/user.update`]);
    expect(repair.plan.changes.find((c) => c.kind === 'user.update')?.after).toEqual({ accountEnabled: true });
    expect(tt.user(account)).toMatchObject({ accountEnabled: true });
    expect((tt.user(account).assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort()).toEqual([...SA_SKUS].sort());
  });
});
