/**
 * The saved plan's check (src/cli/saved-plan.ts): a saved plan is applied only as it was reviewed.
 * Each way the tenant can move against it is a refusal that names the row and the change; a
 * contact that appeared since is left out, not applied; the file must be a plan of a dry run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { divergences, holdToSavedPlan, readSavedPlan } from '../../../src/cli/saved-plan.js';
import { ReconcilerError } from '../../../src/model/errors.js';
import { renderReport } from '../../../src/report/index.js';
import { change, planOf, rowId } from './plan-fixture.js';

const invite1 = change(1, 'user.invite');
const licence1 = change(1, 'licence.assign', { dependsOn: [invite1.id] });
const invite2 = change(2, 'user.invite');
const saved = planOf([invite1, licence1, invite2]);

const refusal = (fresh: ReturnType<typeof planOf>): ReconcilerError => {
  try {
    holdToSavedPlan(saved, 'plan.json')(fresh);
  } catch (err) {
    if (err instanceof ReconcilerError) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('apply --plan: the fresh plan against the saved one', () => {
  it('the same changes (reworded reasons too): the saved plan is applied as it is', () => {
    const fresh = planOf([{ ...invite1, reason: 'other words' }, licence1, invite2]);
    expect(divergences(saved, fresh)).toEqual([]);
    expect(holdToSavedPlan(saved, 'plan.json')(fresh).changes.map((c) => c.id)).toEqual([invite1.id, licence1.id, invite2.id]);
  });

  it('a saved change no longer needed: refused, naming the row and the change', () => {
    const e = refusal(planOf([invite1, licence1], [1, 2]));
    expect(e.code).toBe('SAVED_PLAN_STALE');
    expect(e.errorClass).toBe('configuration');
    expect(e.message).toBe(
      `Refusing to apply plan.json: the tenant changed since the plan was saved (2026-12-01T10:00:00.000Z), for 1 change(s) of 1 row(s): Tech 2 (technicians ${rowId(2)}): user.invite no longer needed. Nothing was changed.`,
    );
    expect(e.action).toContain('plan --out plan.json');
  });

  it.each([
    ['its values', { after: { displayName: 'Someone else' } }],
    ['its before', { before: { displayName: 'x' } }],
    ['its target', { target: { ...invite2.target, id: 'abc' } }],
    ['its dependencies', { dependsOn: ['other'] }],
    ['a guard holding it back', { blocked: { code: 'REMOVALS_HELD', reason: 'held' } }],
  ])('a saved change different in %s: refused as "different now"', (_what, over) => {
    const e = refusal(planOf([invite1, licence1, { ...invite2, ...over }]));
    expect(e.message).toContain(`Tech 2 (technicians ${rowId(2)}): user.invite different now.`);
  });

  it("a saved row that needs a change the saved plan lacked: refused as 'newly needed', several per row on one entry", () => {
    const e = refusal(planOf([invite1, licence1, invite2, change(2, 'group.add'), change(1, 'user.update', { after: { x: 1 } })]));
    expect(e.message).toContain(`for 2 change(s) of 2 row(s): Tech 2 (technicians ${rowId(2)}): group.add newly needed; Tech 1 (technicians ${rowId(1)}): user.update newly needed.`);
  });

  it("a row the saved plan did not know (created since): its changes are left out, the saved ones applied", () => {
    const newcomer = change(3, 'user.invite');
    const held = holdToSavedPlan(saved, 'plan.json')(planOf([invite1, licence1, invite2, newcomer]));
    expect(held.changes.map((c) => c.id)).toEqual([invite1.id, licence1.id, invite2.id]);
    expect(held.subjects.map((s) => s.subject.id)).toEqual([rowId(1), rowId(2)]);
    expect(held.summary.changesByKind).toEqual({ 'user.invite': 2, 'licence.assign': 1 });
  });
});

describe('apply --plan FILE: reading the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vr-saved-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads back what `plan --format json` wrote, change for change', () => {
    const path = file('plan.json', renderReport('json', { plan: saved }));
    const back = readSavedPlan(path);
    expect(back.changes).toEqual(saved.changes);
    expect(back.scope).toEqual(saved.scope);
  });

  it.each([
    ['not JSON', 'hello', 'is not a saved plan: Unexpected token'],
    ['another JSON document', '{"hello": 1}', 'it has no plan version, scope and changes (was it written with --format json?)'],
    ['the report of a failed run', JSON.stringify({ ...saved, run: { mode: 'dry-run', outcome: 'failed' } }), 'it is the report of a run that failed'],
    ['the report of an apply', JSON.stringify({ ...saved, run: { mode: 'apply', outcome: 'succeeded' } }), 'it is the report of an apply, whose changes have already run'],
  ])('%s: SAVED_PLAN_INVALID saying why', (name, text, why) => {
    const path = file(`${name.replace(/\W+/g, '-')}.json`, text);
    expect(() => readSavedPlan(path)).toThrow(expect.objectContaining({ code: 'SAVED_PLAN_INVALID', message: expect.stringContaining(why) as string }));
  });

  it('a file that is not there: SAVED_PLAN_INVALID naming it', () => {
    expect(() => readSavedPlan(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'SAVED_PLAN_INVALID', message: expect.stringContaining('missing.json is not a saved plan: ENOENT') as string }));
  });
});
