/**
 * The mobility app's routes (docs/mobility-routes.md): GET /api/bookings?changedSince=… (the pull
 * feed) and POST /api/bookings/{id}/stage. Function keys (authLevel 'function'), like the others.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handlers } from './handlers.js';
import { invoke } from './http-adapter.js';

export async function bookingsHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.bookings, request, context);
}

export async function bookingStageHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return invoke(handlers.bookingStage, request, context);
}

app.http('bookings', { route: 'bookings', methods: ['GET'], authLevel: 'function', handler: bookingsHttp });
app.http('bookingStage', { route: 'bookings/{id}/stage', methods: ['POST'], authLevel: 'function', handler: bookingStageHttp });
