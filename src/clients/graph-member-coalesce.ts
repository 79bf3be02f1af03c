/**
 * Group additions, fewer writes: the single adds of one sendMany (`POST /groups/{g}/members/$ref`,
 * one change each) that name the same group go out as `PATCH /groups/{g}` with up to 20
 * `members@odata.bind` references (Learn group-post-members, "Example 2: Add multiple members to a
 * group in a single request": "You can add up to 20 members in a single request").
 *
 * Why it is worth it: Graph's write quota counts write requests (throttling-limits.md, the
 * x-ms-throttle-scope "Write" limit: "Write requests for the scope (POST, PATCH, PUT, DELETE...)";
 * identity and access: 3,000 per 150 s per app and tenant), so one PATCH of 20 members costs one
 * write where 20 adds cost 20, also inside $batch, whose inner requests count on their own.
 *
 * The request is all or nothing: one reference that does not exist (not replicated yet, or gone)
 * or is already a member refuses the whole PATCH with 400. Then only that request's members fall
 * back to single adds, so each change gets its own answer and its own outcome: "already exists" is
 * done (already-done.ts), a missing user waits out replication (replication-policy.ts) or fails on
 * its own row. A PATCH repeated after a lost answer is therefore safe as well: its members are
 * already there, the repeat is refused, and the single adds find every one done.
 *
 * The engine and the kinds are unchanged: each group.add change still plans and reports its own
 * request; this file only decides how the client carries them.
 */
import type { ServiceRequest, ServiceResponse } from './types.js';

/** Members one PATCH may bind (group-post-members). */
export const MEMBERS_PER_PATCH = 20;

export interface Indexed {
  request: ServiceRequest;
  index: number;
}

/** One PATCH and the single adds it carries. */
export interface MemberPatch {
  request: ServiceRequest;
  members: Indexed[];
}

const ADD_MEMBER = /^\/?groups\/([^/?]+)\/members\/\$ref$/i;

/** The group a plain single add names, or null for any other request (or one with headers of its own). */
function groupOf(request: ServiceRequest): string | null {
  if (request.method !== 'POST' || request.headers !== undefined) return null;
  const match = ADD_MEMBER.exec(request.url);
  const ref = (request.body as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
  return match && typeof ref === 'string' ? decodeURIComponent(match[1]!).toLowerCase() : null;
}

/**
 * Splits a wave's requests: the single adds of a group that has two or more in the wave become
 * PATCHes of at most `max` members; everything else (a lone add included) stays as it is.
 */
export function coalesceMemberAdds(requests: readonly Indexed[], max = MEMBERS_PER_PATCH): { patches: MemberPatch[]; rest: Indexed[] } {
  const byGroup = new Map<string, Indexed[]>();
  const rest: Indexed[] = [];
  for (const item of requests) {
    const group = groupOf(item.request);
    if (group === null) rest.push(item);
    else byGroup.set(group, [...(byGroup.get(group) ?? []), item]);
  }
  const patches: MemberPatch[] = [];
  for (const [group, adds] of byGroup) {
    if (adds.length < 2) {
      rest.push(...adds);
      continue;
    }
    for (let i = 0; i < adds.length; i += max) {
      const members = adds.slice(i, i + max);
      if (members.length === 1) {
        rest.push(members[0]!);
        continue;
      }
      const refs = members.map((m) => (m.request.body as { '@odata.id': string })['@odata.id']);
      patches.push({ request: { method: 'PATCH', url: `/groups/${group}`, body: { 'members@odata.bind': refs } }, members });
    }
  }
  return { patches, rest };
}

/** Each member's answer when the PATCH succeeded: what a single add answers (204 No Content). */
export function memberAnswers(patch: MemberPatch, response: ServiceResponse): Map<number, ServiceResponse> {
  return new Map(patch.members.map((m) => [m.index, { status: 204, headers: response.headers, body: undefined }]));
}

export const patchSucceeded = (response: ServiceResponse): boolean => response.status >= 200 && response.status < 300;
