/**
 * The status each subject ends a run with, and the dispatch to each family's writes that put it on
 * its source row (the technicians' are reconcilers/technicians/status.ts). Families write statuses
 * and errors only when they change, so a converged tenant costs no write at all.
 */
import type { ServiceRequest } from '../clients/types.js';
import type { ErrorInfo, Plan, ProvisioningStatus, SubjectPlan } from '../model/plan.js';
import type { Family } from './family.js';
import { subjectKey, type ChangeResult, type SubjectKey } from '../model/run.js';
import { QUARANTINED } from './guards/hold.js';
import { afterRun, isOutage } from './guards/quarantine.js';

/**
 * Failures that mean the Dataverse user is on its way (addUser's userNotLicensed while a licence
 * propagates; a systemuser not there yet after addUser): the subject waits.
 */
export const WAITING_CODES: ReadonlySet<string> = new Set(['DATAVERSE_USER_NOT_LICENSED', 'DATAVERSE_USER_NOT_CREATED_YET']);

/** o25fs_provisioningerror's maximum length (docs/dataverse-schema.md). */
export const STATUS_ERROR_MAX = 4000;

export interface FinalStatus {
  status: ProvisioningStatus;
  /** What the vendor admin reads; null when there is nothing to say. */
  error: string | null;
  /** Quarantine counters after an apply (o25fs_consecutivefailures, o25fs_nextattemptat); absent: not tracked. */
  failures?: number;
  nextAttemptAt?: string | null;
}

/** What finalStatuses needs to keep the quarantine counters (src/engine/guards/quarantine.ts). */
export interface QuarantineClock {
  now: Date;
  /** Failed runs in a row after which a contact is quarantined (QUARANTINE_AFTER_FAILURES). */
  after: number;
}

export function errorText(e: ErrorInfo): string {
  const text = `${e.message} What to do: ${e.action}`;
  return text.length > STATUS_ERROR_MAX ? `${text.slice(0, STATUS_ERROR_MAX - 1)}…` : text;
}

/**
 * Warnings (an unknown country, half a coordinate pair, a Dataverse user disabled by an admin) do not
 * stop provisioning, but the vendor admin should see them on the contact: with no error to show,
 * they are what the status text says.
 */
function warningText(contact: SubjectPlan): string | null {
  if (!contact.warnings || contact.warnings.length === 0) return null;
  const text = contact.warnings.map((w) => `Warning: ${w.message} What to do: ${w.action}`).join(' ');
  return text.length > STATUS_ERROR_MAX ? `${text.slice(0, STATUS_ERROR_MAX - 1)}…` : text;
}

/**
 * Status after a dry run (what it would be) or an apply (what it is), per subject by its SubjectKey
 * (`${family}/${id}`: two families may plan rows with the same id). RunRecord.statuses is this map.
 */
export function finalStatuses(plan: Plan, results: ChangeResult[] | null, quarantine?: QuarantineClock): Map<SubjectKey, FinalStatus> {
  const bySubject = new Map<SubjectKey, ChangeResult[]>();
  for (const r of results ?? []) {
    const list = bySubject.get(r.subjectKey) ?? [];
    list.push(r);
    bySubject.set(r.subjectKey, list);
  }
  const out = new Map<SubjectKey, FinalStatus>();
  const outage = results !== null && isOutage(results);
  for (const subject of plan.subjects) {
    const key = subjectKey(subject.subject);
    const own = results ? (bySubject.get(key) ?? []) : null;
    const status = statusOf(subject, own);
    out.set(key, quarantine && own ? afterRun(subject, status, own, { ...quarantine, outage }) : status);
  }
  return out;
}

function statusOf(contact: SubjectPlan, results: ChangeResult[] | null): FinalStatus {
  // Held back by quarantine: the error the vendor admin reads stays the last real one.
  if (contact.error?.code === QUARANTINED) return { status: 'quarantined', error: contact.storedError };
  if (contact.error) return { status: contact.status === 'quarantined' ? 'quarantined' : 'error', error: errorText(contact.error) };
  if (results === null) return { status: contact.status, error: warningText(contact) };
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed?.error) {
    if (failed.error.code === 'NO_LICENCE_UNITS') return { status: 'no_licence_units', error: errorText(failed.error) };
    // Waiting on another system is a state, not an error (docs/architecture.md): the next run continues.
    if (WAITING_CODES.has(failed.error.code)) return { status: 'waiting_for_dataverse_user', error: errorText(failed.error) };
    // A passing fault (throttling, a 5xx) is not the vendor's problem: the next run retries it.
    const passing = failed.error.class === 'transient' || failed.error.class === 'throttled';
    return { status: passing ? 'pending' : 'error', error: errorText(failed.error) };
  }
  const blocked = results.find((r) => r.outcome === 'blocked');
  if (blocked?.error) return { status: blockedStatus(blocked.error.code), error: errorText(blocked.error) };
  if (results.some((r) => r.outcome === 'skipped' || r.outcome === 'not_reached')) return { status: 'pending', error: warningText(contact) };
  return { status: contact.status, error: warningText(contact) };
}

function blockedStatus(code: string): ProvisioningStatus {
  if (code === 'NO_LICENCE_UNITS') return 'no_licence_units';
  return code === QUARANTINED ? 'quarantined' : 'removal_blocked';
}

/** Every family's status writes for its own subjects, family by family (src/engine/family.ts). */
export function statusWrites(plan: Plan, statuses: ReadonlyMap<string, FinalStatus>, families: readonly Family[]): ServiceRequest[] {
  return families.flatMap((family) => family.statusWrites(plan.subjects.filter((s) => s.subject.family === family.name), statuses));
}
