/**
 * Structured log lines with the telemetry's allow-list: one JSON object per line, an event name and
 * fields. A field leaves only when redact.ts allows its key and its value's shape (ids, codes,
 * closed words, numbers), so a contact's name or email address never reaches the log stream, even
 * when a caller passes one by mistake. Messages are never logged: log the error's code instead.
 *
 * Usage (Functions handlers, `serve`):
 *
 *   import { createLogger, errorFields } from '../telemetry/log.js';
 *   const log = createLogger(context);              // InvocationContext has info/warn/error
 *   log.info('run.started', { runId, trigger: 'timer', mode: 'apply', scopeKind: 'tenant' });
 *   log.warn('run.lock_taken', { runId: holder });
 *   log.error('run.failed', { runId, ...errorFields(err) });
 *
 * writes `{"event":"run.started","runId":"…","trigger":"timer","mode":"apply","scopeKind":"tenant"}`.
 * Field keys allowed: see ALLOWED_STRING_KEYS in redact.ts (strings); any key for numbers and booleans.
 * Event names are dotted lower-case words (`run.finished`); another name is logged as `event.invalid`.
 */
import { errorFields, redact, type SafeValue } from './redact.js';

export { errorFields };

/** Where lines go: console by default, or the Functions InvocationContext (same three methods). */
export interface LogSink {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export type LogFields = Readonly<Record<string, unknown>>;

export interface StructuredLogger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line (e.g. the run id). */
  with(fields: LogFields): StructuredLogger;
}

const EVENT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,3}$/;

const consoleSink: LogSink = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** The line a logger writes: `{"event":…, …allowed fields}`. */
export function logLine(event: string, fields: LogFields = {}): string {
  const safe: Record<string, SafeValue> = { event: EVENT.test(event) ? event : 'event.invalid', ...redact(fields) };
  return JSON.stringify(safe);
}

export function createLogger(sink: LogSink = consoleSink, base: LogFields = {}): StructuredLogger {
  const write = (level: keyof LogSink) => (event: string, fields: LogFields = {}) => {
    sink[level](logLine(event, { ...base, ...fields }));
  };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}
