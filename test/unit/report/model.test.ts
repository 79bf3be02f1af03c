import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/model.js';
import { C, CONTOSO, SCRIPT_NAME, FORMULA_NAME, emptyPlan, makePlan, makeRun } from './fixture.js';

describe('buildReport: the one model every format reads', () => {
  it('counts the summary from the rows it shows', () => {
    const s = buildReport({ plan: makePlan() }).summary;
    expect(s.totalChanges).toBe(17);
    expect(s.subjectsWithChanges).toBe(6);
    expect(s.totalSubjects).toBe(12);
    expect(s.errors).toBe(2);
    expect(s.orphans).toBe(1);
    expect(s.blockedRemovals).toBe(3);
    expect(s.changesByKind.map((k) => [k.label, k.count])).toEqual([
      ['Invite guest user', 1],
      ['Record Entra id on contact', 1],
      ['Update user details', 2],
      ['Assign licence', 2],
      ['Remove licence', 1],
      ['Add to technician group', 1],
      ['Remove from technician group', 1],
      ['Update Dataverse user coordinates', 1],
      ['Create bookable resource', 1],
      ['Update bookable resource', 1],
      ['Deactivate bookable resource', 1],
      ['Link bookable resource to contact', 1],
      ['Add characteristic', 1],
      ['Update characteristic', 1],
      ['Remove characteristic', 1],
    ]);
    expect(s.subjectsByStatus.map((k) => [k.label, k.count])).toEqual([
      ['Active', 3],
      ['Invited', 1],
      ['Waiting for Dataverse user', 1],
      ['Changes pending', 1],
      ['No licence units', 1],
      ['Removal held back', 1],
      ['Error', 1],
      ['Quarantined', 1],
      ['Deprovisioned', 1],
      ['Out of scope', 1],
    ]);
    expect(s.headline).toBe(
      '17 changes are planned for 6 contacts. 4 changes are held back. 2 contacts have an error an admin needs to look at (see below).',
    );
    expect(s.notes).toEqual([
      '1 technician is waiting for Dataverse to create their user from Entra; this resolves on its own.',
    ]);
  });

  it('warns in plain words when licence units run short', () => {
    const [licence] = buildReport({ plan: makePlan() }).summary.licences;
    expect(licence).toMatchObject({ unitsNeeded: 2, unitsAvailable: 1, shortage: 1, skuName: 'SPE_F1' });
    expect(licence!.warning).toBe(
      'Not enough licence units: 2 needed, 1 available (SPE_F1). 1 technician gets a licence, in a stable order; ' +
        'the other 1 is marked "No licence units" until more units are bought or freed.',
    );
    const plenty = makePlan();
    plenty.summary.licences[0]!.unitsAvailable = 2;
    expect(buildReport({ plan: plenty }).summary.licences[0]!.warning).toBeNull();
  });

  it('says plainly that no removal was applied, and lists the staged removals (anchors C.2 item 8)', () => {
    const s = buildReport({ plan: makePlan() }).summary;
    expect(s.blockedRemovalNotice).toMatch(
      /^No removal was applied: 3 removals are held back by the threshold guard; an admin can release them/,
    );
    expect(s.blockedRemovalItems.map((b) => [b.subjectName, b.label])).toEqual([
      ['Carol Clark', 'Remove licence'],
      ['Carol Clark', 'Remove from technician group'],
      ['Carol Clark', 'Deactivate bookable resource'],
    ]);
  });

  it('does not claim "no removal was applied" when some removals were not held back', () => {
    const plan = makePlan();
    const first = plan.changes.find((c) => c.kind === 'licence.remove')!;
    delete first.blocked;
    const s = buildReport({ plan }).summary;
    expect(s.blockedRemovals).toBe(2);
    expect(s.blockedRemovalNotice).toMatch(/^2 removals are held back by the threshold guard \(1 other removal is not held back\); an admin/);
  });

  it('counts in the threshold notice only removals the threshold guard held (REMOVALS_HELD), not those quarantine held', () => {
    // src/engine/guards/hold.ts: quarantine holds every change of a contact with code QUARANTINED;
    // the "held back by the threshold guard" notice and its release concern REMOVALS_HELD only.
    const plan = makePlan();
    const first = plan.changes.find((c) => c.kind === 'licence.remove')!;
    first.blocked = { code: 'QUARANTINED', reason: 'Quarantined after 3 failed runs in a row.', action: 'Fix the last error.' };
    const s = buildReport({ plan }).summary;
    expect(s.blockedRemovals).toBe(2);
    expect(s.blockedRemovalItems.map((b) => b.label)).toEqual(['Remove from technician group', 'Deactivate bookable resource']);
    // The quarantined removal is held back too, so it is not among the removals "not held back".
    expect(s.blockedRemovalNotice).toMatch(/^No removal was applied: 2 removals are held back by the threshold guard; an admin/);

    const none = makePlan();
    for (const c of none.changes) if (c.blocked?.code === 'REMOVALS_HELD') c.blocked = { code: 'QUARANTINED', reason: 'Quarantined.', action: 'Wait.' };
    const q = buildReport({ plan: none }).summary;
    expect(q.blockedRemovals).toBe(0);
    expect(q.blockedRemovalNotice).toBeNull();
  });

  it('does not count a removal held at apply time by quarantine in the threshold notice', () => {
    const run = makeRun();
    for (const c of run.plan.changes) delete c.blocked;
    for (const res of run.results) {
      if (res.outcome === 'blocked') res.error = { class: 'contact', code: 'QUARANTINED', message: 'Quarantined.', action: 'Wait.' };
    }
    const r = buildReport({ plan: run.plan, run });
    expect(r.summary.blockedRemovals).toBe(0);
    expect(r.summary.blockedRemovalNotice).toBeNull();
  });

  it('groups contacts by vendor: vendors by name, "No vendor" last, contacts by display name', () => {
    const r = buildReport({ plan: makePlan() });
    expect(r.groups.map((v) => v.name)).toEqual(['Adatum Repairs', 'Contoso Field Services', 'No vendor']);
    const contoso = r.groups.find((v) => v.groupId === CONTOSO)!;
    expect(contoso.subjects.map((c) => c.displayName)).toEqual([
      'Bob Brown', 'Carol Clark', 'Dave Doe', 'Eve Evans', 'Frank Fox', 'Gina Green', 'Hank Hill',
    ]);
    expect(contoso.changeCount).toBe(9);
    expect(contoso.errorCount).toBe(2);
    expect(r.groups[0]!.subjects.map((c) => c.displayName).sort()).toEqual(['Alice Adams', FORMULA_NAME, SCRIPT_NAME].sort());
    expect(r.groups[2]!.subjects.map((c) => c.displayName)).toEqual(['Ivy Ito', 'Jack Jones']);
  });

  it('keeps each contact\'s changes in apply order with label, reason and only the fields that change', () => {
    const r = buildReport({ plan: makePlan() });
    const alice = r.groups[0]!.subjects.find((c) => c.subjectId === C.alice)!;
    expect(alice.changes.map((c) => c.kind)).toEqual([
      'user.invite', 'contact.anchor', 'user.update', 'licence.assign', 'group.add',
    ]);
    const update = alice.changes[2]!;
    expect(update.reason).toBe('A licence needs a usage location; the contact lives in the Netherlands.');
    // givenName is the same before and after, so it is left out.
    expect(update.fields).toEqual([{ field: 'usageLocation', label: 'Usage location', before: null, after: 'NL' }]);
    expect(update.target.createdByLabel).toBe('Invite guest user');
    const anchor = alice.changes[1]!;
    expect(anchor.fields[0]).toMatchObject({ label: 'Entra id', afterFrom: 'Invite guest user' });
  });

  it('carries the error and what to do, and what remains for an out-of-scope contact', () => {
    const r = buildReport({ plan: makePlan() });
    const all = r.groups.flatMap((v) => v.subjects);
    expect(all.find((c) => c.subjectId === C.dave)!.error).toMatchObject({
      code: 'EMAIL_CHANGED',
      action: expect.stringMatching(/^Check with the vendor/),
    });
    expect(all.find((c) => c.subjectId === C.ivy)!.remains).toEqual([
      'Entra guest user ivy@example.com', 'Licence SPE_F1', 'Technician group membership',
    ]);
  });

  it('for an apply, shows each change\'s outcome, the statuses after the run and the run as last run', () => {
    const run = makeRun();
    const r = buildReport({ plan: run.plan, run });
    expect(r.dryRun).toBe(false);
    const alice = r.groups[0]!.subjects.find((c) => c.subjectId === C.alice)!;
    expect(alice.status).toBe('error');
    expect(alice.changes.find((c) => c.kind === 'group.add')!.result).toMatchObject({
      outcome: 'failed',
      error: { code: 'GRAPH_UNAVAILABLE', action: 'Nothing: the next run retries it.' },
    });
    expect(r.run!.resultCounts).toEqual([
      { outcome: 'applied', label: 'Applied', count: 11 },
      { outcome: 'failed', label: 'Failed', count: 1 },
      { outcome: 'blocked', label: 'Held back', count: 4 },
      { outcome: 'not_reached', label: 'Not reached', count: 1 },
    ]);
    expect(r.summary.headline).toMatch(/^11 of 17 changes applied for 6 contacts \(1 failed, 1 not reached\)\./);
    expect(r.summary.lastRun).toMatchObject({ runId: run.runId, outcome: 'partial', changesApplied: 11, errors: 3 });
    expect(r.summary.lastRun!.sentence).toBe(
      '2025-03-01 10:16 UTC, partly succeeded: 11 changes applied, 3 errors (run run-2025-03-01-1015).',
    );
  });

  it('prefers the stored last run when given, with its run-level error and what to do', () => {
    const r = buildReport({
      plan: makePlan(),
      lastRun: {
        runId: 'run-9',
        finishedAt: '2025-02-28T09:00:00Z',
        outcome: 'stopped',
        mode: 'apply',
        errors: 1,
        changesApplied: 0,
        error: { class: 'configuration', code: 'GROUP_NOT_FOUND', message: 'The technician group does not exist.', action: 'Set TECHNICIAN_GROUP_ID.' },
      },
    });
    expect(r.summary.lastRun!.sentence).toBe(
      '2025-02-28 09:00 UTC, stopped early: 0 changes applied, 1 error (run run-9). The technician group does not exist. What to do: Set TECHNICIAN_GROUP_ID.',
    );
  });

  it('says plainly that nothing needs to change for a converged tenant', () => {
    expect(buildReport({ plan: emptyPlan() }).summary.headline).toBe(
      'Nothing needs to change: there is no technician contact in scope.',
    );
  });

  it('describes the scope in words', () => {
    const plan = makePlan();
    plan.scope = { kind: 'group', family: 'technicians', groupId: CONTOSO };
    expect(buildReport({ plan }).scopeText).toBe('One vendor: Contoso Field Services.');
    plan.scope = { kind: 'subjects', family: 'technicians', subjectIds: [C.bob, C.eve] };
    expect(buildReport({ plan }).scopeText).toBe('2 chosen contacts: Bob Brown, Eve Evans.');
  });

  it('after an apply, shows the id an earlier change created instead of "the new id"', () => {
    const run = makeRun();
    const r = buildReport({ plan: run.plan, run });
    const anchor = r.groups[0]!.subjects.find((c) => c.subjectId === C.alice)!.changes.find((c) => c.kind === 'contact.anchor')!;
    expect(anchor.fields).toEqual([
      { field: 'o25fs_entraobjectid', label: 'Entra id', before: null, after: 'e0000000-0000-4000-8000-0000000000a1' },
    ]);
    const planned = buildReport({ plan: makePlan() }).groups[0]!.subjects.find((c) => c.subjectId === C.alice)!.changes[1]!;
    expect(planned.fields[0]!.afterFrom).toBe('Invite guest user');
  });

  it('counts a removal the guard held back at apply time, with the guard\'s reason', () => {
    const run = makeRun();
    for (const c of run.plan.changes) delete c.blocked;
    for (const res of run.results) {
      if (res.outcome === 'blocked') {
        res.error = { class: 'contact', code: 'REMOVALS_HELD', message: '30 removals exceed the limit of 10.', action: 'Release them.' };
      }
    }
    const r = buildReport({ plan: run.plan, run });
    expect(r.summary.blockedRemovals).toBe(3);
    expect(r.summary.blockedRemovalNotice).toMatch(/^No removal was applied: 3 removals are held back/);
    const carol = r.groups[1]!.subjects.find((c) => c.subjectId === C.carol)!;
    expect(carol.changes.map((c) => c.outcomeText)).toEqual([
      'Held back: 30 removals exceed the limit of 10.',
      'Held back: 30 removals exceed the limit of 10.',
      'Held back: 30 removals exceed the limit of 10.',
    ]);
  });

  it('treats a dry-run record as a plan: no run section and no "last run" from it', () => {
    const run = { ...makeRun(), mode: 'dry-run' as const, results: [], statuses: {} };
    const r = buildReport({ plan: run.plan, run });
    expect(r.dryRun).toBe(true);
    expect(r.run).toBeUndefined();
    expect(r.summary.lastRun).toBeNull();
    const stopped = buildReport({
      plan: run.plan,
      run: { ...run, outcome: 'failed', error: { class: 'configuration', code: 'SKU_NOT_FOUND', message: 'No such SKU.', action: 'Fix LICENSE_SKU_ID.' } },
    });
    expect(stopped.run?.error?.code).toBe('SKU_NOT_FOUND');
  });

  it('shows the error an earlier run stored on the contact when this plan found none', () => {
    const plan = makePlan();
    plan.subjects.find((c) => c.subject.id === C.hank)!.storedError = 'GRAPH_UNAVAILABLE: Microsoft Graph answered 503.';
    plan.subjects.find((c) => c.subject.id === C.dave)!.storedError = 'older error';
    const all = buildReport({ plan }).groups.flatMap((v) => v.subjects);
    expect(all.find((c) => c.subjectId === C.hank)!.lastRecordedError).toBe('GRAPH_UNAVAILABLE: Microsoft Graph answered 503.');
    expect(all.find((c) => c.subjectId === C.dave)!.lastRecordedError).toBeUndefined();
  });
});
