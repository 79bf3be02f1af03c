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

/**
 * The engine's status text (src/engine/status.ts): the error with what to do, or else the subject's
 * warnings, each "Warning: … What to do: …". Adding the warnings again here wrote them twice.
 */
export function syncErrorText(final: FinalStatus): string | null {
  if (final.status === 'out_of_scope' || !final.error) return null;
  return final.error.slice(0, SYNC_ERROR_MAX);
}

export function workOrderStatusWrites(subjects: readonly SubjectPlan[], statuses: ReadonlyMap<string, FinalStatus>): ServiceRequest[] {
  const writes: ServiceRequest[] = [];
  for (const s of subjects) {
    if (s.subject.table !== 'msdyn_projecttasks' || s.deleted) continue;
    const final = statuses.get(subjectKey(s.subject));
    if (!final) continue;
    const text = syncErrorText(final);
    if (text === s.storedError) continue;
    writes.push({ method: 'PATCH', url: `msdyn_projecttasks(${s.subject.id})`, headers: { 'If-Match': '*' }, body: { o25fs_syncerror: text } });
  }
  return writes;
}
