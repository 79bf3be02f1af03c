/** GET /api/runs/{id}: a run's stored record (plan and results), or its running status. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function runStatusHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.runStatus, request, context);
}

app.http('runStatus', { route: 'runs/{id}', methods: ['GET'], authLevel: 'function', handler: runStatusHttp });
