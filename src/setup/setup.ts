/**
 * `vendor-reconciler setup`: creates the Dataverse columns (with their choices) and the alternate
 * keys the configured families need and the environment lacks, through the Web API's metadata
 * endpoints. Plan first (read-only, the same reads as doctor's), then apply the plan: one POST per
 * missing column, then one per missing key (a key needs its columns), with the solution header when
 * a solution is given. Idempotent: a column that exists is never planned,
 * so a second run plans nothing. What setup must not change by itself (a column of another type, a
 * choice whose values differ: the numbers are stored on rows; a lookup, which needs a relationship)
 * is listed for the operator instead. A choice that lacks a value no other option stands for gets it
 * (InsertOptionValue).
 */
import type { Settings } from '../config.js';
import { insertableOptions, readRequiredColumns, readRequiredKeys } from './checks-dataverse.js';
import { columnBody, insertOptionBody, keyBody } from './column-bodies.js';
import type { SetupClients } from './doctor.js';
import { keyOver, ReadFailed } from './metadata-reads.js';
import { requirementsFor, type Requirements } from './requirements.js';
import type { ChoiceOption, ColumnRequirement, KeyRequirement } from './requirements-columns.js';

export interface ManualStep {
  /** `table.column`, or `table(column, …)` for a key. */
  what: string;
  reason: string;
}

export interface SetupPlan {
  create: ColumnRequirement[];
  /** Options to add to choices that exist (InsertOptionValue). */
  addOptions: { column: ColumnRequirement; options: ChoiceOption[] }[];
  createKeys: KeyRequirement[];
  manual: ManualStep[];
}

export interface CreateResult {
  /** `table.column`, or `table(column, …)` for a key. */
  what: string;
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
const keyName = (k: KeyRequirement): string => `${k.table}(${k.attributes.join(', ')})`;
const optionName = (c: ColumnRequirement, o: ChoiceOption): string => `${key(c)} option ${o.value}`;

export async function planSetup(clients: Pick<SetupClients, 'dataverse'>, req: Requirements): Promise<SetupPlan> {
  const found = await readRequiredColumns(clients.dataverse, req.columns);
  const plan: SetupPlan = { create: [], addOptions: [], createKeys: [], manual: [] };
  const unreadable = (table: ReadFailed, name: string): string =>
    table.status === 404 ? `the table ${name} is not in this environment (install its solution first)` : `its table could not be read (${table.message})`;
  for (const c of req.columns) {
    const table = found.get(c.table)!;
    if (table instanceof ReadFailed) {
      plan.manual.push({ what: key(c), reason: unreadable(table, c.table) });
      continue;
    }
    const column = table.get(c.logicalName);
    if (!column) {
      if (c.manual) plan.manual.push({ what: key(c), reason: c.manual });
      else plan.create.push(c);
    } else if (column.type !== c.type) {
      plan.manual.push({ what: key(c), reason: `it exists as a ${column.type} column; the product needs ${c.type}` });
    } else if (c.type === 'Picklist') {
      const { insert, renumber } = insertableOptions(c, column);
      if (renumber.length > 0) plan.manual.push({ what: key(c), reason: `the choice has other option values (${renumber.join('; ')}); renumber them in the maker portal` });
      else if (insert.length > 0) plan.addOptions.push({ column: c, options: insert });
    }
  }
  const keys = await readRequiredKeys(clients.dataverse, req.keys);
  for (const k of req.keys) {
    const tableKeys = keys.get(k.table)!;
    if (tableKeys instanceof ReadFailed) {
      plan.manual.push({ what: keyName(k), reason: unreadable(tableKeys, k.table) });
      continue;
    }
    if (keyOver(tableKeys, k.attributes)) continue;
    // A key needs its columns: those that exist, or that this plan creates.
    const columns = found.get(k.table);
    const lacking = k.attributes.filter((a) => !(columns instanceof Map && columns.has(a)) && !plan.create.some((c) => c.table === k.table && c.logicalName === a));
    if (lacking.length > 0) plan.manual.push({ what: keyName(k), reason: `the key needs the column${lacking.length === 1 ? '' : 's'} ${lacking.join(', ')} first; run setup again once ${lacking.length === 1 ? 'it exists' : 'they exist'}` });
    else plan.createKeys.push(k);
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
    applied.push(outcomeOf(key(c), res));
  }
  for (const { column, options: add } of plan.addOptions) {
    for (const option of add) {
      const res = await clients.dataverse.send({ method: 'POST', url: 'InsertOptionValue', body: insertOptionBody(column, option, options.solution) });
      applied.push(outcomeOf(optionName(column, option), res, 200));
    }
  }
  for (const k of plan.createKeys) {
    const res = await clients.dataverse.send({
      method: 'POST',
      url: `EntityDefinitions(LogicalName='${k.table}')/Keys`,
      body: keyBody(k),
      headers: options.solution ? { 'MSCRM.SolutionUniqueName': options.solution } : {},
    });
    applied.push(outcomeOf(keyName(k), res));
  }
  return { plan, applied };
}

function outcomeOf(what: string, res: { status: number; body: unknown }, success = 204): CreateResult {
  if (res.status === success || res.status === 201) return { what, ok: true };
  const message = (res.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return { what, ok: false, error: `HTTP ${res.status}${typeof message === 'string' ? `: ${message}` : ''}` };
}

/** The outcome as text: the plan, then what was applied. */
export function renderSetup(outcome: SetupOutcome, applying: boolean): string {
  const { plan, applied } = outcome;
  const items = [
    ...plan.create.map((c) => ({ what: key(c), text: `${key(c)} (${c.displayName}, ${c.type}${c.options ? `, options ${c.options.map((o) => o.value).join(', ')}` : ''})` })),
    ...plan.addOptions.flatMap(({ column, options }) => options.map((o) => ({ what: optionName(column, o), text: `option ${o.value} ${o.label} on ${key(column)}` }))),
    ...plan.createKeys.map((k) => ({ what: keyName(k), text: `alternate key ${k.schemaName} on ${keyName(k)}` })),
  ];
  const lines: string[] = [];
  if (items.length === 0) lines.push('Nothing to create: every column and key the configured families need exists.');
  else {
    lines.push(`${applying ? 'Creating' : 'Would create'} ${items.length} item${items.length === 1 ? '' : 's'}:`);
    for (const item of items) {
      const result = applied.find((r) => r.what === item.what);
      const mark = !applying ? '+' : result?.ok ? '✓' : '✗';
      lines.push(`  ${mark} ${item.text}${result && !result.ok ? `: ${result.error}` : ''}`);
    }
  }
  if (plan.manual.length > 0) {
    lines.push('', 'Needs you (setup does not change these):');
    for (const m of plan.manual) lines.push(`  ! ${m.what}: ${m.reason}`);
  }
  if (!applying && items.length > 0) lines.push('', 'Run `vendor-reconciler setup --apply` to create them.');
  if (applying && applied.length > 0 && applied.every((r) => r.ok)) lines.push('', 'Done. Publish customizations if your environment requires it, then run `vendor-reconciler doctor`.');
  return `${lines.join('\n')}\n`;
}
