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

/** The service accounts and the domain; nothing (and `domain` undefined) while the domain is unset. */
export async function readServiceAccounts(graph: GraphApi, settings: TechnicianSettings): Promise<{ users: GraphUser[]; domain?: DomainReading }> {
  const domain = serviceAccountSettingsOf(settings).domain;
  if (domain === null) return { users: [] };
  const [users, reading] = await Promise.all([graph.list<GraphUser>(SERVICE_ACCOUNTS_URL), readDomain(graph, domain)]);
  return { users: users.filter((u) => (u.userType ?? '').toLowerCase() === 'member'), domain: reading };
}

export async function readDomain(graph: GraphApi, domain: string): Promise<DomainReading> {
  const response = await graph.send({ method: 'GET', url: `/domains/${encodeURIComponent(domain)}?$select=id,isVerified,authenticationType` });
  if (response.status === 404) return null;
  if (response.status !== 200) throw classifyGraph({ method: 'GET', url: `/domains/${domain}` }, response);
  const body = response.body as { id?: unknown; isVerified?: unknown; authenticationType?: unknown } | undefined;
  return { id: String(body?.id ?? domain), isVerified: body?.isVerified === true, authenticationType: String(body?.authenticationType ?? '') };
}
