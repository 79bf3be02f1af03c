/**
 * plan and apply as commands (src/cli/run-command.ts) with their terminal injected: the exit codes
 * of docs/cli.md, the confirmation on a terminal (answered yes or not), the report on stdout and the
 * summary last on stderr. The engine here is a stand-in that does what ReconcileEngine.run does
 * with the hooks (checkPlan before any write; a ConfigurationError from it fails the run) and
 * records whether it "applied"; the real engine with the CLI is test/integration/cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ConfirmIo } from '../../../src/cli/confirm.js';
import { applyCommand, planCommand, type CommandIo } from '../../../src/cli/run-command.js';
import type { ReconcileEngine, RunRequest } from '../../../src/engine/engine.js';
import { emptyPlan } from '../../../src/engine/engine.js';
import { ReconcilerError } from '../../../src/model/errors.js';
import type { Plan } from '../../../src/model/plan.js';
import type { RunRecord } from '../../../src/model/run.js';
import { change, planOf, result, rowId, runOf } from './plan-fixture.js';

const invite = change(1, 'user.invite');
const PLAN = planOf([invite]);

function harness(plan: Plan, opts: { interactive?: boolean; answer?: string; statuses?: RunRecord['statuses']; environmentUrl?: string } = {}) {
  const state = { out: '', err: '', asked: 0, applied: false };
  const engine = {
    run: async (req: RunRequest): Promise<RunRecord> => {
      let checked: Plan;
      try {
        checked = req.checkPlan ? await req.checkPlan(plan) : plan;
      } catch (err) {
        if (!(err instanceof ReconcilerError)) throw err;
        return runOf(emptyPlan(req.scope, new Date()), [], { outcome: 'failed', error: err.toJSON(), mode: req.dryRun ? 'dry-run' : 'apply' });
      }
      if (req.dryRun) return runOf(checked, [], { mode: 'dry-run' });
      state.applied = true;
      return runOf(checked, checked.changes.map((c) => result(c, 'applied')), opts.statuses ? { statuses: opts.statuses } : {});
    },
  } as unknown as ReconcileEngine;
  const confirm: ConfirmIo = {
    interactive: opts.interactive ?? false,
    ask: () => (state.asked++, Promise.resolve(opts.answer ?? '')),
    writeErr: (t) => void (state.err += t),
  };
  const io: CommandIo = {
    engine: () => engine,
    ...(opts.environmentUrl ? { environmentUrl: () => opts.environmentUrl! } : {}),
    writeOut: (t) => void (state.out += t),
    writeErr: (t) => void (state.err += t),
    confirm,
    stderrTty: false,
    color: false,
  };
  return { io, state };
}

const base = { format: 'csv' as const, contact: [] };

describe('plan: exit codes', () => {
  it('0 when the plan is made, with changes or not; 2 with --detailed-exitcode when changes are pending', async () => {
    expect(await planCommand({ ...base, detailedExitcode: false }, harness(PLAN).io)).toBe(0);
    expect(await planCommand({ ...base, detailedExitcode: true }, harness(PLAN).io)).toBe(2);
    expect(await planCommand({ ...base, detailedExitcode: true }, harness(planOf([], [1])).io)).toBe(0);
  });

  it('1 when the scope names a contact that is not there, the report on stdout and the error on stderr', async () => {
    const h = harness(PLAN);
    expect(await planCommand({ ...base, contact: [rowId(7)], detailedExitcode: true }, h.io)).toBe(1);
    expect(h.state.out).not.toBe('');
    expect(h.state.err).toContain(`vendor-reconciler: No technicians contact has the id ${rowId(7)}`);
  });
});

describe('the HTML report links into Dynamics 365', () => {
  const ENV = 'https://contoso.crm.dynamics.com';
  const contactLink = `href="${ENV}/main.aspx?etn=contact&amp;id=${rowId(1)}&amp;pagetype=entityrecord"`;

  it('plan and apply link each contact at the environment URL the settings give (DATAVERSE_URL)', async () => {
    const planned = harness(PLAN, { environmentUrl: ENV });
    expect(await planCommand({ ...base, format: 'html', detailedExitcode: false }, planned.io)).toBe(0);
    expect(planned.state.out).toContain(contactLink);
    const applied = harness(PLAN, { environmentUrl: ENV });
    expect(await applyCommand({ ...base, format: 'html', releaseRemovals: false, yes: true }, applied.io)).toBe(0);
    expect(applied.state.out).toContain(contactLink);
  });

  it('without an environment URL: no link', async () => {
    const h = harness(PLAN);
    expect(await planCommand({ ...base, format: 'html', detailedExitcode: false }, h.io)).toBe(0);
    expect(h.state.out).toContain(rowId(1));
    expect(h.state.out).not.toContain('main.aspx');
  });
});

describe('apply: confirmation and exit codes', () => {
  const apply = { ...base, releaseRemovals: false, yes: false };

  it("on a terminal, answered 'yes': applied, report on stdout, summary last on stderr, exit 0", async () => {
    const h = harness(PLAN, { interactive: true, answer: 'yes' });
    expect(await applyCommand(apply, h.io)).toBe(0);
    expect(h.state.asked).toBe(1);
    expect(h.state.applied).toBe(true);
    expect(h.state.out).toContain('"Invite guest user","Entra user (new)","(does not exist yet)","Display name: Tech 1","reason for user.invite","Applied"');
    expect(h.state.err).toMatch(/^Plan: 1 change\(s\) for 1 row\(s\):\n.*\nApply succeeded \(run /);
    expect(h.state.err.trimEnd().split('\n').at(-1)).toBe('What to do: nothing; the run applied every change.');
  });

  it('on a terminal, answered anything else: nothing applied, no report, "Apply cancelled", exit 1', async () => {
    const h = harness(PLAN, { interactive: true, answer: 'n' });
    expect(await applyCommand(apply, h.io)).toBe(1);
    expect(h.state.applied).toBe(false);
    expect(h.state.out).toBe('');
    expect(h.state.err).toContain('vendor-reconciler: Apply cancelled: nothing was changed.\nWhat to do: ');
  });

  it('off a terminal without --yes: refused before the engine runs; with --yes: applied without a question', async () => {
    const off = harness(PLAN);
    await expect(applyCommand(apply, off.io)).rejects.toMatchObject({ code: 'APPLY_NOT_CONFIRMED' });
    expect(off.state.applied).toBe(false);
    const yes = harness(PLAN);
    expect(await applyCommand({ ...apply, yes: true }, yes.io)).toBe(0);
    expect(yes.state.asked).toBe(0);
    expect(yes.state.applied).toBe(true);
  });

  it('3 when a row ends in Error, even though every request succeeded', async () => {
    const h = harness(PLAN, { statuses: { [`technicians/${rowId(1)}`]: 'error' } });
    expect(await applyCommand({ ...apply, yes: true }, h.io)).toBe(3);
    expect(h.state.err).toContain('Rows in Error: 1');
  });
});
