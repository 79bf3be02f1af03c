/**
 * POST /api/dataverse/contacts: the Dataverse webhook (src/app/queue-webhook.ts). A function of its
 * own with authLevel 'function', so the key the webhook registration holds (WebhookKey, sent as
 * ?code=) opens this route only (docs/deploy.md).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { contactWebhook } from '../app/queue-webhook.js';
import { reconcilerApp } from './app-instance.js';
import { invoke } from './http-adapter.js';

export async function dataverseWebhookHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke((r) => contactWebhook(reconcilerApp, r), request, context);
}

app.http('dataverseWebhook', { route: 'dataverse/contacts', methods: ['POST'], authLevel: 'function', handler: dataverseWebhookHttp });
