/**
 * POST /users: creates a Member user (Learn user-post-users,
 * learn.microsoft.com/graph/api/user-post-users; resources/user.md, resources/passwordprofile.md).
 * Every rule is checked before anything is stored, so a refused create leaves no trace.
 *
 * - Required: accountEnabled, displayName, mailNickname, userPrincipalName and passwordProfile with
 *   its password (user-post-users "Request body"). onPremisesImmutableId is required only when the
 *   UPN's domain is federated (GET /domains authenticationType Federated); user.md: "The $ and _
 *   characters can't be used when you specify this property".
 * - userPrincipalName (user.md, learn.microsoft.com/graph/api/resources/user): alias@domain, the
 *   alias only of A–Z a–z 0–9 ' . - _ ! # ^ ~, the domain one of the tenant's verified domains.
 *   Lengths and the period rule come from Entra's "Password policies and account restrictions"
 *   (learn.microsoft.com/entra/identity/authentication/concept-sspr-policy): at most 64 characters
 *   before @, 48 after it, 113 in all, and no period immediately before @.
 * - password (same page): 8–256 characters, at least three of lowercase, uppercase, digits and
 *   symbols, no Unicode characters.
 * - The answers to an existing UPN or mail alias and to a weak password are 400 Request_BadRequest
 *   with the messages the service was seen to send (docs/simulator-graph.md "POST /users").
 *
 * The password is kept in the stored user (GET /_sim/state shows it, so tests can search every
 * output for it); Graph reads never return passwordProfile (user-schema.ts does not make it
 * selectable).
 */
import { randomUUID } from 'node:crypto';
import { noteUserCreated } from '../platform/replication.js';
import { normaliseUser } from '../state.js';
import { findDomain, verifiedDomainNames } from '../tenant-domains.js';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest } from './errors.js';
import { requireRole } from './permissions.js';
import { DEFAULT_USER_PROPS } from './user-schema.js';
import { addUser, findUser } from './user-store.js';
import { validateCreateProperty } from './user-update.js';
import { jsonBody, projectUser } from './view.js';

const REQUIRED = ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'] as const;

/** Symbols concept-sspr-policy lists for the "symbols" class (space included). */
const SYMBOLS = `@#$%^&*-_!+=[]{}|\\:',.?/\`~"();<> `;

const UPN_ALIAS = /^[A-Za-z0-9'.\-_!#^~]+$/;

const invalidValue = (prop: string): Error => badRequest(`Invalid value specified for property '${prop}' of resource 'User'.`);

export const PASSWORD_MESSAGE = 'The specified password does not comply with password complexity requirements. Please provide a different password.';

/** Counts the character classes of a password; null if it holds a character outside them (Unicode). */
function passwordClasses(p: string): number | null {
  const classes = new Set<string>();
  for (const ch of p) {
    if (/[a-z]/.test(ch)) classes.add('lower');
    else if (/[A-Z]/.test(ch)) classes.add('upper');
    else if (/[0-9]/.test(ch)) classes.add('digit');
    else if (SYMBOLS.includes(ch)) classes.add('symbol');
    else return null;
  }
  return classes.size;
}

function checkPassword(profile: unknown): { password: string; forceChangePasswordNextSignIn: boolean; forceChangePasswordNextSignInWithMfa: boolean } {
  if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) throw invalidValue('passwordProfile');
  const p = profile as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!['password', 'forceChangePasswordNextSignIn', 'forceChangePasswordNextSignInWithMfa'].includes(key)) {
      throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.passwordProfile'.`);
    }
  }
  // "The password property is required when a user is created" (passwordprofile.md).
  if (typeof p.password !== 'string' || p.password === '') throw invalidValue('passwordProfile');
  const flag = (k: string): boolean => {
    const v = p[k];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw invalidValue(`passwordProfile.${k}`);
    return v;
  };
  const force = flag('forceChangePasswordNextSignIn');
  const withMfa = flag('forceChangePasswordNextSignInWithMfa');
  const classes = passwordClasses(p.password);
  if (p.password.length < 8 || p.password.length > 256 || classes === null || classes < 3) throw badRequest(PASSWORD_MESSAGE);
  return { password: p.password, forceChangePasswordNextSignIn: force, forceChangePasswordNextSignInWithMfa: withMfa };
}

/** The UPN rules; returns the UPN as given. */
function checkUpn(value: unknown, ctx: SimContext): string {
  if (typeof value !== 'string') throw invalidValue('userPrincipalName');
  const at = value.lastIndexOf('@');
  const alias = at < 0 ? '' : value.slice(0, at);
  const domain = at < 0 ? '' : value.slice(at + 1);
  const wellFormed = alias !== '' && domain !== '' && !domain.includes('@') && UPN_ALIAS.test(alias) && !alias.endsWith('.');
  if (!wellFormed || alias.length > 64 || domain.length > 48 || value.length > 113) {
    throw badRequest('Property userPrincipalName is invalid.');
  }
  // Only a verified domain: a domain the tenant added but has not verified is refused the same way.
  if (!verifiedDomainNames(ctx.state.tenant).includes(domain.toLowerCase())) {
    throw badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
  }
  return value;
}

/**
 * mailNickname: at most 64 characters (user.md). The docs list no characters for a user's alias;
 * the simulator refuses the ones group-post-groups excludes from a mail alias (@ () \ [] " ; : <> ,
 * and space) and anything outside printable ASCII (stricter, docs/simulator-graph.md).
 */
function checkMailNickname(value: unknown): string {
  if (typeof value !== 'string' || value.length > 64 || !/^[\x21-\x7e]+$/.test(value) || /[@()\\[\]";:<>,]/.test(value)) throw invalidValue('mailNickname');
  return value;
}

/**
 * onPremisesImmutableId: required for a UPN in a federated domain (user-post-users), optional
 * otherwise; a string without $ or _ (user.md). The docs give no message for a missing one: the
 * simulator answers as for the other required properties (inferred, docs/simulator-graph.md).
 */
function checkImmutableId(value: unknown, upn: string, ctx: SimContext): string | undefined {
  const federated = findDomain(ctx.state.tenant, upn.slice(upn.lastIndexOf('@') + 1))?.authenticationType === 'Federated';
  if (value === undefined || value === null || value === '') {
    if (federated) throw invalidValue('onPremisesImmutableId');
    return undefined;
  }
  if (typeof value !== 'string' || /[$_]/.test(value) || !/^[\x21-\x7e]+$/.test(value)) throw invalidValue('onPremisesImmutableId');
  return value;
}

export function postUser(req: SimRequest, ctx: SimContext): SimResponse {
  requireRole(req, 'createUser');
  const body = jsonBody(req.body);
  for (const prop of REQUIRED) {
    const v = body[prop];
    if (v === undefined || v === null || v === '') throw invalidValue(prop);
  }
  if (body.userType !== undefined && body.userType !== 'Member') {
    // "To create external users, use the invitation API" (user-post-users).
    throw invalidValue('userType');
  }
  const upn = checkUpn(body.userPrincipalName, ctx);
  const mailNickname = checkMailNickname(body.mailNickname);
  const passwordProfile = checkPassword(body.passwordProfile);
  const immutableId = checkImmutableId(body.onPremisesImmutableId, upn, ctx);
  const props: Record<string, unknown> = {};
  const own = ['@odata.type', 'passwordProfile', 'userPrincipalName', 'mailNickname', 'userType', 'onPremisesImmutableId'];
  for (const [prop, value] of Object.entries(body)) {
    if (own.includes(prop)) continue;
    props[prop] = validateCreateProperty(prop, value, ctx);
  }
  if (typeof props.displayName !== 'string') throw invalidValue('displayName');

  // Collisions last: the service reports them after the shape checks (a write path sees every object).
  if (findUser(ctx.state, upn)) throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  const nick = mailNickname.toLowerCase();
  for (const u of ctx.state.graph.users.values()) {
    if (typeof u.mailNickname === 'string' && u.mailNickname.toLowerCase() === nick) {
      throw badRequest('Another object with the same value for property proxyAddresses already exists.');
    }
  }

  const id = randomUUID();
  const now = new Date(ctx.now()).toISOString();
  // The properties every Graph user has, null or empty until set (the same defaults as a fixture's users).
  const user = {
    ...normaliseUser({ ...props }),
    id,
    userPrincipalName: upn,
    mailNickname,
    onPremisesImmutableId: immutableId ?? null,
    userType: 'Member',
    // creationType is null for a user created as a work or school account (user.md).
    creationType: null,
    externalUserState: null,
    externalUserStateChangeDateTime: null,
    createdDateTime: now,
    identities: [{ signInType: 'userPrincipalName', issuer: ctx.state.tenant.defaultDomain, issuerAssignedId: upn }],
    passwordProfile,
  };
  addUser(ctx.state, user);
  // Like an invited guest, the new member reaches the replicas that serve reads only after the lag.
  noteUserCreated(req, ctx.state, id, ctx.now());
  ctx.entraChanged();
  // 201 with the user object (user-post-users "Response"): the default properties, never the password.
  return {
    status: 201,
    headers: { Location: `${ctx.graphBaseUrl}/users/${id}` },
    body: projectUser(user, [...DEFAULT_USER_PROPS], { '@odata.context': `${ctx.graphBaseUrl}/$metadata#users/$entity` }),
  };
}
