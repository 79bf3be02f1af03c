/** POST /api/run: the manual trigger ({contactIds?, vendorId?, dryRun?, releaseRemovals?}; no body = whole tenant). */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function runHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.run, request, context);
}

app.http('run', { route: 'run', methods: ['POST'], authLevel: 'function', handler: runHttp });
