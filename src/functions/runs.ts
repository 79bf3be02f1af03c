/**
 * GET /api/runs (the recent runs, each linking to its record) and GET /api/runs/{id} (a run's stored
 * record, or its running status): one function, `runStatus`, with an optional id, so the reader key
 * that opens a run record opens the list of runs too (docs/deploy.md §12) and nothing else changes.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function runStatusHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(request.params.id ? handlers.runStatus : handlers.runs, request, context);
}

app.http('runStatus', { route: 'runs/{id?}', methods: ['GET'], authLevel: 'function', handler: runStatusHttp });
