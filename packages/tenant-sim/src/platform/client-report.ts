/**
 * GET /_sim/report: the simulator checks the client, as Microsoft's Dev Proxy does for Graph with
 * its RetryAfterPlugin, ODataPagingGuidancePlugin and MinimalPermissionsPlugin (Learn:
 * microsoft-cloud/dev/dev-proxy/technical-reference/*). Three parts, over the requests logged since
 * the log was last emptied (DELETE /_sim/requests, POST /_sim/reset, DELETE /_sim/report):
 *
 * - retryAfter: requests that arrived before a Retry-After the same client was given had elapsed
 *   (retry-after-check.ts);
 * - paging: paging requests whose URL the service never returned (paging-check.ts);
 * - permissions: the least Graph application permissions and Dataverse privileges the requests
 *   needed, from Microsoft's permission tables (graph/permissions.ts, dataverse/privileges.ts).
 */
import { createHash } from 'node:crypto';
import { PERMISSION_TABLES, apiPageOf, minimalPermissions, type ApiPage } from '../graph/permissions.js';
import { needsNoPrivilege, privilegesOf, type Privilege } from '../dataverse/privileges.js';
import type { SimRequest, SimResponse } from '../types.js';
import { PagingCheck } from './paging-check.js';
import { RetryAfterCheck, type RequestIdentity } from './retry-after-check.js';

const PRIVILEGE_ORDER: Privilege[] = ['Read', 'Create', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign'];

function header(response: SimResponse, name: string): string | undefined {
  for (const [k, v] of Object.entries(response.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

export class ClientReport {
  private readonly retry = new RetryAfterCheck();
  private readonly paging = new PagingCheck();
  private readonly pages = new Map<ApiPage, { requests: number; example: string }>();
  private readonly unclassified = new Map<string, number>();
  private readonly tables = new Map<string, { privileges: Set<Privilege>; requests: number }>();
  private readonly ids = new WeakMap<SimRequest, RequestIdentity>();

  clear(): void {
    this.retry.clear();
    this.paging.clear();
    this.pages.clear();
    this.unclassified.clear();
    this.tables.clear();
  }

  private identity(request: SimRequest): RequestIdentity {
    const known = this.ids.get(request);
    if (known) return known;
    const url = request.rawQuery ? `${request.path}?${request.rawQuery}` : request.path;
    const client = `${request.claims.tid}/${request.claims.appid}`;
    const digest = createHash('sha1').update(request.body).digest('base64url');
    const id = { client, service: request.service, method: request.method.toUpperCase(), url, key: `${client} ${request.service} ${request.method.toUpperCase()} ${url} ${digest}` };
    this.ids.set(request, id);
    return id;
  }

  /** A request arrived at the gate; `scopes` are the service limits it counts against. */
  arrived(request: SimRequest, scopes: string[], now: number): void {
    if (!this.retry.idle) this.retry.arrived(this.identity(request), scopes, now);
  }

  /** The answer to a request (any request the core dispatched). `scope`: the limit that refused it. */
  answered(request: SimRequest, response: SimResponse, scope: string | undefined, now: number): void {
    const seconds = Number(header(response, 'retry-after'));
    if ((response.status === 429 || response.status === 503) && Number.isFinite(seconds) && seconds >= 0) {
      this.retry.answered(this.identity(request), response.status, seconds, scope, now);
    }
    this.paging.requested(request.service, request.method, request.path, request.rawQuery);
    if (response.status < 300) this.paging.answered(request.service, response.body);
    this.permissions(request);
  }

  private permissions(request: SimRequest): void {
    const method = request.method.toUpperCase();
    if (request.service === 'graph') {
      if (request.path.replace(/\/+$/, '') === '/$batch') return;
      const page = apiPageOf(method, request.path);
      if (!page) {
        // Ids are left out, so one unknown operation is one entry however many rows it touched.
        const what = `${method} ${request.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')}`;
        this.unclassified.set(what, (this.unclassified.get(what) ?? 0) + 1);
        return;
      }
      const seen = this.pages.get(page);
      if (seen) seen.requests += 1;
      else this.pages.set(page, { requests: 1, example: `${method} ${request.path}` });
      return;
    }
    if (request.path === '$batch') return;
    const needs = privilegesOf(method, request.path, request.headers, request.body);
    if (needs.length === 0 && needsNoPrivilege(method, request.path)) return;
    if (needs.length === 0) {
      const what = `${method} ${request.path.split('(')[0]}`;
      this.unclassified.set(what, (this.unclassified.get(what) ?? 0) + 1);
      return;
    }
    needs.forEach((n, i) => {
      let t = this.tables.get(n.table);
      if (!t) this.tables.set(n.table, (t = { privileges: new Set(), requests: 0 }));
      t.privileges.add(n.privilege);
      if (i === 0) t.requests += 1;
    });
  }

  report(): unknown {
    const operations = [...this.pages.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, seen]) => ({
        operation,
        requests: seen.requests,
        example: seen.example,
        leastPrivileged: PERMISSION_TABLES[operation].least,
        higherPrivileged: [...PERMISSION_TABLES[operation].higher],
      }));
    const tables = [...this.tables.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, t]) => ({ table, privileges: PRIVILEGE_ORDER.filter((p) => t.privileges.has(p)), requests: t.requests }));
    return {
      retryAfter: {
        given: this.retry.given,
        violations: this.retry.violations,
        examples: [...this.retry.examples],
        duringScopeWait: { ...this.retry.duringScopeWait },
      },
      paging: { linksIssued: this.paging.linksIssued, pagingRequests: this.paging.pagingRequests, handBuilt: this.paging.handBuilt, examples: [...this.paging.examples] },
      permissions: {
        graph: { operations, minimal: minimalPermissions(this.pages.keys()) },
        dataverse: { tables },
        unclassified: Object.fromEntries([...this.unclassified.entries()].sort(([a], [b]) => a.localeCompare(b))),
      },
    };
  }
}
