/** @azure/functions' HttpRequest in, HttpResponseInit out: the handlers see only AppRequest/AppResponse. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { AppRequest, AppResponse } from '../app/types.js';
import { loggerFor, telemetry } from './app-instance.js';

export function toAppRequest(request: HttpRequest, context: InvocationContext): AppRequest {
  return {
    method: request.method,
    url: request.url,
    query: request.query,
    params: request.params,
    text: async () => (request.body ? request.text() : ''),
    ...contentTypeOf(request.headers.get('content-type')),
    log: loggerFor(context),
  };
}

const contentTypeOf = (value: string | null): { contentType?: string } => (value === null ? {} : { contentType: value });

export function toResponseInit(response: AppResponse): HttpResponseInit {
  return { status: response.status, headers: response.headers, body: response.body };
}

/** Runs one handler and sends queued telemetry before the invocation ends (flush never rejects). */
export async function invoke(handle: (request: AppRequest) => Promise<AppResponse>, request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    return toResponseInit(await handle(toAppRequest(request, context)));
  } finally {
    await telemetry.flush();
  }
}
