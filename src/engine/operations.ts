/**
 * From a planned Change to the one request that carries it out, and back from the service's answer
 * to an outcome: generic dispatch to the change's kind (the run's src/engine/kind-registry.ts), which builds
 * the request from the change's own target and `after` values, so what the dry run showed is exactly
 * what apply sends. docs/plan-format.md lists each kind with its request.
 */
import { classify } from '../clients/classify.js';
import type { DataverseApi, GraphApi, PowerPlatformApi, ServiceRequest, ServiceResponse } from '../clients/types.js';
import type { Settings } from '../config.js';
import type { ReconcilerError } from '../model/errors.js';
import type { Change, ChangeKind } from '../model/plan.js';
import type { ApplyDeps } from './apply.js';
import type { CreatedId } from './kind.js';
import type { KindRegistry } from './kind-registry.js';

export function toRequest(change: Change, createdId: CreatedId, settings: Settings, kinds: KindRegistry): ServiceRequest {
  return kinds.spec(change.kind).toRequest(change, createdId, settings);
}

export function createApplyDeps(
  settings: Settings,
  graph: GraphApi,
  dataverse: DataverseApi,
  kinds: KindRegistry,
  powerPlatform?: PowerPlatformApi,
): Omit<ApplyDeps, 'deadline' | 'now'> {
  const services = { graph, dataverse, ...(powerPlatform ? { powerPlatform } : {}) };
  return {
    ...services,
    toRequest: (change, createdId) => toRequest(change, createdId, settings, kinds),
    createdIdOf: (change: Change, response: ServiceResponse) => kinds.spec(change.kind).createdIdOf?.(change, response),
    errorOf: (change, request, response) => {
      const error = classify(change.target.service, request, response);
      // Beyond the request-level rules (src/clients/already-done.ts), a kind may know a refusal that
      // means "already so": a create whose deterministic id exists was done by an interrupted run.
      if (error && kinds.spec(change.kind).alreadyDone?.(change, response)) return null;
      return error;
    },
    // Each kind that can tell what already exists (ChangeKindSpec.findExisting) looks its own changes up.
    looksUp: (change) => kinds.spec(change.kind).findExisting !== undefined,
    findExisting: async (changes) => {
      const byKind = new Map<ChangeKind, Change[]>();
      for (const c of changes) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
      const out = new Map<string, string | ReconcilerError>();
      for (const [kind, changes] of byKind) {
        const found = await kinds.spec(kind).findExisting?.(changes, services, settings);
        for (const [id, hit] of found ?? []) out.set(id, hit);
      }
      return out;
    },
    // Each kind whose object the service makes after answering (ChangeKindSpec.settle) waits for its own.
    settles: (change) => kinds.spec(change.kind).settle !== undefined,
    settle: async (changes, createdId) => {
      const byKind = new Map<ChangeKind, Change[]>();
      for (const c of changes) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
      const settled = await Promise.all([...byKind].map(([kind, own]) => kinds.spec(kind).settle?.(own, services, createdId, settings)));
      return new Map(settled.flatMap((m) => [...(m ?? [])]));
    },
  };
}
