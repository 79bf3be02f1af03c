/**
 * POST $batch (execute-batch-operations-using-web-api.md).
 *
 * - At most 1000 requests (change-set requests included); batches and change sets don't nest.
 * - Parts run in order through SimContext.dispatchInner (the core logs them as inner requests and
 *   counts the batch once for service protection) and are answered in the same order.
 * - Content-IDs (OData 4.01 Part 1 §11.7.7.1, "Multipart Batch Request Body"): "each body part
 *   representing an operation in the change set MUST specify a Content-ID header with a request
 *   identifier that is unique within the batch request", and an identifier given outside a change
 *   set "MUST be unique within the batch request". A batch that breaks either is refused as a whole
 *   with the message of the OData library Dataverse reads batches with (Microsoft.OData.Core),
 *   before any part runs (stricter: Dataverse reads parts as it goes).
 * - A change set is atomic: GET is refused inside it, `Content-ID` / `$n` references resolve only
 *   inside it, and when one of its requests fails every write it made is rolled back and the change
 *   set is answered by that one failing response.
 * - Without `Prefer: odata.continue-on-error` the first failure stops the batch: outer 400 with a
 *   batchresponse holding only the failing part. Parts that succeeded before it stay committed (a
 *   batch outside change sets is not a transaction); their responses are not returned, as in the
 *   documented example. With the preference: outer 200 and every part answered.
 */
import type { SimContext, SimRequest, SimResponse } from '../types.js';
import { CODES, DataverseError, badRequest, errorResponse } from './errors.js';
import { Journal, attachScope, type ChangeSetScope, type DvContext } from './context.js';
import { boundaryOf, parseBatch, writeBatchResponse, type AnsweredItem, type AnsweredPart, type BatchPart, type BatchRequestPart } from './multipart.js';
import { parsePrefer } from './options.js';

export const MAX_BATCH_REQUESTS = 1000;

/** Every change-set part has a Content-ID, and no Content-ID is used twice in the batch. */
function checkContentIds(parts: BatchPart[]): void {
  const seen = new Set<string>();
  for (const part of parts) {
    const requests = part.kind === 'changeset' ? part.requests : [part];
    for (const r of requests) {
      if (r.contentId === null) {
        if (part.kind === 'changeset') throw badRequest(CODES.invalidArgument, "The header with name 'Content-ID' was not present in the header collection of the batch operation.");
        continue;
      }
      if (seen.has(r.contentId)) {
        throw badRequest(
          CODES.invalidArgument,
          `The content ID '${r.contentId}' was found more than once in the same change set or same batch request. Content IDs have to be unique across all operations of a change set for OData V4.0 and have to be unique across all operations in the whole batch request for OData V4.01.`,
        );
      }
      seen.add(r.contentId);
    }
  }
}

/** Splits a part's URL into the path below the Web API root and the raw query. */
function relativeTarget(url: string, dx: DvContext, scope: ChangeSetScope | null): { path: string; rawQuery: string } {
  let u = url;
  const ref = /^\$([^/?]+)(.*)$/.exec(u);
  if (ref) {
    const resolved = scope?.contentIds.get(ref[1]!);
    if (!resolved) throw badRequest(CODES.invalidArgument, `Content-ID Reference: '$${ref[1]}' does not exist in the batch context.`);
    u = resolved + ref[2]!;
  }
  const orgPath = new URL(dx.root).pathname; // /api/data/v9.2/
  if (/^https?:\/\//i.test(u)) {
    if (!u.toLowerCase().startsWith(dx.root.toLowerCase())) throw badRequest(CODES.invalidArgument, `The batch part URL '${url}' is not under this organisation's Web API root ${dx.root}.`);
    u = u.slice(dx.root.length);
  } else if (u.startsWith(orgPath)) u = u.slice(orgPath.length);
  else if (u.startsWith('/api/data/v9.2/')) u = u.slice('/api/data/v9.2/'.length);
  else if (u.startsWith('/')) throw badRequest(CODES.invalidArgument, `The batch part URL '${url}' is not under the Web API root.`);
  const q = u.indexOf('?');
  return q < 0 ? { path: u, rawQuery: '' } : { path: u.slice(0, q), rawQuery: u.slice(q + 1) };
}

async function runPart(part: BatchRequestPart, outer: SimRequest, sim: SimContext, dx: DvContext, scope: ChangeSetScope | null): Promise<SimResponse> {
  let target: { path: string; rawQuery: string };
  try {
    target = relativeTarget(part.url, dx, scope);
  } catch (err) {
    if (err instanceof DataverseError) return errorResponse(err);
    throw err;
  }
  if (target.path === '$batch') return errorResponse(badRequest(CODES.invalidArgument, 'Batch requests cannot be nested.'));
  const request: SimRequest = {
    service: 'dataverse',
    method: part.method,
    path: target.path,
    rawQuery: target.rawQuery,
    headers: part.headers,
    body: part.body,
    claims: outer.claims,
    inner: true,
  };
  if (scope) {
    scope.lastEntityUrl = null;
    attachScope(request, scope);
  }
  return sim.dispatchInner(request);
}

function failed(res: SimResponse): boolean {
  return res.status >= 400;
}

export async function handleBatch(request: SimRequest, sim: SimContext, dx: DvContext): Promise<SimResponse> {
  if (request.method !== 'POST') throw new DataverseError(405, CODES.notSupported, `The HTTP method '${request.method}' is not allowed on '$batch'.`);
  if (request.inner) throw badRequest(CODES.invalidArgument, 'Batch requests cannot be nested.');
  const boundary = boundaryOf(request.headers['content-type']);
  if (!boundary) throw badRequest(CODES.invalidArgument, "The Content-Type of a $batch request must be 'multipart/mixed' with a boundary.");
  const parts = parseBatch(request.body, boundary);
  const count = parts.reduce((n, p) => n + (p.kind === 'changeset' ? p.requests.length : 1), 0);
  if (count > MAX_BATCH_REQUESTS) {
    throw badRequest(CODES.invalidArgument, `The batch contains ${count} requests; a batch can contain up to ${MAX_BATCH_REQUESTS} requests.`);
  }
  checkContentIds(parts);
  const continueOnError = parsePrefer(request.headers.prefer).continueOnError;
  const items: AnsweredItem[] = [];
  const stop = (item: AnsweredItem): SimResponse => answer(400, [item]);

  for (const part of parts) {
    if (part.kind === 'request') {
      if (part.url.startsWith('$')) {
        const res = errorResponse(badRequest(CODES.invalidArgument, `Content-ID Reference: '${part.url.split(/[/?]/)[0]}' does not exist in the batch context.`));
        const item: AnsweredItem = { kind: 'single', part: { response: res, contentId: part.contentId } };
        if (!continueOnError) return stop(item);
        items.push(item);
        continue;
      }
      const res = await runPart(part, request, sim, dx, null);
      const item: AnsweredItem = { kind: 'single', part: { response: res, contentId: part.contentId } };
      if (failed(res) && !continueOnError) return stop(item);
      items.push(item);
      continue;
    }
    const scope: ChangeSetScope = { journal: new Journal(dx.store), contentIds: new Map(), lastEntityUrl: null };
    const answered: AnsweredPart[] = [];
    let failure: AnsweredPart | null = null;
    for (const inner of part.requests) {
      if (inner.method === 'GET') {
        failure = { response: errorResponse(badRequest(CODES.invalidArgument, 'GET requests are not allowed inside a change set.')), contentId: inner.contentId };
        break;
      }
      const res = await runPart(inner, request, sim, dx, scope);
      if (failed(res)) {
        failure = { response: res, contentId: inner.contentId };
        break;
      }
      if (inner.contentId !== null) {
        const url = scope.lastEntityUrl ?? res.headers?.['OData-EntityId'];
        if (url) scope.contentIds.set(inner.contentId, url);
      }
      answered.push({ response: res, contentId: inner.contentId });
    }
    if (failure) {
      scope.journal.rollback();
      const item: AnsweredItem = { kind: 'single', part: failure };
      if (!continueOnError) return stop(item);
      items.push(item);
      continue;
    }
    items.push({ kind: 'changeset', parts: answered });
  }
  return answer(200, items);
}

function answer(status: number, items: AnsweredItem[]): SimResponse {
  const { contentType, body } = writeBatchResponse(items);
  return { status, headers: { 'OData-Version': '4.0', 'Content-Type': contentType }, body };
}
