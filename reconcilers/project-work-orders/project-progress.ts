/**
 * The project's progress columns: o25fs_taskscompleted, the tasks whose work order's bookings are
 * all Completed, and o25fs_percentcomplete, those as a share of the project's tasks with a work
 * order that is not Canceled (family.ts computes both from the same task progress as task-progress.ts).
 */
import type { Change } from '../../src/model/plan.js';
import { editRows, projectSubject, type ProjectKind } from './common.js';
import type { ProjectRow } from './rows.js';
import type { DesiredProject, ObservedProject } from './state.js';

function diff(desired: DesiredProject, observed: ObservedProject): Change[] {
  const p = observed.project;
  if ((p.o25fs_taskscompleted ?? null) === desired.tasksCompleted && (p.o25fs_percentcomplete ?? null) === desired.percentComplete) return [];
  return [
    {
      id: `${desired.projectId}/project.progress`,
      subject: projectSubject(desired),
      kind: 'project.progress',
      target: { service: 'dataverse', entity: 'msdyn_project', id: desired.projectId },
      before: { o25fs_taskscompleted: p.o25fs_taskscompleted ?? null, o25fs_percentcomplete: p.o25fs_percentcomplete ?? null },
      after: { o25fs_taskscompleted: desired.tasksCompleted, o25fs_percentcomplete: desired.percentComplete },
      reason: `${desired.tasksCompleted} of the project's tasks with a work order are completed; the project's tasks completed and percent complete follow.`,
      dependsOn: [],
    },
  ];
}

export const projectProgressKind: ProjectKind = {
  name: 'project-progress',
  changes: [
    {
      kind: 'project.progress',
      label: 'Update project progress',
      runsAfter: [],
      removal: false,
      toRequest: (c) => ({ method: 'PATCH', url: `msdyn_projects(${String(c.target.id)})`, headers: { 'If-Match': '*' }, body: { ...c.after } }),
      effect: (model, c) => ({ model: editRows(model, 'workOrderProjects', (rows: ProjectRow[]) => rows.map((p) => (p.msdyn_projectid === c.target.id ? { ...p, ...(c.after ?? {}) } : p))) }),
    },
  ],
  diff,
};
