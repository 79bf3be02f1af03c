/**
 * Retrying the parts of a batch that the service throttled, while the envelope itself succeeded.
 *
 * Graph evaluates each request of a JSON $batch against the limits on its own and answers a
 * throttled one with an inner 429 and its own Retry-After, inside a 200 envelope; the client must
 * retry just those, after the largest Retry-After (learn.microsoft.com/graph/json-batching,
 * "Throttling inside a batch"). The Graph
 * SDK's RetryHandler only sees the envelope. Dataverse $batch parts can carry 429/503 the same way
 * with continue-on-error. Only 429 and 503 parts are retried (the service did not do the work); any
 * other part status is a final answer, unless `again` (Graph: replication-policy.ts, a new guest
 * not replicated yet) asks for another try. When attempts run out the last 429/503 is returned as
 * that part's answer, so one throttled part never hides the answers of the others. The same holds
 * when the run deadline (or a failed re-send) stops the retries: the parts that got an answer keep it.
 */
import { sleepWithin, type RunDeadline } from './deadline.js';
import { backoffMs, retryAfterMs } from './retry-after.js';
import type { ServiceResponse } from './types.js';

export interface InnerRetryOptions extends RunDeadline {
  maxAttempts: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Words for the deadline message, e.g. "Microsoft Graph $batch". */
  label: string;
  /**
   * For an answer other than 429/503: the wait before sending that part again, or undefined when it
   * is final. `attempt` counts that part's answers of this kind so far (1 for the first); the hook
   * bounds its own attempts.
   */
  again?: (index: number, response: ServiceResponse, attempt: number) => number | undefined;
}

/**
 * Sends `count` items through `sendRound` (which gets the indices to send and returns their
 * answers in the same order), then re-sends the 429/503 ones until they get a final answer.
 */
export async function withInnerRetries(
  count: number,
  sendRound: (indices: number[]) => Promise<ServiceResponse[]>,
  options: InnerRetryOptions,
): Promise<ServiceResponse[]> {
  const answers: (ServiceResponse | undefined)[] = new Array<ServiceResponse | undefined>(count);
  // Per part: attempts answered 429/503, and attempts `again` asked to repeat. Each kind has its
  // own budget, so waiting for replication never uses up the throttling retries, nor the reverse.
  const throttledAnswers = new Array<number>(count).fill(0);
  const otherAnswers = new Array<number>(count).fill(0);
  let pending = Array.from({ length: count }, (_, i) => i);
  for (let attempt = 1; pending.length > 0; attempt++) {
    let responses: ServiceResponse[];
    try {
      responses = await sendRound(pending);
    } catch (err) {
      // The first round has no answers to keep; later rounds keep the last 429/503 of each part.
      if (attempt === 1) throw err;
      break;
    }
    const again: number[] = [];
    let throttled = 0;
    let wait: number | undefined;
    let otherWait = 0;
    pending.forEach((index, k) => {
      const response = responses[k]!;
      answers[index] = response;
      if (response.status === 429 || response.status === 503) {
        throttledAnswers[index] = (throttledAnswers[index] ?? 0) + 1;
        if (throttledAnswers[index]! >= options.maxAttempts) return;
        again.push(index);
        throttled = Math.max(throttled, throttledAnswers[index]!);
        const asked = retryAfterMs(response.headers);
        if (asked !== undefined) wait = Math.max(wait ?? 0, asked);
        return;
      }
      otherAnswers[index] = (otherAnswers[index] ?? 0) + 1;
      const other = options.again?.(index, response, otherAnswers[index]!);
      if (other === undefined) return;
      again.push(index);
      otherWait = Math.max(otherWait, other);
    });
    if (again.length === 0) break;
    const throttleWait = throttled > 0 ? (wait ?? backoffMs(throttled, options.baseDelayMs ?? 1000, options.maxDelayMs ?? 30_000, options.random)) : 0;
    const delay = Math.max(throttleWait, otherWait);
    try {
      await sleepWithin(delay, options, `it could retry ${again.length} request(s) of a ${options.label}`);
    } catch {
      break; // deadline: the parts to retry keep their last answer (429/503, or the not-yet-replicated 404/400)
    }
    pending = again;
  }
  return answers.map((a) => a!);
}

/** Consecutive groups of at most `size` (batch envelopes). */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
