/**
 * The HTTP API, framework-free: GET /api/plan (the dry-run report), POST /api/run (the manual
 * trigger), GET /api/runs/{id} (a run's stored record) and the mobility app's booking routes
 * (booking-handlers.ts). The Functions app (src/functions/) and
 * `serve` (src/server/) adapt their requests to AppRequest and send back the AppResponse as is.
 */
import { asReconcilerError, ThrottledError, type ErrorClass } from '../model/errors.js';
import type { RunRecord } from '../model/run.js';
import { CONTENT_TYPES, FILE_EXTENSIONS, isReportFormat, REPORT_FORMATS, renderReport, type ReportFormat, type ReportInput } from '../report/index.js';
import { escapeJsonText } from '../report/terminal-safe.js';
import { bookingFeed, bookingStage } from './booking-handlers.js';
import type { RouteAnswer } from './booking-stage.js';
import type { ReconcilerApp } from './reconciler-app.js';
import { enqueueRun } from './queue-run.js';
import { BadRequest, parseRunBody, scopeFromQuery } from './requests.js';
import type { AppRequest, AppResponse } from './types.js';

export interface Handlers {
  plan(request: AppRequest): Promise<AppResponse>;
  run(request: AppRequest): Promise<AppResponse>;
  runStatus(request: AppRequest): Promise<AppResponse>;
  /** GET /api/bookings and POST /api/bookings/{id}/stage: the mobility app's (src/app/booking-handlers.ts). */
  bookings(request: AppRequest): Promise<AppResponse>;
  bookingStage(request: AppRequest): Promise<AppResponse>;
}

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
/** The report page loads nothing and runs nothing (html.ts sets the same policy in a meta tag). */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const runStatusPath = (runId: string): string => `/api/runs/${runId}`;

/** `app` is resolved per request, so a settings problem answers each request instead of crashing the app. */
export function createHandlers(app: () => ReconcilerApp): Handlers {
  return {
    plan: (request) => answer(request, () => plan(app(), request)),
    run: (request) => answer(request, () => run(app(), request)),
    runStatus: (request) => answer(request, () => runStatus(app(), request)),
    bookings: (request) => answer(request, async () => jsonOf(await bookingFeed(app(), request))),
    bookingStage: (request) => answer(request, async () => jsonOf(await bookingStage(app(), request))),
  };
}

async function plan(app: ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  const format = reportFormat(request.query.get('format'), 'html');
  const scope = scopeFromQuery(request.query);
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
  const input: ReportInput = { plan: result.plan };
  // In plan mode the hourly run only reports: the report says so at the top (src/report/model.ts).
  if (app.reconcileMode === 'plan') input.reconcileMode = 'plan';
  try {
    const last = await app.history.latest();
    if (last) input.lastRun = lastRunOf(last);
  } catch (err) {
    // The report is still useful without the last run's line.
    request.log.warn(`the latest run could not be read from the run history (${asReconcilerError(err).code})`);
  }
  return report(format, renderReport(format, input), 'vendor-reconciler-plan');
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
  const reportAs = format === null || format === 'json' ? null : reportFormat(format, 'json');
  const entry = await app.history.read(runId);
  if (!entry) return json(404, { error: `No run with id "${runId}".`, code: 'RUN_NOT_FOUND', action: 'Use the runId that POST /api/run answered with.' });
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
    return report(reportAs, renderReport(reportAs, { plan: record.plan, run: record }), `vendor-reconciler-run-${record.runId}`);
  }
  return json(200, entry);
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
