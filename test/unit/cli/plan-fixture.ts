/**
 * Small plans for the CLI's unit tests: rows of the technicians family with a few changes each,
 * shaped as src/engine/plan.ts builds them (ids `${subject}/${kind}`, dependencies on the same row).
 */
import type { Change, ChangeKind, Plan, Subject, SubjectPlan } from '../../../src/model/plan.js';
import type { ChangeResult, RunRecord } from '../../../src/model/run.js';
import { emptyPlan } from '../../../src/engine/engine.js';

export const rowId = (n: number): string => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function subject(n: number, displayName = `Tech ${n}`): Subject {
  return { family: 'technicians', table: 'contacts', id: rowId(n), displayName, group: { id: 'd7fb2863-4d86-5346-91a7-58f877939fed', name: 'Fabrikam' } };
}

export function change(n: number, kind: string, over: Partial<Change> = {}): Change {
  const service = kind.startsWith('user.') || kind.startsWith('licence.') || kind.startsWith('group.') ? 'graph' : 'dataverse';
  return {
    id: `${rowId(n)}/${kind}`,
    subject: subject(n),
    kind: kind as ChangeKind,
    target: { service, entity: (service === 'graph' ? 'user' : 'contact') as Change['target']['entity'], id: null },
    before: null,
    after: { displayName: `Tech ${n}` },
    reason: `reason for ${kind}`,
    dependsOn: [],
    ...over,
  };
}

export function planOf(changes: Change[], rows: number[] = [...new Set(changes.map((c) => Number(c.subject.id.slice(-12))))]): Plan {
  const base = emptyPlan({ kind: 'tenant' }, new Date('2026-12-01T10:00:00Z'));
  const subjects: SubjectPlan[] = rows.map((n) => ({
    subject: subject(n),
    intent: 'provision',
    status: 'pending',
    storedStatus: null,
    storedError: null,
    changeIds: changes.filter((c) => c.subject.id === rowId(n)).map((c) => c.id),
  }) as unknown as SubjectPlan);
  const changesByKind: Plan['summary']['changesByKind'] = {};
  for (const c of changes) changesByKind[c.kind] = (changesByKind[c.kind] ?? 0) + 1;
  return { ...base, changes, subjects, summary: { ...base.summary, changesByKind, blockedRemovals: changes.filter((c) => c.blocked).length } };
}

export function runOf(plan: Plan, results: ChangeResult[], over: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: '0f1e2d3c-0000-4000-8000-000000000001',
    mode: 'apply',
    trigger: 'cli',
    scope: plan.scope,
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:05:00.000Z',
    outcome: results.some((r) => r.outcome === 'failed') ? 'partial' : 'succeeded',
    plan,
    results,
    statuses: Object.fromEntries(plan.subjects.map((s) => [`${s.subject.family}/${s.subject.id}`, s.status])),
    ...over,
  };
}

export const result = (c: Change, outcome: ChangeResult['outcome'], error?: ChangeResult['error']): ChangeResult => ({
  changeId: c.id,
  subjectKey: `${c.subject.family}/${c.subject.id}`,
  outcome,
  ...(error ? { error } : {}),
});
