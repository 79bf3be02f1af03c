/**
 * A task's progress from its work order's bookings (reconcilers/project-work-orders/progress.ts),
 * resolved through msdyn_fieldservicestatus and never by the status's name, and the project's tasks
 * completed and percent complete (family.ts projectStates, project-progress.ts).
 */
import { describe, expect, it } from 'vitest';
import { projectStates } from '../../../reconcilers/project-work-orders/family.js';
import { PROJECT_KINDS } from '../../../reconcilers/project-work-orders/index.js';
import { taskProgress } from '../../../reconcilers/project-work-orders/progress.js';
import { FS_STATUS } from '../../../src/model/field-service.js';
import type { BookingView, TaskProgress } from '../../../reconcilers/project-work-orders/state.js';
import { WO_STATUS } from '../../../reconcilers/project-work-orders/rows.js';
import { bookingId, bookingRow, PROJECT, projectRow, taskId, taskRow, workOrderId, workOrderObservation, workOrderRow, workOrderSettings, workOrderSpec } from '../../support/workorders-model.js';

const W = workOrderId(1);
const view = (n: number, fs: number | null, overrides: Parameters<typeof bookingRow>[3] = {}): BookingView => ({ row: bookingRow(bookingId(n), W, fs ?? FS_STATUS.scheduled, overrides), fieldServiceStatus: fs });
const done = (n: number, end: string, minutes: number, arrival: string): BookingView => view(n, FS_STATUS.completed, { endtime: end, duration: minutes, msdyn_actualarrivaltime: arrival });

const cases: { reason: string; bookings: BookingView[]; planned: number | null; want: TaskProgress }[] = [
  { reason: 'no booking: every column blank (nothing happened yet; a new task needs no write)', bookings: [], planned: 8, want: { o25fs_fieldservicestatus: null, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null } },
  { reason: 'one booking Traveling: the furthest status is Traveling, no arrival yet', bookings: [view(1, FS_STATUS.traveling)], planned: 8, want: { o25fs_fieldservicestatus: FS_STATUS.traveling, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: 0, o25fs_effortvariance: -8, o25fs_percentcomplete: 0 } },
  {
    reason: 'one Completed and one In Progress: furthest is Completed, first arrival, no end yet, effort of the completed one, share of planned',
    bookings: [done(1, '2026-12-01T12:00:00Z', 240, '2026-12-01T08:10:00Z'), view(2, FS_STATUS.inProgress, { msdyn_actualarrivaltime: '2026-12-01T07:55:00Z' })],
    planned: 8,
    want: { o25fs_fieldservicestatus: FS_STATUS.completed, o25fs_actualstart: '2026-12-01T07:55:00Z', o25fs_actualend: null, o25fs_actualeffort: 4, o25fs_effortvariance: -4, o25fs_percentcomplete: 50 },
  },
  {
    reason: 'every counted booking Completed (one Canceled beside them): the last end, the sum of durations, 100 %',
    bookings: [done(1, '2026-12-01T12:00:00Z', 240, '2026-12-01T08:00:00Z'), done(2, '2026-12-02T15:30:00Z', 330, '2026-12-02T10:00:00Z'), view(3, FS_STATUS.canceled)],
    planned: 8,
    want: { o25fs_fieldservicestatus: FS_STATUS.completed, o25fs_actualstart: '2026-12-01T08:00:00Z', o25fs_actualend: '2026-12-02T15:30:00Z', o25fs_actualeffort: 9.5, o25fs_effortvariance: 1.5, o25fs_percentcomplete: 100 },
  },
  { reason: 'every booking Canceled: the status is Canceled, nothing done', bookings: [view(1, FS_STATUS.canceled)], planned: 8, want: { o25fs_fieldservicestatus: FS_STATUS.canceled, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: 0, o25fs_effortvariance: -8, o25fs_percentcomplete: 0 } },
  { reason: 'a booking whose status has no field service mapping counts for nothing: as with no booking, every column blank', bookings: [{ ...done(1, '2026-12-01T12:00:00Z', 240, '2026-12-01T08:00:00Z'), fieldServiceStatus: null }], planned: 8, want: { o25fs_fieldservicestatus: null, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null } },
  { reason: 'On Break ranks below In Progress', bookings: [view(1, FS_STATUS.onBreak), view(2, FS_STATUS.inProgress)], planned: null, want: { o25fs_fieldservicestatus: FS_STATUS.inProgress, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: 0, o25fs_effortvariance: null, o25fs_percentcomplete: 0 } },
  { reason: 'actual over planned stays under 100 % until every booking is done', bookings: [done(1, '2026-12-01T18:00:00Z', 600, '2026-12-01T08:00:00Z'), view(2, FS_STATUS.scheduled)], planned: 8, want: { o25fs_fieldservicestatus: FS_STATUS.completed, o25fs_actualstart: '2026-12-01T08:00:00Z', o25fs_actualend: null, o25fs_actualeffort: 10, o25fs_effortvariance: 2, o25fs_percentcomplete: 99 } },
];

describe('task progress from bookings', () => {
  for (const c of cases) it(c.reason, () => expect(taskProgress(c.bookings, c.planned)).toEqual(c.want));

  it('is resolved by msdyn_fieldservicestatus, not by the status name: a custom "Done (crew)" status mapped to Completed completes the task', () => {
    const custom = { bookingstatusid: 'c5000000-0000-4000-8000-000000000001', name: 'Done (crew)', status: 2, msdyn_fieldservicestatus: FS_STATUS.completed };
    const T = taskId(1);
    const obs = workOrderObservation({
      tasks: [taskRow(T)],
      workOrders: [workOrderRow(W, T, { msdyn_systemstatus: WO_STATUS.completed })],
      bookings: [bookingRow(bookingId(1), W, FS_STATUS.completed, { _bookingstatus_value: custom.bookingstatusid, duration: 480, endtime: '2026-12-01T16:00:00Z' })],
      bookingStatuses: [custom, { ...custom, bookingstatusid: 'c5000000-0000-4000-8000-000000000002', name: 'Completed', msdyn_fieldservicestatus: FS_STATUS.canceled }],
    });
    expect(projectStates(obs, workOrderSettings())[0]?.desired).toEqual({ projectId: PROJECT, displayName: 'Fibre roll-out Elm Street', tasksCompleted: 1, percentComplete: 100 });
  });
});

describe('project progress', () => {
  const [T1, T2, T3, T4] = [taskId(1), taskId(2), taskId(3), taskId(4)];
  const [W1, W2, W3] = [workOrderId(1), workOrderId(2), workOrderId(3)];
  const obs = (project = projectRow()) =>
    workOrderObservation({
      projects: [project],
      tasks: [taskRow(T1), taskRow(T2), taskRow(T3, { o25fs_taskstage: null }), taskRow(T4, { o25fs_taskstage: null })],
      workOrders: [workOrderRow(W1, T1), workOrderRow(W2, T2), workOrderRow(W3, T3, { msdyn_systemstatus: WO_STATUS.canceled })],
      bookings: [bookingRow(bookingId(1), W1, FS_STATUS.completed), bookingRow(bookingId(2), W2, FS_STATUS.inProgress)],
    });

  it('counts the tasks whose bookings are all Completed among those with a work order that is not Canceled (T3 is no longer ready: its Canceled one is not counted; a ready task\'s would be reopened and counted)', () => {
    expect(projectStates(obs(), workOrderSettings()).map((p) => p.desired)).toEqual([{ projectId: PROJECT, displayName: 'Fibre roll-out Elm Street', tasksCompleted: 1, percentComplete: 50 }]);
  });

  it('plans project.progress with the exact change and request, and nothing once the columns agree', () => {
    const [state] = projectStates(obs(), workOrderSettings());
    const changes = PROJECT_KINDS.flatMap((k) => k.diff(state!.desired, state!.observed));
    expect(changes).toEqual([
      {
        id: `${PROJECT}/project.progress`,
        subject: { family: 'project-work-orders', table: 'msdyn_projects', id: PROJECT, displayName: 'Fibre roll-out Elm Street', group: { id: PROJECT, name: 'Fibre roll-out Elm Street' } },
        kind: 'project.progress',
        target: { service: 'dataverse', entity: 'msdyn_project', id: PROJECT },
        before: { o25fs_taskscompleted: null, o25fs_percentcomplete: null },
        after: { o25fs_taskscompleted: 1, o25fs_percentcomplete: 50 },
        reason: "1 of the project's tasks with a work order are completed; the project's tasks completed and percent complete follow.",
        dependsOn: [],
      },
    ]);
    expect(workOrderSpec('project.progress').toRequest(changes[0]!, () => undefined, {})).toEqual({ method: 'PATCH', url: `msdyn_projects(${PROJECT})`, headers: { 'If-Match': '*' }, body: { o25fs_taskscompleted: 1, o25fs_percentcomplete: 50 } });
    const [again] = projectStates(obs(projectRow({ o25fs_taskscompleted: 1, o25fs_percentcomplete: 50 })), workOrderSettings());
    expect(PROJECT_KINDS.flatMap((k) => k.diff(again!.desired, again!.observed))).toEqual([]);
  });
});
