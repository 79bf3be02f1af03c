/**
 * `vendor-reconciler setup`: creates the Dataverse columns (with their choices) the configured
 * families need and the environment lacks, through the Web API's metadata endpoints. Plan first
 * (read-only, the same reads as doctor's), then apply the plan: one POST per missing column, with
 * the solution header when a solution is given. Idempotent: a column that exists is never planned,
 * so a second run plans nothing. What setup must not change by itself (a column of another type, a
 * choice whose values differ: the numbers are stored on rows; a lookup, which needs a relationship)
 * is listed for the operator instead.
 */
import type { Settings } from '../config.js';
import { readRequiredColumns, missingOptions } from './checks-dataverse.js';
import { columnBody } from './column-bodies.js';
import type { SetupClients } from './doctor.js';
import { ReadFailed } from './metadata-reads.js';
import { requirementsFor, type Requirements } from './requirements.js';
import type { ColumnRequirement } from './requirements-columns.js';

export interface ManualStep {
  column: ColumnRequirement;
  reason: string;
}

export interface SetupPlan {
  create: ColumnRequirement[];
  manual: ManualStep[];
}

export interface CreateResult {
  column: ColumnRequirement;
  ok: boolean;
  /** The service's error message when it refused. */
  error?: string;
}

export interface SetupOutcome {
  plan: SetupPlan;
  /** Empty for a plan-only run. */
  applied: CreateResult[];
}

export interface SetupOptions {
  /** Apply the plan (default: plan only). */
  apply?: boolean;
  /** MSCRM.SolutionUniqueName: the unmanaged solution the columns join (docs/dataverse-schema.md "How to add the columns"). */
  solution?: string;
}

const key = (c: ColumnRequirement): string => `${c.table}.${c.logicalName}`;

export async function planSetup(clients: Pick<SetupClients, 'dataverse'>, req: Requirements): Promise<SetupPlan> {
  const found = await readRequiredColumns(clients.dataverse, req.columns);
  const plan: SetupPlan = { create: [], manual: [] };
  for (const c of req.columns) {
    const table = found.get(c.table)!;
    if (table instanceof ReadFailed) {
      plan.manual.push({ column: c, reason: table.status === 404 ? `the table ${c.table} is not in this environment (install its solution first)` : `its table could not be read (${table.message})` });
      continue;
    }
    const column = table.get(c.logicalName);
    if (!column) {
      if (c.manual) plan.manual.push({ column: c, reason: c.manual });
      else plan.create.push(c);
    } else if (column.type !== c.type) {
      plan.manual.push({ column: c, reason: `it exists as a ${column.type} column; the product needs ${c.type}` });
    } else if (c.type === 'Picklist' && missingOptions(c, column).length > 0) {
      plan.manual.push({ column: c, reason: `the choice lacks the option values ${missingOptions(c, column).join(', ')}; set them in the maker portal` });
    }
  }
  return plan;
}

export async function runSetup(settings: Settings, clients: Pick<SetupClients, 'dataverse'>, options: SetupOptions = {}, req: Requirements = requirementsFor(settings)): Promise<SetupOutcome> {
  const plan = await planSetup(clients, req);
  const applied: CreateResult[] = [];
  if (!options.apply) return { plan, applied };
  // One at a time: Dataverse serialises customizations anyway, and an error stays next to its column.
  for (const c of plan.create) {
    const res = await clients.dataverse.send({
      method: 'POST',
      url: `EntityDefinitions(LogicalName='${c.table}')/Attributes`,
      body: columnBody(c),
      headers: options.solution ? { 'MSCRM.SolutionUniqueName': options.solution } : {},
    });
    const message = (res.body as { error?: { message?: unknown } } | undefined)?.error?.message;
    applied.push(res.status === 204 || res.status === 201 ? { column: c, ok: true } : { column: c, ok: false, error: `HTTP ${res.status}${typeof message === 'string' ? `: ${message}` : ''}` });
  }
  return { plan, applied };
}

/** The outcome as text: the plan, then what was applied. */
export function renderSetup(outcome: SetupOutcome, applying: boolean): string {
  const { plan, applied } = outcome;
  const lines: string[] = [];
  if (plan.create.length === 0) lines.push('Nothing to create: every column the configured families need exists.');
  else {
    lines.push(`${applying ? 'Creating' : 'Would create'} ${plan.create.length} column${plan.create.length === 1 ? '' : 's'}:`);
    for (const c of plan.create) {
      const result = applied.find((r) => key(r.column) === key(c));
      const mark = !applying ? '+' : result?.ok ? '✓' : '✗';
      const options = c.options ? `, options ${c.options.map((o) => o.value).join(', ')}` : '';
      lines.push(`  ${mark} ${key(c)} (${c.displayName}, ${c.type}${options})${result && !result.ok ? `: ${result.error}` : ''}`);
    }
  }
  if (plan.manual.length > 0) {
    lines.push('', 'Needs you (setup does not change these):');
    for (const m of plan.manual) lines.push(`  ! ${key(m.column)}: ${m.reason}`);
  }
  if (!applying && plan.create.length > 0) lines.push('', 'Run `vendor-reconciler setup --apply` to create them.');
  if (applying && applied.length > 0 && applied.every((r) => r.ok)) lines.push('', 'Done. Publish customizations if your environment requires it, then run `vendor-reconciler doctor`.');
  return `${lines.join('\n')}\n`;
}
