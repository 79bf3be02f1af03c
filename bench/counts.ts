/**
 * Counting the simulator's request log (GET /_sim/requests, packages/tenant-sim/docs/simulator.md): requests by service
 * and method, $batch envelopes and their inner operations apart, reads and writes, throttled answers.
 */
import type { RequestLogEntry } from 'tenant-sim';
import type { Service } from './lower-bound.js';

export interface ServiceCounts {
  /** Top-level requests that are not $batch envelopes, by method. */
  direct: Record<string, number>;
  /** $batch envelopes sent (every attempt). */
  envelopes: number;
  /** Envelopes that carried at least one write / only reads. */
  writeEnvelopes: number;
  readEnvelopes: number;
  /** Inner operations by method. */
  inner: Record<string, number>;
  /** Read requests: direct GETs plus read-only envelopes (what the read bound counts). */
  reads: number;
  /** Write operations sent (direct and inner), every attempt. */
  writeOps: number;
  /** Write operations the service accepted (2xx, or a 4xx other than 429: a final answer). */
  writesAnswered: number;
  /** Write operations answered 2xx. */
  writesSucceeded: number;
  /** Answers 429 (top-level and inner). */
  throttled: number;
  /** Envelopes re-sent only because parts were throttled (every part of them had been sent before). */
  writeEnvelopesAfter429: number;
  /** Final error answers other than 429 (status ≥ 400), by status. */
  errors: Record<string, number>;
}

export type Counts = Record<Service, ServiceCounts> & { token: number };

const isBatch = (path: string): boolean => /(^|\/)\$batch(\?|$)/.test(path);
const isWrite = (method: string): boolean => method.toUpperCase() !== 'GET';

function empty(): ServiceCounts {
  return { direct: {}, envelopes: 0, writeEnvelopes: 0, readEnvelopes: 0, inner: {}, reads: 0, writeOps: 0, writesAnswered: 0, writesSucceeded: 0, throttled: 0, writeEnvelopesAfter429: 0, errors: {} };
}

const bump = (m: Record<string, number>, k: string, by = 1): void => {
  m[k] = (m[k] ?? 0) + by;
};

export function countRequests(log: RequestLogEntry[]): Counts {
  const out: Counts = { graph: empty(), dataverse: empty(), token: 0 };
  // Inner operations answered 429, per service and "method path": the next envelope carrying only
  // such operations is a re-send after throttling.
  const owed: Record<Service, Map<string, number>> = { graph: new Map(), dataverse: new Map() };
  for (const e of log) {
    if (e.service === 'token') {
      out.token += 1;
      continue;
    }
    // The Power Platform admin API's addUser calls are neither Graph's nor Dataverse's writes.
    if (e.service === 'powerPlatform') continue;
    const service: Service = e.service;
    const c = out[service];
    const note = (method: string, status: number): void => {
      if (status === 429) c.throttled += 1;
      else if (status >= 400) bump(c.errors, String(status));
      if (!isWrite(method)) return;
      c.writeOps += 1;
      if (status !== 429) c.writesAnswered += 1;
      if (status >= 200 && status < 300) c.writesSucceeded += 1;
    };
    if (!isBatch(e.path)) {
      bump(c.direct, e.method);
      if (!isWrite(e.method)) c.reads += 1;
      note(e.method, e.status);
      continue;
    }
    c.envelopes += 1;
    if (e.status === 429) c.throttled += 1;
    const inner = e.inner ?? [];
    const writes = inner.some((i) => isWrite(i.method));
    if (writes) c.writeEnvelopes += 1;
    else {
      c.readEnvelopes += 1;
      c.reads += 1;
    }
    const key = (i: { method: string; path: string }): string => `${i.method} ${i.path}`;
    const resend = writes && inner.length > 0 && inner.every((i) => (owed[service].get(key(i)) ?? 0) > 0);
    if (resend) c.writeEnvelopesAfter429 += 1;
    for (const i of inner) {
      const k = key(i);
      const n = owed[service].get(k) ?? 0;
      if (n > 0) owed[service].set(k, n - 1);
      bump(c.inner, i.method);
      note(i.method, i.status);
      if (i.status === 429) owed[service].set(k, (owed[service].get(k) ?? 0) + 1);
    }
  }
  return out;
}

/** Requests sent to a service (direct + envelopes), the figure a request quota counts. */
export function requestsSent(c: ServiceCounts): number {
  return Object.values(c.direct).reduce((a, b) => a + b, 0) + c.envelopes;
}
