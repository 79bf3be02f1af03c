/**
 * The closed set of error codes, each with the class that raises it. The constructors of
 * src/model/errors.ts accept only these (a ContactError only a contact code, and so on), so a new
 * code is a line here plus a row in docs/operations.md; test/unit/errors/codes-documented.test.ts
 * checks the two against each other in both directions.
 *
 * A code is stable: reports, run records, telemetry and the vendor admins' views key on it. Rename
 * one only with a note in docs/operations.md.
 */
import type { ErrorClass } from './errors.js';

export const ERROR_CODES = {
  // Contact data, found while planning (docs/operations.md "Contact errors found while planning").
  EMAIL_MISSING: 'contact',
  EMAIL_INVALID: 'contact',
  NAME_TOO_LONG: 'contact',
  VALUE_OUT_OF_RANGE: 'contact',
  EMAIL_CHANGED: 'contact',
  AMBIGUOUS_USER: 'contact',
  DUPLICATE_EMAIL: 'contact',
  DUPLICATE_ANCHOR: 'contact',
  USER_TAKEN: 'contact',
  EMAIL_BELONGS_TO_MEMBER: 'contact',
  ANCHOR_NOT_OWNABLE: 'contact',
  ANCHOR_NOT_VERIFIED: 'contact',
  MARK_ATTRIBUTE_IN_USE: 'contact',
  CONTACT_DATA_UNUSABLE: 'contact',
  EMAIL_IN_TENANT_DOMAIN: 'contact',
  ACCOUNT_TYPE_UNKNOWN: 'contact',
  SERVICE_ACCOUNT_NOT_CONFIGURED: 'contact',
  SERVICE_ACCOUNT_VENDOR_MISSING: 'contact',
  SERVICE_ACCOUNT_UPN_TAKEN: 'contact',
  PORTAL_EMAIL_MISSING: 'contact',
  WORKORDER_SUMMARY_TASK: 'contact',
  WORKORDER_PROJECT_NO_CUSTOMER: 'contact',
  WORKORDER_KEY_TAKEN: 'contact',
  NOT_MATCHED: 'contact',
  // Warnings: the contact's other changes still apply.
  CHARACTERISTIC_MISSING: 'contact',
  DUPLICATE_CHARACTERISTIC: 'contact',
  RATING_VALUE_MISSING: 'contact',
  RATING_MODEL_MISMATCH: 'contact',
  COUNTRY_UNKNOWN: 'contact',
  RESOURCE_NAME_SHORTENED: 'contact',
  COORDINATES_INCOMPLETE: 'contact',
  RESOURCE_NOT_OWNED: 'contact',
  SYSTEMUSER_DISABLED: 'contact',
  GROUP_LICENSING_FAILED: 'contact',
  WORKORDER_NEEDS_PERSON: 'contact',
  BOOKING_STATUS_UNMAPPED: 'contact',
  // Refusals while applying one change.
  USAGE_LOCATION_INVALID: 'contact',
  NO_LICENCE_UNITS: 'contact',
  LICENCE_INHERITED: 'contact',
  GUEST_BLOCKED: 'contact',
  GRAPH_REJECTED: 'contact',
  LOOKUP_TARGET_MISSING: 'contact',
  DATAVERSE_VALIDATION: 'contact',
  DATAVERSE_REJECTED: 'contact',
  OBJECT_NOT_FOUND_YET: 'transient',
  DATAVERSE_ROW_GONE: 'transient',
  DATAVERSE_CONCURRENT_EDIT: 'transient',
  DEPENDENCY_NOT_CREATED: 'transient',
  LOOKUP_FAILED: 'transient',
  // Passing faults of the services.
  GRAPH_THROTTLED: 'throttled',
  DATAVERSE_THROTTLED: 'throttled',
  SERVICE_UNAVAILABLE: 'transient',
  NETWORK_ERROR: 'transient',
  UNEXPECTED_ANSWER: 'transient',
  RUN_DEADLINE: 'transient',
  RUN_LOCK_LOST: 'transient',
  SNAPSHOT_CONFLICT: 'transient',
  UNEXPECTED: 'transient',
  // The deployment: the run stops.
  SETTINGS_INVALID: 'configuration',
  AUTHENTICATION_FAILED: 'configuration',
  SKU_NOT_SUBSCRIBED: 'configuration',
  GROUP_NOT_FOUND: 'configuration',
  GROUP_LICENCE_MISSING: 'configuration',
  SERVICE_ACCOUNT_DOMAIN_NOT_VERIFIED: 'configuration',
  SERVICE_ACCOUNT_SKU_NOT_SUBSCRIBED: 'configuration',
  PORTAL_WEBSITE_NOT_FOUND: 'configuration',
  PORTAL_WEB_ROLE_NOT_FOUND: 'configuration',
  PORTAL_WEB_ROLE_AMBIGUOUS: 'configuration',
  PORTAL_SEND_WORKFLOW_NOT_FOUND: 'configuration',
  WORKORDER_TYPE_NOT_FOUND: 'configuration',
  WORKORDER_NO_PRICE_LIST: 'configuration',
  MISSING_PERMISSION: 'configuration',
  DATAVERSE_PRIVILEGE: 'configuration',
  DATAVERSE_SCHEMA: 'configuration',
  STORAGE_NOT_SET: 'configuration',
  NO_FAMILY_CONFIGURED: 'configuration',
  // The command line (docs/cli.md): what a command was asked to do cannot be done as asked.
  SCOPE_NOT_FOUND: 'configuration',
  APPLY_NOT_CONFIRMED: 'configuration',
  SAVED_PLAN_INVALID: 'configuration',
  SAVED_PLAN_STALE: 'configuration',
} as const satisfies Record<string, ErrorClass>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes one class may carry: `CodeOf<'contact'>` is what a ContactError accepts. */
export type CodeOf<C extends ErrorClass> = { [K in ErrorCode]: (typeof ERROR_CODES)[K] extends C ? K : never }[ErrorCode];

/** The codes a guard puts on a change it holds back (`Change.blocked.code`), src/engine/guards/hold.ts. */
export const HOLD_CODES = ['REMOVALS_HELD', 'NO_LICENCE_UNITS', 'QUARANTINED'] as const;
export type HoldCode = (typeof HOLD_CODES)[number];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
