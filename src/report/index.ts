/**
 * The report in five formats from one model (model.ts). `vendor-reconciler plan` prints text by
 * default; GET /api/plan serves HTML, or JSON, Markdown and CSV with ?format=.
 */
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { buildReport, type ReportInput, type ReportModel } from './model.js';
import { renderText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'markdown' | 'html' | 'csv';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'html', 'csv'];

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  text: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** File extension for `--out` defaults and Content-Disposition file names. */
export const FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  text: 'txt',
  json: 'json',
  markdown: 'md',
  html: 'html',
  csv: 'csv',
};

const RENDERERS: Readonly<Record<ReportFormat, (model: ReportModel) => string>> = {
  text: renderText,
  json: renderJson,
  markdown: renderMarkdown,
  html: renderHtml,
  csv: renderCsv,
};

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(format: ReportFormat, input: ReportInput): string {
  return RENDERERS[format](buildReport(input));
}

export function contentType(format: ReportFormat): string {
  return CONTENT_TYPES[format];
}

export { buildReport };
export type { ReportInput, ReportModel };
