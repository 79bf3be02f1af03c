/**
 * A technician's life after provisioning, through the real clients (issue 3, "Desired state" and
 * "Tests": deprovision; reprovision; setup flag off and on again; an email change).
 *
 * Each test starts from a converged tenant of two technicians, changes the contact as a vendor
 * admin would (Dataverse PATCH), and checks the plan, the exact writes, and the end state,
 * including what must NOT happen: the Entra user is never deleted or blocked by default, no
 * second invitation, no silent rebinding to another user.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { bookableResourceIdFor } from '../../reconcilers/technicians/ids.js';
import { renderReport } from '../../src/report/index.js';
import { errorText } from '../../src/engine/status.js';
import { REF, STATUS_VALUE, converge, startEngineTenant, technician, type EngineTenant } from './engine-fixture.js';

const ada = technician(1, { first: 'Ada', last: 'Lovelace', characteristics: [['hvac', 'expert'], ['electrical', 'competent']] });
const brendan = technician(2, { first: 'Brendan', last: 'Kelly', characteristics: [['plumbing', 'proficient']] });
const adaBr = bookableResourceIdFor(ada.id);
const brendanBr = bookableResourceIdFor(brendan.id);

let t: EngineTenant;
afterEach(() => t.stop());

async function converged(): Promise<{ adaUser: string; adaSu: string }> {
  // Default settings: the removal threshold never holds back a single deprovision (docs/operations.md).
  t = await startEngineTenant([ada, brendan]);
  await converge(t);
  const adaUser = String(t.contact(ada.id).o25fs_entraobjectid);
  return { adaUser, adaSu: String(t.systemUserOf(adaUser).systemuserid) };
}

/** The vendor admin edits the contact in Dataverse. */
async function editContact(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await t.s.dataverse('PATCH', `contacts(${id})`, { body, headers: { 'If-Match': '*' } });
  expect(res.status).toBe(204);
}

type Req = { method: string; path: string; body: unknown };
const key = (r: Req): string => `${r.path} ${r.method} ${JSON.stringify(r.body)}`;
/**
 * The run's writes are exactly these. Order-free: a wave's Graph and Dataverse requests go out at
 * once and Graph answers $batch parts in its own order; the status writes come after the changes.
 */
function expectWrites(expected: Req[]): void {
  const actual = t.writes().map((w) => ({ method: w.method, path: w.path, body: w.body }));
  expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
  // Status writes follow every change they report on.
  const last = t.writes().at(-1);
  if (expected.some((r) => r.path.startsWith('contacts('))) expect(last?.path).toMatch(/^contacts\(/);
}

async function deprovisionAda(adaUser: string): Promise<void> {
  await editContact(ada.id, { statecode: 1, statuscode: 2 });
  await t.clearLogs();
  const run = await t.apply();
  expect(run.outcome).toBe('succeeded');
  expect(run.plan.changes.map((c) => c.id)).toEqual([`${ada.id}/licence.remove`, `${ada.id}/group.remove`, `${ada.id}/bookableresource.deactivate`]);
  expectWrites([
    { method: 'POST', path: `/users/${adaUser}/assignLicense`, body: { addLicenses: [], removeLicenses: [REF.skuId] } },
    { method: 'DELETE', path: `/groups/${REF.groupId}/members/${adaUser}/$ref`, body: undefined },
    { method: 'PATCH', path: `bookableresources(${adaBr})`, body: { statecode: 1, statuscode: 2 } },
    { method: 'PATCH', path: `contacts(${ada.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.deprovisioned, o25fs_provisioningerror: null } },
  ]);
}

describe('deprovision (contact deactivated: statecode 1, statuscode 2)', () => {
  it('removes licence and membership, deactivates the resource, keeps the Entra user enabled; the sync then disables the systemuser', async () => {
    const { adaUser, adaSu } = await converged();
    await deprovisionAda(adaUser);

    // The guest stays, enabled (BLOCK_SIGN_IN_ON_DEPROVISION is off by default), without licence or membership.
    expect(t.user(adaUser)).toMatchObject({ accountEnabled: true, assignedLicenses: [], userType: 'Guest' });
    expect(t.groupMembers().has(adaUser)).toBe(false);
    expect(t.s.sim.state.dataverse.get('bookableresources', adaBr)).toMatchObject({ statecode: 1, statuscode: 2, _userid_value: adaSu });
    expect(t.contact(ada.id)).toMatchObject({ o25fs_provisioningstatus: STATUS_VALUE.deprovisioned, o25fs_provisioningerror: null, o25fs_entraobjectid: adaUser });
    // The resource's characteristics are kept (bookings and history stay meaningful).
    expect(t.table('bookableresourcecharacteristics').filter((r) => r._resource_value === adaBr)).toHaveLength(2);
    // Brendan is untouched.
    expect(t.groupMembers().has(String(t.contact(brendan.id).o25fs_entraobjectid))).toBe(true);

    t.sync();
    expect(t.s.sim.state.dataverse.get('systemusers', adaSu)).toMatchObject({ isdisabled: true });
    await t.clearLogs();
    const after = await t.apply();
    expect(after.plan.changes).toEqual([]);
    expect(after.statuses[technicianKey(ada.id)]).toBe('deprovisioned');
    expect(t.writes()).toEqual([]);
    expect(t.s.sim.state.graph.users.has(adaUser)).toBe(true);
  });
});

describe('reprovision (contact reactivated)', () => {
  it('restores licence and membership, waits for the sync, then reactivates the resource; no second invitation', async () => {
    const { adaUser, adaSu } = await converged();
    await deprovisionAda(adaUser);
    t.sync();
    const invitations = t.s.sim.state.invitations.length;

    await editContact(ada.id, { statecode: 0, statuscode: 1 });
    await t.clearLogs();
    const first = await t.apply();
    expect(first.plan.changes.map((c) => c.id)).toEqual([`${ada.id}/licence.assign`, `${ada.id}/group.add`]);
    expect(first.statuses[technicianKey(ada.id)]).toBe('waiting_for_dataverse_user');
    expectWrites([
      { method: 'POST', path: `/users/${adaUser}/assignLicense`, body: { addLicenses: [{ skuId: REF.skuId, disabledPlans: [] }], removeLicenses: [] } },
      { method: 'POST', path: `/groups/${REF.groupId}/members/$ref`, body: { '@odata.id': `${t.s.info.graphBaseUrl}/directoryObjects/${adaUser}` } },
      { method: 'PATCH', path: `contacts(${ada.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.waiting_for_dataverse_user, o25fs_provisioningerror: null } },
    ]);
    expect(t.user(adaUser).assignedLicenses).toEqual([{ skuId: REF.skuId, disabledPlans: [] }]);
    expect(t.groupMembers().has(adaUser)).toBe(true);

    t.sync();
    expect(t.s.sim.state.dataverse.get('systemusers', adaSu)).toMatchObject({ isdisabled: false });
    await t.clearLogs();
    const second = await t.apply();
    expect(second.plan.changes.map((c) => [c.id, c.before, c.after])).toEqual([
      [`${ada.id}/bookableresource.update`, { statecode: 1, statuscode: 2 }, { statecode: 0, statuscode: 1 }],
    ]);
    expectWrites([
      { method: 'PATCH', path: `bookableresources(${adaBr})`, body: { statecode: 0, statuscode: 1 } },
      { method: 'PATCH', path: `contacts(${ada.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.active, o25fs_provisioningerror: null } },
    ]);
    expect(t.s.sim.state.dataverse.get('bookableresources', adaBr)).toMatchObject({ statecode: 0, statuscode: 1 });

    expect(t.s.sim.state.invitations).toHaveLength(invitations);
    expect(t.s.sim.state.graph.users.size).toBe(2);
    expect((await t.engine().plan({ kind: 'tenant' })).plan.changes).toEqual([]);
  });
});

describe('setup flag turned off, then on again', () => {
  it('off: nothing is removed and the plan lists what remains; on: no second invitation, no failure, converged', async () => {
    const { adaUser } = await converged();
    const invitations = [...t.s.sim.state.invitations];

    await editContact(ada.id, { o25fs_setuptechnician: false });
    await t.clearLogs();
    const off = await t.apply();
    expect(off.outcome).toBe('succeeded');
    expect(off.plan.changes).toEqual([]);
    const plan = off.plan.subjects.find((c) => c.subject.id === ada.id)!;
    expect(plan).toMatchObject({ intent: 'ignore', status: 'out_of_scope' });
    expect(plan.remains).toEqual([
      `Entra guest ${String(t.user(adaUser).userPrincipalName)} (${adaUser})`,
      'licence DYN365_FS_CONTRACTOR, assigned directly',
      'membership of the technician group',
      `active bookable resource Ada Lovelace (${adaBr})`,
    ]);
    expect(renderReport('text', { plan: off.plan })).toContain('membership of the technician group');
    // Nothing written: not even the status (an out-of-scope contact is not ours to write to).
    expect(t.writes()).toEqual([]);
    expect(t.user(adaUser).assignedLicenses).toEqual([{ skuId: REF.skuId, disabledPlans: [] }]);
    expect(t.groupMembers().has(adaUser)).toBe(true);
    expect(t.s.sim.state.dataverse.get('bookableresources', adaBr)).toMatchObject({ statecode: 0 });

    await editContact(ada.id, { o25fs_setuptechnician: true });
    await t.clearLogs();
    const on = await t.apply();
    expect(on.outcome).toBe('succeeded');
    expect(on.plan.changes).toEqual([]);
    expect(on.statuses[technicianKey(ada.id)]).toBe('active');
    expect(t.writes()).toEqual([]);
    expect(t.s.sim.state.invitations).toEqual(invitations);
  });
});

describe('email changed on an anchored active contact', () => {
  it('EMAIL_CHANGED on that contact only, with the admin action; no write for it but its status; the other contact converges', async () => {
    const { adaUser } = await converged();
    await editContact(ada.id, { emailaddress1: 'ada.king@fabrikam-vendor.example' });
    // Brendan needs a change in the same run: his hourly rate changed on the contact.
    await editContact(brendan.id, { o25fs_hourlyrate: 55 });
    await t.clearLogs();

    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    const adaPlan = run.plan.subjects.find((c) => c.subject.id === ada.id)!;
    expect(adaPlan.status).toBe('error');
    expect(adaPlan.changeIds).toEqual([]);
    expect(adaPlan.error).toMatchObject({ class: 'contact', code: 'EMAIL_CHANGED' });
    expect(adaPlan.error!.message).toContain(adaUser);
    expect(adaPlan.error!.message).toContain('ada.king@fabrikam-vendor.example');
    expect(adaPlan.error!.action).toMatch(/clear o25fs_entraobjectid/);
    expect(run.plan.changes.map((c) => c.id)).toEqual([`${brendan.id}/bookableresource.update`]);

    expectWrites([
      { method: 'PATCH', path: `bookableresources(${brendanBr})`, body: { msdyn_hourlyrate: 55 } },
      { method: 'PATCH', path: `contacts(${ada.id})`, body: { o25fs_provisioningstatus: STATUS_VALUE.error, o25fs_provisioningerror: errorText(adaPlan.error!) } },
    ]);
    expect(t.contact(ada.id)).toMatchObject({ o25fs_provisioningstatus: STATUS_VALUE.error, o25fs_entraobjectid: adaUser });
    expect(String(t.contact(ada.id).o25fs_provisioningerror)).toMatch(/^The email of contact .* What to do: Change the email back/);
    // No silent rebinding and no invitation of the new address; the old guest keeps its access.
    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).not.toContain('ada.king@fabrikam-vendor.example');
    expect(t.user(adaUser).mail).toBe(ada.email);
    expect(t.s.sim.state.dataverse.get('bookableresources', brendanBr)?.msdyn_hourlyrate).toBe(55);

    // The error is written once: the next run has the same error and writes nothing.
    await t.clearLogs();
    const again = await t.apply();
    expect(again.plan.changes).toEqual([]);
    expect(again.statuses[technicianKey(ada.id)]).toBe('error');
    expect(t.writes()).toEqual([]);
  });
});
