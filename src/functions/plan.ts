/**
 * GET /api/plan: the dry-run report (HTML by default; ?format=json|markdown|csv; ?contact=ID…; ?vendor=ID),
 * and GET /api/vendors/{vendorId}/plan: one vendor's view of it.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function planHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.plan, request, context);
}

export async function vendorPlanHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.vendorPlan, request, context);
}

app.http('plan', { route: 'plan', methods: ['GET'], authLevel: 'function', handler: planHttp });
// One vendor's view as a function of its own, so its keys open only vendor views (docs/deploy.md).
app.http('vendorPlan', { route: 'vendors/{vendorId}/plan', methods: ['GET'], authLevel: 'function', handler: vendorPlanHttp });
