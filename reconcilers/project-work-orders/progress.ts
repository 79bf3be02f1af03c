/**
 * A task's progress from its work order's bookings, resolved through each booking status's
 * msdyn_fieldservicestatus and never by its name: many custom statuses share one meaning, and the
 * status cascade keys on it (https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status).
 * Canceled bookings count for nothing unless every booking is canceled. With no booking whose status
 * has a field service meaning, every column is blank (nothing happened yet, and no write is needed
 * for a new task).
 *
 * - furthest status: Scheduled < Traveling < On Break < In Progress < Completed;
 * - actual start: the first arrival (msdyn_actualarrivaltime, set when a booking goes In Progress);
 * - actual end: the last completed booking's end, once every booking that counts is Completed;
 * - actual effort: hours, the sum of the Completed bookings' durations (minutes / 60, 2 decimals);
 * - variance: actual − planned effort (null without a planned effort);
 * - percent complete: 100 once every counted booking is Completed, else actual / planned (at most
 *   99), else 0.
 */
import { FS_STATUS } from '../../src/model/field-service.js';
import type { BookingView, TaskProgress } from './state.js';

const RANK: Readonly<Record<number, number>> = {
  [FS_STATUS.scheduled]: 1,
  [FS_STATUS.traveling]: 2,
  [FS_STATUS.onBreak]: 3,
  [FS_STATUS.inProgress]: 4,
  [FS_STATUS.completed]: 5,
};

export const round2 = (n: number): number => Math.round(n * 100) / 100;

const earliest = (values: (string | null)[]): string | null => values.filter((v): v is string => v !== null).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
const latest = (values: (string | null)[]): string | null => values.filter((v): v is string => v !== null).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;

/** No booking that counts yet: every column blank, as Project leaves actuals before work starts. */
const NOTHING_YET: TaskProgress = { o25fs_fieldservicestatus: null, o25fs_actualstart: null, o25fs_actualend: null, o25fs_actualeffort: null, o25fs_effortvariance: null, o25fs_percentcomplete: null };

export function taskProgress(bookings: readonly BookingView[], plannedEffort: number | null): TaskProgress {
  const mapped = bookings.filter((b) => b.fieldServiceStatus !== null);
  if (mapped.length === 0) return NOTHING_YET;
  const counted = mapped.filter((b) => b.fieldServiceStatus !== FS_STATUS.canceled);
  const completed = counted.filter((b) => b.fieldServiceStatus === FS_STATUS.completed);
  let furthest: number | null = mapped.length > 0 && counted.length === 0 ? FS_STATUS.canceled : null;
  for (const b of counted) {
    const s = b.fieldServiceStatus!;
    if (furthest === null || (RANK[s] ?? 0) > (RANK[furthest] ?? 0)) furthest = s;
  }
  const done = counted.length > 0 && completed.length === counted.length;
  const actual = round2(completed.reduce((sum, b) => sum + (b.row.duration ?? 0), 0) / 60);
  const planned = plannedEffort ?? null;
  const percent = done ? 100 : planned !== null && planned > 0 ? Math.min(99, Math.round((actual / planned) * 100)) : 0;
  return {
    o25fs_fieldservicestatus: furthest,
    o25fs_actualstart: earliest(mapped.map((b) => b.row.msdyn_actualarrivaltime)),
    o25fs_actualend: done ? latest(completed.map((b) => b.row.endtime)) : null,
    o25fs_actualeffort: actual,
    o25fs_effortvariance: planned === null ? null : round2(actual - planned),
    o25fs_percentcomplete: percent,
  };
}

/** Two instants are the same (Dataverse returns "…T08:00:00Z" for "…T08:00:00.000Z"). */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Date.parse(a) === Date.parse(b);
}
