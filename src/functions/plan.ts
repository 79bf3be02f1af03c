/** GET /api/plan: the dry-run report (HTML by default; ?format=json|markdown|csv; ?contact=ID…; ?vendor=ID). */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function planHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.plan, request, context);
}

app.http('plan', { route: 'plan', methods: ['GET'], authLevel: 'function', handler: planHttp });
