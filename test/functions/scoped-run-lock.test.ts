/**
 * The run lock per scope (src/history/scoped-run-lock.ts) against Azurite's blob leases: the
 * tenant's lock excludes every other run; a vendor's excludes the same vendor and the tenant, not
 * other vendors; contact runs exclude runs sharing a contact, vendor runs and the tenant. Lease
 * behaviour: Learn "Lease Blob" (REST): 409 LeaseAlreadyPresent on a leased blob.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPlan, MAX_SUBJECT_LEASES, ScopedRunLock } from '../../src/history/scoped-run-lock.js';
import type { RunScope } from '../../src/model/plan.js';
import { startAzurite, type TestAzurite } from '../support/azurite.js';

const VENDOR_A = 'd7fb2863-4d86-5346-91a7-58f877939fed';
const VENDOR_B = 'b3f5b507-eb49-5837-9a6c-fe167fa0a8c4';
const C1 = 'c44b12bd-35f4-5753-aaf3-54a259c98586';
const C2 = '0b7c8f0e-0000-4000-8000-0000000000c2';
const run = (n: number): string => `0b7c8f0e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const tenant: RunScope = { kind: 'tenant' };
const vendor = (groupId: string): RunScope => ({ kind: 'group', family: 'technicians', groupId });
const contacts = (...subjectIds: string[]): RunScope => ({ kind: 'subjects', family: 'technicians', subjectIds });

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

async function take(lock: ScopedRunLock, id: string, scope: RunScope) {
  const got = await lock.acquire(id, scope);
  if (!got.acquired) throw new Error(`${id} did not get the lock of ${JSON.stringify(scope)} (held by ${got.runningRunId})`);
  return got.lock;
}

describe('the run lock per scope', () => {
  it('vendors run side by side; a second run of the same vendor and a tenant run are refused, naming the holder', async () => {
    const lock = new ScopedRunLock(azurite.container());
    const a = await take(lock, run(1), vendor(VENDOR_A));
    const b = await take(lock, run(2), vendor(VENDOR_B));
    expect(await lock.acquire(run(3), vendor(VENDOR_A))).toEqual({ acquired: false, runningRunId: run(1) });
    const t = await lock.acquire(run(4), tenant);
    expect(t.acquired).toBe(false);
    expect([run(1), run(2)]).toContain(!t.acquired ? t.runningRunId : undefined);
    // The refused tenant run gave its own lease back.
    expect(await lock.holder(tenant)).toBeNull();
    expect(await lock.holder(vendor(VENDOR_A))).toBe(run(1));
    await Promise.all([a.release(), b.release()]);
    const whole = await take(lock, run(5), tenant);
    expect(await lock.holder(tenant)).toBe(run(5));
    expect(await lock.acquire(run(6), vendor(VENDOR_B))).toEqual({ acquired: false, runningRunId: run(5) });
    expect(await lock.acquire(run(7), contacts(C1))).toEqual({ acquired: false, runningRunId: run(5) });
    await whole.release();
    // The refused vendor run holds nothing: the same vendor is free again.
    (await take(lock, run(8), vendor(VENDOR_B))).release();
  });

  it('contact runs exclude runs sharing a contact and vendor runs, not runs of other contacts', async () => {
    const lock = new ScopedRunLock(azurite.container());
    const one = await take(lock, run(11), contacts(C1));
    expect(await lock.acquire(run(12), contacts(C2, C1))).toEqual({ acquired: false, runningRunId: run(11) });
    // The refused run took C2's lease before C1's refused it, and gave it back.
    const two = await take(lock, run(13), contacts(C2));
    const refused = await lock.acquire(run(14), vendor(VENDOR_A));
    expect(refused.acquired).toBe(false);
    expect([run(11), run(13)]).toContain(!refused.acquired ? refused.runningRunId : undefined);
    await Promise.all([one.release(), two.release()]);
    const v = await take(lock, run(15), vendor(VENDOR_A));
    expect(await lock.acquire(run(16), contacts(C1))).toEqual({ acquired: false, runningRunId: run(15) });
    await v.release();
  });

  it('a contact\'s lock blob goes with its run: released means deleted, and the next run of that contact creates it again', async () => {
    const container = azurite.container();
    const lock = new ScopedRunLock(container);
    const names = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const b of container.listBlobsFlat({ prefix: 'locks/' })) out.push(b.name);
      return out.sort();
    };
    const one = await take(lock, run(31), contacts(C1, C2));
    expect(await names()).toEqual([`locks/subject/technicians/${C2}.lock`, `locks/subject/technicians/${C1}.lock`]);
    await one.release();
    expect(await names()).toEqual([]);
    const again = await take(lock, run(32), contacts(C1));
    expect(await lock.holder(contacts(C1))).toBe(run(32));
    await again.release();
    // A vendor's lock blob stays (one per vendor), only its lease ends.
    await (await take(lock, run(33), vendor(VENDOR_A))).release();
    expect(await names()).toEqual([`locks/group/technicians/${VENDOR_A}.lock`]);
  });

  it('many racing runs of one vendor and the tenant: never two at once', async () => {
    const lock = new ScopedRunLock(azurite.container());
    const scopes = [tenant, vendor(VENDOR_A), vendor(VENDOR_A), vendor(VENDOR_B), tenant, contacts(C1)];
    const got = await Promise.all(scopes.map((s, i) => lock.acquire(run(20 + i), s)));
    const held = got.flatMap((g, i) => (g.acquired ? [{ scope: scopes[i]!, lock: g.lock }] : []));
    const kinds = held.map((x) => x.scope.kind);
    if (kinds.includes('tenant')) expect(held).toHaveLength(1);
    expect(held.filter((x) => x.scope.kind === 'group' && x.scope.groupId === VENDOR_A).length).toBeLessThanOrEqual(1);
    expect(kinds.includes('group') && kinds.includes('subjects')).toBe(false);
    await Promise.all(held.map((x) => x.lock.release()));
  });

  it('holds a lease per contact up to 20 contacts, and the tenant\'s lock for a longer list', () => {
    const ids = Array.from({ length: MAX_SUBJECT_LEASES + 1 }, (_, i) => `0b7c8f0e-0000-4000-8000-${String(100 + i).padStart(12, '0')}`);
    expect(lockPlan(contacts(...ids.slice(0, 2))).leases).toEqual([`locks/subject/technicians/${ids[0]}.lock`, `locks/subject/technicians/${ids[1]}.lock`]);
    expect(lockPlan(contacts(...ids)).leases).toEqual(['run.lock']);
    expect(lockPlan(vendor(VENDOR_A.toUpperCase())).leases).toEqual([`locks/group/technicians/${VENDOR_A}.lock`]);
  });
});
