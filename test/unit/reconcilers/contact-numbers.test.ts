/**
 * Numbers a technician copies to Field Service and Dataverse, against the documented ranges of the
 * columns they are written to (issue 9, item 6): msdyn_hourlyrate Money 0..1,000,000,000 (Learn,
 * Field Service developer reference: "Bookable Resource (BookableResource) table/entity
 * reference"), systemuser address1_latitude / address1_longitude Double -90..90 / -180..180
 * (Learn: "SystemUser table/entity reference"), and the msdyn_workstartlocationtype choices.
 */
import { describe, expect, it } from 'vitest';
import { computeDesired, type DesiredLookups } from '../../../reconcilers/technicians/desired.js';
import { money } from '../../../reconcilers/technicians/contact-numbers.js';
import type { ContactRow } from '../../../reconcilers/technicians/rows.js';
import { contactRow, testSettings } from '../../support/model.js';

const lookups: DesiredLookups = { characteristics: new Map(), ratingValues: new Map(), ratingModelId: null };
const desiredOf = (c: Partial<ContactRow>) => computeDesired(contactRow('c-1', c), [], lookups, testSettings());

describe('numbers outside their column\'s range (VALUE_OUT_OF_RANGE)', () => {
  const bad = [
    { reason: 'a negative hourly rate (Money, 0 to 1,000,000,000)', c: { o25fs_hourlyrate: -5 }, says: 'Hourly Rate is -5 (allowed: 0 to 1,000,000,000)' },
    { reason: 'an hourly rate over 1,000,000,000', c: { o25fs_hourlyrate: 1_000_000_000.01 }, says: 'Hourly Rate is 1,000,000,000.01 (allowed: 0 to 1,000,000,000)' },
    { reason: 'an hourly rate that is NaN', c: { o25fs_hourlyrate: Number.NaN }, says: 'Hourly Rate is not a number' },
    { reason: 'an hourly rate that is Infinity', c: { o25fs_hourlyrate: Number.POSITIVE_INFINITY }, says: 'Hourly Rate is ∞' },
    { reason: 'an hourly rate sent as a string', c: { o25fs_hourlyrate: '42' as unknown as number }, says: 'Hourly Rate is "42", which is not a number' },
    { reason: 'a latitude of 91 (Double, -90 to 90)', c: { address1_latitude: 91, address1_longitude: 0 }, says: 'Latitude is 91 (allowed: -90 to 90)' },
    { reason: 'a longitude of -180.5 (Double, -180 to 180)', c: { address1_latitude: 0, address1_longitude: -180.5 }, says: 'Longitude is -180.5 (allowed: -180 to 180)' },
    { reason: 'a latitude out of range even without a longitude', c: { address1_latitude: -95 }, says: 'Latitude is -95' },
    { reason: 'a start location that is not one of the choices', c: { o25fs_startlocation: 123 }, says: 'Start Location is 123 (allowed: one of Resource Address (690970000), Organizational Unit Address (690970001), Location Agnostic (690970002))' },
    { reason: 'an end location that is not one of the choices', c: { o25fs_endlocation: 690970003 }, says: 'End Location is 690,970,003' },
  ];
  for (const tc of bad) {
    it(`error: ${tc.reason}`, () => {
      const out = desiredOf(tc.c);
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.error.code).toBe('VALUE_OUT_OF_RANGE');
      expect(out.error.errorClass).toBe('contact');
      expect(out.error.message).toContain(tc.says);
      expect(out.error.action).toMatch(/^Correct .+ on the contact/);
    });
  }

  it('every field out of range is named in one error', () => {
    const out = desiredOf({ o25fs_hourlyrate: -1, address1_latitude: 100, address1_longitude: 0, o25fs_endlocation: 5 });
    expect(!out.ok && out.error.action).toBe('Correct Hourly Rate, Latitude and End Location on the contact (or clear them); the next run picks it up.');
  });

  const fine = [
    { reason: 'an hourly rate of exactly 0', c: { o25fs_hourlyrate: 0 }, rate: 0 },
    { reason: 'an hourly rate of exactly 1,000,000,000', c: { o25fs_hourlyrate: 1_000_000_000 }, rate: 1_000_000_000 },
    { reason: 'a rate that rounds into range (1,000,000,000.004 is sent as 1,000,000,000)', c: { o25fs_hourlyrate: 1_000_000_000.004 }, rate: 1_000_000_000 },
    { reason: 'coordinates on the limits', c: { address1_latitude: -90, address1_longitude: 180 }, rate: null },
  ];
  for (const tc of fine) {
    it(`accepted: ${tc.reason}`, () => {
      const out = desiredOf(tc.c);
      expect(out.ok && out.desired.bookableResource.fields.msdyn_hourlyrate).toBe(tc.rate);
    });
  }

  it('a deactivated contact with an out-of-range rate still deprovisions (nothing of it is copied)', () => {
    const out = desiredOf({ statecode: 1, o25fs_hourlyrate: -5, o25fs_entraobjectid: 'u-1' });
    expect(out.ok && out.desired.intent).toBe('deprovision');
  });
});

describe('money', () => {
  const cases = [
    { reason: 'two decimals are kept', value: 42.5, want: 42.5 },
    { reason: 'a half cent rounds away from zero', value: 42.125, want: 42.13 },
    { reason: 'five decimals round to two', value: 42.12345, want: 42.12 },
    { reason: 'a negative half cent rounds away from zero', value: -0.005, want: -0.01 },
    { reason: 'null stays null', value: null, want: null },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      expect(money(tc.value)).toBe(tc.want);
    });
  }
});
