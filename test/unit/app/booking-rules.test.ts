/**
 * The mobility routes' pure rules (src/app/booking-rules.ts, docs/mobility-routes.md): request
 * validation, the stage order over field service statuses
 * (https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status) and the
 * deterministic choice of a booking status.
 */
import { describe, expect, it } from 'vitest';
import { moveVerdict, parseBookingId, parseChangedSince, parseStageBody, stageOfStatus, statusForStage, type BookingStatusRow } from '../../../src/app/booking-rules.js';
import { BadRequest } from '../../../src/app/requests.js';
import { DEFAULT_STAGE_STATUSES, STAGES } from '../../../reconcilers/project-work-orders/settings.js';

const FS = { scheduled: 690970000, traveling: 690970001, onBreak: 690970002, inProgress: 690970003, completed: 690970004, canceled: 690970005 };

describe('changedSince', () => {
  it.each([
    { value: '2026-12-02T09:00:00Z', iso: '2026-12-02T09:00:00.000Z', reason: 'UTC with Z' },
    { value: '2026-12-02T10:00:00+01:00', iso: '2026-12-02T09:00:00.000Z', reason: 'an offset is applied' },
    { value: '2026-12-02T10:00:00 01:00', iso: '2026-12-02T09:00:00.000Z', reason: 'an unencoded + arrives as a space and still means the offset' },
    { value: '2026-12-02T04:00-05:00', iso: '2026-12-02T09:00:00.000Z', reason: 'seconds may be left out' },
    { value: '2026-12-02T09:00:00.1234567Z', iso: '2026-12-02T09:00:00.123Z', reason: 'Dataverse-style seven fraction digits' },
    { value: '2024-02-29T00:00:00Z', iso: '2024-02-29T00:00:00.000Z', reason: 'a leap day in a leap year' },
  ])('accepts $value: $reason', ({ value, iso }) => {
    expect(parseChangedSince(value).toISOString()).toBe(iso);
  });

  it.each([
    { value: null, reason: 'it is required' },
    { value: '  ', reason: 'blank is missing' },
    { value: '2026-12-02', reason: 'a date alone has no time' },
    { value: '2026-12-02T09:00:00', reason: 'a time without an offset is ambiguous' },
    { value: '1701507600', reason: 'epoch seconds are not ISO 8601' },
    { value: '2026-02-30T00:00:00Z', reason: 'February has no 30th (Date would roll it over)' },
    { value: '2026-13-01T00:00:00Z', reason: 'no month 13' },
    { value: '2026-12-02T24:00:00Z', reason: 'no hour 24' },
    { value: '2026-12-02T09:00:00+25:00', reason: 'no offset of 25 hours' },
    { value: 'yesterday', reason: 'words are not timestamps' },
  ])('refuses $value with a 400 naming the form: $reason', ({ value }) => {
    expect(() => parseChangedSince(value)).toThrow(BadRequest);
    expect(() => parseChangedSince(value)).toThrow(/ISO 8601 date and time with its offset, e\.g\. 2026-12-02T09:00:00Z/);
  });
});

describe('booking id and stage body', () => {
  it('lower-cases a GUID id and refuses anything else', () => {
    expect(parseBookingId('6F9619FF-8B86-D011-B42D-00C04FC964FF')).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    for (const bad of [undefined, '', '123', '6f9619ff-8b86-d011-b42d-00c04fc964f', "6f9619ff-8b86-d011-b42d-00c04fc964ff')"]) {
      expect(() => parseBookingId(bad), String(bad)).toThrow(/must be a bookableresourcebookingid \(a GUID\)/);
    }
  });

  it.each([
    { contentType: 'application/json', body: '{"stage":"Onsite"}', stage: 'Onsite', reason: 'the plain form' },
    { contentType: 'Application/JSON; charset=utf-8', body: '{"stage":"Complete"}', stage: 'Complete', reason: 'the media type is case-insensitive and may carry a charset' },
  ])('accepts $body: $reason', ({ contentType, body, stage }) => {
    expect(parseStageBody(contentType, body, STAGES)).toBe(stage);
  });

  it.each([
    { contentType: undefined, body: '{"stage":"Onsite"}', message: /Content-Type: application\/json \(got none\)/, reason: 'no Content-Type' },
    { contentType: 'text/plain', body: '{"stage":"Onsite"}', message: /got "text\/plain"/, reason: 'a form or text body is not JSON' },
    { contentType: 'application/json', body: 'stage=Onsite', message: /must be JSON/, reason: 'not JSON' },
    { contentType: 'application/json', body: '["Onsite"]', message: /JSON object with one field, stage/, reason: 'an array is not the object' },
    { contentType: 'application/json', body: '{}', message: /stage must be one of Acknowledgment, Travel, Onsite, InProgress, Complete, Incomplete \(exact names\); got none/, reason: 'stage missing' },
    { contentType: 'application/json', body: '{"stage":"onsite"}', message: /exact names\); got "onsite"/, reason: 'names are exact, not case-folded' },
    { contentType: 'application/json', body: '{"stage":"In Progress"}', message: /got "In Progress"/, reason: 'a booking status name is not a stage' },
    { contentType: 'application/json', body: '{"stage":3}', message: /got 3/, reason: 'a number is not a stage' },
    { contentType: 'application/json', body: '{"stage":"Onsite","at":"now"}', message: /Unknown field "at"/, reason: 'no other fields' },
  ])('refuses $body ($contentType): $reason', ({ contentType, body, message }) => {
    expect(() => parseStageBody(contentType, body, STAGES)).toThrow(BadRequest);
    expect(() => parseStageBody(contentType, body, STAGES)).toThrow(message);
  });
});

describe('stage order', () => {
  it.each([
    { from: FS.scheduled, to: FS.traveling, verdict: 'forward', reason: 'Scheduled → Traveling' },
    { from: FS.scheduled, to: FS.completed, verdict: 'forward', reason: 'steps may be skipped' },
    { from: FS.traveling, to: FS.inProgress, verdict: 'forward', reason: 'Traveling → In Progress (Onsite, InProgress)' },
    { from: FS.onBreak, to: FS.inProgress, verdict: 'forward', reason: 'back from a break: On Break counts as In Progress, so not backwards' },
    { from: FS.inProgress, to: FS.onBreak, verdict: 'forward', reason: 'a break within In Progress is not backwards' },
    { from: FS.inProgress, to: FS.canceled, verdict: 'forward', reason: 'Incomplete ends the booking as Canceled' },
    { from: null, to: FS.traveling, verdict: 'forward', reason: 'a status without a field service value counts as Scheduled' },
    { from: FS.inProgress, to: FS.inProgress, verdict: 'unchanged', reason: 'Onsite after InProgress is the same field service status: no write' },
    { from: FS.completed, to: FS.completed, verdict: 'unchanged', reason: 'Complete again is idempotent' },
    { from: FS.traveling, to: FS.scheduled, verdict: 'backwards', reason: 'Traveling → Scheduled' },
    { from: FS.inProgress, to: FS.traveling, verdict: 'backwards', reason: 'In Progress → Traveling' },
    { from: FS.onBreak, to: FS.traveling, verdict: 'backwards', reason: 'On Break is In Progress, ahead of Traveling' },
    { from: FS.completed, to: FS.traveling, verdict: 'out-of-final', reason: 'Completed is final' },
    { from: FS.completed, to: FS.canceled, verdict: 'out-of-final', reason: 'Completed → Canceled leaves a final status' },
    { from: FS.canceled, to: FS.completed, verdict: 'out-of-final', reason: 'Canceled is final too' },
  ])('$from → $to is $verdict: $reason', ({ from, to, verdict }) => {
    expect(moveVerdict(from, to)).toBe(verdict);
  });
});

const row = (n: number, name: string, fs: number | null, statecode = 0): BookingStatusRow => ({ bookingstatusid: `a5000000-0000-4000-8000-00000000000${n}`, name, msdyn_fieldservicestatus: fs, statecode });

describe('which booking status a stage sets', () => {
  it.each([
    { stage: 'Complete', statuses: [row(1, 'Incomplete', FS.completed), row(2, 'Complete', FS.completed)], chosen: 2, reason: 'the one named like the stage, even if another sorts first' },
    { stage: 'InProgress', statuses: [row(1, 'Arrived', FS.inProgress), row(2, 'In Progress', FS.inProgress)], chosen: 2, reason: 'names match ignoring case, spaces and punctuation' },
    { stage: 'Onsite', statuses: [row(2, 'Working', FS.inProgress), row(1, 'In Progress', FS.inProgress)], chosen: 1, reason: 'none named like the stage: the first by name' },
    { stage: 'Travel', statuses: [row(1, 'Travel', FS.traveling, 1), row(2, 'Traveling', FS.traveling)], chosen: 2, reason: 'inactive statuses are never chosen, even named like the stage' },
    { stage: 'Travel', statuses: [row(2, 'Driving', FS.traveling), row(1, 'Driving', FS.traveling)], chosen: 1, reason: 'equal names: the lower id, so every call picks the same' },
    { stage: 'Travel', statuses: [row(1, 'Travel', FS.scheduled)], chosen: null, reason: 'a name alone is not enough: the field service value decides' },
  ])('$stage: $reason', ({ stage, statuses, chosen }) => {
    const fs = DEFAULT_STAGE_STATUSES[stage as keyof typeof DEFAULT_STAGE_STATUSES];
    expect(statusForStage(stage, fs, statuses)?.bookingstatusid ?? null).toBe(chosen === null ? null : row(chosen, '', null).bookingstatusid);
  });

  it.each([
    { name: 'In Progress', fs: FS.inProgress, stage: 'InProgress', reason: 'named like a stage mapped to its value' },
    { name: 'Onsite', fs: FS.inProgress, stage: 'Onsite', reason: 'two stages share In Progress: the name decides' },
    { name: 'Arrived', fs: FS.inProgress, stage: 'Onsite', reason: 'no name match: the first stage mapped to the value, in the settings\' order' },
    { name: 'Scheduled', fs: FS.scheduled, stage: 'Acknowledgment', reason: 'Scheduled is Acknowledgment by default' },
    { name: 'Break', fs: FS.onBreak, stage: null, reason: 'no stage maps to On Break by default' },
    { name: 'Custom', fs: null, stage: null, reason: 'no field service value, no stage' },
  ])('a status $name is stage $stage: $reason', ({ name, fs, stage }) => {
    expect(stageOfStatus({ name, msdyn_fieldservicestatus: fs }, DEFAULT_STAGE_STATUSES)).toBe(stage);
  });
});
