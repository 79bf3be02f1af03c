/**
 * The task's problem, on the task: o25fs_syncerror (a custom column, so writable directly), holding
 * the error that stops the task or the warnings that need a person (a booked work order of a task
 * that is no longer ready, a booking status with no field service meaning); null once there is none.
 * Written only where it differs from the stored text; projects and deleted tasks get no write.
 */
import type { ServiceRequest } from '../../src/clients/types.js';
import type { FinalStatus } from '../../src/engine/status.js';
import type { SubjectPlan } from '../../src/model/plan.js';
import { subjectKey } from '../../src/model/run.js';

/** At most 2,000 characters: the column's length (docs/dataverse-schema.md). */
export const SYNC_ERROR_MAX = 2000;

export function syncErrorText(subject: SubjectPlan, final: FinalStatus): string | null {
  if (final.status === 'out_of_scope') return null;
  const parts = [final.error, ...(subject.warnings ?? []).map((w) => `${w.message} ${w.action}`)].filter((p): p is string => p !== null && p !== undefined && p !== '');
  return parts.length === 0 ? null : parts.join('\n').slice(0, SYNC_ERROR_MAX);
}

export function workOrderStatusWrites(subjects: readonly SubjectPlan[], statuses: ReadonlyMap<string, FinalStatus>): ServiceRequest[] {
  const writes: ServiceRequest[] = [];
  for (const s of subjects) {
    if (s.subject.table !== 'msdyn_projecttasks' || s.deleted) continue;
    const final = statuses.get(subjectKey(s.subject));
    if (!final) continue;
    const text = syncErrorText(s, final);
    if (text === s.storedError) continue;
    writes.push({ method: 'PATCH', url: `msdyn_projecttasks(${s.subject.id})`, headers: { 'If-Match': '*' }, body: { o25fs_syncerror: text } });
  }
  return writes;
}
