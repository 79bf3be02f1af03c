/**
 * The tables of every configured family, read once for the incremental observer (observer.ts,
 * docs/incremental.md): the union of the families' declarations (src/engine/tables/registry.ts), so
 * a table two families declare costs one read and one delta token, named after the table.
 *
 * - Full read: the Graph delta tables' `$deltatoken=latest` tokens first (openTableTokens), then
 *   every table whole (readWhole: a change-tracked table with its token and the union's filter
 *   applied on the client, any other by the bulk read).
 * - Incremental read: each tracked table's saved token followed once and each `full` table read
 *   again (followTables); then, for each family, the changes of every change-tracked table it
 *   declares merged into its own rows of it with its own declaration's key and filter (roundFor).
 *   Delta tables are passed on as raw changes: their merge is the declaring family's
 *   (family-reads.ts says why).
 */
import type { Family } from '../family.js';
import { listTable, type TableServices } from '../tables/read.js';
import { trackedTables } from '../tables/registry.js';
import { rowPredicate, type Table } from '../tables/table.js';
import type { IncrementalReads, Refusal, SharedRound } from './family-reads.js';
import { mergeRows } from './merge.js';
import type { DeltaTokens, Snapshot } from './snapshot-store.js';
import { mustRound, openingUrl, readWhole, tableRound, withParam, type RoundResult } from './tracked-read.js';

/** The Graph delta tables' tokens, taken before the tables are read: a change made meanwhile comes again. */
export async function openTableTokens(services: TableServices, tables: readonly Table[]): Promise<DeltaTokens> {
  const deltas = tables.filter((t) => t.mode === 'delta');
  const rounds = await Promise.all(deltas.map(async (t) => mustRound(await tableRound(services, t, withParam(openingUrl(t), '$deltatoken=latest'), false))));
  return Object.fromEntries(deltas.map((t, i) => [t.name, rounds[i]!.deltaLink]));
}

/** Every table whole, and the tokens of the change-tracked ones. */
export async function readAllWhole(services: TableServices, tables: readonly Table[]): Promise<{ rows: Map<string, object[]>; tokens: DeltaTokens }> {
  const whole = await Promise.all(tables.map((t) => readWhole(services, t)));
  const tokens: DeltaTokens = {};
  tables.forEach((t, i) => {
    const token = whole[i]?.token;
    if (token !== undefined) tokens[t.name] = token;
  });
  return { rows: new Map(tables.map((t, i) => [t.name, whole[i]?.rows ?? []])), tokens };
}

/** The first tracked table the snapshot has no token for, or null. */
export function missingToken(tables: readonly Table[], tokens: DeltaTokens): string | null {
  return trackedTables(tables).find((t) => typeof tokens[t.name] !== 'string')?.name ?? null;
}

/** One incremental round of the union: each tracked table's answer, each `full` table's rows. */
export interface TablesRound {
  tracked: readonly { table: Table; result: RoundResult<unknown> }[];
  full: ReadonlyMap<string, object[]>;
}

/** Follows every tracked table's saved token once and reads the `full` tables again, all at once. */
export async function followTables(services: TableServices, tables: readonly Table[], tokens: DeltaTokens): Promise<TablesRound> {
  const tracked = trackedTables(tables);
  const full = tables.filter((t) => t.mode === 'full');
  const [results, fullRows] = await Promise.all([
    Promise.all(tracked.map((t) => tableRound<unknown>(services, t, tokens[t.name] as string, true))),
    Promise.all(full.map((t) => listTable(services, t))),
  ]);
  return { tracked: tracked.map((table, i) => ({ table, result: results[i]! })), full: new Map(full.map((t, i) => [t.name, fullRows[i] ?? []])) };
}

/** The refused tokens of a round, in table order. */
export function refusals(round: TablesRound): Refusal[] {
  const out: Refusal[] = [];
  for (const { table, result } of round.tracked) {
    if (!result.ok) out.push({ table: table.name, mode: table.mode === 'delta' ? 'delta' : 'change-tracked', reason: result.reason });
  }
  return out;
}

/** The new tokens of a round every token of which was accepted. */
export function roundTokens(round: TablesRound): DeltaTokens {
  const tokens: DeltaTokens = {};
  for (const { table, result } of round.tracked) if (result.ok) tokens[table.name] = result.round.deltaLink;
  return tokens;
}

/**
 * The round as one family sees it: its rows of each change-tracked table it declares, from the
 * snapshot with the changes merged by its own key and filter (so a family with a narrower filter
 * than the union keeps only its rows); its rows of each `full` table (the union's rows its filter
 * keeps); every tracked table's raw changes.
 */
export function roundFor(round: TablesRound, family: Family, reads: IncrementalReads<unknown>, snapshot: Snapshot): SharedRound {
  const refused = refusals(round);
  if (refused.length > 0) return { ok: false, refused };
  const rows = new Map<string, readonly object[]>();
  const changes = new Map<string, readonly unknown[]>();
  for (const { table, result } of round.tracked) if (result.ok) changes.set(table.name, result.round.items);
  const before = reads.snapshotRows(snapshot);
  for (const own of family.tables) {
    const full = round.full.get(own.name);
    if (full) rows.set(own.name, full.filter(rowPredicate(own.filter)));
    if (own.mode !== 'change-tracked') continue;
    const stored = before.get(own.name);
    if (!stored) throw new Error(`the ${family.name} family kept no ${own.name} rows in the snapshot`);
    rows.set(own.name, mergeRows([...stored], [...(changes.get(own.name) ?? [])], own.key, rowPredicate(own.filter)));
  }
  return { ok: true, rows, changes };
}
