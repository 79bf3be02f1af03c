import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, renderReport } from '../../../src/report/index.js';
import type { Plan } from '../../../src/model/plan.js';
import { makePlan, makeRun } from './fixture.js';

/** The same value with every object's keys in reverse order. */
function reversed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) as T;
}

describe('JSON report', () => {
  it('is the Plan itself: it parses back to the same Plan (docs/plan-format.md)', () => {
    const plan = makePlan();
    const parsed = JSON.parse(renderReport('json', { plan })) as Plan;
    expect(parsed).toEqual(plan);
    expect(parsed.summary).toEqual(plan.summary);
    expect(parsed.changes.map((c) => c.id)).toEqual(plan.changes.map((c) => c.id));
    expect(CONTENT_TYPES.json).toBe('application/json; charset=utf-8');
  });

  it('adds the run record (without a second copy of the plan) and the last run', () => {
    const run = makeRun();
    const lastRun = { runId: 'run-1', finishedAt: '2025-02-28T09:00:00Z', outcome: 'succeeded' as const, mode: 'apply' as const, errors: 0, changesApplied: 4 };
    const parsed = JSON.parse(renderReport('json', { plan: run.plan, run, lastRun })) as Plan & {
      run: Record<string, unknown>;
      lastRun: unknown;
    };
    const { run: record, lastRun: last, ...plan } = parsed;
    expect(plan).toEqual(run.plan);
    const { plan: _p, ...expected } = run;
    expect(record).toEqual(expected);
    expect(record).not.toHaveProperty('plan');
    expect(last).toEqual(lastRun);
  });

  it('has a stable key order whatever order the input objects were built in', () => {
    const plan = makePlan();
    const a = renderReport('json', { plan });
    const b = renderReport('json', { plan: reversed(plan) });
    expect(b).toBe(a);
    const parsed = JSON.parse(a) as Plan;
    expect(Object.keys(parsed)).toEqual(['version', 'generatedAt', 'scope', 'summary', 'changes', 'subjects', 'orphans', 'tallies']);
    expect(Object.keys(parsed.changes[0]!)).toEqual(['id', 'subject', 'kind', 'target', 'before', 'after', 'reason', 'dependsOn']);
    expect(Object.keys(parsed.changes[0]!.subject)).toEqual(['id', 'family', 'table', 'group', 'displayName']);
    expect(Object.keys(parsed.subjects[0]!)).toEqual(['subject', 'intent', 'status', 'storedStatus', 'storedError', 'changeIds']);
    expect(Object.keys(parsed.changes.find((c) => c.blocked)!)).toEqual([
      'id', 'subject', 'kind', 'target', 'before', 'after', 'reason', 'dependsOn', 'blocked',
    ]);
    // Maps of data (before/after values) are sorted by key.
    expect(Object.keys(parsed.changes.find((c) => c.kind === 'systemuser.update')!.after!)).toEqual([
      'address1_latitude', 'address1_longitude',
    ]);
  });
});
