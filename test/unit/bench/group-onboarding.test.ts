/**
 * The group-mode onboarding scenario's tenant and target (bench/fixtures.ts groupOnboarding,
 * bench/scenarios.ts GROUP_WRITES_PER_TECHNICIAN; issue 15 item 5: "at most 2.05 in group mode").
 */
import { describe, expect, it } from 'vitest';
import { GROUP_ID, GROUP_MODE_SETTINGS, SKU_ID, expectedTotal, groupOnboarding, onboarding } from '../../../bench/fixtures.js';
import { GROUP_WRITES_PER_TECHNICIAN, graphWritesPerTechnicianCheck, type PhaseResult } from '../../../bench/scenarios.js';

describe('groupOnboarding', () => {
  const g = groupOnboarding(3, 40);

  it('the technician group carries the licence, and the settings turn group mode on', () => {
    expect(g.fixture.graph?.groups?.find((x) => x.id === GROUP_ID)?.assignedLicenses).toEqual([{ skuId: SKU_ID }]);
    expect(GROUP_MODE_SETTINGS.LICENSE_MODE).toBe('group');
  });

  it('the first apply needs no licence.assign: invite, anchor, user update and group add per new technician', () => {
    expect(g.expected.changes).toEqual({ 'user.invite': 40, 'contact.anchor': 40, 'user.update': 40, 'group.add': 40 });
    // 40 invitations, 40 anchors, 40 user updates, 2 group PATCHes of 20, 40 status writes.
    expect(expectedTotal(g.expected)).toBe(40 * 3 + 2 + 40);
    expect(expectedTotal(onboarding(3, 40).expected) - expectedTotal(g.expected)).toBe(40);
  });

  it('the second apply needs what direct mode needs', () => {
    expect(g.second).toEqual(onboarding(3, 40).second);
  });
});

describe('the group-mode target with graphWritesPerTechnicianCheck', () => {
  const phase = (writesAnswered: number) => ({ name: 'apply', counts: { graph: { writesAnswered } } }) as unknown as PhaseResult;
  const cases = [
    { reason: 'invite, user update and a twentieth of a PATCH (the second apply writes no Graph): exactly at the target', writes: [410, 0], ok: true },
    { reason: 'one more write than that misses it', writes: [410, 1], ok: false },
    { reason: 'direct mode (a licence write each) misses it by far', writes: [610, 0], ok: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      expect(GROUP_WRITES_PER_TECHNICIAN).toBe(2.05);
      expect(graphWritesPerTechnicianCheck(c.writes.map(phase), 200, GROUP_WRITES_PER_TECHNICIAN).ok).toBe(c.ok);
    });
  }
});
