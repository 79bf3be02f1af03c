/**
 * Desired state for one project task, with no I/O. A task is ready when its o25fs_taskstage is
 * Ready to Sync, it is a leaf (no child task: the Project Operations integration links work orders
 * to leaf tasks only:
 * https://learn.microsoft.com/dynamics365/project-operations/field-service-integration/project-operations-integration-overview) and its project is
 * active. A ready task's work order takes its service account from the project's customer, the type
 * and price list from the settings (the price list defaulting to the project's), its promised
 * window from the task's start and finish, and its instructions from the task's name.
 *
 * Errors on the task's row: a summary task marked ready, a project with no customer, a work order
 * made by hand that holds the task's alternate key without the project link. A price list
 * is the whole family's: WORK_ORDER_PRICE_LIST_ID, else the work order type's own. A project row
 * carries none (Project Operations prices a project through its contract's project price lists, which
 * a work order does not take), so the "the project's price list" has no column to read.
 */
import { ConfigurationError, ContactError } from '../../src/model/errors.js';
import { lc, type WorkOrderIndex } from './match.js';
import { READY_TO_SYNC, type TaskRow } from './rows.js';
import type { WorkOrderSettings } from './settings.js';
import type { DesiredTask } from './state.js';

export type TaskDesiredOutcome = { ok: true; desired: DesiredTask } | { ok: false; error: ContactError; displayName: string; projectId: string };

export function taskName(task: TaskRow): string {
  return (task.msdyn_subject ?? '').trim() || task.msdyn_projecttaskid;
}

/** The price list every work order gets; a configuration error when there is none (checked before planning). */
export function workOrderPriceList(settings: WorkOrderSettings, index: WorkOrderIndex): string {
  const priceList = settings.priceListId ?? lc(index.types.get(settings.workOrderTypeId)?._msdyn_pricelist_value);
  if (priceList !== '') return priceList;
  throw new ConfigurationError(
    'WORKORDER_NO_PRICE_LIST',
    `WORK_ORDER_PRICE_LIST_ID is not set and the work order type ${settings.workOrderTypeId} names no price list, so no work order can be created (a work order needs a price list).`,
    'Set a price list on the work order type (Field Service, Settings, Work Order Types), or set WORK_ORDER_PRICE_LIST_ID.',
  );
}

export function computeTaskDesired(task: TaskRow, settings: WorkOrderSettings, index: WorkOrderIndex): TaskDesiredOutcome {
  const taskId = lc(task.msdyn_projecttaskid);
  const projectId = lc(task._msdyn_project_value);
  const project = index.projects.get(projectId);
  const displayName = taskName(task);
  const marked = task.o25fs_taskstage === READY_TO_SYNC && task.statecode === 0;
  const base = { taskId, projectId, displayName, projectName: project?.msdyn_subject ?? null, deleted: false, plannedEffort: task.msdyn_effort ?? null };
  if (marked && index.parents.has(taskId)) {
    return {
      ok: false,
      displayName,
      projectId,
      error: new ContactError(
        'WORKORDER_SUMMARY_TASK',
        `The task "${displayName}" is marked Ready to Sync but is a summary task (it has child tasks); work orders are made for leaf tasks only.`,
        'Mark its child tasks Ready to Sync instead, and set this task back to another stage.',
      ),
    };
  }
  const ready = marked && project !== undefined && project.statecode === 0;
  if (!ready || !project) return { ok: true, desired: { ...base, ready: false, workOrder: null } };
  const customer = lc(project._msdyn_customer_value);
  if (customer === '') {
    return {
      ok: false,
      displayName,
      projectId,
      error: new ContactError(
        'WORKORDER_PROJECT_NO_CUSTOMER',
        `The task "${displayName}" is Ready to Sync, but its project ${project.msdyn_subject ?? projectId} has no customer, so its work order would have no service account.`,
        'Set the customer on the project; the next run creates the work order.',
      ),
    };
  }
  const holder = index.byTask.has(taskId) ? undefined : index.keyHolders.get(taskId);
  if (holder) {
    return {
      ok: false,
      displayName,
      projectId,
      error: new ContactError(
        'WORKORDER_KEY_TAKEN',
        `The task "${displayName}" is Ready to Sync, but work order ${holder.msdyn_name ?? holder.msdyn_workorderid} already names it (o25fs_projecttask) without being linked to a project. The key allows one work order per task, and the product does not take over a work order it did not make.`,
        "Link that work order to the task's project (o25fs_project) for the product to manage it, or clear its o25fs_projecttask; the next run adopts it or creates the task's own.",
      ),
    };
  }
  const priceList = workOrderPriceList(settings, index);
  return {
    ok: true,
    desired: {
      ...base,
      ready: true,
      workOrder: {
        serviceAccountId: customer,
        workOrderTypeId: settings.workOrderTypeId,
        priceListId: priceList,
        start: task.msdyn_start ?? null,
        finish: task.msdyn_finish ?? null,
        // msdyn_instructions is a long text; the task's name fits.
        instructions: displayName,
      },
    },
  };
}
