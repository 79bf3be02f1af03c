/**
 * SHARD_BY_VENDOR=true (issue 15): the timer does not run the tenant itself; it enqueues one run per
 * vendor on the run queue (src/app/queue-run.ts), and the queue trigger runs them side by side,
 * each under its vendor's lock (src/history/scoped-run-lock.ts), up to host.json's
 * batchSize + newBatchThreshold per instance. They share Graph's write budget for the app and back
 * off on its 429s as any run does (src/clients/retry-policy.ts).
 *
 * The vendor list is one cheap Dataverse read: the technicians table's own filter (the contacts the
 * technicians family manages, reconcilers/technicians/tables.ts), selecting only the vendor column.
 * A contact without a vendor belongs to no vendor run: the log says how many, and a whole-tenant run
 * (POST /api/run with no body, or the timer with SHARD_BY_VENDOR unset) covers them.
 */
import { readers, type Env } from '../config-readers.js';
import { renderFilter } from '../engine/tables/table.js';
import { allFamilies } from '../families.js';
import { ConfigurationError } from '../model/errors.js';
import { enqueueRun } from './queue-run.js';
import type { ReconcilerApp } from './reconciler-app.js';
import type { Logger } from './types.js';

const FAMILY = 'technicians';

/** SHARD_BY_VENDOR: true or false (default false); anything else is SETTINGS_INVALID. */
export function readShardByVendor(env: Env = process.env): boolean {
  const problems: string[] = [];
  const value = readers(env, problems).bool('SHARD_BY_VENDOR', 'false');
  if (problems.length > 0) {
    throw new ConfigurationError('SETTINGS_INVALID', `The app settings are not valid:\n- ${problems.join('\n- ')}`, 'Fix these app settings (docs/configuration.md lists them all) and restart.');
  }
  return value;
}

/** The vendor account ids of the technicians family's contacts, lower case and sorted. */
export async function listVendorIds(app: ReconcilerApp, log: Logger, deadline = Date.now() + 60_000): Promise<string[]> {
  // The family's declaration of its contacts table (reconcilers/technicians/tables.ts), through the family list.
  const contacts = allFamilies().find((f) => f.name === FAMILY)?.tables.find((t) => t.name === 'contacts');
  if (contacts?.filter === undefined) throw new Error('the technicians family declares no filtered contacts table');
  const rows = await app.dataverse({ deadline }).list<{ _parentcustomerid_value?: string | null }>(contacts.path, { select: ['_parentcustomerid_value'], filter: renderFilter(contacts.filter) });
  const vendors = new Set<string>();
  let without = 0;
  for (const row of rows) {
    const vendor = row._parentcustomerid_value;
    if (vendor) vendors.add(vendor.toLowerCase());
    else without++;
  }
  if (without > 0) log.warn(`${without} technician contact(s) have no vendor: no vendor run covers them, a whole-tenant run does`);
  return [...vendors].sort();
}

/** Enqueues one run per vendor; answers their run ids in vendor order. */
export async function enqueueVendorRuns(app: ReconcilerApp, log: Logger, dryRun: boolean): Promise<string[]> {
  if (!app.settings.families[FAMILY]) {
    log.warn('SHARD_BY_VENDOR=true but the technicians family is off: no vendor run to queue');
    return [];
  }
  const vendors = await listVendorIds(app, log);
  const runIds: string[] = [];
  // One after another: each is two small storage writes, and the queue gives them out in this order.
  for (const groupId of vendors) runIds.push(await enqueueRun(app, { scope: { kind: 'group', family: FAMILY, groupId }, dryRun, trigger: 'timer' }));
  log.info(`SHARD_BY_VENDOR=true: ${runIds.length} vendor run(s) queued (${dryRun ? 'dry runs' : 'apply'})`);
  return runIds;
}
