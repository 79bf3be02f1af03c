/**
 * POST /api/dataverse/contacts: the Dataverse webhook (issue 15 item 2). A service endpoint
 * registered as a webhook (docs/deploy.md) posts the RemoteExecutionContext of a contact's Create or
 * Update (of the technician columns) here; the route queues a run scoped to that contact, so a saved
 * contact starts provisioning within a minute instead of at the next hourly run.
 *
 * - Authentication: the function key. The registration's WebhookKey authentication sends it as
 *   `?code=<key>` (Learn "Register a WebHook": "WebhookKey: Includes a query string using code as
 *   the key"), which is how the Functions host checks a key for authLevel 'function'; a request
 *   without it never reaches this handler.
 * - The body is read by src/app/webhook-notification.ts: only which contact changed, never its
 *   values; a notification about another table or message is answered 200 "ignored" with the
 *   reason (not an error Dataverse should retry), a body that is no execution context 400.
 * - Duplicates and out-of-order notifications are harmless without deduplication: each one queues a
 *   run of the contact that plans from the tenant's state when it runs (never from the
 *   notification's values), runs of the same contact never overlap (its lease,
 *   src/history/scoped-run-lock.ts), and a run that finds everything done writes nothing.
 * - The product's own writes (status, anchor, resource link) notify nobody: the Update step filters
 *   on reconcilers/technicians/webhook-columns.ts, which leaves them out (docs/deploy.md §14).
 */
import { asReconcilerError } from '../model/errors.js';
import { escapeJsonText } from '../report/terminal-safe.js';
import { enqueueRun } from './queue-run.js';
import type { ReconcilerApp } from './reconciler-app.js';
import { BadRequest } from './requests.js';
import type { AppRequest, AppResponse } from './types.js';
import { parseNotification } from './webhook-notification.js';

export async function contactWebhook(app: () => ReconcilerApp, request: AppRequest): Promise<AppResponse> {
  try {
    const notification = parseNotification(await request.text());
    if (notification.kind === 'ignored') {
      request.log.info(`webhook: ignored (${notification.reason})`);
      return json(200, { status: 'ignored', reason: notification.reason });
    }
    const runId = await enqueueRun(app(), { scope: { kind: 'subjects', family: 'technicians', subjectIds: [notification.contactId] }, dryRun: false, trigger: 'webhook' });
    request.log.info(`webhook: run ${runId} queued for one contact (${notification.message})`);
    return json(202, { runId, status: 'queued', statusUrl: `/api/runs/${runId}` });
  } catch (err) {
    if (err instanceof BadRequest) return json(400, { error: err.message, code: 'BAD_REQUEST' });
    const e = asReconcilerError(err);
    request.log.error(`webhook: the run could not be queued (${e.code})`);
    // A settings problem says what to fix; a passing storage fault asks for a retry (the hourly run covers a lost one).
    return json(e.errorClass === 'configuration' ? 500 : 503, { error: e.message, code: e.code, action: e.action });
  }
}

function json(status: number, value: unknown): AppResponse {
  return { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'application/json; charset=utf-8' }, body: `${escapeJsonText(JSON.stringify(value, null, 2))}\n` };
}
