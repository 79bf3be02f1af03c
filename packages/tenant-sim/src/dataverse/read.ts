/**
 * GET of a collection and of one row (webapi/query/overview, select-columns.md, filter-rows.md,
 * order-rows.md, page-results.md, retrieve-entity-using-web-api.md;
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview).
 */
import type { SimResponse } from '../types.js';
import { changeTrackingRead } from './change-tracking.js';
import { CODES, DataverseError, badRequest, jsonResponse, notFound, propertyNotFound } from './errors.js';
import { compile, type Predicate } from './filter-eval.js';
import { parseFilter } from './filter-parse.js';
import { annotationFilter, projectRow } from './format.js';
import { filterProperties, isHidden } from './metadata-attributes.js';
import { MAX_PAGE_SIZE, parseOrderBy, parsePrefer, parseQuery, parseSelect, type Target } from './options.js';
import { decodeCookie, encodeCookie, queryPage } from './paging.js';
import type { DvContext } from './context.js';

const COLLECTION_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$skiptoken']);
const ROW_OPTIONS = new Set(['$select']);

function checkOptions(query: Map<string, string>, allowed: Set<string>): void {
  for (const key of query.keys()) {
    if (allowed.has(key)) continue;
    if (key === '$skip') throw badRequest(CODES.notSupported, 'The query parameter $skip is not supported');
    if (key.startsWith('$')) {
      throw new DataverseError(key === '$expand' || key === '$apply' ? 501 : 400, CODES.notSupported, `The query option '${key}' is not supported by the simulator here.`);
    }
    throw badRequest(CODES.invalidArgument, `The query parameter '${key}' is not supported.`);
  }
}

export function contextUrl(dx: DvContext, set: string, select: string[] | null, single: boolean): string {
  return `${dx.root}$metadata#${set}${select ? `(${select.join(',')})` : ''}${single ? '/$entity' : ''}`;
}

function preferenceApplied(parts: string[]): Record<string, string> {
  return parts.length > 0 ? { 'Preference-Applied': parts.join(',') } : {};
}

export function getRow(target: Target, id: string, rawQuery: string, headers: Record<string, string>, dx: DvContext): SimResponse {
  const { entity } = target;
  const query = parseQuery(rawQuery);
  checkOptions(query, ROW_OPTIONS);
  const select = parseSelect(entity, query.get('$select'), dx.store);
  const row = dx.store.get(entity.set, id);
  if (!row) throw notFound(entity.logicalName, id);
  const prefer = parsePrefer(headers.prefer);
  const etag = dx.store.etag(entity.set, id);
  // Conditional retrieval: 304 when the ETag matches, never with annotations
  // (perform-conditional-operations-using-web-api.md "Conditional retrievals").
  if (headers['if-none-match'] === etag && !prefer.annotations) return { status: 304, headers: { 'OData-Version': '4.0' } };
  const body = { '@odata.context': contextUrl(dx, entity.set, select, true), ...projectRow(entity, row, dx.store, { select, annotations: annotationFilter(prefer.annotations) }) };
  return jsonResponse(200, body, { ETag: etag, ...preferenceApplied(prefer.annotations ? [`odata.include-annotations="${prefer.annotations.join(',')}"`] : []) });
}

/**
 * A list below a row (relationships.ts: `<set>(<id>)/<nav>`): only the related rows, and the
 * nextLink keeps the request's path.
 */
export interface RelatedScope {
  predicate: Predicate;
  path: string;
}

export function getCollection(target: Target, rawQuery: string, headers: Record<string, string>, dx: DvContext, related?: RelatedScope): SimResponse {
  const tracked = related ? null : changeTrackingRead(target, rawQuery, headers, dx);
  if (tracked) return tracked;
  const { entity } = target;
  const query = parseQuery(rawQuery);
  checkOptions(query, COLLECTION_OPTIONS);
  const select = parseSelect(entity, query.get('$select'), dx.store);
  const filterText = query.get('$filter');
  const filterNode = filterText === undefined ? null : parseFilter(filterText);
  for (const p of filterNode ? filterProperties(filterNode) : []) if (isHidden(dx.store, entity, p)) throw propertyNotFound(p, entity.logicalName);
  const filtered: Predicate = filterNode === null ? () => true : compile(filterNode, entity);
  const predicate: Predicate = related ? (row) => related.predicate(row) && filtered(row) : filtered;
  const orderBy = parseOrderBy(entity, query.get('$orderby'));
  const prefer = parsePrefer(headers.prefer);
  const applied: string[] = [];

  let limit = MAX_PAGE_SIZE;
  let paged = true;
  const topText = query.get('$top');
  if (topText !== undefined) {
    const top = Number(topText);
    if (!Number.isInteger(top) || top < 0) throw badRequest(CODES.invalidArgument, `Invalid value '${topText}' for $top query option found. The $top query option requires a non-negative integer value.`);
    // $top and paging don't mix: maxpagesize is ignored and there is no nextLink (page-results.md).
    limit = Math.min(top, MAX_PAGE_SIZE);
    paged = false;
  } else if (prefer.maxPageSize !== null) {
    limit = Math.min(prefer.maxPageSize, MAX_PAGE_SIZE);
    applied.push(`odata.maxpagesize=${limit}`);
  }
  if (prefer.annotations) applied.push(`odata.include-annotations="${prefer.annotations.join(',')}"`);

  const skiptoken = query.get('$skiptoken');
  const cookie = skiptoken === undefined ? null : decodeCookie(skiptoken);
  const page = queryPage(entity, dx.store, predicate, orderBy, limit, paged, cookie);
  const annotations = annotationFilter(prefer.annotations);

  const body: Record<string, unknown> = { '@odata.context': contextUrl(dx, entity.set, select, false) };
  const countText = query.get('$count');
  if (countText !== undefined && countText !== 'true' && countText !== 'false') {
    throw badRequest(CODES.invalidArgument, `'${countText}' is not a valid count option.`);
  }
  if (countText === 'true') body['@odata.count'] = Math.min(page.total, MAX_PAGE_SIZE);
  body.value = page.rows.map((row) => projectRow(entity, row, dx.store, { select, annotations }));
  if (page.next) {
    const kept = rawQuery
      .split('&')
      .filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p))
      .join('&');
    body['@odata.nextLink'] = `${dx.root}${related?.path ?? entity.set}?${kept ? `${kept}&` : ''}$skiptoken=${encodeURIComponent(encodeCookie(page.next))}`;
  }
  return jsonResponse(200, body, preferenceApplied(applied));
}
