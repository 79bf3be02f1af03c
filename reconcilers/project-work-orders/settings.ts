/**
 * The project-work-orders family's app settings (issue 14, seed 002): the work order type every
 * work order gets, an optional price list, and the mobility app's stage → field service status
 * mapping. WORK_ORDER_TYPE_ID turns the family on: without a type no work order can be created.
 */
import { noFamilyError, type FamilySettingsSpec, type Readers, type Settings } from '../../src/config.js';
import { FS_STATUS } from '../../src/model/field-service.js';

/** The mobility app's booking stages (issue 14; POST /api/bookings/{id}/stage). */
export const STAGES = ['Acknowledgment', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'] as const;
export type Stage = (typeof STAGES)[number];

export interface WorkOrderSettings {
  /** msdyn_workordertypeid of the type every work order gets. */
  workOrderTypeId: string;
  /** pricelevelid; null: each project's own price list. */
  priceListId: string | null;
  /** Each stage's msdyn_fieldservicestatus: the route sets a booking status carrying that value. */
  stageStatuses: Readonly<Record<Stage, number>>;
}

export const WORK_ORDERS = 'project-work-orders';

declare module '../../src/config.js' {
  interface FamilySettings {
    'project-work-orders'?: WorkOrderSettings;
  }
}

/**
 * The default mapping (the facts of seed 002): Acknowledgment is the booking's Scheduled, Onsite and
 * In Progress are both In Progress (arrival is recorded when In Progress starts), Incomplete ends the
 * booking as Canceled so the requirement goes back to Active
 * (https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status).
 */
export const DEFAULT_STAGE_STATUSES: Readonly<Record<Stage, number>> = {
  Acknowledgment: FS_STATUS.scheduled,
  Travel: FS_STATUS.traveling,
  Onsite: FS_STATUS.inProgress,
  InProgress: FS_STATUS.inProgress,
  Complete: FS_STATUS.completed,
  Incomplete: FS_STATUS.canceled,
};

export const WORK_ORDER_SETTING_NAMES = ['WORK_ORDER_TYPE_ID'] as const;

const FS_VALUES = new Set<number>(Object.values(FS_STATUS));

/** "Stage=value;Stage=value" overrides of the default mapping (WORK_ORDER_STAGE_STATUSES). */
export function parseStageStatuses(text: string | undefined, problems: string[]): Record<Stage, number> {
  const out: Record<Stage, number> = { ...DEFAULT_STAGE_STATUSES };
  if (text === undefined) return out;
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const stage = STAGES.find((s) => s.toLowerCase() === (name ?? '').toLowerCase());
    const n = Number(value);
    if (!stage) problems.push(`WORK_ORDER_STAGE_STATUSES names an unknown stage "${name ?? ''}"; the stages are ${STAGES.join(', ')}.`);
    else if (!FS_VALUES.has(n)) problems.push(`WORK_ORDER_STAGE_STATUSES maps ${stage} to "${value ?? ''}", which is not a field service status (690970000 Scheduled to 690970005 Canceled).`);
    else out[stage] = n;
  }
  return out;
}

function loadWorkOrderSettings(r: Readers): WorkOrderSettings {
  const type = r.guid('WORK_ORDER_TYPE_ID', r.required('WORK_ORDER_TYPE_ID', 'Set it to the msdyn_workordertypeid every work order created from a project task gets (Field Service, Settings, Work Order Types).'), 'a work order type id');
  const price = r.get('WORK_ORDER_PRICE_LIST_ID');
  return {
    workOrderTypeId: type.toLowerCase(),
    priceListId: price === undefined ? null : r.guid('WORK_ORDER_PRICE_LIST_ID', price, 'a price list (pricelevel) id').toLowerCase(),
    stageStatuses: parseStageStatuses(r.get('WORK_ORDER_STAGE_STATUSES'), r.problems),
  };
}

export const workOrderSettingsSpec: FamilySettingsSpec = {
  family: WORK_ORDERS,
  settingNames: WORK_ORDER_SETTING_NAMES,
  load: loadWorkOrderSettings,
};

export function workOrderSettings(settings: Pick<Settings, 'families'>): WorkOrderSettings {
  const s = settings.families[WORK_ORDERS];
  if (!s) throw noFamilyError(' The project-work-orders family is off (WORK_ORDER_TYPE_ID is not set).');
  return s;
}
