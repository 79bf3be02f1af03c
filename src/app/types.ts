/**
 * The handlers' own request and response shapes: the least the Functions adapter (src/functions/)
 * and the local server (src/server/) both give, so the handlers know neither.
 */

export interface AppRequest {
  method: string;
  /** The full request URL (the 202 answer's Location is built from it). */
  url: string;
  query: URLSearchParams;
  /** Route parameters, e.g. `id` of runs/{id}. */
  params: Readonly<Record<string, string | undefined>>;
  /** The body as text ('' when there is none). */
  text(): Promise<string>;
  /** The Content-Type header, when the request has one (POST /api/bookings/{id}/stage checks it). */
  contentType?: string;
  log: Logger;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Run ids, counts and codes only: no contact name or email address is ever logged. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
