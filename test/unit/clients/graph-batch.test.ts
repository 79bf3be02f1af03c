/**
 * GraphClient against a local HTTPS server: the exact requests it sends and how it reads answers.
 * Sources: learn.microsoft.com/graph/json-batching (JSON $batch: at most 20, unique ids,
 * Content-Type on inner
 * requests with a body, answers in any order matched by id, inner 429 retried alone after its
 * Retry-After), learn.microsoft.com/graph/throttling (x-ms-throttle-priority),
 * learn.microsoft.com/graph/paging (paging: follow @odata.nextLink, re-send headers).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/clients/graph-client.js';
import type { ServiceRequest } from '../../../src/clients/types.js';
import { startServer, staticCredential, type Recorded, type TestServer } from './https-server.js';

let server: TestServer;
let scopes: string[];
let client: GraphClient;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.maxInFlight = 0;
  scopes = [];
  client = new GraphClient({ baseUrl: `${server.origin}/v1.0`, credential: staticCredential(scopes), random: () => 0 });
});

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}
const innerOf = (r: Recorded): InnerRequest[] => (JSON.parse(r.body) as { requests: InnerRequest[] }).requests;

/** Echo server: every inner request answered 200 with its own id and url. */
function echo(order: 'same' | 'reversed' = 'same') {
  server.handle = (req) => {
    if (req.url !== '/v1.0/$batch') return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: req.url } } };
    const responses = innerOf(req).map((r) => ({ id: r.id, status: 200, headers: { 'Content-Type': 'application/json' }, body: { url: r.url } }));
    return { status: 200, body: { responses: order === 'reversed' ? responses.reverse() : responses } };
  };
}

const assignments = (n: number): ServiceRequest[] =>
  Array.from({ length: n }, (_, i) => ({ method: 'POST', url: `/users/u${i}/assignLicense`, body: { addLicenses: [{ skuId: 's', disabledPlans: [] }], removeLicenses: [] } }));

describe('GraphClient.sendMany', () => {
  it('45 requests go out as envelopes of 20, 20 and 5 with the documented inner shape (json-batching)', async () => {
    echo();
    const requests: ServiceRequest[] = [...assignments(44), { method: 'DELETE', url: '/groups/g/members/u9/$ref' }];
    const responses = await client.sendMany(requests);
    expect(server.requests.map((r) => [r.method, r.url, innerOf(r).length])).toEqual([
      ['POST', '/v1.0/$batch', 20],
      ['POST', '/v1.0/$batch', 20],
      ['POST', '/v1.0/$batch', 5],
    ]);
    const all = server.requests.flatMap(innerOf);
    expect(new Set(all.map((r) => r.id)).size).toBe(45);
    expect(all[0]).toEqual({
      id: '1',
      method: 'POST',
      url: '/users/u0/assignLicense',
      headers: { 'x-ms-throttle-priority': 'Low', 'Content-Type': 'application/json' },
      body: { addLicenses: [{ skuId: 's', disabledPlans: [] }], removeLicenses: [] },
    });
    // No body, no Content-Type (and no body member at all).
    expect(all[44]).toEqual({ id: '45', method: 'DELETE', url: '/groups/g/members/u9/$ref', headers: { 'x-ms-throttle-priority': 'Low' } });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer static-token');
    expect(scopes).toContain(`${server.origin}/.default`);
    expect(responses.map((r) => (r.body as { url: string }).url)).toEqual(requests.map((r) => r.url));
  });

  it('answers the server returns in another order come back in input order, matched by id', async () => {
    echo('reversed');
    const requests = assignments(7);
    const responses = await client.sendMany(requests);
    expect(responses.map((r) => (r.body as { url: string }).url)).toEqual(requests.map((r) => r.url));
    expect(responses[0]).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { url: '/users/u0/assignLicense' } });
  });

  it('an inner 429 is retried alone, in a new envelope, after its Retry-After; the others are not resent', async () => {
    server.handle = (req, index) => {
      const inner = innerOf(req);
      return {
        status: 200,
        body: {
          responses: inner.map((r) =>
            index === 0 && r.id === '2'
              ? { id: r.id, status: 429, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' }, body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } } }
              : { id: r.id, status: 204, headers: {} },
          ),
        },
      };
    };
    const started = Date.now();
    const responses = await client.sendMany(assignments(3));
    expect(server.requests).toHaveLength(2);
    expect(innerOf(server.requests[1]!).map((r) => [r.id, r.url])).toEqual([['2', '/users/u1/assignLicense']]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(responses.map((r) => r.status)).toEqual([204, 204, 204]);
  });

  it('an inner 429 that never clears is returned as that request\'s answer; the others keep theirs', async () => {
    server.handle = (req) => ({
      status: 200,
      body: { responses: innerOf(req).map((r) => (r.id === '1' ? { id: r.id, status: 429, headers: { 'Retry-After': '0' } } : { id: r.id, status: 204 })) },
    });
    client = new GraphClient({ baseUrl: `${server.origin}/v1.0`, credential: staticCredential(), maxAttempts: 3 });
    const responses = await client.sendMany(assignments(2));
    expect(server.requests.map((r) => innerOf(r).length)).toEqual([2, 1, 1]);
    expect(responses.map((r) => r.status)).toEqual([429, 204]);
    expect(responses[0]!.headers['retry-after']).toBe('0');
  });

  it('a throttled envelope is retried as a whole by the policy', async () => {
    server.handle = (req, index) => (index === 0 ? { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests', message: 'x' } } } : { status: 200, body: { responses: innerOf(req).map((r) => ({ id: r.id, status: 204 })) } });
    const responses = await client.sendMany(assignments(3));
    expect(server.requests.map((r) => innerOf(r).length)).toEqual([3, 3]);
    expect(responses.map((r) => r.status)).toEqual([204, 204, 204]);
  });

  it('keeps at most `concurrency` envelopes in flight', async () => {
    echo();
    const slow = server.handle;
    server.handle = async (req, i) => ({ ...(await slow(req, i)), delayMs: 50 });
    client = new GraphClient({ baseUrl: `${server.origin}/v1.0`, credential: staticCredential(), concurrency: 2 });
    await client.sendMany(assignments(100));
    expect(server.requests).toHaveLength(5);
    expect(server.maxInFlight).toBe(2);
  });
});

describe('GraphClient.list and send', () => {
  it('a credential that gives no token is a configuration error at once, not a retried network fault', async () => {
    const failing = { getToken: () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')) };
    client = new GraphClient({ baseUrl: `${server.origin}/v1.0`, credential: failing });
    await expect(client.send({ method: 'GET', url: '/users' })).rejects.toMatchObject({ errorClass: 'configuration', code: 'AUTHENTICATION_FAILED', message: expect.stringMatching(/AADSTS7000215/) });
    expect(server.requests).toHaveLength(0);
  });

  it('follows @odata.nextLink and re-sends the given headers on every page (paging.md)', async () => {
    server.handle = (req) =>
      req.url.includes('$skiptoken=p2')
        ? { status: 200, body: { value: [{ id: 'u3' }] } }
        : { status: 200, body: { value: [{ id: 'u1' }, { id: 'u2' }], '@odata.nextLink': `${server.origin}/v1.0/users?$select=id&$count=true&$skiptoken=p2` } };
    const users = await client.list<{ id: string }>('/users?$select=id&$count=true', { headers: { ConsistencyLevel: 'eventual' } });
    expect(users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(server.requests.map((r) => r.url)).toEqual(['/v1.0/users?$select=id&$count=true', '/v1.0/users?$select=id&$count=true&$skiptoken=p2']);
    for (const r of server.requests) expect(r.headers).toMatchObject({ consistencylevel: 'eventual', authorization: 'Bearer static-token', 'x-ms-throttle-priority': 'Low' });
  });

  it('a 4xx comes back as data: status, lower-cased headers and the parsed error body', async () => {
    server.handle = () => ({ status: 400, headers: { 'Retry-After': '7', 'request-id': 'r1' }, body: { error: { code: 'Request_BadRequest', message: 'License assignment cannot be done for user with invalid usage location.' } } });
    const response = await client.send(assignments(1)[0]!);
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject({ 'retry-after': '7', 'request-id': 'r1' });
    expect(response.body).toEqual({ error: { code: 'Request_BadRequest', message: 'License assignment cannot be done for user with invalid usage location.' } });
    expect(server.requests).toHaveLength(1);
  });

  it('the SDK RetryHandler is off: a 429 is retried once by our policy, not again by the SDK', async () => {
    server.handle = (_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests', message: 'x' } } } : { status: 200, body: { id: 'u1' } });
    const response = await client.send({ method: 'GET', url: '/users/u1' });
    expect(response).toMatchObject({ status: 200, body: { id: 'u1' } });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['retry-attempt']).toBeUndefined();
  });
});

describe('GraphClient under replication lag (replication-policy.ts; Learn group-post-members note)', () => {
  const NEW = '0a000000-0000-4000-8000-000000000001';
  const notFound = { status: 404, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'Request_ResourceNotFound', message: `Resource '${NEW}' does not exist or one of its queried reference-property objects are not present.` } } };
  const lagging = (): GraphClient => new GraphClient({ baseUrl: `${server.origin}/v1.0`, credential: staticCredential(), random: () => 0, replication: { baseDelayMs: 20 } });

  it('after an invitation in one envelope, the new guest\'s 404 inside a later envelope is re-sent alone until it succeeds; the other parts are not re-sent', async () => {
    const seen = new Map<string, number>();
    server.handle = (req) => {
      const responses = innerOf(req).map((r) => {
        const n = (seen.get(r.url) ?? 0) + 1;
        seen.set(r.url, n);
        if (r.url === '/invitations') return { id: r.id, status: 201, headers: { 'Content-Type': 'application/json' }, body: { invitedUser: { id: NEW } } };
        if (r.url === `/users/${NEW}` && n < 3) return { id: r.id, ...notFound };
        return { id: r.id, status: 204, headers: {} };
      });
      return { status: 200, body: { responses } };
    };
    const c = lagging();
    await c.sendMany([{ method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'a@vendor.com' } }]);
    const answers = await c.sendMany([{ method: 'PATCH', url: `/users/${NEW}`, body: { usageLocation: 'GB' } }, { method: 'PATCH', url: '/users/0b000000-0000-4000-8000-000000000002', body: { usageLocation: 'GB' } }]);
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect(server.requests.slice(1).map((r) => innerOf(r).map((i) => i.url))).toEqual([
      [`/users/${NEW}`, '/users/0b000000-0000-4000-8000-000000000002'],
      [`/users/${NEW}`],
      [`/users/${NEW}`],
    ]);
  });

  it('waiting for replication does not use up the throttling retries: 2 misses then 4 inner 429s still end in success', async () => {
    let patches = 0;
    const throttled = { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests', message: 'x' } } };
    server.handle = (req) => ({
      status: 200,
      body: {
        responses: innerOf(req).map((r) => {
          if (r.url === '/invitations') return { id: r.id, status: 201, headers: {}, body: { invitedUser: { id: NEW } } };
          patches += 1;
          return { id: r.id, ...(patches <= 2 ? notFound : patches <= 6 ? throttled : { status: 204, headers: {} }) };
        }),
      },
    });
    const c = lagging();
    await c.sendMany([{ method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'a@vendor.com' } }]);
    const [answer] = await c.sendMany([{ method: 'PATCH', url: `/users/${NEW}`, body: { usageLocation: 'GB' } }]);
    expect(answer!.status).toBe(204);
    expect(patches).toBe(7);
  });

  it('without an invitation of that id in this client, the same 404 is a final answer (one request)', async () => {
    server.handle = () => notFound;
    const answer = await lagging().send({ method: 'PATCH', url: `/users/${NEW}`, body: { usageLocation: 'GB' } });
    expect(answer.status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('a single request about the new guest is retried the same way', async () => {
    server.handle = (req, i) => (req.url === '/v1.0/invitations' ? { status: 201, body: { invitedUser: { id: NEW } } } : i < 3 ? notFound : { status: 204 });
    const c = lagging();
    await c.send({ method: 'POST', url: '/invitations', body: { invitedUserEmailAddress: 'a@vendor.com' } });
    expect((await c.send({ method: 'PATCH', url: `/users/${NEW}`, body: { usageLocation: 'GB' } })).status).toBe(204);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1.0/invitations', ...Array(3).fill(`PATCH /v1.0/users/${NEW}`)]);
  });
});
