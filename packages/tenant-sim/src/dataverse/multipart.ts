/**
 * The multipart/mixed format of OData $batch (OData 4.0 part 1 §11.7; execute-batch-operations-using-
 * web-api.md): parsing a batch request into requests and change sets, and writing the batchresponse.
 * Accepts CRLF or LF line ends, quoted or bare boundaries, and the layout dynamics-web-api produces
 * (`multipart/mixed;boundary=dwa_batch_<uuid>`, blank lines before delimiters).
 */
import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../types.js';
import { CODES, badRequest } from './errors.js';

export interface BatchRequestPart {
  kind: 'request';
  method: string;
  url: string;
  /** Lower-cased headers of the embedded HTTP request. */
  headers: Record<string, string>;
  body: string;
  contentId: string | null;
}

export interface ChangeSetPart {
  kind: 'changeset';
  requests: BatchRequestPart[];
}

export type BatchPart = BatchRequestPart | ChangeSetPart;

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\/mixed\s*(;|$)/i.test(contentType)) return null;
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bodies between the delimiters of `boundary` (preamble and epilogue dropped). */
function splitParts(body: string, boundary: string): string[] {
  const re = new RegExp(`(?:^|\\r?\\n)--${escapeRe(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let last = -1;
  let closed = false;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (last >= 0) parts.push(body.slice(last, m.index));
    if (m[1]) {
      closed = true;
      break;
    }
    last = m.index + m[0].length;
  }
  if (!closed) throw badRequest(CODES.invalidArgument, `The batch request body is not terminated by the delimiter '--${boundary}--'.`);
  return parts.map((p) => p.replace(/^\r?\n/, ''));
}

/** Splits "headers CRLF CRLF body" and parses the header lines. */
function headersAndBody(text: string): { headers: Record<string, string>; body: string; first: string | null } {
  const normalised = text.replace(/\r\n/g, '\n');
  const idx = normalised.indexOf('\n\n');
  const head = idx < 0 ? normalised : normalised.slice(0, idx);
  const body = idx < 0 ? '' : normalised.slice(idx + 2);
  const headers: Record<string, string> = {};
  let first: string | null = null;
  for (const line of head.split('\n')) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0 || /^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(line.trim())) {
      first = line.trim();
      continue;
    }
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body, first };
}

function parseRequest(partHeaders: Record<string, string>, content: string): BatchRequestPart {
  const trimmed = content.replace(/^(\r?\n)+/, '');
  const { headers, body, first } = headersAndBody(trimmed);
  const m = first ? /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(first) : null;
  if (!m) throw badRequest(CODES.invalidArgument, `A batch part does not start with a request line 'METHOD URL HTTP/1.1'.`);
  return { kind: 'request', method: m[1]!, url: m[2]!, headers, body: body.trim(), contentId: partHeaders['content-id'] ?? headers['content-id'] ?? null };
}

export function parseBatch(body: string, boundary: string, nested = false): BatchPart[] {
  const out: BatchPart[] = [];
  for (const raw of splitParts(body, boundary)) {
    const { headers, body: content } = headersAndBody(raw);
    const type = headers['content-type'] ?? '';
    const inner = boundaryOf(type);
    if (inner) {
      if (nested) throw badRequest(CODES.invalidArgument, 'Change sets cannot be nested.');
      const requests = parseBatch(content, inner, true).map((p) => p as BatchRequestPart);
      out.push({ kind: 'changeset', requests });
      continue;
    }
    if (!/^application\/http/i.test(type)) throw badRequest(CODES.invalidArgument, `A batch part has Content-Type '${type}'; expected 'application/http' or 'multipart/mixed'.`);
    out.push(parseRequest(headers, content));
  }
  return out;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export interface AnsweredPart {
  response: SimResponse;
  contentId: string | null;
}

function httpPart(p: AnsweredPart): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (p.contentId !== null) lines.push(`Content-ID: ${p.contentId}`);
  lines.push('', `HTTP/1.1 ${p.response.status} ${REASONS[p.response.status] ?? 'Unknown'}`);
  const headers = { ...(p.response.headers ?? {}) };
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  const body = p.response.body === undefined ? '' : typeof p.response.body === 'string' ? p.response.body : JSON.stringify(p.response.body);
  lines.push('', body);
  return lines.join('\r\n');
}

/** One answered item: a single response, or a change set's responses. */
export type AnsweredItem = { kind: 'single'; part: AnsweredPart } | { kind: 'changeset'; parts: AnsweredPart[] };

export function writeBatchResponse(items: AnsweredItem[]): { contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const chunks: string[] = [];
  for (const item of items) {
    if (item.kind === 'single') {
      chunks.push(`--${boundary}\r\n${httpPart(item.part)}`);
      continue;
    }
    const cs = `changesetresponse_${randomUUID()}`;
    const inner = item.parts.map((p) => `--${cs}\r\n${httpPart(p)}`).join('\r\n');
    chunks.push(`--${boundary}\r\nContent-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`);
  }
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: `${chunks.join('\r\n')}\r\n--${boundary}--\r\n` };
}
