/**
 * Package family: what a family of managed object kinds gives the reconcile core.
 *
 * A family is one scenario the product reconciles (vendor technicians today; member service
 * accounts, portal access and work orders next). The core runs one loop for all of them:
 *
 *	observe (one Observation for every family) → for each configured family: check its
 *	configuration, plan its subjects (desired → match → diff) → merge the families' plans into one
 *	Plan → wire and order the changes → guards once over the merged plan → one apply → for each
 *	family: write its subjects' statuses back.
 *
 * A family must provide:
 *
 *   - name: stable, lower case; it is the `family` of every Subject it plans and the key of its
 *     settings (Settings.families[name]).
 *   - tables: the declarations of the tables it reads (src/engine/tables/table.ts). The core reads
 *     the union of every configured family's tables once (src/engine/tables/registry.ts unionTables);
 *     two families declaring the same table share one read, and each keeps its own rows (rowsFor).
 *   - kinds: its managed object kinds (src/engine/kind.ts). The kind registry derives the apply
 *     order, the dependency table and the removal kinds from every family's kinds
 *     (src/engine/kind-registry.ts), so the core never imports a family's kinds itself.
 *   - observe: its part of the Observation from the union read's rows, plus the reads that depend
 *     on them (lookups by id or email). It gets the rows as a promise, so reads that need no rows
 *     start at once, beside the table reads.
 *   - incremental (optional): the same observation from delta tokens and a saved snapshot. The
 *     core reads the union's tables once, one token per table, and merges each change-tracked
 *     table's changes into the family's own rows; the family adds its own tokens and lookups
 *     (src/engine/incremental/family-reads.ts).
 *   - settingsOf: its settings from the validated app settings (src/config.ts parses and validates
 *     every family's settings in one place); null means the family is off and is not called at all.
 *   - checkConfiguration: throws the ConfigurationError that stops the family when the tenant lacks
 *     what its settings name (a SKU not subscribed, a group that does not exist). Called before plan.
 *     The family then plans nothing and the plan lists it in `stoppedFamilies`; the other families
 *     go on, and only when every configured family fails does the run stop (src/engine/plan.ts).
 *   - plan: a pure function of the observation, its settings and the scope. It returns its subjects
 *     (one SubjectPlan per source row it looked at, in id order), their changes with `dependsOn`
 *     empty (the core wires them: src/engine/plan.ts), the orphans it found, and the licence SKUs
 *     it draws on (so the summary lists a SKU even when nothing is assigned this run), and its tallies
 *     if it counts anything for the report (values in use, e.g. information-barrier segments). A problem of
 *     one subject becomes that subject's error; plan never throws for one row's data.
 *   - statusWrites: the requests that write each subject's final status back on its source row,
 *     only where it differs from the stored one (a converged tenant costs no write).
 *   - withAccess: how many subjects have access today (the removal threshold's percentage base).
 *   - createdAt: when each subject's source row was created (the licence guard serves the oldest first).
 *
 * The core guarantees to a family: it is called once per run with the whole observation, whatever
 * the scope (so duplicates are judged tenant-wide); the same observation and settings always give
 * the same plan; the dry run and the apply execute the same plan; guards see every family's changes
 * at once (two families drawing units of one SKU are counted together).
 */
import type { ServiceRequest } from '../clients/types.js';
import type { Settings } from '../config.js';
import type { Observation } from '../model/observation.js';
import type { Change, GroupName, LicenceSummary, Orphan, RunScope, SubjectPlan, Tally } from '../model/plan.js';
import type { SubjectKey } from '../model/run.js';
import type { Kind } from './kind.js';
import type { IncrementalReads } from './incremental/family-reads.js';
import type { FinalStatus } from './status.js';
import type { TableServices } from './tables/read.js';
import type { Table, TableRows } from './tables/table.js';

/**
 * A kind as the core sees it: its diff's inputs are the family's own business (method parameters
 * are bivariant, so a family's typed kinds fit), its requests get the validated settings, and its
 * effects act on the Observation (the core's fields plus each family's: src/model/observation.ts).
 */
export type FamilyKind = Kind<unknown, unknown, Settings, Observation>;

/**
 * The fields of the Observation one family fills. The Observation is still one technicians-shaped
 * type; a family fills its own fields and the core starts from an empty observation, so a family
 * that is off leaves its fields empty.
 */
export type ObservationPart = Partial<Omit<Observation, 'observedAt'>>;

/** One family's part of a plan, before the core merges, wires and orders it. */
export interface FamilyPlan {
  changes: Change[];
  subjects: SubjectPlan[];
  orphans: Orphan[];
  /** Every SKU the family draws on, with the units this plan assigns and the units free. */
  licences: LicenceSummary[];
  /** What the family counts for the report (src/model/plan.ts Tally); absent: none. */
  tallies?: Tally[];
  /** The names of groups its changes name by id, where it read them (src/model/plan.ts GroupName); absent: none. */
  groups?: GroupName[];
}

export interface Family<S = unknown> {
  readonly name: string;
  readonly tables: readonly Table[];
  readonly kinds: readonly FamilyKind[];
  settingsOf(settings: Settings): S | null;
  /** `rows`: the union read of every configured family's tables, keyed by table name. */
  observe(rows: Promise<TableRows>, services: TableServices, settings: S, core: Settings): Promise<ObservationPart>;
  /** Its reads for the incremental observer (src/engine/incremental/family-reads.ts); absent: bulk reads only. */
  readonly incremental?: IncrementalReads<S>;
  checkConfiguration(observation: Observation, settings: S, core: Settings): void;
  plan(observation: Observation, settings: S, core: Settings, scope: RunScope): FamilyPlan;
  /** `statuses` is keyed by SubjectKey (`${family}/${id}`, src/model/run.ts), not by the bare id. */
  statusWrites(subjects: readonly SubjectPlan[], statuses: ReadonlyMap<SubjectKey, FinalStatus>): ServiceRequest[];
  withAccess(observation: Observation, settings: S): number;
  /** A lookup built once per guard run: subject id → its source row's creation time (ISO), or null. */
  createdAt(observation: Observation): (subjectId: string) => string | null;
}

/** A family that is on, with its settings: what the engine and the guards loop over. */
export interface ConfiguredFamily {
  readonly family: Family;
  readonly settings: unknown;
}

/**
 * The families whose settings are present, in the order given. Erasing S here is safe: a family
 * is only ever called with the settings its own settingsOf returned.
 */
export function configuredFamilies(settings: Settings, families: readonly Family[]): ConfiguredFamily[] {
  const out: ConfiguredFamily[] = [];
  for (const family of families) {
    const own = family.settingsOf(settings);
    if (own !== null) out.push({ family, settings: own });
  }
  return out;
}

/** Whether a scope names this family (a tenant scope names every family). */
export function scopeIncludes(scope: RunScope, family: string): boolean {
  return scope.kind === 'tenant' || scope.family === family;
}
