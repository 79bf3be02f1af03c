/**
 * Doctor's identity and Microsoft Graph checks, read-only: a token for each service, the Graph app
 * roles granted (the token's `roles` claim: an app-only token carries the app roles granted to the
 * app on that resource, Learn "Access token claims reference"), the licence and its free units, and
 * the technician group (exists, security-enabled, cloud-only).
 */
import type { TokenCredential } from '@azure/identity';
import { authenticationFailed, CREDENTIAL_ADVICE, dataverseScope, graphScope } from '../clients/credential.js';
import type { ServiceName } from '../clients/retry-policy.js';
import type { GraphApi } from '../clients/types.js';
import type { Settings } from '../config.js';
import { fail, pass, type CheckResult } from './checklist.js';
import type { Requirements } from './requirements.js';

interface TokenClaims {
  roles?: unknown;
  scp?: unknown;
}

function claimsOf(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

/** The token's `roles` claim; null when the token is not a readable JWT. */
export function rolesOf(token: string): string[] | null {
  const claims = claimsOf(token);
  if (claims === null) return null;
  return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * Whether the token is a user's (delegated: it carries `scp`, Learn "Access token claims
 * reference"), as after `az login`: the app roles and privileges doctor would read are then the
 * user's, not the app's.
 */
export function isDelegated(token: string): boolean {
  return claimsOf(token)?.scp !== undefined;
}

/** The one line doctor prints instead of the app's roles and privileges when it runs as a user. */
export const RUNS_AS_USER = fail(
  "The app's Graph app roles and Dataverse privileges",
  "Doctor is signed in as a user (az login), so it would read that user's access, not the app's. Run it with the app's credential: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET of the app registration (a managed identity: docs/setup.md).",
);

/** A token for each service: the credential check, and the Graph token for its roles. */
export async function credentialChecks(credential: TokenCredential, settings: Settings): Promise<{ results: CheckResult[]; graphToken: string | null; dataverseOk: boolean }> {
  const results: CheckResult[] = [];
  const tokens: Partial<Record<ServiceName, string>> = {};
  for (const [service, scope] of [['graph', graphScope(settings.graphBaseUrl)], ['dataverse', dataverseScope(settings.dataverseUrl)]] as const) {
    const name = `A token for ${service === 'graph' ? 'Microsoft Graph' : 'Dataverse'} (${scope})`;
    try {
      const token = await credential.getToken(scope);
      if (!token) throw new Error('the credential returned no token');
      tokens[service] = token.token;
      results.push(pass(name));
    } catch (err) {
      const e = authenticationFailed(scope, service, err);
      results.push(fail(name, CREDENTIAL_ADVICE, e.message));
    }
  }
  return { results, graphToken: tokens.graph ?? null, dataverseOk: tokens.dataverse !== undefined };
}

export function roleChecks(graphToken: string, req: Requirements): CheckResult[] {
  if (isDelegated(graphToken)) return [RUNS_AS_USER];
  const roles = rolesOf(graphToken);
  if (roles === null) return [fail('Graph app roles', 'The Graph token could not be read; check that the credential is an app (managed identity or app registration), not a user.')];
  return req.graphRoles.map((role) =>
    roles.includes(role)
      ? pass(`Graph app role ${role}`)
      : fail(`Graph app role ${role}`, 'Run docs/deploy/grant-permissions.sh, or grant it as docs/deploy.md §3 shows (admin consent); a new role reaches tokens issued after the grant.'),
  );
}

interface Sku {
  skuId: string;
  skuPartNumber?: string;
  capabilityStatus?: string;
  consumedUnits?: number;
  prepaidUnits?: { enabled?: number };
}

export async function licenceChecks(graph: GraphApi, req: Requirements): Promise<CheckResult[]> {
  if (req.licences.length === 0) return [];
  const res = await graph.send({ method: 'GET', url: '/subscribedSkus' });
  if (res.status !== 200) return [fail('Licences (GET /subscribedSkus)', `The tenant refused to list its licences (HTTP ${res.status}): grant LicenseAssignment.Read.All (docs/deploy.md §3).`)];
  const skus = ((res.body as { value?: Sku[] } | undefined)?.value ?? []);
  return req.licences.map(({ skuId, setting }) => {
    const sku = skus.find((s) => s.skuId.toLowerCase() === skuId.toLowerCase());
    const name = `Licence ${skuId} (${setting})`;
    if (!sku) return fail(name, `The tenant has no subscription with this skuId: set ${setting} to one GET /subscribedSkus lists (docs/configuration.md).`);
    const total = sku.prepaidUnits?.enabled ?? 0;
    const free = total - (sku.consumedUnits ?? 0);
    const detail = `${sku.skuPartNumber ?? skuId}: ${free} of ${total} units free`;
    if (sku.capabilityStatus && sku.capabilityStatus !== 'Enabled') return fail(name, 'The subscription is not active (capabilityStatus); renew it in the Microsoft 365 admin center.', detail);
    return free > 0 ? pass(name, detail) : fail(name, 'No unit is free: buy more or free some; technicians wait as "No licence units" until then.', detail);
  });
}

export async function groupChecks(graph: GraphApi, req: Requirements): Promise<CheckResult[]> {
  if (req.groupId === null) return [];
  const name = `Technician group ${req.groupId} (TECHNICIAN_GROUP_ID)`;
  // assignedLicenses is "Returned only on $select" (group resource); asked only when the group carries the licence.
  const select = `id,displayName,securityEnabled,onPremisesSyncEnabled${req.groupLicence ? ',assignedLicenses' : ''}`;
  const res = await graph.send({ method: 'GET', url: `/groups/${encodeURIComponent(req.groupId)}?$select=${select}` });
  if (res.status === 404) return [fail(name, 'No group has this id: create a cloud-only security group and set TECHNICIAN_GROUP_ID to its object id (docs/configuration.md).')];
  if (res.status !== 200) return [fail(name, `The tenant refused to read the group (HTTP ${res.status}): grant GroupMember.Read.All (docs/deploy.md §3).`)];
  const group = res.body as { displayName?: string; securityEnabled?: boolean; onPremisesSyncEnabled?: boolean | null; assignedLicenses?: { skuId: string }[] };
  const detail = group.displayName ?? undefined;
  const out: CheckResult[] = [];
  if (group.securityEnabled !== true) out.push(fail(name, 'The group is not security-enabled, so it cannot give Dataverse access: use a security group.', detail));
  else if (group.onPremisesSyncEnabled === true) out.push(fail(name, 'The group is synced from on-premises Active Directory, so its members cannot be changed in the cloud: use a cloud-only security group.', detail));
  else out.push(pass(name, detail));
  if (req.groupLicence) {
    const licence = `The technician group carries the licence ${req.groupLicence} (LICENSE_MODE=group)`;
    const carried = (group.assignedLicenses ?? []).map((l) => l.skuId.toLowerCase());
    out.push(carried.includes(req.groupLicence.toLowerCase())
      ? pass(licence)
      : fail(licence, 'Assign the licence to the group (Entra admin center: Groups, the technician group, Licenses), or set LICENSE_MODE=direct; technicians get their licence only from the group.', carried.length > 0 ? `it carries ${carried.join(', ')}` : 'it carries no licence'));
  }
  return out;
}
