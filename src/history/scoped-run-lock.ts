/**
 * The run lock per scope (issue 15): queue-triggered runs of different vendors go on at once, and
 * none of them overlaps a whole-tenant run or a run of the same vendor or contact.
 *
 * Each scope holds one or more blob leases (run-lock.ts does the lease, its renewal and its loss):
 *
 * | scope                       | leases it holds                         | must find free after taking them |
 * |-----------------------------|-----------------------------------------|----------------------------------|
 * | tenant                      | `run.lock`                              | every blob under `locks/`        |
 * | group (a vendor)            | `locks/group/<family>/<groupId>.lock`   | `run.lock`, `locks/subject/…`    |
 * | subjects (≤ 20 contacts)    | `locks/subject/<family>/<id>.lock` each | `run.lock`, `locks/group/…`      |
 * | subjects (more than 20)     | as the tenant                           | as the tenant                    |
 *
 * Two runs of the same vendor (or sharing a contact) meet on the same lease: the second gets 409.
 * Runs of different levels each take their own lease first and then look for the other's; whichever
 * looks second sees the first's lease, so two conflicting runs never both go on (both may step back
 * when they race, and a queued run is delivered again later: run-queue-handler.ts). A contact run
 * cannot tell its vendor without reading Dataverse, so it waits out every vendor run, and the other
 * way round; a long contact list takes the tenant's lock instead of a lease per contact (every
 * lease is renewed every 20 s). A contact's lock blob is deleted when its run releases it, so the
 * blobs under locks/ stay as few as the runs going on plus one per vendor.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { RunScope } from '../model/plan.js';
import { BlobRunLock, LOCK_BLOB_NAME, LOCK_METADATA_KEY, type AcquireResult, type BlobRunLockOptions, type HeldLock, type RunLock } from './run-lock.js';
import { statusOf } from './storage.js';

export const SCOPE_LOCK_PREFIX = 'locks/';
const GROUP_PREFIX = `${SCOPE_LOCK_PREFIX}group/`;
const SUBJECT_PREFIX = `${SCOPE_LOCK_PREFIX}subject/`;
/** A contact run with more contacts than this takes the tenant's lock. */
export const MAX_SUBJECT_LEASES = 20;

type Exclusion = { blob: string } | { prefix: string };

interface LockPlan {
  leases: string[];
  excludes: Exclusion[];
}

const part = (value: string): string => encodeURIComponent(value.toLowerCase());

export function lockPlan(scope: RunScope): LockPlan {
  if (scope.kind === 'group') {
    return { leases: [`${GROUP_PREFIX}${part(scope.family)}/${part(scope.groupId)}.lock`], excludes: [{ blob: LOCK_BLOB_NAME }, { prefix: SUBJECT_PREFIX }] };
  }
  if (scope.kind === 'subjects' && scope.subjectIds.length <= MAX_SUBJECT_LEASES) {
    // Sorted: two runs over the same contacts try them in the same order.
    const leases = [...new Set(scope.subjectIds.map((id) => `${SUBJECT_PREFIX}${part(scope.family)}/${part(id)}.lock`))].sort();
    return { leases, excludes: [{ blob: LOCK_BLOB_NAME }, { prefix: GROUP_PREFIX }] };
  }
  return { leases: [LOCK_BLOB_NAME], excludes: [{ prefix: SCOPE_LOCK_PREFIX }] };
}

export class ScopedRunLock implements RunLock {
  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobRunLockOptions = {},
  ) {}

  async acquire(runId: string, scope: RunScope = { kind: 'tenant' }): Promise<AcquireResult> {
    const plan = lockPlan(scope);
    const held: HeldLock[] = [];
    try {
      for (const name of plan.leases) {
        const got = await this.lease(name).acquire(runId);
        if (!got.acquired) {
          await releaseAll(held);
          return got;
        }
        held.push(got.lock);
      }
      for (const exclusion of plan.excludes) {
        const other = await this.leasedBy(exclusion);
        if (other !== undefined) {
          await releaseAll(held);
          return { acquired: false, runningRunId: other };
        }
      }
    } catch (err) {
      await releaseAll(held);
      throw err;
    }
    return { acquired: true, lock: combine(runId, held) };
  }

  async holder(scope: RunScope = { kind: 'tenant' }): Promise<string | null> {
    const [first] = lockPlan(scope).leases;
    return first ? this.lease(first).holder() : null;
  }

  private lease(blobName: string): BlobRunLock {
    // Contact locks go with their run: a tenant run lists locks/ and should not page through every contact ever run.
    return new BlobRunLock(this.container, { ...this.options, blobName, ...(blobName.startsWith(SUBJECT_PREFIX) ? { deleteOnRelease: true } : {}) });
  }

  /** The run id (or null when it wrote none yet) holding a lease the exclusion names; undefined when none is held. */
  private async leasedBy(exclusion: Exclusion): Promise<string | null | undefined> {
    if ('blob' in exclusion) {
      try {
        const props = await this.container.getBlockBlobClient(exclusion.blob).getProperties();
        return props.leaseState === 'leased' ? (props.metadata?.[LOCK_METADATA_KEY] ?? null) : undefined;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    }
    for await (const item of this.container.listBlobsFlat({ prefix: exclusion.prefix, includeMetadata: true })) {
      if (item.properties.leaseState === 'leased') return item.metadata?.[LOCK_METADATA_KEY] ?? null;
    }
    return undefined;
  }
}

async function releaseAll(held: readonly HeldLock[]): Promise<void> {
  await Promise.all(held.map((h) => h.release()));
}

/** Several leases as one lock: lost when any is lost, released together. */
function combine(runId: string, held: readonly HeldLock[]): HeldLock {
  const [only] = held;
  if (held.length === 1 && only) return only;
  return {
    runId,
    signal: AbortSignal.any(held.map((h) => h.signal)),
    lostReason: () => held.map((h) => h.lostReason()).find((r) => r !== undefined),
    release: () => releaseAll(held),
  };
}
