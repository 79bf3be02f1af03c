/**
 * Names next to ids in the HTML report, where the plan has them, and links into Dynamics 365.
 *
 * - A licence SKU id shows its part number (SPE_F1), from the plan's licence summary: the SKUs the
 *   plan draws on, as GET /subscribedSkus named them when the run observed the tenant.
 * - A bookable resource's time zone code shows the time zone's name (85: GMT Standard Time). The
 *   plan holds only the code; the names are Microsoft's time zone index values (the table below,
 *   the codes Dataverse's timezonedefinition rows use). A code not in it shows as the number alone.
 * - A group id shows the group's display name, from the plan's group names (plan.summary.groups):
 *   the technician group's, from the one GET of the group each run makes (it also tells whether the
 *   group exists and, in group licensing mode, its licences). A group the plan does not name (it
 *   did not exist, or a plan stored before) shows as an id alone.
 *
 * Links open the record in the environment (ReportInput.environmentUrl, the DATAVERSE_URL setting):
 * main.aspx?etn=<table>&id=<id>&pagetype=entityrecord. Only for ids that are GUIDs, so no value
 * from data can become part of a URL other than as an id; without an environment URL there are none.
 */
import { html, type SafeHtml } from './escape.js';
import type { ReportModel } from './model.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Microsoft Time Zone Index Values (the index is Dataverse's timezonecode), the zones a field
 * service in the Americas and Europe uses most; the rest show as their code.
 */
const TIME_ZONE_NAMES: Readonly<Record<number, string>> = {
  0: 'Dateline Standard Time',
  1: 'Samoa Standard Time',
  2: 'Hawaiian Standard Time',
  3: 'Alaskan Standard Time',
  4: 'Pacific Standard Time',
  10: 'Mountain Standard Time',
  13: 'Mexico Standard Time 2',
  15: 'U.S. Mountain Standard Time',
  20: 'Central Standard Time',
  25: 'Canada Central Standard Time',
  30: 'Mexico Standard Time',
  33: 'Central America Standard Time',
  35: 'Eastern Standard Time',
  40: 'U.S. Eastern Standard Time',
  45: 'S.A. Pacific Standard Time',
  50: 'Atlantic Standard Time',
  55: 'S.A. Western Standard Time',
  56: 'Pacific S.A. Standard Time',
  85: 'GMT Standard Time',
  95: 'Central Europe Standard Time',
  100: 'Central European Standard Time',
  105: 'Romance Standard Time',
  110: 'W. Europe Standard Time',
  115: 'E. Europe Standard Time',
};

export function timeZoneName(code: unknown): string | null {
  return typeof code === 'number' ? (TIME_ZONE_NAMES[code] ?? null) : null;
}

/** The SKU part number the plan's licence summary gives this SKU id, if any. */
export function skuName(model: ReportModel, skuId: unknown): string | null {
  if (typeof skuId !== 'string') return null;
  const found = model.source.plan.summary.licences.find((l) => l.skuId.toLowerCase() === skuId.toLowerCase());
  return found?.skuPartNumber ?? null;
}

/** The display name the plan's group names give this group id, if any. */
export function groupName(model: ReportModel, groupId: unknown): string | null {
  if (typeof groupId !== 'string') return null;
  const found = (model.source.plan.summary.groups ?? []).find((g) => g.groupId.toLowerCase() === groupId.toLowerCase());
  return found?.displayName ?? null;
}

/** The name to show next to a field's value, when one is known (html-subjects.ts fieldHtml). */
export function valueName(model: ReportModel, field: string, value: unknown): string | null {
  if (field === 'skuId') return skuName(model, value);
  if (field === 'groupId') return groupName(model, value);
  if (field === 'timezone') return timeZoneName(value);
  return null;
}

/** The Dynamics 365 tables the report links to, by the entity set a subject's row comes from. */
const TABLE_ENTITIES: Readonly<Record<string, string>> = { contacts: 'contact', msdyn_projecttasks: 'msdyn_projecttask', msdyn_projects: 'msdyn_project' };

export function entityOfTable(table: string | undefined): string | null {
  return table ? (TABLE_ENTITIES[table] ?? null) : null;
}

/** The record's address in the environment, or null (no environment URL, or an id that is no GUID). */
export function recordUrl(model: ReportModel, entity: string, id: string | null | undefined): string | null {
  const base = model.source.environmentUrl;
  if (!base || !id || !GUID.test(id)) return null;
  let url: URL;
  try {
    url = new URL('/main.aspx', base);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  url.search = new URLSearchParams({ etn: entity, id: id.toLowerCase(), pagetype: 'entityrecord' }).toString();
  return url.toString();
}

/** "Open in Dynamics 365" for the record, or nothing; `what` (hidden but read out) says which record. */
export function recordLink(model: ReportModel, entity: string, id: string | null | undefined, what: string): SafeHtml | null {
  const url = recordUrl(model, entity, id);
  return url ? html` <a class="d365" href="${url}" rel="noopener noreferrer">Open<span class="visually-hidden"> ${what}</span> in Dynamics 365</a>` : null;
}
