/**
 * Dataverse Web API $batch in multipart/mixed: writing a batch of independent requests and reading
 * the batchresponse back into one ServiceResponse per part, in order.
 * Source:
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 * (execute-batch-operations-using-web-api.md) and OData 4.0
 * part 1 §11.7: CRLF line ends; each part `Content-Type: application/http` and
 * `Content-Transfer-Encoding: binary`, then the embedded request `METHOD <absolute URL> HTTP/1.1`,
 * its headers, a blank line and the body. "The order of the responses will match the order of the
 * requests."
 *
 * No change sets: the engine's requests are independent and a change set is all-or-nothing, while
 * Prefer: odata.continue-on-error must let every other request go on when one fails.
 */
import { randomUUID } from 'node:crypto';
import { lowerCaseHeaders } from './retry-after.js';
import type { ServiceRequest, ServiceResponse } from './types.js';

const CRLF = '\r\n';

export interface BuiltBatch {
  contentType: string;
  body: string;
}

/** `base` is the Web API root with a trailing slash, e.g. https://org.crm.dynamics.com/api/data/v9.2/. */
export function buildBatch(requests: ServiceRequest[], base: string, commonHeaders: Record<string, string>, boundary = `batch_${randomUUID()}`): BuiltBatch {
  const lines: string[] = [];
  for (const r of requests) {
    lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    lines.push(`${r.method} ${absolute(r.url, base)} HTTP/1.1`);
    const headers: Record<string, string> = { ...commonHeaders, ...(r.body !== undefined ? { 'Content-Type': 'application/json; type=entry' } : {}), ...(r.headers ?? {}) };
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    lines.push('');
    lines.push(r.body !== undefined ? JSON.stringify(r.body) : '');
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary="${boundary}"`, body: lines.join(CRLF) };
}

export function absolute(url: string, base: string): string {
  return /^https:\/\//i.test(url) ? url : `${base}${url.replace(/^\//, '')}`;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/mixed/i.test(contentType)) return undefined;
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The parts between the delimiters (preamble and epilogue dropped), each without its leading line end. */
function splitParts(body: string, boundary: string): string[] {
  const re = new RegExp(`(?:^|\\r?\\n)--${escapeRe(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let start = -1;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (start >= 0) parts.push(body.slice(start, m.index).replace(/^\r?\n/, ''));
    if (m[1]) return parts;
    start = m.index + m[0].length;
  }
  throw new Error(`the batch response is not closed by --${boundary}--`);
}

/** "headers, blank line, rest": header names lower-cased. */
function splitHead(text: string): { first: string; headers: Record<string, string>; rest: string } {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const rest = end ? text.slice(end.index + end[0].length) : '';
  const lines = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let first = '';
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (/^HTTP\/1\.[01] \d{3}/.test(line)) first = line;
    else if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { first, headers: lowerCaseHeaders(headers), rest };
}

/** Every embedded response, change-set responses flattened in place, in order. */
export function parseBatchResponse(contentType: string | undefined, body: string): ServiceResponse[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`the batch response is not multipart/mixed (${contentType ?? 'no Content-Type'})`);
  const out: ServiceResponse[] = [];
  for (const part of splitParts(body, boundary)) {
    const outer = splitHead(part);
    const nested = boundaryOf(outer.headers['content-type']);
    if (nested) {
      out.push(...parseBatchResponse(outer.headers['content-type'], outer.rest));
      continue;
    }
    const inner = splitHead(outer.rest.replace(/^(\r?\n)+/, ''));
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(inner.first)?.[1];
    if (!status) throw new Error('a batch response part has no status line');
    const text = inner.rest.trim();
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    out.push({ status: Number(status), headers: inner.headers, body: parsed });
  }
  return out;
}
