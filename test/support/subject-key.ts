/**
 * The technicians family's subject key for a contact id, as run records name subjects in
 * ChangeResult.subjectKey and RunRecord.statuses (src/model/run.ts), so tests that hold a contact's
 * id read its result and status with one call.
 */
import { subjectKey, type SubjectKey } from '../../src/model/run.js';

export function technicianKey(contactId: string): SubjectKey {
  return subjectKey({ family: 'technicians', id: contactId });
}
