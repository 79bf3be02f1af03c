/**
 * The service accounts' reads (issue 12), made only while SERVICE_ACCOUNT_DOMAIN is set, so a
 * tenant without service accounts costs no extra request:
 *
 * - every service account, in one paged list: Members whose mailNickname starts with `vr-`
 *   (service-account-name.ts). `startsWith` on mailNickname is one of the $filter forms Graph
 *   supports on users without advanced query parameters (Learn "Advanced query capabilities on
 *   Microsoft Entra ID objects", user properties table). The list also returns a staff account
 *   someone happened to name `vr-…`; only a Member whose mark says the product created it is ever
 *   treated as a service account (ownership.ts), so such an account is read and left alone.
 * - the domain: `GET /domains/{id}` (Domain.Read.All), for the check at start that the tenant has
 *   verified it and that it is managed (service-account-plan.ts). A 404 means no such domain.
 *
 * The incremental observer makes both reads on its full reads only: between them the users delta
 * (which is not filtered to guests) carries the service accounts' changes (incremental-merge.ts),
 * and the domain's state is the last full read's (a full read comes at least daily, and a changed
 * SERVICE_ACCOUNT_DOMAIN forces one through the settings hash).
 */
import { classifyGraph } from '../../src/clients/classify-graph.js';
import type { GraphApi } from '../../src/clients/types.js';
import type { GraphUser } from '../../src/model/rows.js';
import { NICKNAME_PREFIX } from './service-account-name.js';
import { serviceAccountSettingsOf } from './service-account-settings.js';
import type { TechnicianSettings } from './settings.js';
import { USER_SELECT } from './tables.js';

export type DomainReading = { id: string; isVerified: boolean; authenticationType: string } | null;

export const SERVICE_ACCOUNTS_URL = `/users?$filter=${encodeURIComponent(`startsWith(mailNickname,'${NICKNAME_PREFIX}')`)}&$select=${USER_SELECT.join(',')}&$top=999`;

/** A user the service-account list returns: a Member whose mailNickname starts with `vr-`. */
export function isListedServiceAccount(u: GraphUser): boolean {
  return (u.userType ?? '').toLowerCase() === 'member' && (u.mailNickname ?? '').toLowerCase().startsWith(NICKNAME_PREFIX);
}

/** The service accounts and the domain; nothing (and `domain` undefined) while the domain is unset. */
export async function readServiceAccounts(graph: GraphApi, settings: TechnicianSettings): Promise<{ users: GraphUser[]; domain?: DomainReading }> {
  const domain = serviceAccountSettingsOf(settings).domain;
  if (domain === null) return { users: [] };
  const [users, reading] = await Promise.all([graph.list<GraphUser>(SERVICE_ACCOUNTS_URL), readDomain(graph, domain)]);
  return { users: users.filter(isListedServiceAccount), domain: reading };
}

export async function readDomain(graph: GraphApi, domain: string): Promise<DomainReading> {
  const response = await graph.send({ method: 'GET', url: `/domains/${encodeURIComponent(domain)}?$select=id,isVerified,authenticationType` });
  if (response.status === 404) return null;
  if (response.status !== 200) throw classifyGraph({ method: 'GET', url: `/domains/${domain}` }, response);
  const body = response.body as { id?: unknown; isVerified?: unknown; authenticationType?: unknown } | undefined;
  return { id: String(body?.id ?? domain), isVerified: body?.isVerified === true, authenticationType: String(body?.authenticationType ?? '') };
}

/** `in` takes at most 15 values in one $filter (packages/tenant-sim/docs/simulator-graph.md). */
const NAMES_PER_READ = 15;

/**
 * Users that hold the sign-in names service accounts are about to be created with (`upns`, lower
 * case), other than the ones already known: a staff account with that name stops the contact in the
 * plan (SERVICE_ACCOUNT_UPN_TAKEN). Usually none to look up: only contacts whose account does not
 * exist yet have a name to check.
 */
export async function readNameHolders(graph: GraphApi, upns: readonly string[], known: readonly GraphUser[]): Promise<GraphUser[]> {
  const have = new Set(known.map((u) => u.userPrincipalName.toLowerCase()));
  const wanted = [...new Set(upns.map((u) => u.toLowerCase()))].filter((u) => !have.has(u)).sort();
  if (wanted.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += NAMES_PER_READ) chunks.push(wanted.slice(i, i + NAMES_PER_READ));
  const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const pages = await Promise.all(
    chunks.map((chunk) => graph.list<GraphUser>(`/users?$filter=${encodeURIComponent(`userPrincipalName in (${chunk.map(literal).join(',')})`)}&$select=${USER_SELECT.join(',')}&$top=999`)),
  );
  return pages.flat();
}
