/**
 * Quarantine (src/engine/guards/quarantine.ts and its counters in src/engine/status.ts). Behaviour
 * from Entra provisioning's per-object escrow with a retry interval that grows to once a day
 * (learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status,
 * learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works), scaled to an hourly
 * loop: 1 h, 2 h, 4 h …
 * at most 24 h, after QUARANTINE_AFTER_FAILURES failed runs in a row (default 3).
 */
import { describe, expect, it } from 'vitest';
import { technicianKey } from '../../support/subject-key.js';
import { backoffMs, isOutage, quarantineGuard, retryAction } from '../../../src/engine/guards/quarantine.js';
import { QUARANTINED } from '../../../src/engine/guards/index.js';
import { productFamilies } from '../../../src/engine/compose.js';
import { finalStatuses, statusWrites } from '../../../src/engine/status.js';
import type { SubjectPlan, ErrorInfo } from '../../../src/model/plan.js';
import type { ChangeResult } from '../../../src/model/run.js';
import { change, context, contactPlan, NOW, planOf } from './builders.js';

const HOUR = 3_600_000;
const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('backoff schedule', () => {
  const table: { reason: string; failures: number; after: number; hours: number }[] = [
    { reason: 'the run that reaches the limit waits 1 h', failures: 3, after: 3, hours: 1 },
    { reason: 'each further failure doubles it', failures: 4, after: 3, hours: 2 },
    { reason: 'then 4 h', failures: 5, after: 3, hours: 4 },
    { reason: 'then 16 h', failures: 7, after: 3, hours: 16 },
    { reason: 'capped at once a day, as Entra provisioning (application-provisioning-quarantine-status)', failures: 8, after: 3, hours: 24 },
    { reason: 'and stays there however long it fails', failures: 500, after: 3, hours: 24 },
    { reason: 'the schedule starts at the configured limit', failures: 5, after: 5, hours: 1 },
  ];
  for (const t of table) it(t.reason, () => expect(backoffMs(t.failures, t.after)).toBe(t.hours * HOUR));
});

describe('quarantine guard', () => {
  const failing = (overrides: Partial<SubjectPlan> = {}): SubjectPlan =>
    contactPlan('bad-1', { status: 'invited', storedStatus: 'quarantined', storedError: 'Graph refused the invitation. What to do: fix the email.', storedFailures: 3, storedNextAttemptAt: at(HOUR), ...overrides });
  const changes = [change('bad-1', 'user.invite'), change('bad-1', 'group.add', { dependsOn: ['bad-1/user.invite'] }), change('ok-1', 'systemuser.update')];

  const cases: { reason: string; contact: SubjectPlan; scope?: 'contacts'; settings?: { quarantineAfterFailures: number }; held: boolean }[] = [
    { reason: 'failed 3 runs in a row and the next attempt is still to come: every change of the contact waits', contact: failing(), held: true },
    { reason: 'the next attempt time has passed: it is tried again', contact: failing({ storedNextAttemptAt: at(-1000) }), held: false },
    { reason: 'exactly at the next attempt time it is tried', contact: failing({ storedNextAttemptAt: at(0) }), held: false },
    { reason: 'below the limit nothing waits', contact: failing({ storedFailures: 2 }), held: false },
    { reason: 'QUARANTINE_AFTER_FAILURES=5: 3 failures are not enough', contact: failing(), settings: { quarantineAfterFailures: 5 }, held: false },
    { reason: 'a run for named contacts is an admin asking for a retry: not held back', contact: failing(), scope: 'contacts', held: false },
    { reason: 'without a stored next attempt time nothing waits', contact: failing({ storedNextAttemptAt: undefined }), held: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const plan = planOf(changes, [c.contact], c.scope ? { kind: 'subjects', family: 'technicians', subjectIds: ['bad-1'] } : { kind: 'tenant' });
      const out = quarantineGuard.guard(plan, context({ settings: c.settings ?? {} }));
      const bad = out.changes.filter((ch) => ch.subject.id === 'bad-1');
      expect(bad.every((ch) => ch.blocked?.code === QUARANTINED)).toBe(c.held);
      expect(bad.some((ch) => ch.blocked)).toBe(c.held);
      expect(out.changes.find((ch) => ch.subject.id === 'ok-1')!.blocked).toBeUndefined();
      expect(out.subjects.find((p) => p.subject.id === 'bad-1')!.status).toBe(c.held ? 'quarantined' : 'invited');
    });
  }

  it('shows the contact as quarantined with the failures, the next attempt time, the last error and how to retry now', () => {
    const out = quarantineGuard.guard(planOf(changes, [failing()]), context());
    const contact = out.subjects.find((p) => p.subject.id === 'bad-1')!;
    expect(contact.error).toEqual({
      class: 'contact',
      code: QUARANTINED,
      message: `Failed in 3 runs in a row, so it is quarantined: no attempt before ${at(HOUR)}. Last error: Graph refused the invitation. What to do: fix the email.`,
      action: retryAction('bad-1', at(HOUR)),
    });
    expect(contact.error!.action).toContain('vendor-reconciler apply --contact bad-1');
    expect(contact.error!.action).toContain('{"contactIds": ["bad-1"]}');
    expect(out.changes[0]!.blocked).toEqual({ code: QUARANTINED, reason: `Quarantined after 3 failed runs in a row; not attempted before ${at(HOUR)}.`, action: retryAction('bad-1', at(HOUR)) });
    expect(out.summary.subjectsByStatus).toEqual({ quarantined: 1, active: 1 });
    expect(out.summary.errors).toBe(1);
  });

  it('leaves a contact with nothing to do alone (it has converged; the run clears its counters)', () => {
    const plan = planOf([change('ok-1', 'systemuser.update')], [failing()]);
    expect(quarantineGuard.guard(plan, context())).toBe(plan);
  });

  it('leaves a contact the plan already reports as an error alone', () => {
    const error: ErrorInfo = { class: 'contact', code: 'EMAIL_INVALID', message: 'bad', action: 'fix' };
    const plan = planOf([change('ok-1', 'systemuser.update')], [failing({ error, status: 'error' })]);
    expect(quarantineGuard.guard(plan, context())).toBe(plan);
  });
});

describe('counters after an apply (finalStatuses + statusWrites)', () => {
  const contactError: ErrorInfo = { class: 'contact', code: 'EMAIL_IN_TENANT_DOMAIN', message: 'The email is in a verified domain.', action: 'Use the technician\'s own email.' };
  const transient: ErrorInfo = { class: 'transient', code: 'SERVICE_UNAVAILABLE', message: 'Graph answered 500.', action: 'Nothing; the next run retries.' };
  const throttled: ErrorInfo = { class: 'throttled', code: 'THROTTLED', message: 'Graph answered 429 after every retry.', action: 'Nothing.' };
  const noUnits: ErrorInfo = { class: 'contact', code: 'NO_LICENCE_UNITS', message: 'No unit.', action: 'Buy units.' };
  const notReplicated: ErrorInfo = { class: 'transient', code: 'OBJECT_NOT_FOUND_YET', message: 'Graph has not replicated the guest yet.', action: 'Nothing.' };
  const invite = change('c-1', 'user.invite');
  const result = (outcome: ChangeResult['outcome'], error?: ErrorInfo): ChangeResult => ({ changeId: invite.id, subjectKey: technicianKey('c-1'), outcome, ...(error ? { error } : {}) });

  const cases: {
    reason: string;
    stored: Partial<SubjectPlan>;
    result: ChangeResult;
    expected: { status: string; failures: number; nextAttemptAt: string | null };
    writes: Record<string, unknown> | null;
  }[] = [
    {
      reason: 'a first failure is counted and written with the status',
      stored: {},
      result: result('failed', contactError),
      expected: { status: 'error', failures: 1, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950007, o25fs_provisioningerror: 'The email is in a verified domain. What to do: Use the technician\'s own email.', o25fs_consecutivefailures: 1, o25fs_nextattemptat: null },
    },
    {
      reason: 'the third failure in a row quarantines the contact for 1 h; the error it shows stays the last one',
      stored: { storedStatus: 'error', storedError: 'The email is in a verified domain. What to do: Use the technician\'s own email.', storedFailures: 2 },
      result: result('failed', contactError),
      expected: { status: 'quarantined', failures: 3, nextAttemptAt: at(HOUR) },
      writes: { o25fs_provisioningstatus: 808950008, o25fs_provisioningerror: 'The email is in a verified domain. What to do: Use the technician\'s own email.', o25fs_consecutivefailures: 3, o25fs_nextattemptat: at(HOUR) },
    },
    {
      reason: 'a failed retry after the wait doubles it',
      stored: { storedStatus: 'quarantined', storedError: 'x', storedFailures: 3, storedNextAttemptAt: at(-60_000) },
      result: result('failed', contactError),
      expected: { status: 'quarantined', failures: 4, nextAttemptAt: at(2 * HOUR) },
      writes: { o25fs_provisioningstatus: 808950008, o25fs_provisioningerror: 'The email is in a verified domain. What to do: Use the technician\'s own email.', o25fs_consecutivefailures: 4, o25fs_nextattemptat: at(2 * HOUR) },
    },
    {
      reason: 'a success ends it: counters cleared, status as planned',
      stored: { storedStatus: 'quarantined', storedError: 'x', storedFailures: 4, storedNextAttemptAt: at(-60_000) },
      result: result('applied'),
      expected: { status: 'invited', failures: 0, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950001, o25fs_provisioningerror: null, o25fs_consecutivefailures: 0, o25fs_nextattemptat: null },
    },
    {
      reason: 'a transient failure of this contact alone counts',
      stored: { storedFailures: 1 },
      result: result('failed', transient),
      expected: { status: 'pending', failures: 2, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950000, o25fs_provisioningerror: 'Graph answered 500. What to do: Nothing; the next run retries.', o25fs_consecutivefailures: 2, o25fs_nextattemptat: null },
    },
    {
      reason: 'throttling is the service\'s doing, not the contact\'s: the counter stays (only the status is written)',
      stored: { storedFailures: 2 },
      result: result('failed', throttled),
      expected: { status: 'pending', failures: 2, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950000, o25fs_provisioningerror: 'Graph answered 429 after every retry. What to do: Nothing.' },
    },
    {
      reason: 'Entra still replicating a new guest (OBJECT_NOT_FOUND_YET) is a wait, not the contact\'s failure: the counter stays',
      stored: { storedFailures: 2 },
      result: result('failed', notReplicated),
      expected: { status: 'pending', failures: 2, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950000, o25fs_provisioningerror: 'Graph has not replicated the guest yet. What to do: Nothing.' },
    },
    {
      reason: 'running out of licence units is capacity, not the contact: the counter stays',
      stored: { storedFailures: 2 },
      result: result('failed', noUnits),
      expected: { status: 'no_licence_units', failures: 2, nextAttemptAt: null },
      writes: { o25fs_provisioningstatus: 808950006, o25fs_provisioningerror: 'No unit. What to do: Buy units.' },
    },
    {
      reason: 'a change the run did not reach (deadline) counts neither way',
      stored: { storedStatus: 'pending', storedFailures: 2 },
      result: result('not_reached'),
      expected: { status: 'pending', failures: 2, nextAttemptAt: null },
      writes: null,
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const plan = planOf([invite], [contactPlan('c-1', { status: 'invited', storedStatus: null, ...c.stored })]);
      const statuses = finalStatuses(plan, [c.result], { now: NOW, after: 3 });
      expect(statuses.get(technicianKey('c-1'))).toMatchObject(c.expected);
      const writes = statusWrites(plan, statuses, productFamilies());
      expect(writes.map((w) => w.body)).toEqual(c.writes ? [c.writes] : []);
    });
  }

  it('a contact held back by quarantine keeps its counters, its stored error and needs no write', () => {
    const stored = { storedStatus: 'quarantined' as const, storedError: 'last real error', storedFailures: 3, storedNextAttemptAt: at(HOUR) };
    const plan = quarantineGuard.guard(planOf([invite], [contactPlan('c-1', { status: 'invited', ...stored })]), context());
    const blocked: ChangeResult = { changeId: invite.id, subjectKey: technicianKey('c-1'), outcome: 'blocked', error: { class: 'contact', code: QUARANTINED, message: 'q', action: 'a' } };
    const statuses = finalStatuses(plan, [blocked], { now: NOW, after: 3 });
    expect(statuses.get(technicianKey('c-1'))).toEqual({ status: 'quarantined', error: 'last real error', failures: 3, nextAttemptAt: at(HOUR) });
    expect(statusWrites(plan, statuses, productFamilies())).toEqual([]);
  });

  it('a converged contact with nothing stored gets no write', () => {
    const plan = planOf([], [contactPlan('c-1')]);
    expect(statusWrites(plan, finalStatuses(plan, [], { now: NOW, after: 3 }), productFamilies())).toEqual([]);
  });

  it('without a clock (a dry run, or a caller that does not track quarantine) the status logic is unchanged', () => {
    const plan = planOf([invite], [contactPlan('c-1', { status: 'invited', storedStatus: null, storedFailures: 2 })]);
    const statuses = finalStatuses(plan, [result('failed', contactError)]);
    expect(statuses.get(technicianKey('c-1'))).toEqual({ status: 'error', error: 'The email is in a verified domain. What to do: Use the technician\'s own email.' });
    expect(statusWrites(plan, statuses, productFamilies())[0]!.body).toEqual({ o25fs_provisioningstatus: 808950007, o25fs_provisioningerror: 'The email is in a verified domain. What to do: Use the technician\'s own email.' });
  });

  it('a service-wide outage (over 40% of the contacts, at least 5, failing transiently) counts for nobody (Entra\'s escrow share)', () => {
    const contacts = Array.from({ length: 10 }, (_, i) => `c-${i}`);
    const results: ChangeResult[] = contacts.map((id, i) => ({ changeId: `${id}/user.invite`, subjectKey: technicianKey(id), outcome: i < 5 ? 'failed' : 'applied', ...(i < 5 ? { error: transient } : {}) }));
    expect(isOutage(results)).toBe(true);
    const plan = planOf(contacts.map((id) => change(id, 'user.invite')), contacts.map((id) => contactPlan(id, { status: 'invited', storedFailures: 2 })));
    const statuses = finalStatuses(plan, results, { now: NOW, after: 3 });
    expect(statuses.get(technicianKey('c-0'))).toMatchObject({ status: 'pending', failures: 2 });
    expect(statuses.get(technicianKey('c-9'))).toMatchObject({ status: 'invited', failures: 0 });
    // 4 failing contacts are not an outage: each is counted.
    expect(isOutage(results.map((r, i) => (i === 4 ? { ...r, outcome: 'applied' as const, error: undefined } : r)))).toBe(false);
  });
});
