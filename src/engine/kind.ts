/**
 * The kind contract: what one managed object kind of a family provides, so that the core can plan,
 * order, guard, apply and test it without knowing it.
 *
 * A Kind (one module under reconcilers/<family>/) has a name, the change kinds it produces and a
 * pure diff. For a subject's desired and observed state the diff returns the changes that bring the
 * object to the desired state, each with `dependsOn: []`; an object already as desired gives no
 * change. The diff never does I/O and never reads the clock: the same input always gives the same
 * changes, so the dry run and the apply are one plan.
 *
 * Each change kind (a ChangeKindSpec) declares:
 * - `label`: what the report calls it, in an admin's words ("Assign licence");
 * - `runsAfter`: the change kinds of the same subject it waits for when they are planned. The apply
 *   order of all kinds and the dependency table are derived from these (src/engine/kind-order.ts);
 *   a cycle or an unknown kind stops the product at load;
 * - `removal`: whether its changes remove access (the removal threshold guard counts them);
 * - `access` (optional): the values of `before`/`after` that mean access is granted, so the
 *   conformance kit (test/support/describe-kind.ts) can check that a change dropping one of them is
 *   a removal and a removal drops one;
 * - `consumes` (optional): the capacity one change draws (a licence unit of its SKU);
 * - `toRequest(change, createdId, settings)`: the one request that carries the change out, built
 *   from the change's own target and values only (what the dry run shows is what apply sends);
 * - `createdIdOf` (optional): the id of the object a create made, from the service's answer, for the
 *   changes that wait on it (`target.createdBy`);
 * - `alreadyDone` (optional): a refusal that means the change is already so (a create whose
 *   deterministic id exists), over and above the request-level rules of src/clients/already-done.ts;
 * - `findExisting` (optional): right before apply sends a wave's changes of this kind, the objects
 *   that already exist for them, by change id: an id adopts the object instead of sending the
 *   change (an invitation cannot be repeated safely), an error fails the change. Kinds whose create
 *   is safe to repeat (a deterministic id) have none;
 * - `settle` (optional): the object the request asks for is made by the service later, not in its
 *   answer (addUser: Dataverse creates the systemuser seconds after the 200). After each wave, apply
 *   gives the kind its changes of that wave that succeeded; it waits for their objects, bounded, and
 *   returns per change id the object's id (the change's createdId, which its dependents' `createdBy`
 *   resolve to, so they run in the same apply) or the error saying it has not appeared yet (the
 *   change is then recorded failed with it, and its dependents are skipped for the next run);
 * - `effect(model, change, refs)`: what the change does to the family's in-memory model of the
 *   services when the call succeeds, pure (a new model), for the property tests and the kit.
 *
 * A family lists its kinds (Family.kinds, src/engine/family.ts); the engine finds a change's spec
 * by its kind in the registry of the families it was given (src/engine/kind-registry.ts).
 */
import type { DataverseApi, GraphApi, PowerPlatformApi, ServiceRequest, ServiceResponse } from '../clients/types.js';
import { TransientError, type ReconcilerError } from '../model/errors.js';
import type { Change, ChangeKind } from '../model/plan.js';

export type { ServiceRequest, ServiceResponse } from '../clients/types.js';

/** The id a change of this plan created (an invitation's user), once apply knows it. */
export type CreatedId = (changeId: string) => string | undefined;

/** Capacity one change draws: `units` of the pool `pool` (a licence SKU id). */
export interface CapacityUse {
  pool: string;
  units: number;
}

/** What an effect sees of the plan being applied: ids created so far, by the change that made them. */
export interface EffectRefs {
  created: CreatedId;
}

export interface EffectResult<Model> {
  model: Model;
  /** The id of the object this change created, for changes that name it with `createdBy`. */
  createdId?: string;
}

/** The services a kind's look-up before apply may read. */
export interface KindServices {
  graph: GraphApi;
  dataverse: DataverseApi;
  powerPlatform?: PowerPlatformApi;
}

export interface ChangeKindSpec<Settings, Model> {
  kind: ChangeKind;
  label: string;
  runsAfter: readonly ChangeKind[];
  removal: boolean;
  access?: Readonly<Record<string, unknown>>;
  consumes?(change: Change): CapacityUse | null;
  toRequest(change: Change, createdId: CreatedId, settings: Settings): ServiceRequest;
  createdIdOf?(change: Change, response: ServiceResponse): string | undefined;
  alreadyDone?(change: Change, response: ServiceResponse): boolean;
  findExisting?(changes: readonly Change[], services: KindServices, settings: Settings): Promise<Map<string, string | ReconcilerError>>;
  settle?(changes: readonly Change[], services: KindServices, createdId: CreatedId, settings: Settings): Promise<Map<string, string | ReconcilerError>>;
  effect(model: Model, change: Change, refs: EffectRefs): EffectResult<Model>;
}

export interface Kind<Desired, Observed, Settings, Model> {
  /** The managed object kind, as its module is named ("user", "licence", "bookable-resource"). */
  name: string;
  /** The change kinds its diff produces, in the order they are declared (ties of the derived order). */
  changes: readonly ChangeKindSpec<Settings, Model>[];
  diff(desired: Desired, observed: Observed): Change[];
}

/**
 * A value in a change's `after` that is only known once an earlier change of the same plan has run:
 * the id of the object that change creates (ChangeResult.createdId), e.g. the invited user's id that
 * contact.anchor writes on the contact. Same meaning as ChangeTarget.createdBy.
 */
export interface CreatedRef {
  createdBy: string;
}

export function isCreatedRef(value: unknown): value is CreatedRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { createdBy?: unknown }).createdBy === 'string' &&
    Object.keys(value).length === 1
  );
}

function unresolved(changeId: string): TransientError {
  return new TransientError('DEPENDENCY_NOT_CREATED', `The object created by ${changeId} has no id yet.`, 'Nothing to do: the next run retries.');
}

/** A value `{ createdBy: changeId }` stands for the id that change created; anything else is itself. */
export function resolveCreated(value: unknown, createdId: CreatedId): unknown {
  if (value && typeof value === 'object' && 'createdBy' in value) {
    const by = String((value as { createdBy: unknown }).createdBy);
    const id = createdId(by);
    if (!id) throw unresolved(by);
    return id;
  }
  return value;
}

/** The id of the object a change acts on: its own, or the one the change that creates it made. */
export function targetId(change: Change, createdId: CreatedId): string {
  const id = change.target.id ?? (change.target.createdBy ? createdId(change.target.createdBy) : undefined);
  if (!id) throw unresolved(change.target.createdBy ?? change.id);
  return id;
}
