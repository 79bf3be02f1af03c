/**
 * Runs through the real clients (issue 3, "Tests": a second apply right after a first makes no
 * write request; "Shape": the dry run and the apply use the same plan; CLI `--contact` / vendor
 * scope limit the run, docs/plan-format.md "scope").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REF, converge, simLogCalls, startEngineTenant, threeTechnicians, type EngineTenant, type WireRequest } from './engine-fixture.js';

const techs = threeTechnicians();
const [ada, brendan, chen] = techs as [(typeof techs)[0], (typeof techs)[0], (typeof techs)[0]];

let t: EngineTenant;
afterEach(() => t.stop());

/** Every request Graph and Dataverse saw was a read (the recorder and the simulator's own log agree). */
async function expectOnlyReads(): Promise<void> {
  expect(t.writes()).toEqual([]);
  const calls = await simLogCalls(t);
  expect(calls.length).toBeGreaterThan(0);
  for (const c of calls) {
    // The identity endpoint: metadata GETs and token POSTs; it changes nothing in the tenant.
    if (c.service === 'token') expect(['GET', 'POST']).toContain(c.method);
    else expect(c.method).toBe('GET');
  }
}

/** Which contact a write is for: its invitation email, its user id, or its Dataverse row. */
function writeConcerns(w: WireRequest, contactId: string, email: string, userId: string): boolean {
  const body = JSON.stringify(w.body ?? null);
  if (w.path === '/invitations') return body.includes(`"invitedUserEmailAddress":"${email}"`);
  if (w.service === 'graph') return w.path.includes(userId) || body.includes(userId);
  return w.path === `contacts(${contactId})` || body.includes(userId);
}

describe('a converged tenant', () => {
  it('gets no write request from a second apply: only token requests and GETs', async () => {
    t = await startEngineTenant(techs);
    await converge(t);
    await t.clearLogs();
    const run = await t.apply();
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.changes).toEqual([]);
    expect(run.results).toEqual([]);
    await expectOnlyReads();
  });
});

describe('scoped runs', () => {
  it('scope contacts [id] writes only for that contact, and leaves the others as they were', async () => {
    t = await startEngineTenant(techs);
    const run = await t.apply({ kind: 'subjects', family: 'technicians', subjectIds: [brendan.id] });
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.subjects.map((c) => c.subject.id)).toEqual([brendan.id]);
    expect(new Set(run.plan.changes.map((c) => c.subject.id))).toEqual(new Set([brendan.id]));

    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).toEqual([brendan.email]);
    const userId = String(t.contact(brendan.id).o25fs_entraobjectid);
    const writes = t.writes();
    expect(writes.length).toBe(6); // invitation, anchor, profile, licence, group, status
    expect(writes.filter((w) => !writeConcerns(w, brendan.id, brendan.email, userId))).toEqual([]);
    for (const other of [ada, chen]) {
      expect(t.contact(other.id)).toMatchObject({ o25fs_entraobjectid: null, o25fs_provisioningstatus: null });
    }
    expect([...t.s.sim.state.graph.users.keys()]).toEqual([userId]);
  });

  it('scope vendor writes only for that vendor\'s contacts', async () => {
    t = await startEngineTenant(techs);
    const run = await t.apply({ kind: 'group', family: 'technicians', groupId: REF.vendors.fabrikam });
    expect(run.outcome).toBe('succeeded');
    expect(run.plan.subjects.map((c) => c.subject.id)).toEqual([ada.id, brendan.id]);
    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress).sort()).toEqual([ada.email, brendan.email].sort());
    const mine = [ada, brendan].map((x) => ({ ...x, userId: String(t.contact(x.id).o25fs_entraobjectid) }));
    expect(t.writes().filter((w) => !mine.some((m) => writeConcerns(w, m.id, m.email, m.userId)))).toEqual([]);
    expect(t.contact(chen.id)).toMatchObject({ o25fs_entraobjectid: null, o25fs_provisioningstatus: null });
    expect(t.s.sim.state.graph.users.size).toBe(2);
  });
});

describe('dry run', () => {
  it('makes no write request and returns the plan apply then executes, before and after the user sync', async () => {
    t = await startEngineTenant(techs);

    await t.clearLogs();
    const dry = await t.dryRun();
    expect(dry.mode).toBe('dry-run');
    expect(dry.results).toEqual([]);
    expect(dry.plan.changes.length).toBe(15);
    expect(Object.values(dry.statuses)).toEqual(['invited', 'invited', 'invited']);
    await expectOnlyReads();
    expect(t.s.sim.state.invitations).toEqual([]);
    expect(t.contact(ada.id).o25fs_provisioningstatus).toBeNull();

    const applied = await t.apply();
    // Same tenant, same plan: ids, order, before/after values and reasons.
    expect(applied.plan.changes).toEqual(dry.plan.changes);
    expect(applied.results.map((r) => r.changeId)).toEqual(dry.plan.changes.map((c) => c.id));

    t.sync();
    await t.clearLogs();
    const dry2 = await t.dryRun();
    await expectOnlyReads();
    // Resource ids are deterministic, so even the creates are planned identically twice.
    expect(dry2.plan.changes.some((c) => c.kind === 'bookableresource.create')).toBe(true);
    const applied2 = await t.apply();
    expect(applied2.plan.changes).toEqual(dry2.plan.changes);
    expect(applied2.outcome).toBe('succeeded');
  });
});
