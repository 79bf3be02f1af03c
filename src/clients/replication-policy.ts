/**
 * Waiting out Entra's replication lag for the objects this run just created, in the shape of the
 * retry policy (`sendRequest(request, next)`, retry-policy.ts).
 *
 * Entra accepts a write first and replicates it afterwards: right after an invitation, the new
 * guest's id can be "Not Found" (404 Request_ResourceNotFound, or Directory_ObjectNotFound as
 * observed in microsoft-graph-docs issue #15839) to PATCH, assignLicense and reads by id, and adding
 * it to a group can answer 400 "The source resource object or one of the objects being referenced
 * do not exist." Learn group-post-members says to retry after a brief delay, and Entra's guidance
 * ("Designing for Eventual Consistency for Microsoft Entra") to trust the write's answer and retry
 * with backoff. So the client remembers the ids its invitations and user creations returned, and retries an answer of
 * that kind about one of them, with capped exponential backoff and a bounded number of attempts,
 * never past the run deadline. Any other 404 or 400 is a final answer, as before. When the attempts
 * run out the last answer is returned; classify-graph.ts makes it the transient OBJECT_NOT_FOUND_YET,
 * so the contact waits for the next run (a waiting state, not an error).
 */
import { sleepWithin, type RunDeadline } from './deadline.js';
import { backoffMs } from './retry-after.js';
import { describeRequest, pathOf, serviceErrorCode, serviceErrorMessage } from './service-error.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

export interface ReplicationRetryOptions {
  /** Attempts per request, the first included. Default 6: waits of about 1, 2, 4, 8 and 8 s. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long after its creation an id counts as just created. Default 10 minutes. */
  windowMs?: number;
}

export interface ReplicationPolicy {
  name: string;
  /** Remembers the user id a successful POST /invitations or POST /users answered with. */
  noteAnswer(request: ServiceRequest, response: ServiceResponse): void;
  /** Wait before sending again after `attempt` attempts, or undefined when the answer is final. */
  retryDelay(request: ServiceRequest, response: ServiceResponse, attempt: number): number | undefined;
  sendRequest(request: ServiceRequest, next: (request: ServiceRequest) => Promise<ServiceResponse>): Promise<ServiceResponse>;
}

export const replicationPolicyName = 'replicationPolicy';
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Object ids the request refers to: in its path (/users/{id}…) and in member references of its body. */
function referencedIds(request: ServiceRequest): string[] {
  const ids = (pathOf(request).match(GUID) ?? []).map((id) => id.toLowerCase());
  const body = (request.body ?? {}) as Record<string, unknown>;
  const refs = [body['@odata.id'], ...(Array.isArray(body['members@odata.bind']) ? body['members@odata.bind'] : [])];
  for (const r of refs) if (typeof r === 'string') ids.push(...(r.match(GUID) ?? []).map((id) => id.toLowerCase()));
  return ids;
}

/** The ids this answer says are missing: the one its message names, else every id the request refers to. */
function missingIds(request: ServiceRequest, response: ServiceResponse): string[] {
  const code = serviceErrorCode(response.body) ?? '';
  const message = serviceErrorMessage(response.body);
  const notFound = response.status === 404 && (code === 'Request_ResourceNotFound' || code === 'Directory_ObjectNotFound');
  const notReplicated = response.status === 400 && /objects being referenced do not exist/i.test(message);
  // A removal's "does not exist" means already done (already-done.ts), never "wait".
  if (request.method === 'DELETE' || !(notFound || notReplicated)) return [];
  const named = (message.match(GUID) ?? []).map((id) => id.toLowerCase());
  return named.length > 0 ? named : referencedIds(request);
}

export function replicationPolicy(options: ReplicationRetryOptions & RunDeadline & { random?: () => number; now?: () => number } = {}): ReplicationPolicy {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const windowMs = options.windowMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const created = new Map<string, number>();
  const policy: ReplicationPolicy = {
    name: replicationPolicyName,
    noteAnswer(request, response) {
      if (request.method !== 'POST' || response.status !== 201) return;
      const path = pathOf(request);
      // The new guest of an invitation, or the new member of POST /users (Learn user-post-users:
      // 201 with the user object), which replicates like any other new directory object.
      const body = response.body as { id?: unknown; invitedUser?: { id?: unknown } } | undefined;
      const id = /^\/?invitations$/i.test(path) ? body?.invitedUser?.id : /^\/?users$/i.test(path) ? body?.id : undefined;
      if (typeof id === 'string') created.set(id.toLowerCase(), now());
    },
    retryDelay(request, response, attempt) {
      if (attempt >= maxAttempts) return undefined;
      const fresh = missingIds(request, response).some((id) => now() - (created.get(id) ?? -Infinity) < windowMs);
      return fresh ? backoffMs(attempt, options.baseDelayMs ?? 1000, options.maxDelayMs ?? 8000, options.random) : undefined;
    },
    async sendRequest(request, next) {
      for (let attempt = 1; ; attempt++) {
        const response = await next(request);
        policy.noteAnswer(request, response);
        const wait = policy.retryDelay(request, response, attempt);
        if (wait === undefined) return response;
        await sleepWithin(wait, options, `it could try ${describeRequest(request)} again (Entra was still replicating a new guest)`);
      }
    },
  };
  return policy;
}
