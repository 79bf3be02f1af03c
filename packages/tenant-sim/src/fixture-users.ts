/**
 * A fixture user is completed or refused before the simulator serves it, so Graph never answers a
 * state it could not be in. Graph returns these properties together (Learn, Graph v1.0 user
 * resource and licenseAssignmentState resource type):
 *
 * - assignedLicenses and licenseAssignmentStates: "the licenses that are assigned to the user,
 *   including inherited (group-based) licenses", and their state, one entry per SKU and source
 *   (direct: assignedByGroup null). The same SKUs in both; one left out is derived from the other
 *   (a direct, Active assignment); both given and different is refused.
 * - creationType and externalUserState (and externalUserStateChangeDateTime): "for invited users,
 *   the state can be PendingAcceptance or Accepted, or null for all other users"; creationType
 *   `Invitation` marks an invited user. One left out is derived (Invitation ⇔ PendingAcceptance,
 *   the state an invitation creates); a contradiction is refused.
 * - mail and proxyAddresses: a change to mail "will also update the user's proxyAddresses
 *   collection to include the value as an SMTP address", so a user with proxy addresses has its
 *   mail among them; and at most one is the primary (`SMTP:`, upper case).
 *
 * Derived timestamps are the user's createdDateTime (null when the fixture has none: both are
 * nullable in the v1.0 CSDL). docs/simulator.md, "Fixtures".
 */

type User = Record<string, unknown>;

/** A fixture that describes a state Graph never returns; the message says what to change. */
export class FixtureError extends Error {
  readonly code = 'FIXTURE_IMPOSSIBLE';
}

interface LicenceState {
  skuId: string;
  disabledPlans: string[];
  assignedByGroup: string | null;
  state: string;
  error: string | null;
  lastUpdatedDateTime: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATES = ['Active', 'ActiveWithError', 'Disabled', 'Error'];
const INVITED_STATES = ['PendingAcceptance', 'Accepted'];

const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

function list(u: User, prop: string, fail: (m: string) => never): Record<string, unknown>[] | undefined {
  const v = u[prop];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every(record)) fail(`${prop} must be a list of objects (Graph never returns null for it)`);
  return v as Record<string, unknown>[];
}

function sku(entry: Record<string, unknown>, prop: string, fail: (m: string) => never): string {
  if (typeof entry.skuId !== 'string' || !GUID.test(entry.skuId)) fail(`every ${prop} entry needs a skuId GUID, got ${JSON.stringify(entry.skuId)}`);
  return entry.skuId as string;
}

function plans(v: unknown, what: string, fail: (m: string) => never): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) fail(`${what} disabledPlans must be a list of service plan ids`);
  return v as string[];
}

// GUIDs compare case-insensitively; the fixture's spelling is kept in what the simulator serves.
const key = (id: string): string => id.toLowerCase();
const samePlans = (a: string[], b: string[]): boolean => sameSet(a.map(key), b.map(key));

function completeLicences(u: User, created: string | null, fail: (m: string) => never): void {
  const assigned = list(u, 'assignedLicenses', fail)?.map((a) => ({ skuId: sku(a, 'assignedLicenses', fail), disabledPlans: plans(a.disabledPlans, `assignedLicenses ${String(a.skuId)}`, fail) }));
  const given = list(u, 'licenseAssignmentStates', fail);
  if (assigned && new Set(assigned.map((a) => key(a.skuId))).size !== assigned.length) fail('assignedLicenses names the same SKU twice; Graph holds one entry per SKU');
  const states: LicenceState[] = given
    ? given.map((s) => {
        const id = sku(s, 'licenseAssignmentStates', fail);
        const state = s.state ?? 'Active';
        if (typeof state !== 'string' || !STATES.includes(state)) fail(`licenseAssignmentStates ${id} has state ${JSON.stringify(state)}; Graph's states are ${STATES.join(', ')}`);
        const group = s.assignedByGroup ?? null;
        if (group !== null && typeof group !== 'string') fail(`licenseAssignmentStates ${id} has an assignedByGroup that is not a group id`);
        const direct = assigned?.find((a) => key(a.skuId) === key(id));
        return {
          skuId: id,
          disabledPlans: s.disabledPlans === undefined && group === null && direct ? direct.disabledPlans : plans(s.disabledPlans, `licenseAssignmentStates ${id}`, fail),
          assignedByGroup: group as string | null,
          state: state as string,
          error: s.error === undefined ? 'None' : (s.error as string | null),
          lastUpdatedDateTime: s.lastUpdatedDateTime === undefined ? created : (s.lastUpdatedDateTime as string | null),
        };
      })
    : (assigned ?? []).map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans, assignedByGroup: null, state: 'Active', error: 'None', lastUpdatedDateTime: created }));
  const sources = states.map((s) => `${key(s.skuId)}/${s.assignedByGroup ?? 'direct'}`);
  if (new Set(sources).size !== sources.length) fail('licenseAssignmentStates lists the same SKU from the same source twice');
  const stateSkus = [...new Set(states.map((s) => key(s.skuId)))];
  if (assigned) {
    const assignedSkus = assigned.map((a) => key(a.skuId));
    if (!sameSet(assignedSkus, stateSkus)) {
      const onlyAssigned = assignedSkus.filter((s) => !stateSkus.includes(s));
      const onlyStates = stateSkus.filter((s) => !assignedSkus.includes(s));
      fail(
        `assignedLicenses and licenseAssignmentStates name different SKUs (only in assignedLicenses: ${onlyAssigned.join(', ') || 'none'}; only in licenseAssignmentStates: ${onlyStates.join(', ') || 'none'}). ` +
          'Graph lists every assigned SKU in both: make them agree, or leave licenseAssignmentStates out to derive direct, Active assignments',
      );
    }
    for (const s of states) {
      const a = assigned.find((x) => key(x.skuId) === key(s.skuId))!;
      if (s.assignedByGroup === null && !samePlans(s.disabledPlans, a.disabledPlans)) fail(`SKU ${s.skuId} has other disabledPlans in assignedLicenses than in its direct licenseAssignmentStates entry`);
    }
  }
  // One assignedLicenses entry per SKU; a direct assignment's disabledPlans win (graph/licences.ts does the same).
  const entryFor = (id: string): LicenceState => states.find((s) => key(s.skuId) === id && s.assignedByGroup === null) ?? states.find((s) => key(s.skuId) === id)!;
  u.assignedLicenses = assigned ?? stateSkus.map((id) => ({ disabledPlans: entryFor(id).disabledPlans, skuId: entryFor(id).skuId }));
  u.licenseAssignmentStates = states;
}

function completeInvitation(u: User, created: string | null, fail: (m: string) => never): void {
  const state = u.externalUserState;
  if (state !== undefined && state !== null && (typeof state !== 'string' || !INVITED_STATES.includes(state))) {
    fail(`externalUserState ${JSON.stringify(state)} is not one of Graph's values (PendingAcceptance, Accepted, or null)`);
  }
  if (u.creationType === undefined && typeof state === 'string') u.creationType = 'Invitation';
  if (u.creationType === 'Invitation') {
    if (state === null) fail('creationType is Invitation but externalUserState is null; an invited user is PendingAcceptance or Accepted (leave it out for PendingAcceptance)');
    if (state === undefined) u.externalUserState = 'PendingAcceptance';
  } else if (typeof state === 'string') {
    fail(`externalUserState is ${state} but creationType is ${JSON.stringify(u.creationType)}; only invited users (creationType Invitation) have one`);
  }
  const invited = typeof u.externalUserState === 'string';
  if (invited && u.externalUserStateChangeDateTime === undefined) u.externalUserStateChangeDateTime = created;
  if (!invited && u.externalUserStateChangeDateTime !== undefined && u.externalUserStateChangeDateTime !== null) {
    fail('externalUserStateChangeDateTime is set but the user has no externalUserState');
  }
  const type = u.userType;
  if (type !== undefined && type !== null && type !== 'Member' && type !== 'Guest') fail(`userType ${JSON.stringify(type)} is not Member or Guest`);
}

function checkMail(u: User, fail: (m: string) => never): void {
  const proxies = u.proxyAddresses;
  if (proxies === undefined) return;
  if (!Array.isArray(proxies) || !proxies.every((p) => typeof p === 'string' && /^[^:\s]+:\S+$/.test(p))) {
    fail('proxyAddresses must be a list of "type:address" strings, e.g. "SMTP:ann@contoso.com"');
  }
  const addresses = proxies as string[];
  if (addresses.filter((p) => p.startsWith('SMTP:')).length > 1) fail('proxyAddresses has more than one primary address (SMTP: in upper case)');
  const smtp = addresses.filter((p) => p.toLowerCase().startsWith('smtp:')).map((p) => p.slice(5).toLowerCase());
  if (typeof u.mail === 'string' && addresses.length > 0 && !smtp.includes(u.mail.toLowerCase())) {
    fail(`mail ${u.mail} is not among proxyAddresses; Graph adds mail to proxyAddresses as an SMTP address`);
  }
}

/** Completes a fixture user in place (see above) and returns it; `where` names it in messages. */
export function completeFixtureUser(u: User, where: string): User {
  const fail = (message: string): never => {
    throw new FixtureError(`${where}: ${message}.`);
  };
  const created = typeof u.createdDateTime === 'string' ? u.createdDateTime : null;
  completeLicences(u, created, fail);
  completeInvitation(u, created, fail);
  checkMail(u, fail);
  return u;
}
