/**
 * The booking feed's bound and cursor against the simulator (src/app/booking-feed.ts,
 * docs/mobility-routes.md "Paging"): bookings seeded with known modifiedon values, read with a
 * small limit. A cut answer ends before the first instant it cannot hold whole and names it as
 * nextChangedSince, so following the cursor repeats nothing until the last answer; only more
 * bookings at one instant than the limit make an answer longer than the limit. Another's work
 * order's bookings never appear, and never count against the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from '../../src/app/booking-feed.js';
import { DEFAULT_STAGE_STATUSES } from '../../reconcilers/project-work-orders/settings.js';
import { PRICE_LIST, PROJECT, RESOURCE, STATUS, TASK, WO_TYPE, bookingFixture, startBookingTenant, type BookingTenant } from './booking-fixture.js';
import { REF } from './engine-fixture.js';

const OURS = 'a7000000-0000-4000-8000-000000000001';
const OTHERS = 'a7000000-0000-4000-8000-000000000002';
const T = ['2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z'] as const;
const b = (n: number): string => `b0000000-0000-4000-8000-00000000000${n}`;

const workOrder = (id: string, ours: boolean): Record<string, unknown> => ({
  msdyn_workorderid: id, msdyn_name: ours ? 'WO-1' : 'WO-X', _msdyn_serviceaccount_value: REF.vendors.fabrikam, _msdyn_workordertype_value: WO_TYPE, _msdyn_pricelist_value: PRICE_LIST,
  msdyn_systemstatus: 690970001, msdyn_taxable: false, _o25fs_project_value: ours ? PROJECT : null, _o25fs_projecttask_value: ours ? TASK : null, statecode: 0, statuscode: 1,
});
const booking = (id: string, wo: string, modifiedon: string): Record<string, unknown> => ({
  bookableresourcebookingid: id, name: `Visit ${id.slice(-1)}`, _bookingstatus_value: STATUS.scheduled, _resource_value: RESOURCE, _msdyn_workorder_value: wo,
  starttime: '2027-01-04T08:00:00Z', endtime: '2027-01-04T12:00:00Z', duration: 240, bookingtype: 1, statecode: 0, statuscode: 1, createdon: modifiedon, modifiedon,
});

let t: BookingTenant;
beforeAll(async () => {
  t = await startBookingTenant(bookingFixture({
    msdyn_workorders: [workOrder(OURS, true), workOrder(OTHERS, false)],
    // Listed out of order: the feed orders by modifiedon, then id.
    bookableresourcebookings: [
      booking(b(5), OURS, T[3]), booking(b(3), OURS, T[1]), booking(b(9), OTHERS, T[1]), booking(b(2), OURS, T[1]),
      booking(b(1), OURS, T[0]), booking(b(8), OTHERS, T[0]), booking(b(4), OURS, T[2]),
    ],
  }));
});
afterAll(() => t?.stop());

const page = async (since: string, limit: number) => {
  const answer = await readFeed(t.app.dataverse(), since, new Date(since), DEFAULT_STAGE_STATUSES, limit);
  return { ids: answer.bookings.map((x) => x.id), next: answer.nextChangedSince, more: answer.more, count: answer.count };
};

describe('the booking feed pages by modifiedon', () => {
  it.each([
    { since: '2026-01-01T00:00:00Z', limit: 10, ids: [b(1), b(2), b(3), b(4), b(5)], next: T[3], more: false, reason: 'everything fits: ours only, by modifiedon then id; the cursor is the last modifiedon' },
    { since: '2026-01-01T00:00:00Z', limit: 2, ids: [b(1)], next: T[1], more: true, reason: 'two fit, but the second instant holds two: the answer ends before it and the cursor names it' },
    { since: T[1], limit: 2, ids: [b(2), b(3)], next: T[2], more: true, reason: 'from the cursor: the whole instant, then the next instant is the cursor' },
    { since: T[2], limit: 2, ids: [b(4), b(5)], next: T[3], more: false, reason: 'the last answer: more is false' },
    { since: T[3], limit: 2, ids: [b(5)], next: T[3], more: false, reason: 'the bound is inclusive: the last booking comes again (the app dedupes by id and modifiedon)' },
    { since: T[1], limit: 1, ids: [b(2), b(3)], next: T[2], more: true, reason: 'more bookings at one instant than the limit: all of them, and the cursor moves past it' },
    { since: '2026-12-01T09:00:00+01:00', limit: 10, ids: [b(1), b(2), b(3), b(4), b(5)], next: T[3], more: false, reason: 'an offset is an instant: 09:00+01:00 is 08:00Z' },
    { since: '2026-12-02T00:00:00Z', limit: 10, ids: [], next: '2026-12-02T00:00:00Z', more: false, reason: 'nothing changed: the cursor is the request\'s changedSince' },
  ])('$reason', async ({ since, limit, ids, next, more }) => {
    expect(await page(since, limit)).toEqual({ ids, next, more, count: ids.length });
  });

  it('following the cursor from the start visits each of our bookings once before the last, inclusive answer', async () => {
    const seen: string[] = [];
    let since = '2026-01-01T00:00:00Z';
    for (let i = 0; i < 10; i++) {
      const p = await page(since, 2);
      seen.push(...p.ids);
      since = p.next;
      if (!p.more) break;
    }
    expect(seen).toEqual([b(1), b(2), b(3), b(4), b(5)]);
  });
});
