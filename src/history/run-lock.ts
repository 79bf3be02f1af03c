/**
 * The run lock: a blob lease on vendor-reconciler/run.lock in the app's storage account, so a timer
 * run and a manual run never overlap (the timer trigger's own singleton lock does not cover the
 * HTTP trigger). The holder writes its run id into the blob's metadata, so a run that finds the
 * lease taken can say which run holds it. The lease lasts `leaseSeconds` (60 by default, Azure's
 * longest finite lease) and is renewed every `renewEveryMs` (20 s) while the run holds it: if the
 * process dies, the lease expires within a minute and the next run takes it. When a renewal fails
 * (someone broke the lease, storage unreachable past the lease), the lock is lost: `signal` fires
 * and the run stops (the clients reject every request after it with RUN_DEADLINE).
 */
import { randomUUID } from 'node:crypto';
import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { RunScope } from '../model/plan.js';
import { ensureContainer, statusOf } from './storage.js';

export const LOCK_BLOB_NAME = 'run.lock';
/** The holder's run id, in the lock blob's metadata. */
export const LOCK_METADATA_KEY = 'runid';
const METADATA_KEY = LOCK_METADATA_KEY;

export interface HeldLock {
  runId: string;
  /** Fires when the lock is lost; the run must stop. */
  signal: AbortSignal;
  /** Why the lock was lost, once it was. */
  lostReason(): string | undefined;
  /** Gives the lock back (never throws; an unreleased lease expires on its own). */
  release(): Promise<void>;
}

export type AcquireResult = { acquired: true; lock: HeldLock } | { acquired: false; runningRunId: string | null };

export interface RunLock {
  /** `scope`: the run's (scoped-run-lock.ts); a single-blob lock ignores it. Default: the tenant. */
  acquire(runId: string, scope?: RunScope): Promise<AcquireResult>;
  /** The run id holding the lock of `scope` now, or null when it is free. */
  holder(scope?: RunScope): Promise<string | null>;
}

export interface BlobRunLockOptions {
  leaseSeconds?: number;
  renewEveryMs?: number;
  /** Told when a renewal or a release fails (no names or emails: only run ids and storage errors). */
  onProblem?: (message: string) => void;
  /** The lease blob; default run.lock (the tenant's lock). scoped-run-lock.ts names the others. */
  blobName?: string;
  /**
   * Delete the blob on release (with the lease id, so only while this run still holds it): for the
   * per-contact locks, which would otherwise pile up one blob per contact ever run.
   */
  deleteOnRelease?: boolean;
}

export class BlobRunLock implements RunLock {
  private readonly blob: BlockBlobClient;
  private readonly leaseSeconds: number;
  private readonly renewEveryMs: number;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobRunLockOptions = {},
  ) {
    this.blob = container.getBlockBlobClient(options.blobName ?? LOCK_BLOB_NAME);
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.renewEveryMs = options.renewEveryMs ?? 20_000;
  }

  async acquire(runId: string): Promise<AcquireResult> {
    const lease = this.blob.getBlobLeaseClient(randomUUID());
    // Twice at most: a blob deleted on release (deleteOnRelease) between our create and our lease is created again.
    for (let attempt = 0; ; attempt++) {
      await this.ensureBlob();
      try {
        await lease.acquireLease(this.leaseSeconds);
        break;
      } catch (err) {
        if (statusOf(err) === 404 && attempt === 0) continue;
        if (statusOf(err) !== 409) throw err;
        return { acquired: false, runningRunId: await this.holderOfTakenLease() };
      }
    }
    try {
      await this.blob.setMetadata({ [METADATA_KEY]: runId }, { conditions: { leaseId: lease.leaseId } });
    } catch (err) {
      await lease.releaseLease().catch(() => undefined);
      throw err;
    }
    return { acquired: true, lock: this.hold(runId, lease) };
  }

  async holder(): Promise<string | null> {
    try {
      const props = await this.blob.getProperties();
      return props.leaseState === 'leased' ? (props.metadata?.[METADATA_KEY] ?? null) : null;
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  private hold(runId: string, lease: BlobLeaseClient): HeldLock {
    const controller = new AbortController();
    let lost: string | undefined;
    let released = false;
    const timer = setInterval(() => {
      lease.renewLease().catch((err: unknown) => {
        if (released || lost) return;
        lost = `the run lock's lease could not be renewed (${describe(err)})`;
        clearInterval(timer);
        this.options.onProblem?.(`run ${runId}: ${lost}; the run stops`);
        controller.abort(new Error(lost));
      });
    }, this.renewEveryMs);
    timer.unref();
    return {
      runId,
      signal: controller.signal,
      lostReason: () => lost,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        if (lost) return;
        try {
          if (this.options.deleteOnRelease) {
            await this.blob.delete({ conditions: { leaseId: lease.leaseId } });
          } else {
            await this.blob.setMetadata({}, { conditions: { leaseId: lease.leaseId } });
            await lease.releaseLease();
          }
        } catch (err) {
          this.options.onProblem?.(`run ${runId}: the run lock could not be released (${describe(err)}); it expires within ${this.leaseSeconds} s`);
        }
      },
    };
  }

  /** The lock blob exists from the first run on; creating it never touches a leased blob. */
  private async ensureBlob(): Promise<void> {
    await ensureContainer(this.container);
    try {
      await this.blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (err) {
      const status = statusOf(err);
      if (status !== 409 && status !== 412) throw err;
    }
  }

  /**
   * The holder writes its id right after it takes the lease; a reader that comes in between sees
   * no id yet, so it looks again briefly before answering "unknown".
   */
  private async holderOfTakenLease(): Promise<string | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = await this.holder();
      if (id) return id;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }
}

function describe(err: unknown): string {
  const status = statusOf(err);
  const code = (err as { code?: unknown } | null)?.code;
  return [status, typeof code === 'string' ? code : undefined].filter((x) => x !== undefined).join(' ') || (err instanceof Error ? err.message : String(err));
}
