/**
 * Test support for the incremental observer: the demo tenant plus `extra` converged technicians
 * (copies of the demo's first "converged" person with fresh ids), the product's clients pointed at
 * a started tenant, and a canonical form of an Observation for comparisons modulo ordering.
 */
import { ClientSecretCredential } from '@azure/identity';
import { createHash } from 'node:crypto';
import { createClients, type Clients } from '../../../src/clients/index.js';
import type { Observation } from '../../../src/model/observation.js';
import type { Fixture } from 'tenant-sim';
import { DEMO_FIXTURE, type Tenant } from '../../support/tenant.js';

type Row = Record<string, unknown>;

function idFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function scaledFixture(extra: number): Fixture {
  const f = structuredClone(DEMO_FIXTURE);
  const dv = f.dataverse!;
  const contacts = dv.contacts!;
  // The first converged person: anchored, with a resource and characteristics.
  const template = contacts.find((c) => c.o25fs_provisioningstatus === 808950003 && c._o25fs_bookableresourceid_value && c.o25fs_setuptechnician === true)!;
  const userId = String(template.o25fs_entraobjectid);
  const resourceId = String(template._o25fs_bookableresourceid_value);
  const user = f.graph!.users!.find((u) => u.id === userId)!;
  const systemuser = dv.systemusers!.find((s) => s.azureactivedirectoryobjectid === userId)!;
  const resource = dv.bookableresources!.find((r) => r.bookableresourceid === resourceId)!;
  const vcs = dv.o25fs_vendorcharacteristics!.filter((v) => v._o25fs_vendorcontactid_value === template.contactid);
  const brcs = dv.bookableresourcecharacteristics!.filter((b) => b._resource_value === resourceId);
  const local = String(template.emailaddress1).split('@')[0]!;
  const ids = [String(template.contactid), userId, String(systemuser.systemuserid), resourceId, ...vcs.map((v) => String(v.o25fs_vendorcharacteristicid)), ...brcs.map((b) => String(b.bookableresourcecharacteristicid))];
  const group = f.graph!.groups!.find((g) => g.members?.includes(userId))!;
  for (let k = 0; k < extra; k++) {
    const copy = (row: Row): Row => {
      let json = JSON.stringify(row);
      for (const id of ids) json = json.split(id).join(idFor(`${id}:${k}`));
      return JSON.parse(json.split(local).join(`${local}.t${k}`)) as Row;
    };
    contacts.push(copy(template));
    f.graph!.users!.push(copy(user));
    group.members!.push(idFor(`${userId}:${k}`));
    dv.systemusers!.push(copy(systemuser));
    dv.bookableresources!.push(copy(resource));
    dv.o25fs_vendorcharacteristics!.push(...vcs.map(copy));
    dv.bookableresourcecharacteristics!.push(...brcs.map(copy));
  }
  const fs = f.graph!.subscribedSkus!.find((s) => (user.assignedLicenses as { skuId: string }[]).some((l) => l.skuId === s.skuId))!;
  fs.consumedUnits = Number(fs.consumedUnits) + extra;
  fs.prepaidUnits = { enabled: Number(fs.consumedUnits) + 1000, suspended: 0, warning: 0, lockedOut: 0 };
  return f;
}

export function clientsFor(t: Tenant): Clients {
  const credential = new ClientSecretCredential(t.s.info.tenantId, t.s.info.clientId, t.s.info.clientSecret, {
    authorityHost: t.s.info.authorityHost,
    disableInstanceDiscovery: true,
  });
  return createClients(t.settings, credential);
}

const KEYS: Record<string, string> = {
  contacts: 'contactid',
  accounts: 'accountid',
  vendorCharacteristics: 'o25fs_vendorcharacteristicid',
  characteristics: 'characteristicid',
  ratingValues: 'ratingvalueid',
  users: 'id',
  subscribedSkus: 'skuId',
  systemUsers: 'systemuserid',
  bookableResources: 'bookableresourceid',
  resourceCharacteristics: 'bookableresourcecharacteristicid',
};

/** The observation without observedAt, every collection sorted by its key. */
export function canonical(o: Observation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'observedAt') continue;
    if (k === 'groupMemberIds' || k === 'deletedContactIds') out[k] = v === null ? null : [...(v as string[])].sort();
    else if (k === 'formerGroupMemberIds' || k === 'serviceAccountDomain') out[k] = v;
    else out[k] = [...(v as Row[])].sort((a, b) => String(a[KEYS[k]!]).localeCompare(String(b[KEYS[k]!])));
  }
  return out;
}

interface LogEntry {
  service: string;
  method: string;
  path: string;
  inner?: { method: string; path: string }[];
}

/** The services' request log since the last clear: GETs (pages) and writes (inner requests of batches counted). */
export async function requestCounts(t: Tenant): Promise<{ gets: LogEntry[]; writes: { method: string; path: string }[] }> {
  const log = (await t.s.admin('GET', '/requests')).json.value as LogEntry[];
  // Paths relative to the service root, as the clients write them: Graph `/users…`, Dataverse `contacts…`.
  const calls = log.filter((e) => e.service !== 'token').map((e) => ({ ...e, path: e.path.replace(/^\/v1\.0/, '').replace(/^\/api\/data\/v9\.2\//, '') }));
  const flat = calls.flatMap((e) => (e.path.includes('$batch') ? (e.inner ?? []) : [e]));
  return { gets: calls.filter((e) => e.method === 'GET'), writes: flat.filter((c) => c.method !== 'GET') };
}
