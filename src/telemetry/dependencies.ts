/**
 * Dependency tracking for the product's HTTP calls.
 *
 * applicationinsights 3.x collects dependencies through OpenTelemetry's http instrumentation, which
 * patches node:http/https only. The product's Graph and Dataverse clients use the global fetch
 * (undici), which that instrumentation never sees, and the package ships no undici instrumentation.
 * Node's bundled undici publishes every request on diagnostics channels, so this module listens
 * there and tracks each request as a dependency itself: method, host, path with the query dropped
 * (Graph filters carry email addresses), status, duration. Nothing in the product's clients changes.
 */
import diagnostics from 'node:diagnostics_channel';
import { dependencyName, safeUrl } from './redact.js';

export interface DependencyRecord {
  name: string;
  /** Origin and path only (redact.ts safeUrl). */
  data: string;
  target: string;
  duration: number;
  resultCode: string;
  success: boolean;
  dependencyTypeName: 'HTTP';
}

interface UndiciRequest {
  origin?: unknown;
  method?: unknown;
  path?: unknown;
}

interface Pending {
  start: number;
  method: string;
  url: string;
  status?: number;
}

/**
 * Starts listening; returns the function that stops. `ignoreHosts` keeps the telemetry exporter's
 * own calls out (it uses node:http today, but a future version might use fetch).
 */
export function trackFetchDependencies(
  track: (dependency: DependencyRecord) => void,
  options: { ignoreHosts?: string[]; now?: () => number } = {},
): () => void {
  const now = options.now ?? (() => performance.now());
  const ignore = new Set((options.ignoreHosts ?? []).map((h) => h.toLowerCase()));
  const pending = new WeakMap<object, Pending>();

  const finish = (request: object, resultCode: string, success: boolean): void => {
    const p = pending.get(request);
    if (!p) return;
    pending.delete(request);
    let host = '';
    try {
      host = new URL(p.url).host;
    } catch {
      // an unparsable origin is tracked with no target
    }
    track({
      name: dependencyName(p.method, p.url),
      data: safeUrl(p.url),
      target: host,
      duration: Math.max(0, Math.round(now() - p.start)),
      resultCode,
      success,
      dependencyTypeName: 'HTTP',
    });
  };

  const onCreate = (message: unknown): void => {
    const request = (message as { request?: UndiciRequest }).request;
    if (!request || typeof request !== 'object') return;
    const url = `${String(request.origin)}${typeof request.path === 'string' ? request.path : ''}`;
    try {
      if (ignore.has(new URL(url).host.toLowerCase())) return;
    } catch {
      return;
    }
    pending.set(request, { start: now(), method: typeof request.method === 'string' ? request.method : 'GET', url });
  };
  const onHeaders = (message: unknown): void => {
    const { request, response } = message as { request?: object; response?: { statusCode?: unknown } };
    const p = request ? pending.get(request) : undefined;
    if (p && typeof response?.statusCode === 'number') p.status = response.statusCode;
  };
  const onTrailers = (message: unknown): void => {
    const { request } = message as { request?: object };
    const status = request ? pending.get(request)?.status : undefined;
    if (request) finish(request, String(status ?? 0), status !== undefined && status < 400);
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request?: object; error?: { code?: unknown; name?: unknown } };
    const code = typeof error?.code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(error.code) ? error.code : 'ERROR';
    if (request) finish(request, code, false);
  };

  const channels: [string, (message: unknown) => void][] = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', onHeaders],
    ['undici:request:trailers', onTrailers],
    ['undici:request:error', onError],
  ];
  for (const [name, fn] of channels) diagnostics.subscribe(name, fn);
  return () => {
    for (const [name, fn] of channels) diagnostics.unsubscribe(name, fn);
  };
}
