/**
 * The mobility app's routes against the simulator (docs/mobility-routes.md): the feed, the stage
 * moves with their exact PATCH bodies and If-Match, the simulator's end state (the booking's status
 * and the work order status Field Service's cascade gives it,
 * https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status), and the
 * refusals (backwards, unknown booking, another's booking, bad body, a stale ETag, a missing
 * status, the family off).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppResponse } from '../../src/app/types.js';
import { BOOKINGS_SETTINGS, PROJECT, STATUS, TASK, bookingBody, bookingFixture, request, startBookingTenant, workOrderBody, type BookingTenant } from './booking-fixture.js';

let t: BookingTenant | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

interface Answer {
  [key: string]: unknown;
  error?: string;
  code?: string;
  bookings?: { id: string }[];
}
const body = (res: AppResponse): Answer => JSON.parse(res.body) as Answer;
const feed = async (tenant: BookingTenant, since: string): Promise<Answer> => {
  const res = await tenant.handlers.bookings(request('GET', `/api/bookings?changedSince=${encodeURIComponent(since)}`));
  expect(res.status).toBe(200);
  return body(res);
};
const stage = (tenant: BookingTenant, booking: string, name: string): Promise<AppResponse> =>
  tenant.handlers.bookingStage(request('POST', `/api/bookings/${booking}/stage`, { body: JSON.stringify({ stage: name }), contentType: 'application/json' }));
const patches = (tenant: BookingTenant) => tenant.wire.filter((w) => w.method === 'PATCH');

describe('mobility routes against the simulator', () => {
  it('walks a booking from the feed through Travel, Onsite (twice), Complete, and refuses what it must', async () => {
    t = await startBookingTenant();
    const since = '2020-01-01T00:00:00Z';
    expect(await feed(t, since)).toEqual({ changedSince: since, nextChangedSince: since, more: false, count: 0, bookings: [] });

    const wo = await t.create('msdyn_workorders', workOrderBody(true));
    const booking = await t.create('bookableresourcebookings', bookingBody(wo, STATUS.scheduled));
    const listed = await feed(t, since);
    const modifiedon = String(t.row('bookableresourcebookings', booking).modifiedon);
    expect(listed).toEqual({
      changedSince: since,
      nextChangedSince: modifiedon,
      more: false,
      count: 1,
      bookings: [{
        id: booking,
        name: 'Cabinet 1 visit',
        start: '2027-01-04T08:00:00Z',
        end: '2027-01-04T12:00:00Z',
        modifiedon,
        status: { id: STATUS.scheduled, name: 'Scheduled', msdyn_fieldservicestatus: 690970000, fieldServiceStatusName: 'Scheduled', stage: 'Acknowledgment' },
        workOrder: { id: wo, name: 'WO-PROJECT', msdyn_systemstatus: 690970001, taskId: TASK, projectId: PROJECT },
      }],
    });
    // The inclusive bound: the booking's own modifiedon still lists it.
    expect((await feed(t, modifiedon)).bookings!.map((b) => b.id)).toEqual([booking]);

    t.wire.length = 0;
    const travel = await stage(t, booking, 'Travel');
    expect(travel.status).toBe(200);
    expect(body(travel)).toMatchObject({ bookingId: booking, stage: 'Travel', changed: true, previous: { stage: 'Acknowledgment', status: { id: STATUS.scheduled } }, current: { stage: 'Travel', status: { id: STATUS.traveling, name: 'Traveling' } } });
    // The active Traveling status, not the inactive one named Travel.
    expect(patches(t)).toEqual([{ method: 'PATCH', path: `bookableresourcebookings(${booking})`, headers: expect.objectContaining({ 'if-match': expect.stringMatching(/^W\/"\d+"$/) }), body: { 'BookingStatus@odata.bind': `/bookingstatuses(${STATUS.traveling})` } }]);
    expect(t.row('msdyn_workorders', wo).msdyn_systemstatus).toBe(690970002);

    t.wire.length = 0;
    const onsite = await stage(t, booking, 'Onsite');
    expect(body(onsite)).toMatchObject({ changed: true, current: { stage: 'InProgress', status: { id: STATUS.inProgress } } });
    expect(patches(t).map((p) => p.body)).toEqual([{ 'BookingStatus@odata.bind': `/bookingstatuses(${STATUS.inProgress})` }]);
    expect(t.row('bookableresourcebookings', booking).msdyn_actualarrivaltime).toEqual(expect.any(String));

    t.wire.length = 0;
    const again = await stage(t, booking, 'Onsite');
    expect(again.status).toBe(200);
    expect(body(again)).toMatchObject({ bookingId: booking, changed: false, previous: { status: { id: STATUS.inProgress } }, current: { status: { id: STATUS.inProgress } } });
    expect(patches(t)).toEqual([]);

    const complete = await stage(t, booking, 'Complete');
    // "Complete" is named like the stage; "Incomplete" carries Completed too but is not chosen.
    expect(body(complete)).toMatchObject({ changed: true, current: { stage: 'Complete', status: { id: STATUS.completed } } });
    expect(t.row('bookableresourcebookings', booking)._bookingstatus_value).toBe(STATUS.completed);
    expect(t.row('msdyn_workorders', wo)).toMatchObject({ msdyn_systemstatus: 690970003, msdyn_completedon: expect.any(String) });

    t.wire.length = 0;
    const back = await stage(t, booking, 'Travel');
    expect(back.status).toBe(409);
    expect(body(back)).toMatchObject({ code: 'STAGE_BACKWARDS', currentStage: 'Complete', requestedStage: 'Travel', action: expect.any(String) });
    expect(body(back).error).toContain('Complete');
    expect(body(back).error).toContain('Travel');
    const incomplete = await stage(t, booking, 'Incomplete');
    expect(body(incomplete)).toMatchObject({ code: 'STAGE_BACKWARDS', currentStage: 'Complete', requestedStage: 'Incomplete' });
    expect(patches(t)).toEqual([]);

    const unknown = await stage(t, '0b0b0b0b-0000-4000-8000-000000000999', 'Travel');
    expect(unknown.status).toBe(404);
    expect(body(unknown)).toMatchObject({ code: 'BOOKING_NOT_FOUND', action: expect.stringContaining('GET /api/bookings') });

    const otherWo = await t.create('msdyn_workorders', workOrderBody(false));
    const otherBooking = await t.create('bookableresourcebookings', bookingBody(otherWo, STATUS.scheduled));
    t.wire.length = 0;
    const others = await stage(t, otherBooking, 'Travel');
    expect(others.status).toBe(404);
    expect(body(others).code).toBe('BOOKING_NOT_FOUND');
    expect(patches(t)).toEqual([]);
    expect(t.row('bookableresourcebookings', otherBooking)._bookingstatus_value).toBe(STATUS.scheduled);
    // Nor does the feed show another's booking.
    expect((await feed(t, since)).bookings!.map((b) => b.id)).toEqual([booking]);

    const bad = await t.handlers.bookingStage(request('POST', `/api/bookings/${booking}/stage`, { body: '{"stage":"onsite"}', contentType: 'application/json' }));
    expect(bad.status).toBe(400);
    expect(body(bad)).toMatchObject({ code: 'BAD_REQUEST', error: expect.stringContaining('Acknowledgment, Travel, Onsite, InProgress, Complete, Incomplete') });
    expect(t.row('bookableresourcebookings', booking)._bookingstatus_value).toBe(STATUS.completed);
  });

  it('a stage write against a changed booking (stale ETag) is 409 STAGE_CONFLICT and writes nothing', async () => {
    t = await startBookingTenant();
    const wo = await t.create('msdyn_workorders', workOrderBody(true));
    const booking = await t.create('bookableresourcebookings', bookingBody(wo, STATUS.scheduled));
    // Another writer moves the booking between the route's read and its PATCH.
    const sim = t.s.sim as unknown as { dispatch: (r: { method: string; path: string }, ...rest: unknown[]) => Promise<unknown> };
    const inner = sim.dispatch.bind(t.s.sim);
    const tenant = t;
    sim.dispatch = async (r, ...rest) => {
      if (r.method === 'PATCH' && r.path.includes(booking)) {
        sim.dispatch = inner;
        tenant.s.sim.state.dataverse.update('bookableresourcebookings', booking, { name: 'Moved by a dispatcher' });
      }
      return inner(r, ...rest);
    };
    const res = await stage(t, booking, 'Travel');
    expect(res.status).toBe(409);
    expect(body(res)).toMatchObject({ code: 'STAGE_CONFLICT', action: expect.stringContaining('Read the booking again') });
    expect(t.row('bookableresourcebookings', booking)._bookingstatus_value).toBe(STATUS.scheduled);
  });

  it('no active status with the stage\'s field service value is 500 STAGE_STATUS_MISSING naming WORK_ORDER_STAGE_STATUSES', async () => {
    t = await startBookingTenant(bookingFixture(), { ...BOOKINGS_SETTINGS, WORK_ORDER_STAGE_STATUSES: 'Onsite=690970002' });
    const fixture = t.s.sim.state.dataverse;
    fixture.update('bookingstatuses', STATUS.onBreak, { statecode: 1, statuscode: 2 });
    const wo = await t.create('msdyn_workorders', workOrderBody(true));
    const booking = await t.create('bookableresourcebookings', bookingBody(wo, STATUS.scheduled));
    const res = await stage(t, booking, 'Onsite');
    expect(res.status).toBe(500);
    expect(body(res)).toMatchObject({ code: 'STAGE_STATUS_MISSING', action: expect.stringContaining('WORK_ORDER_STAGE_STATUSES') });
  });

  it.each([
    { path: '/api/bookings', message: /changedSince is required/, reason: 'the feed needs changedSince' },
    { path: '/api/bookings?changedSince=2026-12-02T09:00:00', message: /changedSince must be an ISO 8601 date and time with its offset/, reason: 'a time without an offset is ambiguous' },
    { path: '/api/bookings/not-a-guid/stage', body: '{"stage":"Travel"}', contentType: 'application/json', message: /must be a bookableresourcebookingid \(a GUID\)/, reason: 'the booking id is a GUID' },
    { path: '/api/bookings/0b0b0b0b-0000-4000-8000-000000000001/stage', body: '{"stage":"Travel"}', contentType: 'text/plain', message: /Content-Type: application\/json/, reason: 'the body must be sent as JSON' },
    { path: '/api/bookings/0b0b0b0b-0000-4000-8000-000000000001/stage', body: '{"stage":"Travel"', contentType: 'application/json', message: /must be JSON/, reason: 'the body must parse' },
  ])('400 BAD_REQUEST before any Dataverse request: $reason', async ({ path, body: text, contentType, message }) => {
    t = await startBookingTenant();
    const stageRoute = path.endsWith('/stage');
    const res = stageRoute
      ? await t.handlers.bookingStage(request('POST', path, { body: text ?? '', ...(contentType ? { contentType } : {}) }))
      : await t.handlers.bookings(request('GET', path));
    expect(res.status).toBe(400);
    expect(body(res).code).toBe('BAD_REQUEST');
    expect(body(res).error).toMatch(message);
    expect(t.wire).toEqual([]);
  });

  it('with the family off both routes answer 404 FAMILY_OFF and read nothing', async () => {
    const { WORK_ORDER_TYPE_ID: _off, ...off } = BOOKINGS_SETTINGS;
    t = await startBookingTenant(bookingFixture(), off);
    for (const res of [await t.handlers.bookings(request('GET', '/api/bookings?changedSince=2026-01-01T00:00:00Z')), await stage(t, '0b0b0b0b-0000-4000-8000-000000000001', 'Travel')]) {
      expect(res.status).toBe(404);
      expect(body(res)).toMatchObject({ code: 'FAMILY_OFF', action: expect.stringContaining('WORK_ORDER_TYPE_ID') });
    }
    expect(t.wire).toEqual([]);
  });
});
