/**
 * The removal threshold (src/engine/guards/removal-threshold.ts). Behaviour from Entra's
 * accidental-deletions prevention and Entra Connect's prevent-accidental-deletes
 * (learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions,
 * learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-prevent-accidental-deletes):
 * over the threshold, the whole
 * destructive batch is held back and listed; everything else still applies; an admin releases it.
 */
import { describe, expect, it } from 'vitest';
import { QUARANTINED, REMOVALS_HELD, removalThresholdGuard } from '../../../src/engine/guards/index.js';
import { RELEASE_ACTION } from '../../../src/engine/guards/removal-threshold.js';
import type { Settings } from '../../../src/config.js';
import type { RunOverrides } from '../../../src/engine/seams.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { change, context, contactPlan, deprovision, members, newTechnician, planOf } from './builders.js';

const ids = (n: number, prefix = 'gone'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
const held = (plan: Plan): string[] => plan.changes.filter((c) => c.blocked?.code === REMOVALS_HELD).map((c) => c.id).sort();
const removalIds = (contacts: string[]): string[] => contacts.flatMap((id) => deprovision(id).map((c) => c.id)).sort();

interface Case {
  reason: string;
  changes: Change[];
  members: number;
  settings?: Partial<Settings>;
  overrides?: RunOverrides;
  heldContacts: string[];
}

const cases: Case[] = [
  {
    reason: 'exactly at the limit is not over it ("doesn\'t exceed the threshold" → no breaker, accidental-deletions): 10 of 10 apply',
    changes: ids(10).flatMap(deprovision),
    members: 100,
    settings: { maxDeprovisionsPerRun: 10 },
    heldContacts: [],
  },
  {
    reason: 'one contact over MAX_DEPROVISIONS_PER_RUN holds every removal of the run, not a part of them',
    changes: ids(11).flatMap(deprovision),
    members: 1000,
    settings: { maxDeprovisionsPerRun: 10 },
    heldContacts: ids(11),
  },
  {
    reason: 'contacts are counted, not calls: 3 contacts losing licence, group and resource (9 removals) are 3 deprovisions',
    changes: ids(3).flatMap(deprovision),
    members: 100,
    settings: { maxDeprovisionsPerRun: 3 },
    heldContacts: [],
  },
  {
    reason: 'the percentage is of the technicians with access (group members): 5 of 40 is over 10% (limit 4) though under the count',
    changes: ids(5).flatMap(deprovision),
    members: 40,
    settings: { maxDeprovisionsPerRun: 25, maxDeprovisionsPercent: 10 },
    heldContacts: ids(5),
  },
  {
    reason: '4 of 40 is exactly 10%: not over',
    changes: ids(4).flatMap(deprovision),
    members: 40,
    settings: { maxDeprovisionsPerRun: 25, maxDeprovisionsPercent: 10 },
    heldContacts: [],
  },
  {
    reason: 'the percentage never holds a single deprovision: 1 of 3 technicians goes ahead (10% of 3 rounds to 0, the floor is 1)',
    changes: deprovision('gone-000'),
    members: 3,
    heldContacts: [],
  },
  {
    reason: 'but 2 of 3 technicians at once is over it',
    changes: ids(2).flatMap(deprovision),
    members: 3,
    heldContacts: ids(2),
  },
  {
    reason: 'the defaults are 25 per run and 10%: 26 of 1000 technicians is held by the count',
    changes: ids(26).flatMap(deprovision),
    members: 1000,
    heldContacts: ids(26),
  },
  {
    reason: 'MAX_DEPROVISIONS_PERCENT=100 turns the percentage off (50 of 50 would otherwise be held)',
    changes: ids(50).flatMap(deprovision),
    members: 50,
    settings: { maxDeprovisionsPerRun: 1000, maxDeprovisionsPercent: 100 },
    heldContacts: [],
  },
  {
    reason: 'MAX_DEPROVISIONS_PER_RUN=0 makes every removal wait for an admin',
    changes: deprovision('gone-000'),
    members: 1000,
    settings: { maxDeprovisionsPerRun: 0 },
    heldContacts: ['gone-000'],
  },
  {
    reason: 'the explicit override (CLI flag, POST body) releases held removals',
    changes: ids(30).flatMap(deprovision),
    members: 100,
    settings: { maxDeprovisionsPerRun: 10 },
    overrides: { releaseRemovals: true },
    heldContacts: [],
  },
  {
    reason: 'RELEASE_HELD_REMOVALS=true releases them too',
    changes: ids(30).flatMap(deprovision),
    members: 100,
    settings: { maxDeprovisionsPerRun: 10, releaseHeldRemovals: true },
    heldContacts: [],
  },
  {
    reason: 'a single group.remove is a deprovision of its contact like any other',
    changes: [...ids(2).flatMap(deprovision), change('partial-1', 'group.remove')],
    members: 100,
    settings: { maxDeprovisionsPerRun: 2 },
    heldContacts: [...ids(2), 'partial-1'],
  },
];

describe('removal threshold guard', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const plan = planOf(c.changes);
      const out = removalThresholdGuard.guard(plan, context({ settings: c.settings, overrides: c.overrides, observation: { groupMemberIds: members(c.members) } }));
      const expected = c.heldContacts.flatMap((id) => c.changes.filter((ch) => ch.subject.id === id).map((ch) => ch.id)).sort();
      expect(held(out)).toEqual(expected);
      expect(out.summary.blockedRemovals).toBe(expected.length);
      const blocked = out.subjects.filter((p) => p.status === 'removal_blocked').map((p) => p.subject.id).sort();
      expect(blocked).toEqual([...c.heldContacts].sort());
      if (c.heldContacts.length === 0) expect(out).toBe(plan);
    });
  }

  it('says how many contacts, the limits, and how to release, and leaves every other change alone', () => {
    const gone = ids(30);
    const plan = planOf([...gone.flatMap(deprovision), ...newTechnician('new-1'), change('drift-1', 'systemuser.update')]);
    const out = removalThresholdGuard.guard(plan, context({ settings: { maxDeprovisionsPerRun: 10 }, observation: { groupMemberIds: members(100) } }));
    expect(held(out)).toEqual(removalIds(gone));
    const [first] = out.changes.filter((c) => c.blocked);
    expect(first!.blocked).toEqual({
      code: REMOVALS_HELD,
      reason: '30 contacts would lose access in this run (limit 10 per run / 10% of everyone with access); every removal is held back until an admin releases them.',
      action: RELEASE_ACTION,
    });
    expect(RELEASE_ACTION).toContain('--release-removals');
    expect(RELEASE_ACTION).toContain('{"releaseRemovals": true}');
    expect(RELEASE_ACTION).toContain('RELEASE_HELD_REMOVALS=true');
    expect(out.changes.filter((c) => !c.blocked).map((c) => c.id).sort()).toEqual(['drift-1/systemuser.update', 'new-1/group.add', 'new-1/licence.assign', 'new-1/user.invite']);
    expect(out.subjects.find((p) => p.subject.id === 'new-1')!.status).toBe('active');
    expect(out.summary.subjectsByStatus).toEqual({ removal_blocked: 30, active: 2 });
    expect(out.summary.blockedRemovals).toBe(90);
    // Pure: the input plan is not touched.
    expect(plan.changes.some((c) => c.blocked)).toBe(false);
    expect(plan.subjects.every((p) => p.status === 'active')).toBe(true);
  });

  it('does not count removals another guard already holds back, and keeps their hold', () => {
    const quarantinedHold = { code: QUARANTINED, reason: 'quarantined', action: 'wait' };
    const changes = [
      ...deprovision('q-1').map((c) => ({ ...c, blocked: quarantinedHold })),
      ...ids(2).flatMap(deprovision),
    ];
    const out = removalThresholdGuard.guard(planOf(changes, [contactPlan('q-1', { status: 'quarantined' })]), context({ settings: { maxDeprovisionsPerRun: 2 }, observation: { groupMemberIds: members(100) } }));
    expect(held(out)).toEqual([]);
    expect(out.changes.filter((c) => c.subject.id === 'q-1').every((c) => c.blocked?.code === QUARANTINED)).toBe(true);
  });
});
