/**
 * Per-request context of the Dataverse handler, and the undo journal that makes a $batch change set
 * atomic: every write made inside a change set records the row's previous state, and a failing
 * change set restores them in reverse order.
 *
 * A change-set part reaches the handler through SimContext.dispatchInner (so the core logs it as an
 * inner request); the batch module registers the part's journal and Content-ID table under the very
 * request object it dispatches, and the handler looks them up here.
 */
import type { DataverseStore, Row } from '../dataverse-store.js';
import type { SimContext, SimRequest } from '../types.js';

export interface UndoEntry {
  set: string;
  id: string;
  row: Row | undefined;
  version: number;
}

export class Journal {
  private readonly entries: UndoEntry[] = [];

  constructor(private readonly store: DataverseStore) {}

  /** Call before writing `set(id)`. */
  record(set: string, id: string): void {
    const row = this.store.get(set, id);
    this.entries.push({ set, id, row: row ? { ...row } : undefined, version: this.store.version(set, id) });
  }

  rollback(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      this.store.restore(e.set, e.id, e.row, e.version);
    }
    this.entries.length = 0;
  }
}

export interface ChangeSetScope {
  journal: Journal;
  /** Content-ID → absolute URL of the row that part created or addressed. */
  contentIds: Map<string, string>;
  /** Absolute URL of the row the last write in this scope created or changed. */
  lastEntityUrl: string | null;
}

const scopes = new WeakMap<SimRequest, ChangeSetScope>();

export function attachScope(request: SimRequest, scope: ChangeSetScope): void {
  scopes.set(request, scope);
}

export interface DvContext {
  store: DataverseStore;
  /** dataverseUrl + '/api/data/v9.2/' */
  root: string;
  sim: SimContext;
  /** Set for a request inside a change set. */
  scope: ChangeSetScope | null;
  /** The calling app's client id (the token's `appid`): whose application user writes (ownership.ts). */
  appId: string;
}

export function dvContext(request: SimRequest, sim: SimContext): DvContext {
  return { store: sim.state.dataverse, root: `${sim.dataverseUrl}/api/data/v9.2/`, sim, scope: scopes.get(request) ?? null, appId: request.claims.appid };
}
