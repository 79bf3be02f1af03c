/**
 * Conformance: the booking → work order status cascade. Sources: Learn "Work order and booking
 * statuses" (learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status) and
 * "Booking and requirement status relationship" (learn.microsoft.com/dynamics365/field-service/booking-requirement-status-relationship):
 * a booking → Scheduled; Traveling → In Progress; In Progress sets the booking's
 * msdyn_actualarrivaltime and the work order's msdyn_firstarrivedon; all bookings Completed (with a
 * status that completes the work order) → Completed and msdyn_completedon. Statuses resolve through
 * bookingstatus.msdyn_fieldservicestatus (the bookingstatus reference), never by name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { STATUS, TASK_1, bookingBody, projectFixture, workOrderBody } from './dataverse-project-fixture.js';

let s: RunningSim;
let wo: string;
beforeEach(async () => {
  s = await startSim(projectFixture());
  const res = await s.dataverse('POST', 'msdyn_workorders', { body: workOrderBody(TASK_1) });
  wo = /\(([^)]+)\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
});
afterEach(() => s.stop());

const order = (): Record<string, unknown> => s.sim.state.dataverse.get('msdyn_workorders', wo)!;
const book = async (status: string): Promise<string> => {
  const res = await s.dataverse('POST', 'bookableresourcebookings', { body: bookingBody(wo, status) });
  expect(res.status).toBe(204);
  return /\(([^)]+)\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
};
const move = async (booking: string, status: string): Promise<void> => {
  const res = await s.dataverse('PATCH', `bookableresourcebookings(${booking})`, { body: { 'BookingStatus@odata.bind': `/bookingstatuses(${status})` } });
  expect(res.status).toBe(204);
};

describe('booking → work order status (work-order-status-booking-status)', () => {
  it('walks one booking through Scheduled, Traveling, In Progress, Completed', async () => {
    expect(order().msdyn_systemstatus).toBe(690970000);
    const b = await book(STATUS.scheduled);
    expect(order().msdyn_systemstatus).toBe(690970001);
    await move(b, STATUS.traveling);
    expect(order().msdyn_systemstatus).toBe(690970002);
    expect(order().msdyn_firstarrivedon ?? null).toBeNull();
    await move(b, STATUS.inProgress);
    const arrived = s.sim.state.dataverse.get('bookableresourcebookings', b)!.msdyn_actualarrivaltime;
    expect(typeof arrived).toBe('string');
    expect(order()).toMatchObject({ msdyn_systemstatus: 690970002, msdyn_firstarrivedon: arrived });
    await move(b, STATUS.completed);
    expect(order()).toMatchObject({ msdyn_systemstatus: 690970003, msdyn_completedon: expect.any(String) });
  });

  it.each([
    { reason: 'one of two bookings completed: the work order stays In Progress', second: STATUS.scheduled, status: 690970002 },
    { reason: 'one completed and one canceled: Completed (canceled bookings do not hold it)', second: STATUS.canceled, status: 690970003 },
    { reason: 'both completed: Completed', second: STATUS.completed, status: 690970003 },
  ])('$reason', async ({ second, status }) => {
    const a = await book(STATUS.scheduled);
    const b = await book(STATUS.scheduled);
    await move(a, STATUS.completed);
    await move(b, second);
    expect(order().msdyn_systemstatus).toBe(status);
  });

  it.each([
    { reason: 'a status with no field service mapping counts as Scheduled', status: STATUS.unmapped, expected: 690970001 },
    { reason: 'a Completed status that does not complete the work order (Incomplete) leaves it In Progress', status: STATUS.incomplete, expected: 690970002 },
    { reason: 'a booking created Canceled does not schedule the work order', status: STATUS.canceled, expected: 690970000 },
  ])('resolves through msdyn_fieldservicestatus: $reason', async ({ status, expected }) => {
    await book(status);
    expect(order().msdyn_systemstatus).toBe(expected);
  });

  it('cancelling the only booking takes a Scheduled work order back to Unscheduled', async () => {
    const b = await book(STATUS.scheduled);
    await move(b, STATUS.canceled);
    expect(order().msdyn_systemstatus).toBe(690970000);
  });

  it('leaves a Canceled work order alone', async () => {
    expect((await s.dataverse('PATCH', `msdyn_workorders(${wo})`, { body: { msdyn_systemstatus: 690970005 } })).status).toBe(204);
    await book(STATUS.inProgress);
    expect(order().msdyn_systemstatus).toBe(690970005);
    expect(order().msdyn_firstarrivedon ?? null).toBeNull();
  });

  it('a refused booking write changes nothing on the work order', async () => {
    const res = await s.dataverse('POST', 'bookableresourcebookings', { body: { ...bookingBody(wo, STATUS.inProgress), duration: -1 } });
    expect(res.status).toBe(400);
    expect(order().msdyn_systemstatus).toBe(690970000);
  });
});
