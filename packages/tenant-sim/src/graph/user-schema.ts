/**
 * The parts of the v1.0 user resource the simulator serves (resources/user.md, CSDL v1.0-Prod,
 * includes/filter-directory-objects.md): default properties, selectable properties, $filter
 * support per property, and writable properties with their documented limits.
 */

/** Returned without $select (user-list.md, facts §1.2). */
export const DEFAULT_USER_PROPS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Properties $select may name (a subset of user.md: the ones the simulator stores). */
export const SELECTABLE_USER_PROPS: ReadonlySet<string> = new Set([
  ...DEFAULT_USER_PROPS,
  'accountEnabled',
  'assignedLicenses',
  'city',
  'companyName',
  'country',
  'createdDateTime',
  'creationType',
  'department',
  'employeeId',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'identities',
  'licenseAssignmentStates',
  'mailNickname',
  'onPremisesExtensionAttributes',
  'otherMails',
  'proxyAddresses',
  'state',
  'usageLocation',
  'userType',
]);

export type FilterKind = 'string' | 'bool' | 'stringCollection' | 'identities' | 'licenses';

export interface FilterSpec {
  kind: FilterKind;
  /** startsWith works by default (filter-directory-objects.md). */
  startsWith?: boolean;
  /** endsWith works with advanced query parameters on mail, otherMails, userPrincipalName and proxyAddresses only. */
  endsWith?: boolean;
}

/**
 * Properties that support $filter with eq (and so in) by default. ne/not/null need advanced query
 * parameters for every property. Properties not listed here refuse $filter entirely.
 */
export const USER_FILTER: Record<string, FilterSpec> = {
  id: { kind: 'string' },
  userPrincipalName: { kind: 'string', startsWith: true, endsWith: true },
  mail: { kind: 'string', startsWith: true, endsWith: true },
  mailNickname: { kind: 'string', startsWith: true },
  displayName: { kind: 'string', startsWith: true },
  givenName: { kind: 'string', startsWith: true },
  surname: { kind: 'string', startsWith: true },
  userType: { kind: 'string' },
  creationType: { kind: 'string' },
  externalUserState: { kind: 'string' },
  accountEnabled: { kind: 'bool' },
  usageLocation: { kind: 'string', startsWith: true },
  jobTitle: { kind: 'string' },
  department: { kind: 'string', startsWith: true },
  city: { kind: 'string', startsWith: true },
  country: { kind: 'string', startsWith: true },
  state: { kind: 'string', startsWith: true },
  employeeId: { kind: 'string', startsWith: true },
  otherMails: { kind: 'stringCollection', startsWith: true, endsWith: true },
  proxyAddresses: { kind: 'stringCollection', startsWith: true, endsWith: true },
  businessPhones: { kind: 'stringCollection' },
  identities: { kind: 'identities' },
  assignedLicenses: { kind: 'licenses' },
};

/** Writable through PATCH /users/{id} (user-update.md) with the maximum lengths of user.md. */
export const WRITABLE_USER_STRINGS: Record<string, number> = {
  displayName: 256,
  givenName: 64,
  surname: 64,
  jobTitle: 128,
  department: 64,
  companyName: 64,
  city: 128,
  state: 128,
  country: 128,
  officeLocation: 128,
  mobilePhone: 64,
  employeeId: 16,
  mailNickname: 64,
  preferredLanguage: 10,
};

/**
 * onPremisesExtensionAttributes (onpremisesextensionattributes.md): extensionAttribute1–15, strings
 * of up to 1,024 characters, writable on cloud-only users. Returned only with $select, as an object
 * holding all fifteen (null when unset).
 */
export const EXTENSION_ATTRIBUTES: readonly string[] = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);
export const EXTENSION_ATTRIBUTE_MAX = 1024;

export function emptyExtensionAttributes(): Record<string, string | null> {
  return Object.fromEntries(EXTENSION_ATTRIBUTES.map((a) => [a, null]));
}

/** Read-only or computed user properties: PATCH refuses them (user.md marks them read-only). */
export const READ_ONLY_USER_PROPS: ReadonlySet<string> = new Set([
  'id',
  'mail',
  'proxyAddresses',
  'creationType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'createdDateTime',
  'assignedLicenses',
  'licenseAssignmentStates',
  'assignedPlans',
]);

const FILTER_BY_LOWER = new Map(Object.keys(USER_FILTER).map((k) => [k.toLowerCase(), k]));

/**
 * Property names in $filter and $select are matched case-insensitively, as Graph does
 * (aad-advanced-queries.md selects `proxyaddresses`). Returns the canonical name and its spec.
 */
export function knownFilterProp(name: string): { name: string; spec: FilterSpec } | undefined {
  const canonical = FILTER_BY_LOWER.get(name.toLowerCase());
  return canonical === undefined ? undefined : { name: canonical, spec: USER_FILTER[canonical]! };
}
