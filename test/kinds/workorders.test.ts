/**
 * The kind conformance kit (test/support/describe-kind.ts) on every project-work-orders kind
 * (reconcilers/project-work-orders/index.ts), over generated tenants: projects with or without a
 * customer, active or not; tasks ready or not, summary or leaf, with moved dates and efforts; work
 * orders in every system status or none, tasks deleted under them; requirements in or out of step;
 * bookings in every field service status and in an unmapped one. The plan is the core's plan
 * builder (src/engine/plan.ts) given this family alone, so changes are wired and ordered as in a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskStates, projectStates, workOrdersFamily } from '../../reconcilers/project-work-orders/family.js';
import { PROJECT_KINDS, TASK_KINDS, WORK_ORDER_KINDS } from '../../reconcilers/project-work-orders/index.js';
import { READY_TO_SYNC, WO_STATUS } from '../../reconcilers/project-work-orders/rows.js';
import { type WorkOrderSettings } from '../../reconcilers/project-work-orders/settings.js';
import { FS_STATUS } from '../../src/model/field-service.js';
import type { Settings } from '../../src/config.js';
import type { Family } from '../../src/engine/family.js';
import { createKindRegistry } from '../../src/engine/kind-registry.js';
import { buildPlan } from '../../src/engine/plan.js';
import type { Observation } from '../../src/model/observation.js';
import type { ChangeKind } from '../../src/model/plan.js';
import { describeKind } from '../support/describe-kind.js';
import { bookingId, bookingRow, PROJECT, projectRow, requirementId, requirementRow, taskId, taskRow, UNMAPPED_STATUS, workOrderId, workOrderObservation, workOrderRow, workOrderTestSettings } from '../support/workorders-model.js';

const TENANT = { kind: 'tenant' } as const;
const FAMILIES: readonly Family[] = [workOrdersFamily as Family];
const registry = createKindRegistry(WORK_ORDER_KINDS);
const PROJECT_2 = 'a0000000-0000-4000-8000-0000000000b2';
const DATES = ['2026-12-01T08:00:00Z', '2026-12-01T16:00:00Z', '2026-12-03T08:00:00Z', null];
const WO_STATUSES = Object.values(WO_STATUS);
const FS = [...Object.values(FS_STATUS), null];

const arbTask = fc.record({
  ready: fc.boolean(),
  project: fc.constantFrom(PROJECT, PROJECT_2),
  parent: fc.option(fc.nat(4), { nil: null }),
  start: fc.constantFrom(...DATES),
  end: fc.constantFrom(...DATES),
  effort: fc.constantFrom(8, 6.5, 0, null),
  deleted: fc.boolean(),
  workOrder: fc.option(fc.record({ status: fc.constantFrom(...WO_STATUSES), moved: fc.boolean(), requirement: fc.constantFrom('in-step', 'drifted', 'none') }), { nil: null }),
  bookings: fc.array(fc.record({ fs: fc.constantFrom(...FS), minutes: fc.constantFrom(60, 240, 330), arrival: fc.constantFrom(...DATES) }), { maxLength: 3 }),
  written: fc.boolean(),
});

const arbWorkOrderTenant = fc
  .record({ tasks: fc.array(arbTask, { maxLength: 5 }), noCustomer: fc.boolean(), inactive: fc.boolean(), progressWritten: fc.boolean() })
  .map(({ tasks, noCustomer, inactive, progressWritten }): Observation => {
    const rows = tasks.map((t, i) => ({ t, id: taskId(i + 1) }));
    return workOrderObservation({
      projects: [projectRow(progressWritten ? { o25fs_taskscompleted: 0, o25fs_percentcomplete: 0 } : {}), projectRow({ msdyn_projectid: PROJECT_2, msdyn_subject: 'Second', statecode: inactive ? 1 : 0, _msdyn_customer_value: noCustomer ? null : projectRow()._msdyn_customer_value })],
      tasks: rows
        .filter(({ t }) => !t.deleted)
        .map(({ t, id }, i) =>
          taskRow(id, {
            _msdyn_project_value: t.project,
            _msdyn_parenttask_value: t.parent !== null && t.parent < i ? taskId(t.parent + 1) : null,
            o25fs_taskstage: t.ready ? READY_TO_SYNC : null,
            msdyn_start: t.start,
            msdyn_finish: t.end,
            msdyn_effort: t.effort,
            ...(t.written ? { o25fs_actualeffort: 0, o25fs_effortvariance: -8, o25fs_percentcomplete: 0 } : {}),
          }),
        ),
      workOrders: rows.flatMap(({ t, id }, i) => (t.workOrder ? [workOrderRow(workOrderId(i + 1), id, { _o25fs_project_value: t.project, msdyn_systemstatus: t.workOrder.status, ...(t.workOrder.moved ? { msdyn_timefrompromised: '2026-11-30T08:00:00Z' } : {}) })] : [])),
      requirements: rows.flatMap(({ t }, i) => (t.workOrder && t.workOrder.requirement !== 'none' ? [requirementRow(requirementId(i + 1), workOrderId(i + 1), t.workOrder.requirement === 'drifted' ? { msdyn_duration: 15 } : {})] : [])),
      bookings: rows.flatMap(({ t }, i) =>
        t.workOrder ? t.bookings.map((b, j) => ({ ...bookingRow(bookingId(10 * i + j), workOrderId(i + 1), b.fs ?? FS_STATUS.scheduled, { duration: b.minutes, msdyn_actualarrivaltime: b.arrival }), ...(b.fs === null ? { _bookingstatus_value: UNMAPPED_STATUS } : {}) })) : [],
      ),
    });
  });

const arbitraries = fc.record({ model: arbWorkOrderTenant, priceList: fc.boolean() }).map(({ model, priceList }) => ({ model, settings: workOrderTestSettings(priceList ? { priceListId: 'e0000000-0000-4000-8000-0000000000e2' } : {}) }));

const own = (settings: Settings): WorkOrderSettings => settings.families['project-work-orders']!;
const plan = (model: Observation, settings: Settings) => buildPlan(model, settings, TENANT, { families: FAMILIES }).changes;
const harness = {
  arbitraries,
  plan,
  known: registry.order,
  removals: registry.removals,
  specOf: (kind: ChangeKind) => registry.spec(kind),
  numRuns: 100,
};

for (const kind of TASK_KINDS) describeKind(kind, { ...harness, subjects: (model: Observation, settings: Settings) => taskStates(model, own(settings)) });
for (const kind of PROJECT_KINDS) describeKind(kind, { ...harness, subjects: (model: Observation, settings: Settings) => projectStates(model, own(settings)) });

describe('the project-work-orders kinds together', () => {
  it('declare each of the family\'s change kinds once, workorder.cancel the only removal', () => {
    const declared = WORK_ORDER_KINDS.flatMap((k) => k.changes.map((c) => c.kind));
    expect([...declared].sort()).toEqual(['project.progress', 'requirement.update', 'task.progress', 'workorder.cancel', 'workorder.update', 'workorder.upsert']);
    expect([...registry.removals]).toEqual(['workorder.cancel']);
  });

  it('the generated tenants reach every change kind (a check that the kit can fail)', () => {
    const seen = new Set<string>();
    for (const { model, settings } of fc.sample(arbitraries, { numRuns: 300, seed: 14 })) for (const c of plan(model, settings)) seen.add(c.kind);
    expect([...seen].sort()).toEqual([...registry.order].sort());
  });

  it('a converged tenant plans nothing: applying the plan twice leaves an empty third plan', () => {
    fc.assert(
      fc.property(arbitraries, ({ model, settings }) => {
        let current = model;
        for (let i = 0; i < 2; i++) {
          const changes = plan(current, settings).filter((c) => !c.blocked);
          for (const c of changes) current = registry.spec(c.kind).effect(current, c, { created: () => undefined }).model;
        }
        expect(plan(current, settings)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
