/**
 * The one custom event each run sends: `VendorReconcilerRun`. Built from the run record's ids,
 * codes and counts only; names, emails, reasons and messages in the record are never read here.
 * Every kind, outcome and status is present (0 when none), so KQL sums need no null handling.
 * docs/deploy.md §Watch it lists the fields and two queries over them.
 */
import { CHANGE_KIND_ORDER } from '../kinds.js';
import type { ProvisioningStatus, RunScope } from '../model/plan.js';
import { subjectKey, type ChangeOutcome, type RunRecord } from '../model/run.js';
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
  const { licences } = plan.summary;
  const errorCodes = new Map<string, number>();
  // By SubjectKey: two families' subjects with the same id are two subjects with an error.
  const subjectsWithError = new Set<string>();
  const note = (key: string, code: string | undefined): void => {
    subjectsWithError.add(key);
    if (code !== undefined && safeValue('code', code) !== undefined) errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
  };
  for (const c of plan.subjects) if (c.error) note(subjectKey(c.subject), c.error.code);
  for (const r of record.results) if (r.outcome === 'failed') note(r.subjectKey, r.error?.code);

  const measurements: Record<string, number> = {
    durationMs: Math.round(durationMs),
    contacts: plan.subjects.length,
    changes: plan.changes.length,
    errors: subjectsWithError.size,
    blockedRemovals: plan.summary.blockedRemovals,
    orphans: plan.summary.orphans,
    // Summed over every SKU the plan draws on: with one SKU (the technicians alone) it is that SKU's
    // number, as before families; `licenceSkus` says how many SKUs the sums cover.
    licenceUnitsNeeded: licences.reduce((n, l) => n + l.unitsNeeded, 0),
    licenceSkus: licences.length,
  };
  // Available only when every SKU's is known: a sum with an unknown part would understate it.
  if (licences.length > 0 && licences.every((l) => l.unitsAvailable !== null)) {
    measurements.licenceUnitsAvailable = licences.reduce((n, l) => n + (l.unitsAvailable ?? 0), 0);
  }
  // The names above stay the technicians' (`contacts`, `contacts.<status>`: dashboards read them);
  // `subjects.<family>` adds each family's count.
  for (const c of plan.subjects) measurements[`subjects.${c.subject.family}`] = (measurements[`subjects.${c.subject.family}`] ?? 0) + 1;
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
    licenceSkuId: licences[0]?.skuId || undefined,
    // Only when there is more than one SKU, so a one-SKU event carries the properties it always had.
    licenceSkuIds: licences.length > 1 ? licences.map((l) => l.skuId).join(',') : undefined,
    // Codes come from a closed set; the allow-list checks each one's shape again.
    errorCodes: JSON.stringify(codes),
  });
  if (record.scope.kind === 'subjects') measurements.scopeContacts = record.scope.subjectIds.length;
  return { name: RUN_EVENT_NAME, properties, measurements: redactMeasurements(measurements) };
}
