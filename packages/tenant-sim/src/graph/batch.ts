/**
 * POST /$batch, JSON batching (concepts/json-batching.md; learn.microsoft.com/graph/json-batching):
 * at most 20 requests with
 * unique ids, urls relative to the version root, Content-Type required with a body, dependsOn
 * with 424 Failed Dependency, each inner request authorised, throttled and logged on its own
 * (ctx.dispatchInner), envelope 200, and responses NOT in request order: requests without
 * dependsOn run in reverse order and the responses come back in a fixed permutation, so a client
 * that matches by position instead of by id fails here as it would in Azure.
 */
import { createHash } from 'node:crypto';
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { badRequest } from './errors.js';

export const MAX_BATCH = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

interface Step {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

/** Inner headers spelled as Graph spells them; the SDK's BatchResponseContent reads headers["Content-Type"]. */
const CANONICAL: Record<string, string> = { 'content-type': 'Content-Type', 'retry-after': 'Retry-After', location: 'Location' };

interface InnerResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const invalid = (message: string): Error => badRequest(message, 'BadRequest');

function parseSteps(raw: string): Step[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid('Invalid batch payload format: the body is not JSON.');
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw invalid("Invalid batch payload format: a 'requests' array is required.");
  if (requests.length === 0) throw invalid('Invalid batch payload format: the batch holds no requests.');
  if (requests.length > MAX_BATCH) throw invalid(`Invalid batch payload format: the batch holds ${requests.length} requests; at most ${MAX_BATCH} are allowed.`);
  const steps = requests.map((r: unknown): Step => {
    const s = (r ?? {}) as Record<string, unknown>;
    if (typeof s.id !== 'string' || s.id === '') throw invalid('Invalid batch payload format: every request needs a string id.');
    if (typeof s.method !== 'string' || !METHODS.has(s.method.toUpperCase())) throw invalid(`Invalid batch payload format: request ${s.id} has an invalid method.`);
    if (typeof s.url !== 'string' || s.url === '') throw invalid(`Invalid batch payload format: request ${s.id} needs a url.`);
    if (/^[a-z]+:\/\//i.test(s.url)) throw invalid(`Invalid batch payload format: request ${s.id} has an absolute url; urls are relative to the version root (for example /users).`);
    const headers: Record<string, string> = {};
    if (s.headers !== undefined && s.headers !== null) {
      if (typeof s.headers !== 'object' || Array.isArray(s.headers)) throw invalid(`Invalid batch payload format: request ${s.id} has invalid headers.`);
      for (const [k, v] of Object.entries(s.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (s.body !== undefined && s.body !== null && headers['content-type'] === undefined) {
      throw invalid(`Write request id : ${s.id} does not contain Content-Type header or body.`);
    }
    const dependsOn = s.dependsOn === undefined ? [] : s.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) throw invalid(`Invalid batch payload format: request ${s.id} has an invalid dependsOn.`);
    return { id: s.id, method: s.method.toUpperCase(), url: s.url, headers, body: s.body ?? undefined, dependsOn: dependsOn as string[] };
  });
  const ids = new Set(steps.map((s) => s.id));
  if (ids.size !== steps.length) throw invalid('Invalid batch payload format: request ids must be unique within a batch.');
  for (const s of steps) {
    for (const d of s.dependsOn) if (!ids.has(d) || d === s.id) throw invalid(`Invalid batch payload format: request ${s.id} depends on unknown request '${d}'.`);
  }
  return steps;
}

/** Executes steps in waves: a step runs once all it depends on have run. */
function waves(steps: Step[]): Step[][] {
  const done = new Set<string>();
  const out: Step[][] = [];
  let left = steps;
  while (left.length > 0) {
    const ready = left.filter((s) => s.dependsOn.every((d) => done.has(d)));
    if (ready.length === 0) throw invalid('Invalid batch payload format: dependsOn forms a cycle.');
    out.push(ready.reverse());
    for (const s of ready) done.add(s.id);
    left = left.filter((s) => !done.has(s.id));
  }
  return out;
}

function innerRequest(outer: SimRequest, step: Step): SimRequest {
  const url = step.url.startsWith('/') ? step.url : `/${step.url}`;
  const q = url.indexOf('?');
  return {
    service: 'graph',
    method: step.method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: step.headers,
    body: step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body),
    claims: outer.claims,
    inner: true,
  };
}

function toInner(id: string, res: SimResponse): InnerResult {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) headers[CANONICAL[k.toLowerCase()] ?? k] = v;
  if (res.body !== undefined && typeof res.body !== 'string') headers['Content-Type'] ??= JSON_TYPE;
  return res.body === undefined ? { id, status: res.status, headers } : { id, status: res.status, headers, body: res.body };
}

/** A fixed permutation by a hash of the ids; never the request order when there are two or more. */
function permute(results: InnerResult[], requestOrder: string[]): InnerResult[] {
  const key = (id: string): string => createHash('sha1').update(id).digest('hex');
  const out = [...results].sort((a, b) => (key(a.id) < key(b.id) ? -1 : key(a.id) > key(b.id) ? 1 : 0));
  if (out.length > 1 && out.every((r, i) => r.id === requestOrder[i])) out.reverse();
  return out;
}

export async function runBatch(req: SimRequest, ctx: SimContext): Promise<SimResponse> {
  if (req.inner) throw invalid('Nested $batch requests are not allowed.');
  const steps = parseSteps(req.body);
  const results = new Map<string, InnerResult>();
  for (const wave of waves(steps)) {
    for (const step of wave) {
      const failed = step.dependsOn.find((d) => (results.get(d)?.status ?? 0) >= 400);
      if (failed !== undefined) {
        results.set(step.id, {
          id: step.id,
          status: 424,
          headers: { 'Content-Type': JSON_TYPE },
          body: { error: { code: 'FailedDependency', message: `The request depends on request '${failed}', which failed.` } },
        });
        continue;
      }
      results.set(step.id, toInner(step.id, await ctx.dispatchInner(innerRequest(req, step))));
    }
  }
  const order = steps.map((s) => s.id);
  return { status: 200, body: { responses: permute([...results.values()], order) } };
}
