/**
 * The status each contact ends a run with, and the writes that put it on the contact for its vendor
 * admin. Statuses and errors are written only when they change, so a converged tenant costs no
 * write at all.
 */
import type { ServiceRequest } from '../clients/types.js';
import type { ContactPlan, ErrorInfo, Plan, ProvisioningStatus } from '../model/plan.js';
import type { ChangeResult } from '../model/run.js';
import { statusToOptionValue } from './status-codes.js';

/** o25fs_provisioningerror's maximum length (docs/dataverse-schema.md). */
export const STATUS_ERROR_MAX = 4000;

export interface FinalStatus {
  status: ProvisioningStatus;
  /** What the vendor admin reads; null when there is nothing to say. */
  error: string | null;
}

export function errorText(e: ErrorInfo): string {
  const text = `${e.message} What to do: ${e.action}`;
  return text.length > STATUS_ERROR_MAX ? `${text.slice(0, STATUS_ERROR_MAX - 1)}…` : text;
}

/** Status after a dry run (what it would be) or an apply (what it is), per contact. */
export function finalStatuses(plan: Plan, results: ChangeResult[] | null): Map<string, FinalStatus> {
  const byContact = new Map<string, ChangeResult[]>();
  for (const r of results ?? []) {
    const list = byContact.get(r.contactId) ?? [];
    list.push(r);
    byContact.set(r.contactId, list);
  }
  const out = new Map<string, FinalStatus>();
  for (const contact of plan.contacts) out.set(contact.contactId, statusOf(contact, results ? (byContact.get(contact.contactId) ?? []) : null));
  return out;
}

function statusOf(contact: ContactPlan, results: ChangeResult[] | null): FinalStatus {
  if (contact.error) return { status: contact.status === 'quarantined' ? 'quarantined' : 'error', error: errorText(contact.error) };
  if (results === null) return { status: contact.status, error: null };
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed?.error) {
    if (failed.error.code === 'NO_LICENCE_UNITS') return { status: 'no_licence_units', error: errorText(failed.error) };
    // A passing fault (throttling, a 5xx) is not the vendor's problem: the next run retries it.
    const passing = failed.error.class === 'transient' || failed.error.class === 'throttled';
    return { status: passing ? 'pending' : 'error', error: errorText(failed.error) };
  }
  const blocked = results.find((r) => r.outcome === 'blocked');
  if (blocked?.error) return { status: blocked.error.code === 'NO_LICENCE_UNITS' ? 'no_licence_units' : 'removal_blocked', error: errorText(blocked.error) };
  if (results.some((r) => r.outcome === 'skipped' || r.outcome === 'not_reached')) return { status: 'pending', error: null };
  return { status: contact.status, error: null };
}

/** PATCH requests for the contacts whose stored status or error differs from their final one. */
export function statusWrites(plan: Plan, statuses: Map<string, FinalStatus>): ServiceRequest[] {
  const writes: ServiceRequest[] = [];
  for (const contact of plan.contacts) {
    const final = statuses.get(contact.contactId);
    // Out-of-scope contacts are not ours to write to (the setup flag is off).
    if (!final || final.status === 'out_of_scope') continue;
    if (final.status === contact.storedStatus && final.error === contact.storedError) continue;
    writes.push({
      method: 'PATCH',
      url: `contacts(${contact.contactId})`,
      headers: { 'If-Match': '*' },
      body: { o25fs_provisioningstatus: statusToOptionValue(final.status), o25fs_provisioningerror: final.error },
    });
  }
  return writes;
}
