/**
 * The allow-list every value passes before it leaves the process in telemetry or logs.
 *
 * Contacts carry names and email addresses, and so do error messages ("2 Entra users have the email
 * alice@contoso.com"), change reasons and before/after values. None of that may reach Application
 * Insights or the log stream. So nothing is sent by default: a value leaves only when its key is on
 * the list below and the value has the shape that key allows (a GUID, a code, a word from a closed
 * set, a number). Everything else is dropped, and any string with an `@` is dropped whatever its key.
 * Error messages are never sent; their codes are (docs/operations.md explains each code).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A stable error code: `EMAIL_INVALID`, `SKU_NOT_SUBSCRIBED`, `ECONNRESET`. */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** A token our own code makes (run ids, function names, routes): no spaces, no `@`. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.:/{}-]{0,79}$/;
/** A change id: `<contactId>/<kind>` plus `/<key>` where the key is an id. */
const CHANGE_ID = /^[0-9a-f-]{36}\/[a-z]+\.[a-z]+(\/[0-9a-f-]{36})?$/i;
/** Keys of numbers: measurements and counts. */
const NUMBER_KEY = /^[A-Za-z][A-Za-z0-9_.]{0,79}$/;

type Check = (value: string) => boolean;

const oneOf =
  (...values: string[]): Check =>
  (value) =>
    values.includes(value);
const isGuid: Check = (v) => GUID.test(v);
const isCode: Check = (v) => CODE.test(v);
const isToken: Check = (v) => TOKEN.test(v);

/** Every string key that may leave, and the shape its value must have. */
export const ALLOWED_STRING_KEYS: Readonly<Record<string, Check>> = {
  runId: (v) => isGuid(v) || isToken(v),
  contactId: isGuid,
  vendorId: isGuid,
  userId: isGuid,
  groupId: isGuid,
  licenceSkuId: isGuid,
  licenceSkuIds: (v) => v.split(',').every(isGuid),
  invocationId: isGuid,
  changeId: (v) => CHANGE_ID.test(v),
  trigger: oneOf('timer', 'manual', 'cli', 'webhook', 'follow-up'),
  mode: oneOf('apply', 'dry-run'),
  scopeKind: oneOf('tenant', 'vendor', 'contacts'),
  outcome: oneOf('succeeded', 'partial', 'failed', 'stopped', 'applied', 'skipped', 'blocked', 'not_reached'),
  status: oneOf('pending', 'invited', 'waiting_for_dataverse_user', 'active', 'deprovisioned', 'removal_blocked', 'no_licence_units', 'error', 'quarantined', 'out_of_scope'),
  kind: (v) => /^[a-z]+\.[a-z]+$/.test(v),
  errorClass: oneOf('transient', 'throttled', 'contact', 'configuration'),
  errorName: (v) => /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(v),
  errorCode: isCode,
  code: isCode,
  errorCodes: (v) => /^(\{\}|\{("[A-Z][A-Z0-9_]{1,63}":\d+,?)+\})$/.test(v),
  service: oneOf('graph', 'dataverse', 'storage'),
  method: oneOf('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
  format: oneOf('html', 'json', 'markdown', 'csv', 'text'),
  function: isToken,
  route: isToken,
  lease: oneOf('acquired', 'taken', 'released', 'lost'),
};

export type SafeValue = string | number | boolean;
export type SafeFields = Record<string, SafeValue>;

/** The value as it may leave, or undefined when it may not. */
export function safeValue(key: string, value: unknown): SafeValue | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && NUMBER_KEY.test(key) ? value : undefined;
  if (typeof value === 'boolean') return NUMBER_KEY.test(key) ? value : undefined;
  if (typeof value !== 'string' || value.includes('@')) return undefined;
  const check = Object.hasOwn(ALLOWED_STRING_KEYS, key) ? ALLOWED_STRING_KEYS[key] : undefined;
  return check?.(value) ? value : undefined;
}

/** Keeps the allowed fields, drops the rest (the caller never learns a dropped value). */
export function redact(fields: Readonly<Record<string, unknown>> | undefined): SafeFields {
  const out: SafeFields = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    const safe = safeValue(key, value);
    if (safe !== undefined) out[key] = safe;
  }
  return out;
}

/** String-only fields (Application Insights properties / customDimensions). */
export function redactProperties(fields: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(redact(fields))) if (typeof value === 'string') out[key] = value;
  return out;
}

/** Number-only fields (Application Insights measurements / customMeasurements). */
export function redactMeasurements(fields: Readonly<Record<string, unknown>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(redact(fields))) if (typeof value === 'number') out[key] = value;
  return out;
}

/** What an error may say about itself: its class name and code, never its message. */
export function errorFields(err: unknown): { errorName: string; errorCode: string; errorClass?: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown; errorClass?: unknown };
  const name = typeof e.name === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(e.name) ? e.name : 'Error';
  const code = typeof e.code === 'string' && CODE.test(e.code) ? e.code : 'UNEXPECTED';
  const errorClass = typeof e.errorClass === 'string' ? safeValue('errorClass', e.errorClass) : undefined;
  return { errorName: name, errorCode: code, ...(typeof errorClass === 'string' ? { errorClass } : {}) };
}

/**
 * A copy of the error fit to send: its name, its code as the message, and the stack frames (file
 * paths and function names). The original message is gone, and so is its first stack line, which
 * repeats it.
 */
export function sanitisedError(err: unknown): Error {
  const { errorName, errorCode } = errorFields(err);
  const safe = new Error(errorCode);
  safe.name = errorName;
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line) && !line.includes('@'));
  safe.stack = [`${errorName}: ${errorCode}`, ...frames].join('\n');
  return safe;
}

/**
 * A URL fit to send as a dependency's data: origin and path only. The query is dropped (Graph
 * filters carry email addresses), and a path segment that is not a plain word or `name(id)` is
 * replaced, so an alternate key such as `contacts(emailaddress1='a@b')` never leaves.
 */
export function safeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid url)';
  }
  const segments = url.pathname.split('/').map((s) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return ':redacted';
    }
    return /^[A-Za-z0-9_.$-]*$/.test(decoded) || /^[A-Za-z0-9_.]+\([0-9a-fA-F-]{36}\)$/.test(decoded) ? s : ':redacted';
  });
  return `${url.protocol}//${url.host}${segments.join('/')}`;
}

/** A dependency's name: the method and path with ids replaced, so calls group by operation. */
export function dependencyName(method: string, raw: string): string {
  const safe = safeUrl(raw);
  let path = safe;
  try {
    path = new URL(safe).pathname;
  } catch {
    // keep the placeholder
  }
  const m = safeValue('method', method.toUpperCase()) ?? 'HTTP';
  return `${m} ${path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')}`;
}
