/**
 * The project-work-orders family (issue 14) as properties, over the generated tenants of
 * workorders-arbitraries.ts: the product's plan (src/engine/compose.ts buildPlan) applied to the
 * model through the kinds' own effects (test/support/describe-kind.ts applyEffects), as apply does
 * when every call succeeds, with Field Service making each new work order's resource requirement as
 * the simulator does (packages/tenant-sim/src/workorder-requirement.ts). Ground truth (which task
 * is ready, what its work order and progress columns should be) is computed here from the tenant by
 * the issue's rules, not by the product's code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WO_STATUS, type RequirementRow, type WorkOrderRow } from '../../reconcilers/project-work-orders/rows.js';
import { buildPlan } from '../../src/engine/compose.js';
import { changeKindSpec, REMOVAL_KINDS } from '../../src/kinds.js';
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import type { Change } from '../../src/model/plan.js';
import { applyEffects } from '../support/describe-kind.js';
import { WO_TYPE } from '../support/workorders-model.js';
import { shuffled } from './arbitraries.js';
import { arbWorkOrderCase, customerOf, expectedProgress, keyTaken, progressColumns, readyIn, readyTasks, rowError, summaryMarked } from './workorders-arbitraries.js';

const TENANT = { kind: 'tenant' } as const;
const RUNS = { numRuns: 200 };
const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();
const sameInstant = (a: string | null | undefined, b: string | null | undefined): boolean => (a == null || b == null ? (a ?? null) === (b ?? null) : Date.parse(a) === Date.parse(b));
const planOf = (model: Observation, settings: Settings): Change[] => buildPlan(model, settings, TENANT).changes;
const BOOKED = new Set<number>([WO_STATUS.scheduled, WO_STATUS.inProgress, WO_STATUS.completed, WO_STATUS.posted]);

/** The product's work orders of a task (linked to a project); a hand-made one is never its. */
const ordersOf = (model: Observation, task: string): WorkOrderRow[] => (model.workOrders ?? []).filter((w) => lc(w._o25fs_projecttask_value) === task && w._o25fs_project_value !== null);

let fresh = 0;
/** One run: the plan, its changes applied, and Field Service's requirement for each new work order. */
function run(model: Observation, settings: Settings): { changes: Change[]; after: Observation } {
  const changes = planOf(model, settings);
  let after = applyEffects(model, changes, changeKindSpec);
  for (const c of changes.filter((x) => x.kind === 'workorder.upsert' && !x.blocked)) {
    const wo = ordersOf(after, lc(String(c.after?._o25fs_projecttask_value)))[0]!;
    // The simulator's requirement replaces the model's own (the upsert's effect adds one too): its
    // dates from the promised window, duration 0 (no incident type), as Field Service leaves it.
    const requirement: RequirementRow = {
      msdyn_resourcerequirementid: `fe000000-0000-4000-8000-${(++fresh).toString(16).padStart(12, '0')}`,
      _msdyn_workorder_value: wo.msdyn_workorderid,
      msdyn_fromdate: wo.msdyn_timefrompromised?.slice(0, 10) ?? null,
      msdyn_todate: wo.msdyn_timetopromised?.slice(0, 10) ?? null,
      msdyn_duration: 0,
      createdon: after.observedAt,
    };
    after = { ...after, workOrderRequirements: [...(after.workOrderRequirements ?? []).filter((r) => r._msdyn_workorder_value !== wo.msdyn_workorderid), requirement] };
  }
  return { changes, after };
}

/** Runs until a plan is empty (at most `max` runs): each run's changes, and the converged model. */
function converge(model: Observation, settings: Settings, max = 4): { passes: Change[][]; after: Observation } {
  const passes: Change[][] = [];
  let current = model;
  for (let i = 0; i < max; i++) {
    const { changes, after } = run(current, settings);
    passes.push(changes);
    if (changes.length === 0) break;
    current = after;
  }
  return { passes, after: current };
}

describe('project-work-orders properties', () => {
  it('converges in exactly one run, or two when Field Service\'s new requirement is not in step; the run after plans nothing', () => {
    // A plan that leaves work for the next run never settles. The one thing a run cannot do at
    // once is the requirement of a work order it creates: Field Service makes it after the upsert
    // with the promised window's days and duration 0, so the next run sets the duration from the
    // task's effort, for exactly the new work orders whose task has a non-zero effort.
    fc.assert(
      fc.property(arbWorkOrderCase, (c) => {
        const { passes } = converge(c.model, c.settings);
        const [first = [], second = []] = passes;
        const upserted = first.filter((ch) => ch.kind === 'workorder.upsert').map((ch) => ch.subject.id);
        const fixes = upserted.filter((id) => Math.round((c.tenant.tasks.find((t) => t.msdyn_projecttaskid === id)!.msdyn_effort ?? 0) * 60) !== 0).sort();
        expect(second.map((ch) => `${ch.kind} ${ch.subject.id}`).sort(), 'the second plan').toEqual(fixes.map((id) => `requirement.update ${id}`));
        // Plans made until one is empty: the converging run(s) and the empty one.
        expect(passes.length).toBe(first.length === 0 ? 1 : fixes.length === 0 ? 2 : 3);
        expect(passes.at(-1)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('leaves every ready task with one right work order, and a task that is not ready with none but a booked or canceled one', () => {
    fc.assert(
      fc.property(arbWorkOrderCase, (c) => {
        const { after } = converge(c.model, c.settings);
        const ready = new Set(readyTasks(c).map((t) => t.msdyn_projecttaskid));
        for (const task of readyTasks(c)) {
          const customer = customerOf(c, task);
          if (customer === null || keyTaken(c, task)) continue; // a row error: nothing is created
          const live = ordersOf(after, task.msdyn_projecttaskid).filter((w) => w.msdyn_systemstatus !== WO_STATUS.canceled);
          expect(live, task.msdyn_projecttaskid).toHaveLength(1);
          const wo = live[0]!;
          const created = !c.tenant.workOrders.some((w) => w.msdyn_workorderid === wo.msdyn_workorderid);
          expect(lc(wo._msdyn_serviceaccount_value), 'service account').toBe(created ? customer : lc(c.tenant.workOrders.find((w) => w.msdyn_workorderid === wo.msdyn_workorderid)?._msdyn_serviceaccount_value));
          expect(lc(wo._msdyn_workordertype_value)).toBe(WO_TYPE);
          expect(lc(wo._msdyn_pricelist_value)).toBe(c.priceList);
          expect(wo.msdyn_instructions).toBe(task.msdyn_subject);
          expect(lc(wo._o25fs_project_value)).toBe(lc(task._msdyn_project_value));
          if (wo.msdyn_systemstatus === WO_STATUS.unscheduled || wo.msdyn_systemstatus === WO_STATUS.scheduled) {
            expect(sameInstant(wo.msdyn_timefrompromised, task.msdyn_start) && sameInstant(wo.msdyn_timetopromised, task.msdyn_finish), `${wo.msdyn_workorderid} window`).toBe(true);
            // Field Service's requirement (the oldest of the work order's) is in step with the task.
            const mine = (after.workOrderRequirements ?? []).filter((r) => r._msdyn_workorder_value === wo.msdyn_workorderid).sort((x, y) => Date.parse(String(x.createdon)) - Date.parse(String(y.createdon)))[0];
            const day = (v: string | null): string | null => (v === null ? null : new Date(Date.parse(v)).toISOString().slice(0, 10));
            if (mine) expect([mine.msdyn_fromdate, mine.msdyn_todate, mine.msdyn_duration], `${wo.msdyn_workorderid} requirement`).toEqual([day(task.msdyn_start), day(task.msdyn_finish), Math.round((task.msdyn_effort ?? 0) * 60)]);
          }
        }
        for (const wo of after.workOrders ?? []) {
          if (ready.has(lc(wo._o25fs_projecttask_value)) || c.foreignWorkOrderIds.has(wo.msdyn_workorderid)) continue;
          expect(wo.msdyn_systemstatus, `${wo.msdyn_workorderid} of a task that is not ready`).not.toBe(WO_STATUS.unscheduled);
        }
      }),
      RUNS,
    );
  });

  it('never moves a booked work order, writes a non-custom task or project column, creates a requirement, makes a second work order, or touches a foreign work order', () => {
    fc.assert(
      fc.property(arbWorkOrderCase, (c) => {
        const byId = new Map(c.tenant.workOrders.map((w) => [w.msdyn_workorderid, w]));
        const foreignRequirements = new Set(c.tenant.requirements.filter((r) => c.foreignWorkOrderIds.has(String(r._msdyn_workorder_value))).map((r) => r.msdyn_resourcerequirementid));
        const ready = new Set(readyTasks(c).map((t) => t.msdyn_projecttaskid));
        const upserted = new Set<string>();
        for (const change of planOf(c.model, c.settings)) {
          const request = changeKindSpec(change.kind).toRequest(change, (id) => `created-by-${id}`, c.settings);
          const wo = byId.get(String(change.target.id));
          expect(c.foreignWorkOrderIds.has(String(change.target.id)), `${change.id} touches a foreign work order`).toBe(false);
          expect(foreignRequirements.has(String(change.target.id)), `${change.id} touches a foreign requirement`).toBe(false);
          if (wo && BOOKED.has(wo.msdyn_systemstatus)) {
            // The one change a booked work order takes: a ready task's dates while it is Scheduled.
            expect(change.kind, change.id).toBe('workorder.update');
            expect(wo.msdyn_systemstatus, change.id).toBe(WO_STATUS.scheduled);
            expect(ready.has(change.subject.id), change.id).toBe(true);
            expect(Object.keys(change.after ?? {}).sort(), change.id).toEqual(['msdyn_timefrompromised', 'msdyn_timetopromised']);
          }
          if (/^msdyn_project(task)?s\(/.test(request.url)) {
            expect(request.method, change.id).toBe('PATCH');
            for (const key of Object.keys(request.body ?? {})) expect(key, `${change.id} writes ${key}`).toMatch(/^o25fs_/);
          }
          if (request.url.startsWith('msdyn_resourcerequirements')) {
            expect(request.method, change.id).toBe('PATCH');
            expect(c.tenant.requirements.some((r) => r.msdyn_resourcerequirementid === change.target.id), `${change.id} names an existing requirement`).toBe(true);
          }
          if (change.kind === 'workorder.upsert') {
            expect(upserted.has(change.subject.id), `${change.id} twice`).toBe(false);
            upserted.add(change.subject.id);
            expect(ordersOf(c.model, change.subject.id), `${change.id}: the task has a work order`).toEqual([]);
            expect(request.headers?.['If-None-Match'], change.id).toBe('*');
          }
        }
        const { after } = converge(c.model, c.settings);
        for (const t of c.tenant.tasks) expect(ordersOf(after, t.msdyn_projecttaskid).length, t.msdyn_projecttaskid).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('plans the same changes for the same tenant with its rows in any order', () => {
    // Dry run and apply are two plans of one observation; Dataverse returns rows in no promised order.
    fc.assert(
      fc.property(arbWorkOrderCase, fc.nat(), ({ model, settings }, seed) => {
        const plan = planOf(model, settings);
        expect(new Set(plan.map((ch) => ch.id)).size).toBe(plan.length);
        const reordered: Observation = {
          ...structuredClone(model),
          workOrderProjects: shuffled(model.workOrderProjects ?? [], seed),
          workOrderTasks: shuffled(model.workOrderTasks ?? [], seed + 1),
          workOrders: shuffled(model.workOrders ?? [], seed + 2),
          workOrderRequirements: shuffled(model.workOrderRequirements ?? [], seed + 3),
          workOrderBookings: shuffled(model.workOrderBookings ?? [], seed + 4),
          bookingStatuses: shuffled(model.bookingStatuses ?? [], seed + 5),
          workOrderTypes: shuffled(model.workOrderTypes ?? [], seed + 6),
        };
        expect(planOf(reordered, settings)).toEqual(plan);
      }),
      RUNS,
    );
  });

  it('writes each task\'s and project\'s progress as the bookings say, resolved through the field service status', () => {
    fc.assert(
      fc.property(arbWorkOrderCase, (c) => {
        const { after } = converge(c.model, c.settings);
        const tally = new Map<string, { tracked: number; completed: number }>();
        for (const t of c.tenant.tasks) {
          if (rowError(c, t)) continue;
          const final = (after.workOrderTasks ?? []).find((x) => x.msdyn_projecttaskid === t.msdyn_projecttaskid)!;
          const wo = ordersOf(after, t.msdyn_projecttaskid)[0];
          if (!wo || wo.msdyn_systemstatus === WO_STATUS.canceled) {
            // No work order that counts: the product leaves the task's columns as they were.
            expect(progressColumns(final), t.msdyn_projecttaskid).toEqual(progressColumns(t));
            continue;
          }
          const want = expectedProgress(c, c.tenant.bookings.filter((b) => b._msdyn_workorder_value === wo.msdyn_workorderid), t.msdyn_effort);
          expect(progressColumns(final), t.msdyn_projecttaskid).toEqual(want);
          const n = tally.get(t._msdyn_project_value!) ?? { tracked: 0, completed: 0 };
          tally.set(t._msdyn_project_value!, { tracked: n.tracked + 1, completed: n.completed + (want.o25fs_percentcomplete === 100 ? 1 : 0) });
        }
        for (const p of c.tenant.projects) {
          const final = (after.workOrderProjects ?? []).find((x) => x.msdyn_projectid === p.msdyn_projectid)!;
          const t = tally.get(p.msdyn_projectid);
          const want = t ? { done: t.completed, percent: Math.round((100 * t.completed) / t.tracked) } : { done: p.o25fs_taskscompleted, percent: p.o25fs_percentcomplete };
          expect({ done: final.o25fs_taskscompleted, percent: final.o25fs_percentcomplete }, p.msdyn_projectid).toEqual(want);
        }
      }),
      RUNS,
    );
  });

  it('cancels exactly the Unscheduled work orders of tasks that are not ready or deleted, each as a removal', () => {
    fc.assert(
      fc.property(arbWorkOrderCase, (c) => {
        const plan = planOf(c.model, c.settings);
        const cancels = new Set(plan.filter((ch) => ch.kind === 'workorder.cancel').map((ch) => String(ch.target.id)));
        expect(REMOVAL_KINDS.has('workorder.cancel')).toBe(true);
        for (const wo of c.model.workOrders ?? []) {
          const task = c.tenant.tasks.find((t) => t.msdyn_projecttaskid === wo._o25fs_projecttask_value);
          if (task && rowError(c, task) && !summaryMarked(c, task.msdyn_projecttaskid)) continue;
          const gone = !task || !readyIn(c.tenant.tasks, c.tenant.projects, task);
          const should = gone && wo.msdyn_systemstatus === WO_STATUS.unscheduled && wo._o25fs_project_value !== null;
          expect(cancels.has(wo.msdyn_workorderid), `${wo.msdyn_workorderid}: task ${task ? 'not ready' : 'deleted'}: ${gone}, status ${wo.msdyn_systemstatus}`).toBe(should);
        }
        const known = new Set((c.model.workOrders ?? []).map((w) => w.msdyn_workorderid));
        for (const id of cancels) expect(known.has(id), `${id} is a work order the product read`).toBe(true);
      }),
      RUNS,
    );
  });

  it('the generated tenants reach every change kind, a second run, a booked task no longer ready and a completed task (a check that the properties can fail)', () => {
    const seen = new Set<string>();
    for (const c of fc.sample(arbWorkOrderCase, { numRuns: 300, seed: 14 })) {
      const { passes, after } = converge(c.model, c.settings);
      for (const ch of passes.flat()) seen.add(ch.kind);
      if ((passes[1] ?? []).length > 0) seen.add('second run');
      if (c.foreignWorkOrderIds.size > 0) seen.add('foreign work order');
      if ((after.workOrderTasks ?? []).some((t) => t.o25fs_percentcomplete === 100 && t.o25fs_actualend !== null)) seen.add('completed task');
      const subjects = buildPlan(c.model, c.settings, TENANT).subjects;
      if (subjects.some((s) => s.warnings?.some((w) => w.code === 'WORKORDER_NEEDS_PERSON'))) seen.add('needs a person');
      if (subjects.some((s) => s.error?.code === 'WORKORDER_KEY_TAKEN')) seen.add('key taken');
    }
    expect([...seen].sort()).toEqual(['completed task', 'foreign work order', 'key taken', 'needs a person', 'project.progress', 'requirement.update', 'second run', 'task.progress', 'workorder.cancel', 'workorder.update', 'workorder.upsert']);
  });
});
