/**
 * Turning a fetch Response into a ServiceResponse: status, lower-cased headers, and the body parsed
 * when it is JSON (types.ts: "Parsed JSON when the response had a JSON body, else undefined").
 */
import type { ServiceResponse } from './types.js';

export function headersOf(raw: Response): Record<string, string> {
  const out: Record<string, string> = {};
  raw.headers.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}

export async function readResponse(raw: Response): Promise<ServiceResponse> {
  const headers = headersOf(raw);
  const text = await raw.text();
  let body: unknown;
  if (text !== '' && /json/i.test(headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: raw.status, headers, body };
}
