/**
 * The project-work-orders family's own section of the report (issue 14; src/report/group-section.ts
 * and group-section-render.ts): per project its tasks with their work orders, its changes with their
 * reasons, and the tasks that need a person, in all five formats. The plan comes from the product's
 * plan builder over two projects: one, with a hostile name (markup and a terminal escape), whose
 * ready task gets a work order; one with a task no longer ready whose work order is booked (it needs
 * a person) and a summary task marked ready (an error on its row).
 */
import { describe, expect, it } from 'vitest';
import { WO_STATUS } from '../../../reconcilers/project-work-orders/rows.js';
import { buildPlan } from '../../../src/engine/compose.js';
import type { Plan } from '../../../src/model/plan.js';
import { subjectKey, type RunRecord } from '../../../src/model/run.js';
import { CSV_COLUMNS } from '../../../src/report/csv.js';
import { shortId } from '../../../src/report/format.js';
import { objectText } from '../../../src/report/group-section.js';
import { buildReport, renderReport } from '../../../src/report/index.js';
import { PROJECT, projectRow, taskId, taskRow, workOrderId, workOrderObservation, workOrderRow, workOrderTestSettings, type WorkOrderTenant } from '../../support/workorders-model.js';
import { parseCsv } from './csv-table.js';
import { makePlan } from './fixture.js';

const HARBOUR = 'a0000000-0000-4000-8000-0000000000b2';
/** A project name with markup and a terminal escape (CSI 2 J clears the screen). */
const HOSTILE = 'Elm <script>alert(1)</script> \u001b[2J& Co';
const [READY, BOOKED, SUMMARY, CHILD] = [taskId(1), taskId(2), taskId(3), taskId(4)];
const BOOKED_WO = workOrderId(2);

const planOf = (t: WorkOrderTenant): Plan => buildPlan(workOrderObservation(t), workOrderTestSettings(), { kind: 'tenant' });

function projectPlan(): Plan {
  return planOf({
    projects: [projectRow({ msdyn_subject: HOSTILE }), projectRow({ msdyn_projectid: HARBOUR, msdyn_subject: 'Harbour depot' })],
    tasks: [
      taskRow(READY, { msdyn_subject: 'Splice cabinet 12' }),
      taskRow(BOOKED, { msdyn_subject: 'Pull fibre to quay', _msdyn_project_value: HARBOUR, o25fs_taskstage: null }),
      taskRow(SUMMARY, { msdyn_subject: 'Depot cabling', _msdyn_project_value: HARBOUR }),
      taskRow(CHILD, { msdyn_subject: 'Depot rack', _msdyn_project_value: HARBOUR, _msdyn_parenttask_value: SUMMARY, o25fs_taskstage: null }),
    ],
    workOrders: [workOrderRow(BOOKED_WO, BOOKED, { _o25fs_project_value: HARBOUR, msdyn_systemstatus: WO_STATUS.scheduled })],
  });
}

const UPSERT_WHY = "The task is Ready to Sync and has no work order; one is created for it, Unscheduled, for the project's customer, promised for the task's dates.";
const PROJECT_WHY = "0 of the project's tasks with a work order are completed; the project's tasks completed and percent complete follow.";
const SUMMARY_MSG = 'The task "Depot cabling" is marked Ready to Sync but is a summary task (it has child tasks); work orders are made for leaf tasks only.';
const SUMMARY_DO = 'Mark its child tasks Ready to Sync instead, and set this task back to another stage.';
const BOOKED_MSG = 'The task is no longer Ready to Sync, but its work order 00042 is already booked, so the product leaves it as it is.';
const BOOKED_DO = 'A dispatcher decides: cancel the bookings and the work order, or set the task back to Ready to Sync.';

/** The lines of a document from the one that starts with `first` to the one before the next blank line. */
function block(doc: string, first: string, end = ''): string[] {
  const lines = doc.split('\n');
  const from = lines.indexOf(first);
  expect(from).toBeGreaterThanOrEqual(0);
  const to = lines.indexOf(end, from + 1);
  return lines.slice(from, to < 0 ? undefined : to);
}

describe('the project section: text', () => {
  it('lists per project its tasks and work orders, its changes with reasons and who needs a person, the name terminal-safe', () => {
    expect(block(renderReport('text', { plan: projectPlan() }), 'PROJECTS')).toEqual([
      'PROJECTS',
      'Project: Elm <script>alert(1)</script> \ufffd& Co (1 task, 2 changes, 0 need a person)',
      '  Tasks:',
      '    Splice cabinet 12 [Changes pending] Work order: new, Unscheduled',
      '  Changes:',
      '    + Splice cabinet 12: Create work order',
      `        Why: ${UPSERT_WHY}`,
      '    ~ Elm <script>alert(1)</script> \ufffd& Co: Update project progress',
      `        Why: ${PROJECT_WHY}`,
      '  Needs a person: nobody',
      'Project: Harbour depot (2 tasks, 1 change, 2 need a person)',
      '  Tasks:',
      '    Depot cabling [Error] Work order: not in this plan',
      '    Pull fibre to quay [Active] Work order: 00042 (Scheduled)',
      '  Changes:',
      '    ~ Harbour depot: Update project progress',
      `        Why: ${PROJECT_WHY}`,
      '  Needs a person:',
      `    ! Depot cabling: Error WORKORDER_SUMMARY_TASK: ${SUMMARY_MSG}`,
      `      What to do: ${SUMMARY_DO}`,
      `    ! Pull fibre to quay: Warning WORKORDER_NEEDS_PERSON: ${BOOKED_MSG}`,
      `      What to do: ${BOOKED_DO}`,
    ]);
  });

  it('keeps the summary counts of the plan: the section adds no change and no subject', () => {
    const plan = projectPlan();
    const r = buildReport({ plan });
    expect(r.summary.totalChanges).toBe(plan.changes.length);
    expect(r.groupSections.flatMap((s) => s.changes.map((c) => c.change.id)).sort()).toEqual(plan.changes.map((c) => c.id).sort());
    expect(r.summary.headline).toBe('3 changes are planned for 3 project tasks. 1 project task has an error an admin needs to look at (see below).');
    expect(r.summary.errors).toBe(1);
  });
});

describe('the project section: Markdown', () => {
  it('a heading per project, a table of tasks, the changes and who needs a person, the name Markdown-inert', () => {
    const md = renderReport('markdown', { plan: projectPlan() });
    expect(block(md, '## Projects', '### Project: Harbour depot (2 tasks, 1 change, 2 need a person)')).toEqual([
      '## Projects',
      '',
      '### Project: Elm &lt;script&gt;alert(1)&lt;/script&gt; \ufffd& Co (1 task, 2 changes, 0 need a person)',
      '',
      '| Task | Status | Work order |',
      '| --- | --- | --- |',
      '| Splice cabinet 12 | Changes pending | new, Unscheduled |',
      '',
      '**Changes**',
      '',
      `- Splice cabinet 12: **Create work order**. Why: ${UPSERT_WHY}`,
      `- Elm &lt;script&gt;alert(1)&lt;/script&gt; \ufffd& Co: **Update project progress**. Why: ${PROJECT_WHY}`,
      '',
      '**Needs a person**',
      '',
      'Nobody.',
      '',
    ]);
    expect(block(md, '### Project: Harbour depot (2 tasks, 1 change, 2 need a person)', '## Elm &lt;script&gt;alert(1)&lt;/script&gt; \ufffd& Co (2 project tasks, 2 changes)')).toEqual([
      '### Project: Harbour depot (2 tasks, 1 change, 2 need a person)',
      '',
      '| Task | Status | Work order |',
      '| --- | --- | --- |',
      '| Depot cabling | Error | not in this plan |',
      '| Pull fibre to quay | Active | 00042 (Scheduled) |',
      '',
      '**Changes**',
      '',
      `- Harbour depot: **Update project progress**. Why: ${PROJECT_WHY}`,
      '',
      '**Needs a person**',
      '',
      `- **Depot cabling**: Error WORKORDER\\_SUMMARY\\_TASK: ${SUMMARY_MSG}  `,
      `  **What to do:** ${SUMMARY_DO}`,
      `- **Pull fibre to quay**: Warning WORKORDER\\_NEEDS\\_PERSON: ${BOOKED_MSG}  `,
      `  **What to do:** ${BOOKED_DO}`,
      '',
    ]);
  });
});

describe('the project section: HTML', () => {
  const page = renderReport('html', { plan: projectPlan() });
  const section = page.slice(page.indexOf('<section id="group-sections"'), page.indexOf('<section id="vendors"'));

  it('one section per project, the hostile name escaped and the escape sequence replaced', () => {
    expect(section).toContain('<h2 id="group-sections-title">Projects</h2>');
    expect(section).toContain(`<section class="group-section" data-group-id="${PROJECT}" data-family="project-work-orders">\n<h3>Project: Elm &lt;script&gt;alert(1)&lt;/script&gt; \ufffd&amp; Co <span class="count">1 task, 2 changes, 0 need a person</span></h3>`);
    expect(section).toContain(`<section class="group-section" data-group-id="${HARBOUR}" data-family="project-work-orders">\n<h3>Project: Harbour depot <span class="count">2 tasks, 1 change, 2 need a person</span></h3>`);
    // The page's own script is its only script element: the hostile name is text.
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain('Elm &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('\u001b');
  });

  it('a row per task with its status and work order, the changes with reasons, who needs a person with what to do', () => {
    expect(section).toContain(`<tr class="member" data-subject-id="${READY}" data-status="pending"><td class="name">Splice cabinet 12</td><td><span class="badge status-pending">Changes pending</span></td><td class="object" data-object-id="">new, Unscheduled</td></tr>`);
    expect(section).toContain(`<tr class="member" data-subject-id="${SUMMARY}" data-status="error"><td class="name">Depot cabling</td><td><span class="badge status-error">Error</span></td><td class="object" data-object-id="">not in this plan</td></tr>`);
    expect(section).toContain(`<li data-change-id="${READY}/workorder.upsert" data-kind="workorder.upsert" data-subject-id="${READY}"><span class="subject-name">Splice cabinet 12</span>: <span class="change-label">Create work order</span><p class="reason">Why: The task is Ready to Sync and has no work order; one is created for it, Unscheduled, for the project&#39;s customer, promised for the task&#39;s dates.</p></li>`);
    expect(section).toContain(`<li data-subject-id="${SUMMARY}" data-severity="error" data-code="WORKORDER_SUMMARY_TASK"><span class="subject-name">Depot cabling</span>: Error <code>WORKORDER_SUMMARY_TASK</code> The task &quot;Depot cabling&quot; is marked Ready to Sync but is a summary task (it has child tasks); work orders are made for leaf tasks only.<p class="what-to-do">What to do: ${SUMMARY_DO}</p></li>`);
    expect(section).toContain(`<li data-subject-id="${BOOKED}" data-severity="warning" data-code="WORKORDER_NEEDS_PERSON">`);
    expect(section).toContain(`<tr class="member" data-subject-id="${BOOKED}" data-status="active"><td class="name">Pull fibre to quay</td><td><span class="badge status-active">Active</span></td><td class="object" data-object-id="${BOOKED_WO}">00042 (Scheduled)</td></tr>`);
    expect([...section.matchAll(/<tr class="member" data-subject-id="([^"]+)"/g)].map((m) => m[1])).toEqual([READY, SUMMARY, BOOKED]);
    expect(section.match(/<p class="none">Nobody\.<\/p>/g)).toHaveLength(1);
  });
});

describe('the project section: JSON', () => {
  it('adds `groups` after `tallies`, per project its members, change ids and who needs a person; the name given back exactly', () => {
    const json = renderReport('json', { plan: projectPlan() });
    expect(json).toContain('\\u001b[2J');
    const doc = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['version', 'generatedAt', 'scope', 'summary', 'changes', 'subjects', 'orphans', 'tallies', 'groups']);
    expect(doc.version).toBe(2);
    const notKnown = { label: 'Work order', known: false, id: null, name: null, status: null, from: null };
    expect(doc.groups).toEqual([
      {
        family: 'project-work-orders', groupId: PROJECT, name: HOSTILE,
        members: [{ subjectId: READY, displayName: 'Splice cabinet 12', status: 'pending', object: { label: 'Work order', known: true, id: null, name: null, status: 'Unscheduled', from: 'change' } }],
        changeIds: [`${READY}/workorder.upsert`, `${PROJECT}/project.progress`],
        needsPerson: [],
      },
      {
        family: 'project-work-orders', groupId: HARBOUR, name: 'Harbour depot',
        members: [
          { subjectId: SUMMARY, displayName: 'Depot cabling', status: 'error', object: notKnown },
          { subjectId: BOOKED, displayName: 'Pull fibre to quay', status: 'active', object: { label: 'Work order', known: true, id: BOOKED_WO, name: '00042', status: 'Scheduled', from: 'plan' } },
        ],
        changeIds: [`${HARBOUR}/project.progress`],
        needsPerson: [
          { subjectId: SUMMARY, severity: 'error', class: 'contact', code: 'WORKORDER_SUMMARY_TASK', message: SUMMARY_MSG, action: SUMMARY_DO },
          { subjectId: BOOKED, severity: 'warning', class: 'contact', code: 'WORKORDER_NEEDS_PERSON', message: BOOKED_MSG, action: BOOKED_DO },
        ],
      },
    ]);
  });

  it('a plan with no family of its own section has no `groups` key', () => {
    expect(Object.keys(JSON.parse(renderReport('json', { plan: makePlan() })) as object)).not.toContain('groups');
  });
});

describe('the project section: CSV', () => {
  it('adds the group id and the work order with its status to every row; the group row leaves the object empty', () => {
    const csv = renderReport('csv', { plan: projectPlan() });
    const [header, ...rows] = parseCsv(csv.slice(1));
    expect(header).toEqual([...CSV_COLUMNS, 'Group id', 'Object', 'Object status']);
    for (const r of rows) expect(r).toHaveLength(header!.length);
    const pick = (r: string[]): string[] => [r[0]!, r[1]!, r[3]!, r[4]!, r[10]!, ...r.slice(CSV_COLUMNS.length)];
    expect(rows.map(pick)).toEqual([
      ['Elm <script>alert(1)</script> \ufffd& Co', PROJECT, 'Changes pending', 'Update project progress', '', PROJECT, '', ''],
      ['Elm <script>alert(1)</script> \ufffd& Co', READY, 'Changes pending', 'Create work order', '', PROJECT, 'Work order (new)', 'Unscheduled'],
      ['Harbour depot', SUMMARY, 'Error', '', 'WORKORDER_SUMMARY_TASK', HARBOUR, '', ''],
      ['Harbour depot', HARBOUR, 'Changes pending', 'Update project progress', '', HARBOUR, '', ''],
      ['Harbour depot', BOOKED, 'Active', 'Warning', 'WORKORDER_NEEDS_PERSON', HARBOUR, 'Work order 00042', 'Scheduled'],
      ['Harbour depot', BOOKED, 'Active', '', '', HARBOUR, 'Work order 00042', 'Scheduled'],
    ]);
    expect(csv).not.toContain('\u001b');
  });

  it('a technicians plan keeps its header: the group columns come only with a group section', () => {
    expect(parseCsv(renderReport('csv', { plan: makePlan() }).slice(1))[0]).toEqual([...CSV_COLUMNS]);
    expect(renderReport('text', { plan: makePlan() })).not.toContain('PROJECTS');
    expect(renderReport('html', { plan: makePlan() })).not.toContain('group-sections');
  });
});

describe("a task's work order in the section", () => {
  const T = taskId(9);
  const W = workOrderId(9);
  /** The plan without the family's detail: what the section takes from the changes alone. */
  const fromChanges = (p: Plan): Plan => ({ ...p, subjects: p.subjects.map(({ detail: _detail, ...s }) => s) });
  const cases: { reason: string; plan: () => Plan; shown: string; from: 'plan' | 'change' | null }[] = [
    {
      reason: "the family's own detail (SubjectPlan.detail: the work order as observed) is shown before anything a change says",
      plan: () => planOf({ tasks: [taskRow(T, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T)] }),
      shown: 'Work order: 00042 (Unscheduled)',
      from: 'plan',
    },
    {
      reason: 'the family names a booked work order it plans nothing for',
      plan: () => planOf({ tasks: [taskRow(T, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T, { msdyn_systemstatus: WO_STATUS.scheduled })] }),
      shown: 'Work order: 00042 (Scheduled)',
      from: 'plan',
    },
    { reason: 'a ready task with no work order: new, with the status its create gives it', plan: () => planOf({ tasks: [taskRow(T)] }), shown: 'Work order: new, Unscheduled', from: 'change' },
    {
      reason: 'a task no longer ready whose work order is Unscheduled: the cancel names the work order, Canceled once applied',
      plan: () => fromChanges(planOf({ tasks: [taskRow(T, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T)] })),
      shown: `Work order: ${shortId(W)} (Canceled)`,
      from: 'change',
    },
    {
      reason: 'a canceled work order of a task ready again is reopened: Unscheduled',
      plan: () => fromChanges(planOf({ tasks: [taskRow(T)], workOrders: [workOrderRow(W, T, { msdyn_systemstatus: WO_STATUS.canceled })] })),
      shown: `Work order: ${shortId(W)} (Unscheduled)`,
      from: 'change',
    },
    {
      reason: 'a ready task whose dates moved: the date update names the work order and says nothing of its status',
      plan: () => fromChanges(planOf({ tasks: [taskRow(T, { msdyn_start: '2026-12-02T08:00:00Z', msdyn_finish: '2026-12-02T16:00:00Z' })], workOrders: [workOrderRow(W, T)] })),
      shown: `Work order: ${shortId(W)}`,
      from: 'change',
    },
    {
      reason: 'without the detail, a booked task no longer ready: no change on its work order, so the plan does not know it',
      plan: () => fromChanges(planOf({ tasks: [taskRow(T, { o25fs_taskstage: null })], workOrders: [workOrderRow(W, T, { msdyn_systemstatus: WO_STATUS.scheduled })] })),
      shown: 'Work order: not in this plan',
      from: null,
    },
  ];
  it.each(cases)('$reason', ({ plan, shown, from }) => {
    const p = plan();
    const members = buildReport({ plan: p }).groupSections.flatMap((s) => s.members);
    const member = members.find((m) => m.subjectId === T) ?? members.find((m) => m.subjectId === BOOKED)!;
    expect(objectText(member.object, shortId)).toBe(shown);
    expect(member.object.from).toBe(from);
    expect(renderReport('text', { plan: p }).split('\n')).toContain(`    ${member.displayName} [${member.statusLabel}] ${shown}`);
  });
});

describe('the project section after an apply', () => {
  it('shows each change\'s outcome, and a failed change puts its task under "Needs a person" with what to do', () => {
    const plan = projectPlan();
    const failure = { class: 'transient' as const, code: 'DATAVERSE_UNAVAILABLE', message: 'Dataverse answered 503 four times.', action: 'Nothing: the next run retries it.' };
    const run: RunRecord = {
      runId: 'run-2026-11-23-1000', mode: 'apply', trigger: 'manual', scope: plan.scope, startedAt: '2026-11-23T10:00:00.000Z', finishedAt: '2026-11-23T10:00:20.000Z', outcome: 'partial', plan,
      results: plan.changes.map((c) => (c.kind === 'workorder.upsert'
        ? { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'failed' as const, error: failure }
        : { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'applied' as const })),
      statuses: Object.fromEntries(plan.subjects.map((s) => [subjectKey(s.subject), s.subject.id === READY ? 'error' : s.status])),
    };
    expect(block(renderReport('text', { plan, run }), 'PROJECTS', 'Project: Harbour depot (2 tasks, 1 change, 2 need a person)')).toEqual([
      'PROJECTS',
      'Project: Elm <script>alert(1)</script> \ufffd& Co (1 task, 2 changes, 1 needs a person)',
      '  Tasks:',
      '    Splice cabinet 12 [Error] Work order: new, Unscheduled',
      '  Changes:',
      '    + Splice cabinet 12: Create work order',
      `        Why: ${UPSERT_WHY}`,
      '        Outcome: Failed',
      '    ~ Elm <script>alert(1)</script> \ufffd& Co: Update project progress',
      `        Why: ${PROJECT_WHY}`,
      '        Outcome: Applied',
      '  Needs a person:',
      '    ! Splice cabinet 12: Error DATAVERSE_UNAVAILABLE: Dataverse answered 503 four times.',
      '      What to do: Nothing: the next run retries it.',
    ]);
  });
});
