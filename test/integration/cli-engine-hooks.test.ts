/**
 * The two engine hooks the CLI uses (src/engine/engine.ts RunRequest: `checkPlan` and `progress`,
 * src/engine/seams.ts RunProgress), on the real engine, clients and simulator: the events come in
 * phase order with the counts the renderer draws, and checkPlan decides what is applied (a cut-down
 * plan is applied as cut; a ConfigurationError fails the run before any write).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/engine/seams.js';
import { ConfigurationError } from '../../src/model/errors.js';
import { startEngineTenant, threeTechnicians, type EngineTenant } from './engine-fixture.js';

const techs = threeTechnicians();
const [ada] = techs as [(typeof techs)[0]];

let t: EngineTenant;
afterEach(() => t.stop());

const run = (request: Parameters<ReturnType<EngineTenant['engine']>['run']>[0]) => t.engine().run(request);

/** An event as a short line: phase, state and its counts. */
function brief(e: RunProgress): string {
  if (e.phase === 'plan') return `plan ${e.plan.changes.length}`;
  if (e.phase === 'apply') return `apply ${e.state} ${e.results.length}/${e.plan.changes.length}`;
  if (e.phase === 'status') return `status ${e.state} ${e.writes}`;
  return `observe ${e.state}`;
}
/** The observe phase's progress events, which come once per read: left out of the phase sequence. */
const phases = (events: RunProgress[]): string[] => events.filter((e) => !(e.phase === 'observe' && e.state === 'progress')).map(brief);

describe('engine hooks', () => {
  it('progress: observe, plan, apply (after each wave, every result so far), status writes; a dry run stops after the plan', async () => {
    t = await startEngineTenant(techs);
    const dry: RunProgress[] = [];
    await run({ scope: { kind: 'tenant' }, dryRun: true, trigger: 'cli', progress: (e) => dry.push(e) });
    expect(phases(dry)).toEqual(['observe started', 'observe finished', 'plan 15']);
    // While observing: one event per read, between started and finished, the counts only growing,
    // and together every row the tenant's tables hold for this run (3 technicians' contacts among them).
    const reads = dry.filter((e): e is Extract<RunProgress, { phase: 'observe'; state: 'progress' }> => e.phase === 'observe' && e.state === 'progress');
    expect(reads.length).toBeGreaterThan(3);
    expect(dry.indexOf(reads[0]!)).toBe(1);
    expect(reads.map((e) => e.rows)).toEqual([...reads.map((e) => e.rows)].sort((a, b) => a - b));
    expect(reads.at(-1)!.reads).toBe(reads.filter((e, i) => i === 0 || e.reads !== reads[i - 1]!.reads).length);
    expect(reads.at(-1)!.rows).toBeGreaterThanOrEqual(3);

    const events: RunProgress[] = [];
    const record = await run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', progress: (e) => events.push(e) });
    const lines = phases(events);
    expect(lines.slice(0, 4)).toEqual(['observe started', 'observe finished', 'plan 15', 'apply started 0/15']);
    const waves = lines.filter((l) => l.startsWith('apply progress'));
    // invite → anchor and profile → licence → group: one event per wave, the count growing to all 15.
    expect(waves.length).toBeGreaterThanOrEqual(3);
    expect(waves.at(-1)).toBe('apply progress 15/15');
    const counts = waves.map((l) => Number(/(\d+)\/15$/.exec(l)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(lines.slice(-3)).toEqual(['apply finished 15/15', 'status started 3', 'status finished 3']);
    expect(record.outcome).toBe('succeeded');
  });

  it('checkPlan: the plan it returns is what is applied; a ConfigurationError from it fails the run with no write', async () => {
    t = await startEngineTenant(techs);
    const onlyAdaInvite = await run({
      scope: { kind: 'tenant' },
      dryRun: false,
      trigger: 'cli',
      checkPlan: (plan) => ({ ...plan, changes: plan.changes.filter((c) => c.id === `${ada.id}/user.invite`), subjects: plan.subjects.filter((s) => s.subject.id === ada.id) }),
    });
    expect(onlyAdaInvite.results.map((r) => [r.changeId, r.outcome])).toEqual([[`${ada.id}/user.invite`, 'applied']]);
    expect(t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).toEqual([ada.email]);

    await t.clearLogs();
    const refused = await run({
      scope: { kind: 'tenant' },
      dryRun: false,
      trigger: 'cli',
      checkPlan: async () => Promise.reject(new ConfigurationError('SAVED_PLAN_STALE', 'moved', 'plan again')),
    });
    expect(refused.outcome).toBe('failed');
    expect(refused.error).toEqual({ class: 'configuration', code: 'SAVED_PLAN_STALE', message: 'moved', action: 'plan again' });
    expect(refused.results).toEqual([]);
    expect(t.writes()).toEqual([]);
  });
});
