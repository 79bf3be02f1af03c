/**
 * Counting the simulator's request log (bench/counts.ts; log shape: packages/tenant-sim/docs/simulator.md, GET
 * /_sim/requests). Graph $batch inner requests are throttled one by one
 * (learn.microsoft.com/graph/json-batching, "Throttling
 * inside a batch"), so an envelope can carry 429 parts that a later envelope re-sends.
 */
import { describe, expect, it } from 'vitest';
import { countRequests, requestsSent } from '../../../bench/counts.js';
import type { RequestLogEntry } from 'tenant-sim';

const inner = (method: string, path: string, status: number): { method: string; path: string; status: number } => ({ method, path, status });

describe('countRequests', () => {
  it('counts direct requests, envelopes and inner operations apart, per service', () => {
    const log: RequestLogEntry[] = [
      { service: 'token', method: 'POST', path: '/t/oauth2/v2.0/token', status: 200 },
      { service: 'graph', method: 'GET', path: '/users?$top=999', status: 200 },
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('GET', '/users', 200), inner('GET', '/users', 200)] },
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('POST', '/invitations', 201), inner('PATCH', '/users/a', 204)] },
      { service: 'dataverse', method: 'GET', path: 'contacts?$select=contactid', status: 200 },
      { service: 'dataverse', method: 'POST', path: '$batch', status: 200, inner: [inner('PATCH', 'contacts(1)', 204), inner('POST', 'bookableresources', 412)] },
    ];
    const c = countRequests(log);
    expect(c.token).toBe(1);
    expect(c.graph).toEqual({
      direct: { GET: 1 },
      envelopes: 2,
      writeEnvelopes: 1,
      readEnvelopes: 1,
      inner: { GET: 2, POST: 1, PATCH: 1 },
      reads: 2,
      writeOps: 2,
      writesAnswered: 2,
      writesSucceeded: 2,
      throttled: 0,
      writeEnvelopesAfter429: 0,
      errors: {},
    });
    expect(c.dataverse).toMatchObject({ direct: { GET: 1 }, envelopes: 1, writeEnvelopes: 1, reads: 1, writeOps: 2, writesAnswered: 2, writesSucceeded: 1, errors: { '412': 1 } });
    expect(requestsSent(c.graph)).toBe(3);
  });

  it('tells an envelope that only re-sends throttled parts from a new one', () => {
    const log: RequestLogEntry[] = [
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('POST', '/users/a/assignLicense', 204), inner('POST', '/users/b/assignLicense', 429)] },
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('POST', '/users/b/assignLicense', 429)] },
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('POST', '/users/b/assignLicense', 204)] },
      { service: 'graph', method: 'POST', path: '/$batch', status: 200, inner: [inner('POST', '/users/c/assignLicense', 204)] },
    ];
    const g = countRequests(log).graph;
    expect(g).toMatchObject({ envelopes: 4, writeEnvelopes: 4, writeEnvelopesAfter429: 2, writeOps: 5, writesAnswered: 3, writesSucceeded: 3, throttled: 2 });
  });

  it('counts a throttled direct request as sent but not answered', () => {
    const log: RequestLogEntry[] = [{ service: 'dataverse', method: 'PATCH', path: 'contacts(1)', status: 429 }];
    expect(countRequests(log).dataverse).toMatchObject({ direct: { PATCH: 1 }, writeOps: 1, writesAnswered: 0, throttled: 1, reads: 0 });
  });
});
