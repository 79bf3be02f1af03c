/**
 * The replication policy (src/clients/replication-policy.ts), with fake timers and a vi.fn `next`,
 * like retry-policy.test.ts. Sources: Learn group-post-members (note on replication delays: 400
 * "The source resource object or one of the objects being referenced do not exist.", retry after a
 * brief delay); user-update / user-assignlicense (a user not found → 404 Request_ResourceNotFound);
 * "Designing for Eventual Consistency for Microsoft Entra" (trust the write's answer, retry with
 * backoff); microsoft-graph-docs issue #15839 (Directory_ObjectNotFound right after an invitation).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { replicationPolicy, type ReplicationRetryOptions } from '../../../src/clients/replication-policy.js';
import type { ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { TransientError } from '../../../src/model/errors.js';

const NEW = '0a000000-0000-4000-8000-000000000001';
const OLD = '0b000000-0000-4000-8000-000000000002';
const GROUP = '0c000000-0000-4000-8000-000000000003';
const NOW = Date.parse('2026-01-01T12:00:00Z');

const invite: ServiceRequest = { method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'a@vendor.com' } };
const invited: ServiceResponse = { status: 201, headers: {}, body: { invitedUser: { id: NEW.toUpperCase() } } };
const patch = (id: string): ServiceRequest => ({ method: 'PATCH', url: `/users/${id}`, body: { usageLocation: 'GB' } });
const addMember = (id: string): ServiceRequest => ({ method: 'POST', url: `/groups/${GROUP}/members/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` } });
const bind = (ids: string[]): ServiceRequest => ({ method: 'PATCH', url: `/groups/${GROUP}`, body: { 'members@odata.bind': ids.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`) } });
const removeMember = (id: string): ServiceRequest => ({ method: 'DELETE', url: `/groups/${GROUP}/members/${id}/$ref` });
const err = (status: number, code: string, message: string): ServiceResponse => ({ status, headers: {}, body: { error: { code, message } } });
const notFound = (id: string): ServiceResponse => err(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
const notReplicated = err(400, 'Request_BadRequest', 'The source resource object or one of the objects being referenced do not exist.');
const ok: ServiceResponse = { status: 204, headers: {}, body: undefined };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** A policy that has seen the invitation of NEW; runs `request` and returns when `next` was called (ms after start). */
async function run(request: ServiceRequest, answers: ServiceResponse[], options: ReplicationRetryOptions & { deadline?: number } = {}, sinceInvite = 0) {
  vi.setSystemTime(NOW);
  const policy = replicationPolicy({ random: () => 0.5, ...options });
  policy.noteAnswer(invite, invited);
  vi.setSystemTime(NOW + sinceInvite);
  const start = Date.now();
  const calls: number[] = [];
  const next = vi.fn(async () => {
    calls.push(Date.now() - start);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!;
  });
  const outcome = policy.sendRequest(request, next).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  return { calls, ...(await outcome) } as { calls: number[]; value?: ServiceResponse; error?: unknown };
}

describe('which answers wait for replication', () => {
  const cases: { reason: string; request: ServiceRequest; answer: ServiceResponse; retried: boolean }[] = [
    { reason: 'PATCH of the guest just invited, 404 naming it: not replicated yet', request: patch(NEW), answer: notFound(NEW), retried: true },
    { reason: 'assignLicense of the guest just invited, 404: not replicated yet', request: { method: 'POST', url: `/users/${NEW}/assignLicense`, body: {} }, answer: notFound(NEW), retried: true },
    { reason: 'GET by id of the guest just invited, 404 Directory_ObjectNotFound (observed, #15839)', request: { method: 'GET', url: `/users/${NEW}?$select=id` }, answer: err(404, 'Directory_ObjectNotFound', 'Unable to read the company information from the directory.'), retried: true },
    { reason: 'member add of the guest just invited, 400 "…objects being referenced do not exist." (group-post-members note)', request: addMember(NEW), answer: notReplicated, retried: true },
    { reason: 'members@odata.bind holding the guest just invited, same 400', request: bind([OLD, NEW]), answer: notReplicated, retried: true },
    { reason: 'a 404 about a user this run did not create is final (deleted by hand, say)', request: patch(OLD), answer: notFound(OLD), retried: false },
    { reason: 'a 404 naming the group is final (GROUP_NOT_FOUND), even when the member is new', request: addMember(NEW), answer: notFound(GROUP), retried: false },
    { reason: 'a removal answered "does not exist" is already done, never a wait', request: removeMember(NEW), answer: notFound(NEW), retried: false },
    { reason: '"already exist" on a member add is already done, not a wait', request: addMember(NEW), answer: err(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."), retried: false },
    { reason: 'another 400 about the new guest is a final answer', request: { method: 'POST', url: `/users/${NEW}/assignLicense`, body: {} }, answer: err(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'), retried: false },
  ];
  it.each(cases)('$reason', async ({ request, answer, retried }) => {
    const { calls, value } = await run(request, [answer, ok]);
    expect(calls).toEqual(retried ? [0, 750] : [0]);
    expect(value).toBe(retried ? ok : answer);
  });
});

describe('bounds', () => {
  it('capped exponential backoff, at most 6 attempts by default; then the last answer is returned (classified later as OBJECT_NOT_FOUND_YET)', async () => {
    const { calls, value } = await run(patch(NEW), [notFound(NEW)]);
    // Waits of 750, 1500, 3000, 6000 and 6000 ms (equal jitter at 0.5; base 1 s, cap 8 s).
    expect(calls).toEqual([0, 750, 2250, 5250, 11250, 17250]);
    expect(value).toEqual(notFound(NEW));
  });

  it('maxAttempts, baseDelayMs and maxDelayMs are options', async () => {
    const { calls } = await run(patch(NEW), [notFound(NEW)], { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 400 });
    expect(calls).toEqual([0, 150, 450, 750]);
  });

  it('an id counts as just created for windowMs after its invitation only', async () => {
    expect((await run(patch(NEW), [notFound(NEW), ok], { windowMs: 60_000 }, 59_000)).calls).toEqual([0, 750]);
    expect((await run(patch(NEW), [notFound(NEW), ok], { windowMs: 60_000 }, 61_000)).calls).toEqual([0]);
  });

  it('a wait that would end past the run deadline is not started: RUN_DEADLINE', async () => {
    const { calls, error } = await run(patch(NEW), [notFound(NEW)], { deadline: NOW + 1000 });
    expect(calls).toEqual([0, 750]);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('RUN_DEADLINE');
  });

  it('only a 201 invitation answer makes an id "just created"', async () => {
    const policy = replicationPolicy({ random: () => 0.5 });
    policy.noteAnswer(invite, { status: 400, headers: {}, body: { invitedUser: { id: OLD } } });
    policy.noteAnswer({ method: 'GET', url: '/users' }, { status: 201, headers: {}, body: { invitedUser: { id: OLD } } });
    expect(policy.retryDelay(patch(OLD), notFound(OLD), 1)).toBeUndefined();
    policy.noteAnswer(invite, { status: 201, headers: {}, body: { invitedUser: { id: OLD } } });
    expect(policy.retryDelay(patch(OLD), notFound(OLD), 1)).toBe(750);
  });

  it('a member created by POST /users (201 with the user, Learn user-post-users) is waited for like an invited guest', async () => {
    const policy = replicationPolicy({ random: () => 0.5 });
    const create: ServiceRequest = { method: 'POST', url: '/users', body: { userPrincipalName: 'a@contoso.com' } };
    // Its licence and group add come before the user has replicated.
    expect(policy.retryDelay(addMember(OLD), notReplicated, 1)).toBeUndefined();
    policy.noteAnswer(create, { status: 400, headers: {}, body: { id: OLD } });
    expect(policy.retryDelay(addMember(OLD), notReplicated, 1)).toBeUndefined();
    policy.noteAnswer(create, { status: 201, headers: {}, body: { id: OLD.toUpperCase(), userPrincipalName: 'a@contoso.com' } });
    expect(policy.retryDelay(addMember(OLD), notReplicated, 1)).toBe(750);
    expect(policy.retryDelay({ method: 'POST', url: `/users/${OLD}/assignLicense`, body: {} }, notFound(OLD), 1)).toBe(750);
  });
});
