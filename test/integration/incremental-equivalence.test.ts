/**
 * The incremental observer returns what a full read would (issue 6, docs/incremental.md): random
 * changes are made in the simulated tenant (through its APIs and directly in its state, as an
 * admin or another app would), then the merged observation must deep-equal observe.ts's bulk read,
 * modulo ordering. Seeded, so a failure replays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clients } from '../../src/clients/index.js';
import { createIncrementalObserver, MemorySnapshotStore, type IncrementalObserver } from '../../src/engine/incremental/index.js';
import { productConfiguredFamilies } from '../../src/engine/compose.js';
import { observe } from '../../src/engine/observe.js';
import type { SimState } from 'tenant-sim';
import { startTenant, type Tenant } from '../support/tenant.js';
import { canonical, clientsFor, scaledFixture } from '../unit/incremental/scaled-tenant.js';

let t: Tenant;
let clients: Clients;
let observer: IncrementalObserver;
beforeAll(async () => {
  t = await startTenant(scaledFixture(20));
  clients = clientsFor(t);
  observer = createIncrementalObserver({ store: new MemorySnapshotStore(), settings: t.settings });
});
afterAll(() => t.stop());

type Row = Record<string, unknown>;
const newId = (): string => crypto.randomUUID();

/** One random change; `pick` chooses among existing rows. Returns a sentence for the failure message. */
type Mutation = (st: SimState, pick: (n: number) => number) => string;

const rows = (st: SimState, set: string): Row[] => [...st.dataverse.table(set).values()];
const any = <T,>(list: T[], pick: (n: number) => number): T | undefined => (list.length === 0 ? undefined : list[pick(list.length)]);

const MUTATIONS: Mutation[] = [
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    if (!c) return 'no contact';
    st.dataverse.update('contacts', String(c.contactid), { o25fs_hourlyrate: 10 + pick(90) });
    return `contact ${c.contactid} hourly rate edited`;
  },
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    if (!c) return 'no contact';
    st.dataverse.update('contacts', String(c.contactid), { o25fs_setuptechnician: !c.o25fs_setuptechnician });
    return `contact ${c.contactid} setup flag toggled`;
  },
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    const member = any([...st.graph.users.values()].filter((u) => u.userType !== 'Guest'), pick);
    if (!c || !member) return 'nothing to anchor';
    st.dataverse.update('contacts', String(c.contactid), { o25fs_entraobjectid: String(member.id) });
    return `contact ${c.contactid} anchored to member ${member.id}`;
  },
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    if (!c) return 'no contact';
    st.dataverse.update('contacts', String(c.contactid), { o25fs_entraobjectid: pick(2) === 0 ? null : newId() });
    return `contact ${c.contactid} anchor cleared or dangling`;
  },
  (st) => {
    const id = newId();
    st.dataverse.insert('contacts', { contactid: id, firstname: 'New', lastname: 'Person', fullname: 'New Person', emailaddress1: `${id}@vendor.example`, statecode: 0, statuscode: 1, o25fs_setuptechnician: true });
    return `contact ${id} created`;
  },
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    if (!c) return 'no contact';
    st.dataverse.delete('contacts', String(c.contactid));
    return `contact ${c.contactid} deleted`;
  },
  (st, pick) => {
    const a = any(rows(st, 'accounts'), pick);
    if (!a) return 'no account';
    st.dataverse.update('accounts', String(a.accountid), { name: `Renamed ${pick(1000)}` });
    return `account ${a.accountid} renamed`;
  },
  (st, pick) => {
    const u = any([...st.graph.users.values()], pick);
    if (!u) return 'no user';
    u.assignedLicenses = [];
    u.licenseAssignmentStates = [];
    return `user ${u.id} licences removed`;
  },
  (st, pick) => {
    const u = any([...st.graph.users.values()], pick);
    if (!u) return 'no user';
    u.userType = u.userType === 'Guest' ? 'Member' : 'Guest';
    return `user ${u.id} type flipped`;
  },
  (st, pick) => {
    const u = any([...st.graph.users.values()], pick);
    if (!u) return 'no user';
    u.usageLocation = pick(2) === 0 ? null : 'FR';
    u.accountEnabled = pick(2) === 0;
    return `user ${u.id} usage location / account state edited`;
  },
  (st, pick) => {
    const u = any([...st.graph.users.values()], pick);
    if (!u) return 'no user';
    st.graph.users.delete(String(u.id));
    for (const g of st.graph.groups.values()) g.members.delete(String(u.id));
    return `user ${u.id} deleted`;
  },
  (st, pick) => {
    const g = [...st.graph.groups.values()][0]!;
    const u = any([...st.graph.users.keys()], pick);
    if (!u) return 'no user';
    if (g.members.has(u)) g.members.delete(u);
    else g.members.add(u);
    return `membership of ${u} in ${g.id} toggled`;
  },
  (st, pick) => {
    const r = any(rows(st, 'bookableresources'), pick);
    if (!r) return 'no resource';
    st.dataverse.update('bookableresources', String(r.bookableresourceid), pick(3) === 0 ? { resourcetype: 2 } : { msdyn_hourlyrate: pick(100), name: `Edited ${pick(100)}` });
    return `resource ${r.bookableresourceid} edited`;
  },
  (st, pick) => {
    const r = any(rows(st, 'bookableresourcecharacteristics'), pick);
    if (!r) return 'no link';
    st.dataverse.delete('bookableresourcecharacteristics', String(r.bookableresourcecharacteristicid));
    return `resource characteristic ${r.bookableresourcecharacteristicid} deleted`;
  },
  (st, pick) => {
    const c = any(rows(st, 'contacts'), pick);
    const ch = any(rows(st, 'characteristics'), pick);
    if (!c || !ch) return 'nothing to link';
    const id = newId();
    st.dataverse.insert('o25fs_vendorcharacteristics', { o25fs_vendorcharacteristicid: id, _o25fs_vendorcontactid_value: c.contactid, _o25fs_characteristicid_value: ch.characteristicid, statecode: 0, statuscode: 1 });
    return `vendor characteristic ${id} added`;
  },
  (st, pick) => {
    const v = any(rows(st, 'o25fs_vendorcharacteristics'), pick);
    if (!v) return 'no vendor characteristic';
    if (pick(2) === 0) st.dataverse.delete('o25fs_vendorcharacteristics', String(v.o25fs_vendorcharacteristicid));
    else st.dataverse.update('o25fs_vendorcharacteristics', String(v.o25fs_vendorcharacteristicid), { statecode: 1, statuscode: 2 });
    return `vendor characteristic ${v.o25fs_vendorcharacteristicid} deleted or deactivated`;
  },
  (st, pick) => {
    const s = any(rows(st, 'systemusers'), pick);
    if (!s) return 'no systemuser';
    st.dataverse.update('systemusers', String(s.systemuserid), pick(3) === 0 ? { azureactivedirectoryobjectid: null } : { isdisabled: !s.isdisabled });
    return `systemuser ${s.systemuserid} edited`;
  },
  (st, pick) => {
    const ch = any(rows(st, 'characteristics'), pick);
    if (!ch) return 'no characteristic';
    st.dataverse.update('characteristics', String(ch.characteristicid), { name: `Skill ${pick(100)}` });
    return `characteristic ${ch.characteristicid} renamed`;
  },
];

describe('incremental observation equals the full observation (issue 6 "Incremental runs")', () => {
  it('after random changes in the tenant, round after round', async () => {
    const families = productConfiguredFamilies(t.settings);
    const first = await observer.observe(clients.graph, clients.dataverse, t.settings, new Date(), families);
    expect(observer.last?.mode).toBe('full');
    // The full read through change tracking equals observe.ts's filtered bulk read.
    expect(canonical(first)).toEqual(canonical(await observe(clients.graph, clients.dataverse, t.settings, new Date(), families)));

    const rounds = fc.sample(fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), fc.array(fc.nat(10_000), { minLength: 3, maxLength: 3 })), { minLength: 1, maxLength: 12 }), { numRuns: 6, seed: 6006 });
    for (const [n, round] of rounds.entries()) {
      const done = round.map(([m, picks]) => {
        let k = 0;
        return MUTATIONS[m]!(t.s.sim.state, (size) => picks[k++ % picks.length]! % size);
      });
      const incremental = await observer.observe(clients.graph, clients.dataverse, t.settings, new Date(), families);
      expect(observer.last?.mode, `round ${n}`).toBe('incremental');
      const full = await observe(clients.graph, clients.dataverse, t.settings, new Date(), families);
      expect(canonical(incremental), `round ${n}: ${done.join('; ')}`).toEqual(canonical(full));
    }
  });
});
