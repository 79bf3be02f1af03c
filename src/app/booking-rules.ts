/**
 * The pure rules of the mobility app's two routes (issue 14, docs/mobility-routes.md): what a
 * request may say (changedSince, the stage body, a booking id), which way a stage may move, and
 * which booking status a stage sets. No I/O: booking-feed.ts and booking-stage.ts do the reads and
 * the write.
 *
 * The stages and their field service statuses come from the family's settings
 * (Settings.families['project-work-orders'].stageStatuses, WORK_ORDER_STAGE_STATUSES): the core does
 * not import reconcilers/ (eslint.config.js), so the stage list is the mapping's keys, in the order
 * the family declares them.
 */
import { cmp } from '../engine/compare.js';
import { FS_STATUS } from '../model/field-service.js';
import { BadRequest } from './requests.js';

/**
 * How far a booking has got: Scheduled < Traveling < In Progress (On Break is a pause within it) <
 * Completed or Canceled. A status with no field service value counts as Scheduled, as Field
 * Service's own cascade treats it (packages/tenant-sim/src/booking-cascade.ts).
 */
const RANK: Readonly<Record<number, number>> = { 690970000: 0, 690970001: 1, 690970002: 2, 690970003: 2, 690970004: 3, 690970005: 3 };
const FINAL = new Set<number>([FS_STATUS.completed, FS_STATUS.canceled]);

export const rankOf = (fs: number | null): number => (fs === null ? 0 : (RANK[fs] ?? 0));
export const isFinal = (fs: number | null): boolean => fs !== null && FINAL.has(fs);

export type MoveVerdict = 'unchanged' | 'forward' | 'backwards' | 'out-of-final';

/** Whether a booking at `current` may be set to `target` (both msdyn_fieldservicestatus values). */
export function moveVerdict(current: number | null, target: number): MoveVerdict {
  if (current === target) return 'unchanged';
  if (isFinal(current)) return 'out-of-final';
  return rankOf(target) < rankOf(current) ? 'backwards' : 'forward';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO 8601 date and time with seconds optional, fractions optional, and a zone (Z or ±hh:mm). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/i;
const CHANGED_SINCE_FORM = 'an ISO 8601 date and time with its offset, e.g. 2026-12-02T09:00:00Z or 2026-12-02T10:00:00%2B01:00 (encode + as %2B)';

/** The changedSince query value as an instant; a 400 naming the expected form otherwise. */
export function parseChangedSince(value: string | null): Date {
  if (value === null || value.trim() === '') throw new BadRequest(`changedSince is required: ${CHANGED_SINCE_FORM}.`);
  // An unencoded + in the query arrives as a space (URLSearchParams); the offset is still meant.
  const text = value.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = TIMESTAMP.exec(text);
  const at = m && fieldsInRange(m) ? new Date(text) : null;
  if (at === null || Number.isNaN(at.getTime())) throw new BadRequest(`changedSince must be ${CHANGED_SINCE_FORM}; got ${JSON.stringify(value.slice(0, 40))}.`);
  return at;
}

/** Date would roll 2026-02-30 over to March 2: each field must be in range as given. */
function fieldsInRange(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A booking id from the route: a GUID, lower-cased as Dataverse returns ids. */
export function parseBookingId(value: string | undefined): string {
  if (value === undefined || !GUID.test(value)) {
    throw new BadRequest(`The booking id in the path must be a bookableresourcebookingid (a GUID); got ${JSON.stringify((value ?? '').slice(0, 40))}.`);
  }
  return value.toLowerCase();
}

/** POST /api/bookings/{id}/stage's Content-Type and body: {"stage":"<one of the stages>"}. */
export function parseStageBody(contentType: string | undefined, text: string, stages: readonly string[]): string {
  const example = `{"stage":"${stages[2] ?? stages[0] ?? 'Onsite'}"}`;
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new BadRequest(`Send the body as JSON with Content-Type: application/json (got ${contentType === undefined || contentType === '' ? 'none' : JSON.stringify(contentType.slice(0, 60))}), e.g. ${example}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest(`The body must be JSON, e.g. ${example}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest(`The body must be a JSON object with one field, stage, e.g. ${example}.`);
  const extra = Object.keys(value).filter((k) => k !== 'stage');
  if (extra.length > 0) throw new BadRequest(`Unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}; the body takes only stage, e.g. ${example}.`);
  const { stage } = value as { stage?: unknown };
  if (typeof stage !== 'string' || !stages.includes(stage)) {
    throw new BadRequest(`stage must be one of ${stages.join(', ')} (exact names); got ${stage === undefined ? 'none' : JSON.stringify(stage)}.`);
  }
  return stage;
}

export interface BookingStatusRow {
  bookingstatusid: string;
  name: string | null;
  msdyn_fieldservicestatus: number | null;
  statecode: number;
}

/** "In Progress", "in-progress" and "InProgress" are one name. */
const normalName = (name: string | null): string => (name ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The booking status a stage sets: an active status carrying the stage's field service value; among
 * several, the one named like the stage, else the first by name (then id), so every call picks the
 * same one. null when no active status carries the value.
 */
export function statusForStage(stage: string, fs: number, statuses: readonly BookingStatusRow[]): BookingStatusRow | null {
  const candidates = statuses
    .filter((s) => s.statecode === 0 && s.msdyn_fieldservicestatus === fs)
    .sort((a, b) => cmp(a.name ?? '', b.name ?? '') || cmp(a.bookingstatusid, b.bookingstatusid));
  return candidates.find((s) => normalName(s.name) === normalName(stage)) ?? candidates[0] ?? null;
}

/**
 * The stage a booking status stands for: the stage named like it, else the first stage (in the
 * settings' order) mapped to its field service value; null when no stage maps to it.
 */
export function stageOfStatus(status: Pick<BookingStatusRow, 'name' | 'msdyn_fieldservicestatus'>, stageStatuses: Readonly<Record<string, number>>): string | null {
  const mapped = Object.keys(stageStatuses).filter((stage) => stageStatuses[stage] === status.msdyn_fieldservicestatus);
  return mapped.find((stage) => normalName(stage) === normalName(status.name)) ?? mapped[0] ?? null;
}
