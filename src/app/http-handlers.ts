/**
 * The HTTP API, framework-free: GET /api/plan (the dry-run report), POST /api/run (the manual
 * trigger), GET /api/runs (the recent runs), GET /api/runs/{id} (a run's stored record) and the
 * mobility app's booking routes
 * (booking-handlers.ts). The Functions app (src/functions/) and
 * `serve` (src/server/) adapt their requests to AppRequest and send back the AppResponse as is.
 */
import { asReconcilerError, ThrottledError, type ErrorClass } from '../model/errors.js';
import type { RunRecord } from '../model/run.js';
import { CONTENT_TYPES, FILE_EXTENSIONS, isReportFormat, REPORT_FORMATS, renderReport, type ReportFormat, type ReportInput } from '../report/index.js';
import { REPORT_CSP_HEADER } from '../report/html-script.js';
import { renderRunsHtml, type RunListEntry } from '../report/html-runs.js';
import { escapeJsonText } from '../report/terminal-safe.js';
import { vendorView, type VendorViewScope } from '../report/vendor-view.js';
import { RUN_LIST_DEFAULT, RUN_LIST_MAX } from '../history/run-store.js';
import type { RunScope } from '../model/plan.js';
import { bookingFeed, bookingStage } from './booking-handlers.js';
import type { RouteAnswer } from './booking-stage.js';
import type { ReconcilerApp } from './reconciler-app.js';
import { enqueueRun } from './queue-run.js';
import { BadRequest, parseRunBody, scopeFromQuery, scopeOf } from './requests.js';
import type { AppRequest, AppResponse } from './types.js';

export interface Handlers {
  plan(request: AppRequest): Promise<AppResponse>;
  run(request: AppRequest): Promise<AppResponse>;
  runStatus(request: AppRequest): Promise<AppResponse>;
  /** GET /api/runs: the recent runs, newest first (HTML by default; ?format=json; ?limit=1…200). */
  runs(request: AppRequest): Promise<AppResponse>;
  /**
   * GET /api/vendors/{vendorId}/plan: the per-vendor view of the report, the same as
   * /api/plan?vendor=, as a function of its own so that its keys open no other report (docs/deploy.md).
   */
  vendorPlan(request: AppRequest): Promise<AppResponse>;
  /** GET /api/bookings and POST /api/bookings/{id}/stage: the mobility app's (src/app/booking-handlers.ts). */
  bookings(request: AppRequest): Promise<AppResponse>;
  bookingStage(request: AppRequest): Promise<AppResponse>;
}

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
/**
 * The report page loads nothing and runs only its own script, allowed by hash (src/report/html-script.ts;
 * html.ts sets the same policy in a meta tag); no page may frame it.
 */
const HTML_CSP = REPORT_CSP_HEADER;

export const runStatusPath = (runId: string): string => `/api/runs/${runId}`;

/** `app` is resolved per request, so a settings problem answers each request instead of crashing the app. */
export function createHandlers(app: () => ReconcilerApp): Handlers {
  return {
    plan: (request) => answer(request, () => plan(app(), request)),
    run: (request) => answer(request, () => run(app(), request)),
    runStatus: (request) => answer(request, () => runStatus(app(), request)),
    runs: (request) => answer(request, () => runs(app(), request)),
    vendorPlan: (request) => answer(request, () => plan(app(), request, vendorRouteScope(request))),
    bookings: (request) => answer(request, async () => jsonOf(await bookingFeed(app(), request))),
    bookingStage: (request) => answer(request, async () => jsonOf(await bookingStage(app(), request))),
  };
}

async function plan(app: ReconcilerApp, request: AppRequest, given?: RunScope): Promise<AppResponse> {
  const format = reportFormat(request.query.get('format'), 'html');
  const scope = given ?? scopeFromQuery(request.query);
  // Read-only incremental: the report reads through the snapshot but never advances its tokens.
  const engine = app.engine({ deadline: Date.now() + app.httpWaitMs, observer: app.observer({ dryRun: true }) });
  let result;
  try {
    result = await engine.plan(scope);
  } catch (err) {
    const e = asReconcilerError(err);
    if (e.code !== 'RUN_DEADLINE') throw e;
    return json(503, {
      error: `The report did not finish within ${Math.round(app.httpWaitMs / 1000)} s.`,
      code: 'PLAN_TIMEOUT',
      action: 'Narrow it with ?vendor= or ?contact=, or write it with `vendor-reconciler plan --format html --out report.html`.',
    });
  }
  // The HTML report links contacts and bookable resources to their records in this environment.
  const input: ReportInput = { plan: result.plan, environmentUrl: app.settings.dataverseUrl };
  // In plan mode the hourly run only reports: the report says so at the top (src/report/model.ts).
  if (app.reconcileMode === 'plan') input.reconcileMode = 'plan';
  try {
    const last = await app.history.latest();
    if (last) input.lastRun = lastRunOf(last);
  } catch (err) {
    // The report is still useful without the last run's line.
    request.log.warn(`the latest run could not be read from the run history (${asReconcilerError(err).code})`);
  }
  // ?vendor= is the per-vendor view: the plan is scoped to the vendor, and the view keeps only its rows.
  const vendor = vendorOf(scope);
  return report(format, renderReport(format, vendor ? vendorView(input, vendor) : input), 'vendor-reconciler-plan');
}

async function run(app: ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  const body = parseRunBody(await request.text());
  if (app.queue) {
    // The Functions app: the run goes on the queue and a queue-triggered function runs it (src/app/queue-run.ts).
    const runId = await enqueueRun(app, { scope: body.scope, dryRun: body.dryRun, trigger: 'manual', overrides: body.overrides });
    const queuedUrl = runStatusPath(runId);
    return json(202, { runId, status: 'queued', statusUrl: queuedUrl }, { Location: new URL(queuedUrl, request.url).toString(), 'Retry-After': '10' });
  }
  const started = await app.runs.start({ scope: body.scope, dryRun: body.dryRun, trigger: 'manual', overrides: body.overrides }, request.log);
  if (!started.started) {
    return json(409, {
      error: `Another run is in progress${started.runningRunId ? ` (run ${started.runningRunId})` : ''}; runs never overlap, and this one was not queued.`,
      code: 'RUN_IN_PROGRESS',
      runningRunId: started.runningRunId,
      ...(started.runningRunId ? { statusUrl: runStatusPath(started.runningRunId) } : {}),
      action: 'Wait for it to finish (its status URL says when), then send this request again.',
    });
  }
  const statusUrl = runStatusPath(started.runId);
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    started.done,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), app.httpWaitMs);
    }),
  ]);
  clearTimeout(timer);
  if (!waited) {
    return json(202, { runId: started.runId, status: 'running', statusUrl }, { Location: new URL(statusUrl, request.url).toString(), 'Retry-After': '30' });
  }
  return json(200, { status: 'finished', statusUrl, ...resultOf(waited) });
}

async function runStatus(app: ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  const runId = request.params.id ?? '';
  const format = request.query.get('format');
  const vendor = vendorOf(vendorScope(request.query));
  const reportAs = format === null || format === 'json' ? (vendor ? 'json' : null) : reportFormat(format, 'json');
  const entry = await app.history.read(runId);
  if (!entry) return json(404, { error: `No run with id "${runId}".`, code: 'RUN_NOT_FOUND', action: 'Use the runId that POST /api/run answered with, or pick one from GET /api/runs.' });
  if (entry.status === 'queued') return json(200, entry);
  if (entry.status === 'running') {
    // A marker whose run no longer holds the lock belongs to a run that died (host restart).
    if (entry.mode === 'apply' && (await app.lock.holder(entry.scope)) !== entry.runId) {
      return json(200, { ...entry, status: 'interrupted', error: 'The run ended without storing its result (the host stopped or restarted during the run).', action: 'Start another run; it continues where this one stopped.' });
    }
    return json(200, entry);
  }
  if (reportAs) {
    const { status: _status, ...record } = entry;
    const input: ReportInput = { plan: record.plan, run: record, environmentUrl: app.settings.dataverseUrl };
    // With ?vendor= the record is the vendor's view in every format, the JSON too (src/report/vendor-view.ts).
    return report(reportAs, renderReport(reportAs, vendor ? vendorView(input, vendor) : input), `vendor-reconciler-run-${record.runId}`);
  }
  return json(200, entry);
}

async function runs(app: ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  const format = request.query.get('format') ?? 'html';
  if (format !== 'html' && format !== 'json') throw new BadRequest(`format must be html or json; got "${format}".`);
  const limit = limitOf(request.query.get('limit'));
  const listed = await app.history.list(limit);
  // A running apply whose run no longer holds the lock of its scope died with its host (as GET
  // /api/runs/{id} says). The summary has no scope, so each running apply's marker is read (few are).
  const interrupted = new Set<string>();
  for (const r of listed.filter((x) => x.status === 'running' && x.mode === 'apply')) {
    const entry = await app.history.read(r.runId);
    if (entry?.status === 'running' && (await app.lock.holder(entry.scope)) !== r.runId) interrupted.add(r.runId);
  }
  const entries: RunListEntry[] = listed.map((r) => ({ ...r, status: interrupted.has(r.runId) ? 'interrupted' : r.status }));
  if (format === 'json') return json(200, { runs: entries.map((r) => ({ ...r, url: runStatusPath(r.runId) })) });
  // The links carry the function key the page was opened with, so they open without asking for it again.
  const code = request.query.get('code');
  const body = renderRunsHtml(entries, code ? { linkQuery: new URLSearchParams({ code }).toString() } : {});
  return { status: 200, headers: { ...BASE_HEADERS, 'Content-Type': CONTENT_TYPES.html, 'Content-Security-Policy': HTML_CSP }, body };
}

function limitOf(value: string | null): number {
  if (value === null || value === '') return RUN_LIST_DEFAULT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > RUN_LIST_MAX) throw new BadRequest(`limit must be a whole number from 1 to ${RUN_LIST_MAX}; got "${value}".`);
  return n;
}

/** ?vendor= alone (GET /api/runs/{id} takes no ?contact=), read as GET /api/plan reads it. */
function vendorScope(query: URLSearchParams): RunScope {
  if (query.getAll('contact').length > 0) throw new BadRequest('GET /api/runs/{id} takes ?vendor= for one vendor\'s view, not ?contact=.');
  return scopeFromQuery(query);
}

/** The vendor of GET /api/vendors/{vendorId}/plan; the query may not widen or change it. */
function vendorRouteScope(request: AppRequest): RunScope {
  if (request.query.getAll('contact').length > 0) throw new BadRequest('A vendor\'s view covers all of its contacts: leave out ?contact=.');
  const asked = request.query.getAll('vendor');
  const vendorId = request.params.vendorId ?? '';
  if (asked.some((v) => v.trim().toLowerCase() !== vendorId.toLowerCase())) throw new BadRequest('The vendor is the one in the path; leave out ?vendor=.');
  return scopeOf([], vendorId);
}

function vendorOf(scope: RunScope): VendorViewScope | null {
  return scope.kind === 'group' ? { family: scope.family, groupId: scope.groupId.toLowerCase() } : null;
}

/** What POST /api/run answers when the run finished: the record without the plan's contact list. */
export function resultOf(record: RunRecord): Record<string, unknown> {
  const counts: Record<string, number> = {};
  for (const r of record.results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return {
    runId: record.runId,
    mode: record.mode,
    trigger: record.trigger,
    scope: record.scope,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    outcome: record.outcome,
    ...(record.error ? { error: record.error } : {}),
    ...(record.observation ? { observation: record.observation } : {}),
    summary: record.plan.summary,
    resultCounts: counts,
    results: record.results,
    statuses: record.statuses,
  };
}

/** The report's "last run" line from a stored record. */
export function lastRunOf(record: RunRecord): NonNullable<ReportInput['lastRun']> {
  return {
    runId: record.runId,
    finishedAt: record.finishedAt,
    outcome: record.outcome,
    mode: record.mode,
    ...(record.error ? { error: record.error } : {}),
    errors: record.results.filter((r) => r.outcome === 'failed').length + (record.error ? 1 : 0),
    changesApplied: record.results.filter((r) => r.outcome === 'applied').length,
  };
}

function reportFormat(value: string | null, fallback: ReportFormat): ReportFormat {
  if (value === null || value === '') return fallback;
  if (!isReportFormat(value)) throw new BadRequest(`format must be one of ${REPORT_FORMATS.join(', ')}; got "${value}".`);
  return value;
}

function report(format: ReportFormat, body: string, fileName: string): AppResponse {
  const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Type': CONTENT_TYPES[format] };
  if (format === 'html') headers['Content-Security-Policy'] = HTML_CSP;
  if (format === 'csv') headers['Content-Disposition'] = `attachment; filename="${fileName}.${FILE_EXTENSIONS.csv}"`;
  return { status: 200, headers, body };
}

/** JSON answers carry run records with contact names: escaped like the JSON report, safe for `curl` in a terminal. */
function json(status: number, value: unknown, headers: Record<string, string> = {}): AppResponse {
  return { status, headers: { ...BASE_HEADERS, 'Content-Type': CONTENT_TYPES.json, ...headers }, body: `${escapeJsonText(JSON.stringify(value, null, 2))}\n` };
}

const jsonOf = (answer: RouteAnswer): AppResponse => json(answer.status, answer.body);

const STATUS_BY_CLASS: Record<ErrorClass, number> = { configuration: 500, transient: 503, throttled: 503, contact: 500 };

async function answer(request: AppRequest, handle: () => Promise<AppResponse>): Promise<AppResponse> {
  try {
    return await handle();
  } catch (err) {
    if (err instanceof BadRequest) return json(400, { error: err.message, code: 'BAD_REQUEST' });
    const e = asReconcilerError(err);
    request.log.error(`${request.method} ${new URL(request.url).pathname} failed: ${e.code}`);
    const retryAfter: Record<string, string> = e instanceof ThrottledError && e.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(e.retryAfterMs / 1000)) } : {};
    return json(STATUS_BY_CLASS[e.errorClass], { error: e.message, code: e.code, action: e.action }, retryAfter);
  }
}
