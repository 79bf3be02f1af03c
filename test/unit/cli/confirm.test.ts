/**
 * apply's confirmation (src/cli/confirm.ts) with the terminal check and the question injected: a
 * pseudo-terminal is hard to drive from a test, so the two seams are tested here and the command
 * off a terminal is spawned in test/integration/cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { confirmPlan, planSummaryLines, requireAnswerable, type ConfirmIo } from '../../../src/cli/confirm.js';
import { change, planOf } from './plan-fixture.js';

function io(interactive: boolean, answer = ''): ConfirmIo & { asked: string[]; err: string } {
  const state = {
    interactive,
    asked: [] as string[],
    err: '',
    ask: (q: string) => (state.asked.push(q), Promise.resolve(answer)),
    writeErr: (t: string) => void (state.err += t),
  };
  return state;
}

const plan = planOf([change(1, 'user.invite'), change(1, 'licence.assign'), change(2, 'user.invite'), change(2, 'group.remove', { blocked: { code: 'REMOVALS_HELD', reason: 'held' } })]);

describe('apply: confirmation', () => {
  it("on a terminal: shows the changes by kind on stderr, asks, and goes on only on 'yes'", async () => {
    const t = io(true, ' YES \n');
    await expect(confirmPlan(plan, t, false)).resolves.toBe(plan);
    expect(t.asked).toEqual(["Apply these changes? Only 'yes' applies them: "]);
    expect(t.err).toBe(['Plan: 4 change(s) for 2 row(s), 1 held back by a guard (not applied):', '      1  group.remove', '      1  licence.assign', '      2  user.invite', ''].join('\n'));
  });

  it.each(['', 'y', 'no', 'yess'])('answer %j: APPLY_NOT_CONFIRMED, "nothing was changed"', async (answer) => {
    await expect(confirmPlan(plan, io(true, answer), false)).rejects.toMatchObject({ code: 'APPLY_NOT_CONFIRMED', message: 'Apply cancelled: nothing was changed.' });
  });

  it('--yes: no question, on a terminal or off it', async () => {
    for (const interactive of [true, false]) {
      const t = io(interactive);
      await expect(confirmPlan(plan, t, true)).resolves.toBe(plan);
      expect(t.asked).toEqual([]);
      expect(() => requireAnswerable(t, true)).not.toThrow();
    }
  });

  it('nothing to apply (no change, or every change held back): no question', async () => {
    const t = io(true, 'no');
    const quiet = planOf([change(1, 'group.remove', { blocked: { code: 'REMOVALS_HELD', reason: 'held' } })]);
    await expect(confirmPlan(quiet, t, false)).resolves.toBe(quiet);
    await expect(confirmPlan(planOf([]), t, false)).resolves.toBeDefined();
    expect(t.asked).toEqual([]);
  });

  it('off a terminal without --yes: refused with what to do, and nothing asked', async () => {
    const t = io(false, 'yes');
    expect(() => requireAnswerable(t, false)).toThrow(expect.objectContaining({ code: 'APPLY_NOT_CONFIRMED', action: expect.stringContaining('apply --yes') as string }));
    await expect(confirmPlan(plan, t, false)).rejects.toMatchObject({ code: 'APPLY_NOT_CONFIRMED' });
    expect(t.asked).toEqual([]);
  });

  it('the summary counts rows, not changes', () => {
    expect(planSummaryLines(planOf([change(1, 'user.invite'), change(1, 'user.update')]))[0]).toBe('Plan: 2 change(s) for 1 row(s):');
  });
});
