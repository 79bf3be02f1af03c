/**
 * Contracts inside the tenant simulator. The core (server.ts) owns transport, tokens, the request
 * log, faults and service-protection limits; the Graph and Dataverse modules own their protocols and
 * register one `ServiceHandler` each.
 */
import type { DataverseStore } from './dataverse-store.js';
import type { DataverseMetadataFixture } from './dataverse/metadata-state.js';
import type { WrittenRow } from './dataverse/webhooks.js';
import type { PortalEmail } from './portal.js';

export type ServiceName = 'graph' | 'dataverse';

/** The fixture file: the services' own property names throughout. Missing sections mean empty. */
export interface Fixture {
  tenant?: { id?: string; defaultDomain?: string; verifiedDomains?: string[]; domains?: FixtureDomain[] };
  app?: { clientId?: string; clientSecret?: string; roles?: string[] };
  /**
   * groupLicensingDelayMs: how long Entra takes to process a group's licences for a member after a
   * change (group-licensing.ts); 0 (the default): on the next Graph request, never inside the one
   * that made the change.
   */
  environment?: { securityGroupId?: string; licensedSkuIds?: string[]; userSyncDelayMs?: number; groupLicensingDelayMs?: number };
  /** The Power Platform admin API's view of the tenant (platform/power-platform.ts); absent: the defaults there. */
  powerPlatform?: FixturePowerPlatform;
  graph?: {
    users?: Record<string, unknown>[];
    /** assignedLicenses as Graph's group resource has them: its members inherit each (group-licensing.ts). securityEnabled (default true) and onPremisesSyncEnabled (default null: cloud-only) as the group resource has them. */
    groups?: { id: string; displayName?: string; members?: string[]; assignedLicenses?: { skuId: string; disabledPlans?: string[] }[]; securityEnabled?: boolean; onPremisesSyncEnabled?: boolean | null }[];
    subscribedSkus?: Record<string, unknown>[];
  };
  /**
   * Rows per entity set; an N:N relationship's intersect rows under the relationship's name, each with
   * the two primary keys (`"adx_webrole_contact": [{"adx_webroleid": …, "contactid": …}]`).
   */
  dataverse?: Record<string, Record<string, unknown>[]>;
  /** How the environment's table definitions differ from the schema (dataverse/metadata-state.ts). */
  dataverseMetadata?: DataverseMetadataFixture;
}

/**
 * The environment's BAP name, the client ids registered as Power Platform management applications
 * (absent: the fixture's own app, as docs/deploy/grant-permissions.sh registers it), how long after
 * a successful addUser the systemuser appears, and how long an assigned licence takes to count for
 * addUser (before that it answers userNotLicensed).
 */
export interface FixturePowerPlatform {
  environmentId?: string;
  managementApplications?: string[];
  addUserDelayMs?: number;
  licencePropagationMs?: number;
}

/** A tenant domain as a fixture gives it (tenant-domains.ts); what is left out defaults to Managed, unverified, no services. */
export interface FixtureDomain {
  id: string;
  isVerified?: boolean;
  authenticationType?: 'Managed' | 'Federated';
  supportedServices?: string[];
}

/** A domain of the tenant as GET /domains serves it (the stored part of Learn resources/domain). */
export interface DomainRecord {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
  supportedServices: string[];
}

export interface GroupRecord {
  id: string;
  displayName: string;
  members: Set<string>;
  /** The licences assigned to the group (skuIds lower-cased); its members inherit them. */
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  /** Absent: true (a security group, as the groups the product manages are). */
  securityEnabled?: boolean;
  /** Absent: null, never synced from an on-premises directory (cloud-only). */
  onPremisesSyncEnabled?: boolean | null;
}

export interface InvitationLogEntry {
  invitedUserEmailAddress: string;
  invitedUserId: string;
  at: string;
}

export interface SimState {
  /** domains: the fixture's extra entries as given; tenant-domains.ts derives every domain's record from the three. */
  tenant: { id: string; defaultDomain: string; verifiedDomains: string[]; domains: FixtureDomain[] };
  app: { clientId: string; clientSecret: string; roles: string[] };
  environment: { securityGroupId: string | null; licensedSkuIds: string[]; userSyncDelayMs: number; groupLicensingDelayMs: number };
  powerPlatform: Required<FixturePowerPlatform>;
  graph: {
    /** Keyed by object id; each value is a full Graph user with every property (select filters later). */
    users: Map<string, Record<string, unknown>>;
    groups: Map<string, GroupRecord>;
    subscribedSkus: Record<string, unknown>[];
    /** Users whose group licences Entra has yet to process, with when it will have (group-licensing.ts). */
    licensingDue: Map<string, number>;
  };
  dataverse: DataverseStore;
  invitations: InvitationLogEntry[];
  /** The portal's emails (portal.ts): what the Send Invitation workflow sent, codes included. */
  portal: { emails: PortalEmail[] };
}

/** Claims of a simulator-issued access token, verified by the core before a handler runs. */
export interface TokenClaims {
  aud: string;
  tid: string;
  appid: string;
  roles: string[];
  exp: number;
}

export interface SimRequest {
  service: ServiceName;
  method: string;
  /**
   * Path below the service root, not decoded: Graph `/users/abc`, Dataverse `contacts(…)`
   * (no leading slash, relative to /api/data/v9.2/).
   */
  path: string;
  /** The query string without '?', exactly as sent (percent-encoded). */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  claims: TokenClaims;
  /** True for a request inside a $batch envelope. */
  inner: boolean;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string (sent as is) or undefined (no body). */
  body?: unknown;
}

/** What a service handler may ask of the core. */
export interface SimContext {
  readonly state: SimState;
  /** The Graph origin + /v1.0, and the Dataverse environment URL (an origin with no path). */
  readonly graphBaseUrl: string;
  readonly dataverseUrl: string;
  now(): number;
  /**
   * Runs one inner request of a $batch through the same permission checks, service-protection
   * limits, faults and logging as a top-level request, and returns its response. Graph inner
   * requests are throttled one by one; Dataverse batches count once (the core does that).
   */
  dispatchInner(request: SimRequest): Promise<SimResponse>;
  /** Tells the platform that Entra state changed (the user sync watches licences and membership). */
  entraChanged(): void;
  /** A row was created or updated through the Web API (the webhooks post about it: dataverse/webhooks.ts). */
  dataverseWritten?(row: WrittenRow): void;
}

export type ServiceHandler = (request: SimRequest, ctx: SimContext) => Promise<SimResponse> | SimResponse;

/** One entry of GET /_sim/requests. */
export interface RequestLogEntry {
  service: ServiceName | 'token' | 'powerPlatform';
  method: string;
  path: string;
  status: number;
  inner?: { method: string; path: string; status: number }[];
}
