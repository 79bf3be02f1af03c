import { describe, expect, it } from 'vitest';
import { coalesceMemberAdds, memberAnswers, patchSucceeded, type Indexed } from '../../../src/clients/graph-member-coalesce.js';
import type { ServiceRequest } from '../../../src/clients/types.js';

const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';
const ref = (n: number): string => `https://graph.microsoft.com/v1.0/directoryObjects/${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
const add = (group: string, n: number): ServiceRequest => ({ method: 'POST', url: `/groups/${group}/members/$ref`, body: { '@odata.id': ref(n) } });
const indexed = (requests: ServiceRequest[]): Indexed[] => requests.map((request, index) => ({ request, index }));

describe('coalesceMemberAdds', () => {
  it('41 adds to one group: PATCHes of 20 and 20 with their references in order, the 41st stays a single add', () => {
    const { patches, rest } = coalesceMemberAdds(indexed(Array.from({ length: 41 }, (_, i) => add(G1, i + 1))));
    expect(patches.map((p) => p.request)).toEqual([
      { method: 'PATCH', url: `/groups/${G1}`, body: { 'members@odata.bind': Array.from({ length: 20 }, (_, i) => ref(i + 1)) } },
      { method: 'PATCH', url: `/groups/${G1}`, body: { 'members@odata.bind': Array.from({ length: 20 }, (_, i) => ref(i + 21)) } },
    ]);
    expect(patches.map((p) => p.members.map((m) => m.index))).toEqual([Array.from({ length: 20 }, (_, i) => i), Array.from({ length: 20 }, (_, i) => i + 20)]);
    expect(rest.map((r) => r.index)).toEqual([40]);
  });

  it.each([
    { reason: 'a lone add stays a single add (the PATCH would save nothing)', requests: [add(G1, 1)], patches: 0, rest: [0] },
    { reason: 'two groups get a PATCH each', requests: [add(G1, 1), add(G2, 2), add(G1, 3), add(G2, 4)], patches: 2, rest: [] },
    { reason: 'other writes pass through untouched, in their places', requests: [{ method: 'PATCH', url: '/users/u1', body: { usageLocation: 'FR' } } as ServiceRequest, add(G1, 1), add(G1, 2), { method: 'DELETE', url: `/groups/${G1}/members/u9/$ref` } as ServiceRequest], patches: 1, rest: [0, 3] },
    { reason: 'an add with headers of its own is not merged', requests: [{ ...add(G1, 1), headers: { 'x-test': '1' } }, add(G1, 2)], patches: 0, rest: [0, 1] },
    { reason: 'an add without a string @odata.id is not merged', requests: [{ method: 'POST', url: `/groups/${G1}/members/$ref`, body: {} } as ServiceRequest, add(G1, 2), add(G1, 3)], patches: 1, rest: [0] },
  ])('$reason', ({ requests, patches, rest }) => {
    const out = coalesceMemberAdds(indexed(requests));
    expect(out.patches).toHaveLength(patches);
    expect(out.rest.map((r) => r.index).sort()).toEqual(rest);
    // Every request is carried exactly once.
    expect([...out.rest.map((r) => r.index), ...out.patches.flatMap((p) => p.members.map((m) => m.index))].sort((a, b) => a - b)).toEqual(requests.map((_, i) => i));
  });

  it('a group id is compared without case: the same group in two spellings is one PATCH', () => {
    const { patches } = coalesceMemberAdds(indexed([add(G1, 1), add(G1.toUpperCase(), 2)]));
    expect(patches.map((p) => p.request.url)).toEqual([`/groups/${G1}`]);
  });
});

describe('memberAnswers', () => {
  it('a PATCH that succeeded answers each member as a single add does (204, no body)', () => {
    const { patches } = coalesceMemberAdds(indexed([add(G1, 1), add(G1, 2)]));
    const answers = memberAnswers(patches[0]!, { status: 204, headers: { 'request-id': 'r1' }, body: undefined });
    expect([...answers.entries()]).toEqual([
      [0, { status: 204, headers: { 'request-id': 'r1' }, body: undefined }],
      [1, { status: 204, headers: { 'request-id': 'r1' }, body: undefined }],
    ]);
    expect([200, 204].map((status) => patchSucceeded({ status, headers: {}, body: undefined }))).toEqual([true, true]);
    expect([400, 404, 429].map((status) => patchSucceeded({ status, headers: {}, body: undefined }))).toEqual([false, false, false]);
  });
});
