/**
 * The closed set of errors vendor-reconciler raises.
 *
 * Every error carries a stable `code` (documented in docs/operations.md) and a message that tells the
 * operator what to do. The class says how the engine reacts:
 *
 * - TransientError: a passing fault (5xx, network, eventual consistency). Retry later; the contact is
 *   left as it is and the next run picks it up.
 * - ThrottledError: the service said "slow down" (429, or 503 with Retry-After) and our retries ran out.
 *   Same handling as transient, but counted apart so the operator sees throttling in the report.
 * - ContactError: terminal for one contact (bad email, ambiguous match, email changed). Do not retry
 *   until the input changes; the contact carries the message and the others go on.
 * - ConfigurationError: the deployment is wrong (unknown SKU, missing group, missing permission,
 *   bad setting). Stops the whole run at once with one clear message instead of failing every contact.
 *
 * Like controller-runtime's TerminalError, callers branch on the class (or `retryable`), never on text.
 */

import type { CodeOf, ErrorCode } from './error-codes.js';

export type ErrorClass = 'transient' | 'throttled' | 'contact' | 'configuration';
export type { CodeOf, ErrorCode } from './error-codes.js';

export abstract class ReconcilerError extends Error {
  abstract readonly errorClass: ErrorClass;
  /** Stable, documented code, e.g. `EMAIL_INVALID` (the closed set of src/model/error-codes.ts). */
  readonly code: ErrorCode;
  /** What the operator (or vendor admin) should do about it. */
  readonly action: string;
  /** The HTTP status and service error code that caused it, when there was one. */
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, action: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.action = action;
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  get retryable(): boolean {
    return this.errorClass === 'transient' || this.errorClass === 'throttled';
  }

  toJSON(): { class: ErrorClass; code: string; message: string; action: string } {
    return { class: this.errorClass, code: this.code, message: this.message, action: this.action };
  }
}

export class TransientError extends ReconcilerError {
  readonly errorClass = 'transient' as const;
  constructor(code: CodeOf<'transient'>, message: string, action: string, options?: { cause?: unknown }) {
    super(code, message, action, options);
  }
}

export class ThrottledError extends ReconcilerError {
  readonly errorClass = 'throttled' as const;
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(code: CodeOf<'throttled'>, message: string, action: string, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(code, message, action, options);
    this.retryAfterMs = retryAfterMs;
  }
}

export class ContactError extends ReconcilerError {
  readonly errorClass = 'contact' as const;
  constructor(code: CodeOf<'contact'>, message: string, action: string, options?: { cause?: unknown }) {
    super(code, message, action, options);
  }
}

export class ConfigurationError extends ReconcilerError {
  readonly errorClass = 'configuration' as const;
  constructor(code: CodeOf<'configuration'>, message: string, action: string, options?: { cause?: unknown }) {
    super(code, message, action, options);
  }
}

/** Normalises anything thrown into a ReconcilerError, so reports never show "[object Object]". */
export function asReconcilerError(err: unknown): ReconcilerError {
  if (err instanceof ReconcilerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TransientError(
    'UNEXPECTED',
    `Unexpected error: ${message}`,
    'The next run retries it. If it repeats, open an issue with the run id and this message.',
    { cause: err },
  );
}
