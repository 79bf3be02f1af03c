/**
 * The one custom event each run sends: `VendorReconcilerRun`. Built from the run record's ids,
 * codes and counts only; names, emails, reasons and messages in the record are never read here.
 * Every kind, outcome and status is present (0 when none), so KQL sums need no null handling.
 * docs/deploy.md §Watch it lists the fields and two queries over them.
 */
import { CHANGE_KIND_ORDER } from '../kinds.js';
import type { ProvisioningStatus, RunScope } from '../model/plan.js';
import type { ChangeOutcome, RunRecord } from '../model/run.js';
import { redactMeasurements, redactProperties, safeValue } from './redact.js';

export const RUN_EVENT_NAME = 'VendorReconcilerRun';

const OUTCOMES: readonly ChangeOutcome[] = ['applied', 'failed', 'skipped', 'blocked', 'not_reached'];
const STATUSES: readonly ProvisioningStatus[] = [
  'pending', 'invited', 'waiting_for_dataverse_user', 'active', 'deprovisioned', 'removal_blocked', 'no_licence_units', 'error', 'quarantined', 'out_of_scope',
];

export interface RunEvent {
  name: string;
  properties: Record<string, string>;
  measurements: Record<string, number>;
}

/**
 * The event keeps the scope names it had before families (tenant, vendor, contacts), so queries
 * and dashboards written against it (docs/deploy.md) keep working.
 */
function eventScopeKind(scope: RunScope): 'tenant' | 'vendor' | 'contacts' {
  if (scope.kind === 'group') return 'vendor';
  return scope.kind === 'subjects' ? 'contacts' : 'tenant';
}

export function runEvent(record: RunRecord, durationMs: number): RunEvent {
  const { plan } = record;
  // The event has one licence's numbers: the first SKU (today's only family draws on one).
  const licence = plan.summary.licences[0];
  const errorCodes = new Map<string, number>();
  const contactsWithError = new Set<string>();
  const note = (contactId: string, code: string | undefined): void => {
    contactsWithError.add(contactId);
    if (code !== undefined && safeValue('code', code) !== undefined) errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
  };
  for (const c of plan.subjects) if (c.error) note(c.subject.id, c.error.code);
  for (const r of record.results) if (r.outcome === 'failed') note(r.contactId, r.error?.code);

  const measurements: Record<string, number> = {
    durationMs: Math.round(durationMs),
    contacts: plan.subjects.length,
    changes: plan.changes.length,
    errors: contactsWithError.size,
    blockedRemovals: plan.summary.blockedRemovals,
    orphans: plan.summary.orphans,
    licenceUnitsNeeded: licence?.unitsNeeded ?? 0,
  };
  if (licence && licence.unitsAvailable !== null) measurements.licenceUnitsAvailable = licence.unitsAvailable;
  for (const kind of CHANGE_KIND_ORDER) measurements[`changes.${kind}`] = 0;
  for (const c of plan.changes) measurements[`changes.${c.kind}`] = (measurements[`changes.${c.kind}`] ?? 0) + 1;
  for (const o of OUTCOMES) measurements[`results.${o}`] = 0;
  for (const r of record.results) measurements[`results.${r.outcome}`] = (measurements[`results.${r.outcome}`] ?? 0) + 1;
  for (const s of STATUSES) measurements[`contacts.${s}`] = 0;
  for (const s of Object.values(record.statuses)) measurements[`contacts.${s}`] = (measurements[`contacts.${s}`] ?? 0) + 1;

  const codes = Object.fromEntries([...errorCodes].sort(([a], [b]) => a.localeCompare(b)));
  const properties = redactProperties({
    runId: record.runId,
    trigger: record.trigger,
    mode: record.mode,
    scopeKind: eventScopeKind(record.scope),
    vendorId: record.scope.kind === 'group' ? record.scope.groupId : undefined,
    outcome: record.outcome,
    errorCode: record.error?.code,
    errorClass: record.error?.class,
    licenceSkuId: licence?.skuId || undefined,
    // Codes come from a closed set; the allow-list checks each one's shape again.
    errorCodes: JSON.stringify(codes),
  });
  if (record.scope.kind === 'subjects') measurements.scopeContacts = record.scope.subjectIds.length;
  return { name: RUN_EVENT_NAME, properties, measurements: redactMeasurements(measurements) };
}
