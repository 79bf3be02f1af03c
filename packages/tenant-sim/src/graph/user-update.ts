/**
 * PATCH /users/{id | userPrincipalName} (user-update.md): 204 No Content. Every property is
 * validated before any is applied, so a bad request changes nothing. Limits come from user.md.
 * Unknown and read-only properties are refused (stricter than Graph's silent handling of some).
 */
import { replicaView } from '../platform/replication.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest, notFound } from './errors.js';
import { requireRole } from './permissions.js';
import {
  emptyExtensionAttributes, EXTENSION_ATTRIBUTE_MAX, EXTENSION_ATTRIBUTES, READ_ONLY_USER_PROPS, SELECTABLE_USER_PROPS, WRITABLE_USER_STRINGS,
} from './user-schema.js';
import { verifiedDomainNames } from '../tenant-domains.js';
import { findUser, markStale } from './user-store.js';
import { jsonBody } from './view.js';

/** ISO 3166-1 alpha-2 codes (usageLocation: "A two-letter country code (ISO standard 3166)"). */
const ISO_3166 = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
    'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ ' +
    'OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
    'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '),
);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const invalidValue = (prop: string): Error => badRequest(`Invalid value specified for property '${prop}' of resource 'User'.`);

/** Validates one property and returns the value to store. */
function validate(prop: string, value: unknown, ctx: SimContext, self: Record<string, unknown>): unknown {
  if (Object.prototype.hasOwnProperty.call(WRITABLE_USER_STRINGS, prop)) {
    if (value === null || value === '') {
      // displayName "cannot be cleared during updates" (user-update.md).
      if (prop === 'displayName') throw invalidValue(prop);
      return null;
    }
    if (typeof value !== 'string') throw invalidValue(prop);
    if (value.length > WRITABLE_USER_STRINGS[prop]!) {
      throw badRequest(`Invalid value specified for property '${prop}' of resource 'User': the maximum length is ${WRITABLE_USER_STRINGS[prop]} characters.`);
    }
    return value;
  }
  switch (prop) {
    case 'accountEnabled':
      if (typeof value !== 'boolean') throw invalidValue(prop);
      return value;
    case 'usageLocation':
      // "Not nullable" (user.md).
      if (typeof value !== 'string' || !ISO_3166.has(value.toUpperCase()) || value.length !== 2) throw invalidValue(prop);
      return value.toUpperCase();
    case 'userType':
      if (value !== 'Member' && value !== 'Guest') throw invalidValue(prop);
      return value;
    case 'onPremisesExtensionAttributes':
      return extensionAttributes(value, self);
    case 'otherMails':
      if (!Array.isArray(value) || value.some((m) => typeof m !== 'string' || !EMAIL.test(m))) throw invalidValue(prop);
      return [...(value as string[])];
    case 'businessPhones':
      // "only one number can be set for this property" (user-update.md).
      if (!Array.isArray(value) || value.length > 1 || value.some((m) => typeof m !== 'string')) throw invalidValue(prop);
      return [...(value as string[])];
    case 'userPrincipalName': {
      if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(value)) throw invalidValue(prop);
      const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
      // "domain must be present in the tenant's collection of verified domains" (user-update.md): an
      // unverified domain of the tenant (GET /domains isVerified false) does not count.
      if (!verifiedDomainNames(ctx.state.tenant).includes(domain)) throw badRequest(`The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.`);
      const other = findUser(ctx.state, value);
      if (other && other !== self) throw badRequest('Another object with the same value for property userPrincipalName already exists.');
      return value;
    }
  }
  if (READ_ONLY_USER_PROPS.has(prop)) throw badRequest(`Property '${prop}' is read-only and cannot be set.`);
  if (SELECTABLE_USER_PROPS.has(prop)) throw badRequest(`Updating property '${prop}' is not simulated.`);
  throw badRequest(`Property '${prop}' does not exist as a declared property or extension property.`);
}

/**
 * The docs do not say whether a PATCH of onPremisesExtensionAttributes merges the attributes it names
 * into the stored ones or replaces the whole complex value. The simulator takes the stricter reading,
 * replace: an attribute the body leaves out is cleared, so a client must send back the ones it read
 * (docs/simulator-graph.md). Synced users' attributes are read-only (onpremisesextensionattributes.md).
 */
function extensionAttributes(value: unknown, self: Record<string, unknown>): Record<string, string | null> {
  const prop = 'onPremisesExtensionAttributes';
  if (self.onPremisesSyncEnabled === true) throw badRequest(`Property '${prop}' is read-only for a user synchronized from on-premises Active Directory.`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(prop);
  const out = emptyExtensionAttributes();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!EXTENSION_ATTRIBUTES.includes(key)) throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.onPremisesExtensionAttributes'.`);
    if (v !== null && (typeof v !== 'string' || v.length > EXTENSION_ATTRIBUTE_MAX)) throw invalidValue(`${prop}.${key}`);
    out[key] = v === '' ? null : (v as string | null);
  }
  return out;
}

/** One optional property of POST /users, under the same rules and limits as an update (user-create.ts). */
export function validateCreateProperty(prop: string, value: unknown, ctx: SimContext): unknown {
  return validate(prop, value, ctx, {});
}

export function patchUser(req: SimRequest, ctx: SimContext, key: string): SimResponse {
  requireRole(req, 'updateUser');
  const body = jsonBody(req.body);
  const user = findUser(ctx.state, key);
  // A user still replicating is "Not Found" to the replica serving the request (replication.ts).
  if (!user || !replicaView(req, ctx.state, ctx.now()).sees(String(user.id))) throw notFound(key);
  const updates: [string, unknown][] = [];
  for (const [prop, value] of Object.entries(body)) {
    if (prop === '@odata.type') {
      if (value !== '#microsoft.graph.user' && value !== 'microsoft.graph.user') throw badRequest(`Invalid @odata.type '${String(value)}' for a user.`);
      continue;
    }
    updates.push([prop, validate(prop, value, ctx, user)]);
  }
  const accountWas = user.accountEnabled;
  for (const [prop, value] of updates) user[prop] = value;
  if (updates.some(([p]) => p === 'otherMails' || p === 'userPrincipalName')) markStale(ctx.state);
  if (user.accountEnabled !== accountWas) ctx.entraChanged();
  return { status: 204 };
}
