/**
 * The technicians family's status write-back: the final status, error and quarantine counters of
 * each contact go on its contact row, for its vendor admin, and only when they differ from the
 * stored ones (a converged tenant costs no write). The statuses themselves are the core's
 * (src/engine/status.ts finalStatuses); the option values are status-codes.ts's.
 */
import type { ServiceRequest } from '../../src/clients/types.js';
import type { FinalStatus } from '../../src/engine/status.js';
import type { SubjectPlan } from '../../src/model/plan.js';
import { subjectKey } from '../../src/model/run.js';
import { statusToOptionValue } from './status-codes.js';

/** Whether the counters differ from the ones stored on the contact (dates compared as instants). */
function countersChanged(contact: SubjectPlan, final: FinalStatus): boolean {
  if (final.failures === undefined) return false;
  const stored = contact.storedNextAttemptAt ? Date.parse(contact.storedNextAttemptAt) : null;
  const next = final.nextAttemptAt ? Date.parse(final.nextAttemptAt) : null;
  return final.failures !== (contact.storedFailures ?? 0) || stored !== next;
}

/**
 * The technicians family's writes: PATCH requests for the contacts whose stored status, error or
 * quarantine counters differ from their final ones.
 */
export function contactStatusWrites(subjects: readonly SubjectPlan[], statuses: ReadonlyMap<string, FinalStatus>): ServiceRequest[] {
  const writes: ServiceRequest[] = [];
  for (const contact of subjects) {
    const final = statuses.get(subjectKey(contact.subject));
    // Out-of-scope contacts are not ours to write to (the setup flag is off); a deleted one has no row.
    if (!final || final.status === 'out_of_scope' || contact.deleted) continue;
    const counters = countersChanged(contact, final);
    if (final.status === contact.storedStatus && final.error === contact.storedError && !counters) continue;
    writes.push({
      method: 'PATCH',
      url: `contacts(${contact.subject.id})`,
      headers: { 'If-Match': '*' },
      body: {
        o25fs_provisioningstatus: statusToOptionValue(final.status),
        o25fs_provisioningerror: final.error,
        ...(counters ? { o25fs_consecutivefailures: final.failures, o25fs_nextattemptat: final.nextAttemptAt ?? null } : {}),
      },
    });
  }
  return writes;
}
