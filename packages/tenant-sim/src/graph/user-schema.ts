/**
 * The parts of the v1.0 user resource the simulator serves: default properties, selectable
 * properties, $filter support per property, and writable properties with their documented limits.
 * They are data (../../schemas/graph-user.json, which names its sources); this file gives them their
 * types and the lookups the handlers use.
 */
import file from '../../schemas/graph-user.json' with { type: 'json' };

export type FilterKind = 'string' | 'bool' | 'stringCollection' | 'identities' | 'licenses';

export interface FilterSpec {
  kind: FilterKind;
  /** startsWith works by default (filter-directory-objects.md). */
  startsWith?: boolean;
  /** endsWith works with advanced query parameters on mail, otherMails, userPrincipalName and proxyAddresses only. */
  endsWith?: boolean;
}

interface UserSchemaFile {
  defaultProperties: string[];
  selectableProperties: string[];
  filter: Record<string, FilterSpec>;
  writableStrings: Record<string, number>;
  extensionAttributes: { count: number; maxLength: number };
  readOnlyProperties: string[];
}

// The JSON's inferred type has `kind: string`; test/unit/schema-files.test.ts checks the kinds.
const data = file as unknown as UserSchemaFile;

/** Returned without $select (user-list.md). */
export const DEFAULT_USER_PROPS: readonly string[] = data.defaultProperties;

/** Properties $select may name (a subset of user.md: the ones the simulator stores). */
export const SELECTABLE_USER_PROPS: ReadonlySet<string> = new Set([...DEFAULT_USER_PROPS, ...data.selectableProperties]);

/**
 * Properties that support $filter with eq (and so in) by default. ne/not/null need advanced query
 * parameters for every property. Properties not listed here refuse $filter entirely.
 */
export const USER_FILTER: Record<string, FilterSpec> = data.filter;

/** Writable through PATCH /users/{id} (user-update.md) with the maximum lengths of user.md. */
export const WRITABLE_USER_STRINGS: Record<string, number> = data.writableStrings;

/**
 * onPremisesExtensionAttributes (onpremisesextensionattributes.md): extensionAttribute1–15, strings
 * of up to 1,024 characters, writable on cloud-only users. Returned only with $select, as an object
 * holding all fifteen (null when unset).
 */
export const EXTENSION_ATTRIBUTES: readonly string[] = Array.from({ length: data.extensionAttributes.count }, (_, i) => `extensionAttribute${i + 1}`);
export const EXTENSION_ATTRIBUTE_MAX = data.extensionAttributes.maxLength;

export function emptyExtensionAttributes(): Record<string, string | null> {
  return Object.fromEntries(EXTENSION_ATTRIBUTES.map((a) => [a, null]));
}

/** Read-only or computed user properties: PATCH refuses them (user.md marks them read-only). */
export const READ_ONLY_USER_PROPS: ReadonlySet<string> = new Set(data.readOnlyProperties);

const FILTER_BY_LOWER = new Map(Object.keys(USER_FILTER).map((k) => [k.toLowerCase(), k]));

/**
 * Property names in $filter and $select are matched case-insensitively, as Graph does
 * (aad-advanced-queries.md selects `proxyaddresses`). Returns the canonical name and its spec.
 */
export function knownFilterProp(name: string): { name: string; spec: FilterSpec } | undefined {
  const canonical = FILTER_BY_LOWER.get(name.toLowerCase());
  return canonical === undefined ? undefined : { name: canonical, spec: USER_FILTER[canonical]! };
}
