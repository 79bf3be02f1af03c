/**
 * Builds the simulator's state from a fixture, and writes it back in the fixture's shape. A fixture
 * user is completed or refused first (fixture-users.ts), so the state is one Graph could be in.
 */
import { randomUUID } from 'node:crypto';
import { DataverseStore } from './dataverse-store.js';
import { initMetadata, metadataToFixture } from './dataverse/metadata-state.js';
import { completeFixtureOwnership } from './dataverse/ownership.js';
import { allRelationships, intersectRow } from './dataverse/relationships.js';
import type { Row } from './dataverse-store.js';
import { completeFixtureUser } from './fixture-users.js';
import { checkDomainEntries } from './tenant-domains.js';
import { processMember } from './graph/group-licensing.js';
import { powerPlatformFromFixture } from './platform/power-platform-fixture.js';
import type { Fixture, GroupRecord, SimState } from './types.js';

export const DEFAULT_TENANT_ID = '11111111-1111-1111-1111-111111111111';
export const DEFAULT_CLIENT_ID = '22222222-2222-2222-2222-222222222222';

export function stateFromFixture(fixture: Fixture): SimState {
  const users = new Map<string, Record<string, unknown>>();
  for (const [i, u] of (fixture.graph?.users ?? []).entries()) {
    const id = String(u.id ?? randomUUID()).toLowerCase();
    users.set(id, normaliseUser(completeFixtureUser({ ...u, id }, `graph.users[${i}] (id ${id})`)));
  }
  const subscribedSkus = (fixture.graph?.subscribedSkus ?? []).map((s) => ({ ...s }));
  const groups = new Map<string, GroupRecord>();
  for (const g of fixture.graph?.groups ?? []) {
    const id = g.id.toLowerCase();
    groups.set(id, {
      id,
      displayName: g.displayName ?? id,
      members: new Set((g.members ?? []).map((m) => m.toLowerCase())),
      assignedLicenses: fixtureGroupLicences(g, subscribedSkus),
      ...(g.securityEnabled !== undefined ? { securityEnabled: g.securityEnabled } : {}),
      ...(g.onPremisesSyncEnabled !== undefined ? { onPremisesSyncEnabled: g.onPremisesSyncEnabled } : {}),
    });
  }
  const dataverse = new DataverseStore(withIntersectKeys(fixture.dataverse ?? {}));
  completeFixtureOwnership(dataverse);
  initMetadata(dataverse, fixture.dataverseMetadata);
  const defaultDomain = fixture.tenant?.defaultDomain ?? 'contoso.onmicrosoft.com';
  const verifiedDomains = fixture.tenant?.verifiedDomains ?? [defaultDomain];
  const state: SimState = {
    tenant: {
      id: fixture.tenant?.id ?? DEFAULT_TENANT_ID,
      defaultDomain,
      verifiedDomains,
      domains: checkDomainEntries(fixture.tenant, defaultDomain, verifiedDomains),
    },
    app: {
      clientId: fixture.app?.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: fixture.app?.clientSecret ?? 'sim-secret',
      roles: fixture.app?.roles ?? [],
    },
    powerPlatform: powerPlatformFromFixture(fixture, fixture.app?.clientId ?? DEFAULT_CLIENT_ID),
    environment: {
      securityGroupId: fixture.environment?.securityGroupId?.toLowerCase() ?? null,
      licensedSkuIds: (fixture.environment?.licensedSkuIds ?? []).map((s) => s.toLowerCase()),
      userSyncDelayMs: fixture.environment?.userSyncDelayMs ?? 0,
      groupLicensingDelayMs: fixture.environment?.groupLicensingDelayMs ?? 0,
    },
    graph: {
      users,
      groups,
      subscribedSkus,
      licensingDue: new Map(),
    },
    dataverse,
    invitations: [],
    portal: { emails: [] },
  };
  // A fixture is a moment at which Entra has processed its groups' licences (group-licensing.ts).
  const loadedAt = new Date().toISOString();
  for (const g of groups.values()) if (g.assignedLicenses.length > 0) for (const m of g.members) processMember(state, m, loadedAt);
  return state;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fixture group's assignedLicenses: skuIds of the fixture's subscribed SKUs, as Graph would only accept those. */
function fixtureGroupLicences(g: NonNullable<NonNullable<Fixture['graph']>['groups']>[number], skus: Record<string, unknown>[]): GroupRecord['assignedLicenses'] {
  return (g.assignedLicenses ?? []).map((l, i) => {
    const where = `fixture graph.groups ${g.id} assignedLicenses[${i}]`;
    if (typeof l.skuId !== 'string' || !GUID.test(l.skuId)) throw new Error(`${where}: skuId must be a GUID`);
    const skuId = l.skuId.toLowerCase();
    if (!skus.some((s) => String(s.skuId).toLowerCase() === skuId)) throw new Error(`${where}: ${skuId} is not one of graph.subscribedSkus`);
    return { skuId, disabledPlans: (l.disabledPlans ?? []).map((p) => p.toLowerCase()) };
  });
}

/** Fills the properties every Graph user has, so responses always carry them (null when unset). */
export function normaliseUser(u: Record<string, unknown>): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: null,
    givenName: null,
    surname: null,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    userPrincipalName: null,
    userType: 'Member',
    creationType: null,
    externalUserState: null,
    accountEnabled: true,
    usageLocation: null,
    otherMails: [],
    proxyAddresses: [],
    identities: [],
    assignedLicenses: [],
    licenseAssignmentStates: [],
    ...u,
  };
}

export function stateToFixture(state: SimState): Fixture & { invitations: SimState['invitations']; portal: SimState['portal'] } {
  return {
    // domains only when the fixture had entries, so a fixture without them reads back as it was written.
    tenant: {
      id: state.tenant.id,
      defaultDomain: state.tenant.defaultDomain,
      verifiedDomains: [...state.tenant.verifiedDomains],
      ...(state.tenant.domains.length > 0 ? { domains: state.tenant.domains.map((d) => structuredClone(d)) } : {}),
    },
    app: { ...state.app },
    environment: { ...state.environment, securityGroupId: state.environment.securityGroupId ?? undefined },
    powerPlatform: { ...state.powerPlatform, managementApplications: [...state.powerPlatform.managementApplications] },
    graph: {
      users: [...state.graph.users.values()].map((u) => ({ ...u })),
      groups: [...state.graph.groups.values()].map((g) => ({
        id: g.id,
        displayName: g.displayName,
        members: [...g.members],
        ...(g.assignedLicenses.length > 0 ? { assignedLicenses: g.assignedLicenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans] })) } : {}),
        ...(g.securityEnabled !== undefined ? { securityEnabled: g.securityEnabled } : {}),
        ...(g.onPremisesSyncEnabled !== undefined ? { onPremisesSyncEnabled: g.onPremisesSyncEnabled } : {}),
      })),
      subscribedSkus: state.graph.subscribedSkus.map((s) => ({ ...s })),
    },
    dataverse: withoutIntersectKeys(state.dataverse.toJSON()),
    ...(metadataToFixture(state.dataverse) ? { dataverseMetadata: metadataToFixture(state.dataverse) } : {}),
    invitations: state.invitations.map((i) => ({ ...i })),
    portal: { emails: state.portal.emails.map((e) => ({ ...e })) },
  };
}

/**
 * A fixture's intersect rows hold the two primary keys; the store keys them by the intersect
 * entity's own key, derived from the pair (relationships.ts). A row without both keys, or one that
 * names a row the fixture does not have, is refused: Dataverse could not hold it.
 */
function withIntersectKeys(tables: Record<string, Row[]>): Record<string, Row[]> {
  const out = { ...tables };
  for (const rel of allRelationships()) {
    const rows = tables[rel.name];
    if (!rows) continue;
    const [a, b] = rel.sides;
    const ids = new Map([a, b].map((side) => [side.set, new Set((tables[side.set] ?? []).map((r) => String(r[side.primaryKey]).toLowerCase()))]));
    out[rel.name] = rows.map((row, i) => {
      const one = row[a.primaryKey];
      const two = row[b.primaryKey];
      if (typeof one !== 'string' || typeof two !== 'string') throw new Error(`fixture dataverse.${rel.name}[${i}]: needs ${a.primaryKey} and ${b.primaryKey}`);
      for (const [side, id] of [[a, one], [b, two]] as const) {
        if (!ids.get(side.set)!.has(id.toLowerCase())) {
          throw new Error(`fixture dataverse.${rel.name}[${i}]: ${side.primaryKey} ${id} is not a row of ${side.set}`);
        }
      }
      return intersectRow(rel, one, two);
    });
  }
  return out;
}

/** The store's intersect rows in the fixture's shape: the two keys only. */
function withoutIntersectKeys(tables: Record<string, Row[]>): Record<string, Row[]> {
  for (const rel of allRelationships()) {
    const rows = tables[rel.name];
    if (rows) tables[rel.name] = rows.map((r) => ({ [rel.sides[0].primaryKey]: r[rel.sides[0].primaryKey], [rel.sides[1].primaryKey]: r[rel.sides[1].primaryKey] }));
  }
  return tables;
}
