/**
 * The run deadline, as the clients see it: an epoch-ms limit and/or an AbortSignal (the run lock was
 * lost, the host is shutting down). No request starts and no retry waits past it; the client rejects
 * with TransientError RUN_DEADLINE, so the engine stops cleanly and the next run continues.
 */
import { TransientError } from '../model/errors.js';

export interface RunDeadline {
  /** Epoch ms. */
  deadline?: number;
  signal?: AbortSignal;
}

export function deadlineError(before: string): TransientError {
  return new TransientError(
    'RUN_DEADLINE',
    `The run reached its deadline before ${before}; the next run continues.`,
    'Nothing to do: the next run picks up where this one stopped. If runs keep stopping here, give them more time or run them more often.',
  );
}

/** Throws RUN_DEADLINE when the deadline has passed or the signal fired. */
export function checkDeadline(run: RunDeadline, before: string): void {
  if (run.signal?.aborted || (run.deadline !== undefined && Date.now() >= run.deadline)) throw deadlineError(before);
}

/**
 * Waits `ms`, unless the wait would end past the deadline (rejects at once, never sleeps in vain) or
 * the signal fires meanwhile (rejects then).
 */
export function sleepWithin(ms: number, run: RunDeadline, before: string): Promise<void> {
  checkDeadline(run, before);
  if (run.deadline !== undefined && Date.now() + ms > run.deadline) return Promise.reject(deadlineError(before));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(deadlineError(before));
    };
    const timer = setTimeout(() => {
      run.signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    run.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
