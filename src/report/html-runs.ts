/**
 * The run-history page (GET /api/runs): the recent runs, newest first, each linking to its record
 * as a report (GET /api/runs/{id}?format=html). The same stylesheet, policy and script as the
 * report (html-style.ts, html-script.ts), so its table sorts and it follows the dark scheme; it
 * reads fully without the script. Hooks: #runs, tr.run[data-run-id][data-status][data-outcome].
 *
 * `linkQuery` is added to every link as is (the caller's function key, `code=…`, so the links open
 * with the key the page was opened with); it is never shown as text.
 */
import { html, trusted, type SafeHtml } from './escape.js';
import { formatDateTime } from './format.js';
import { REPORT_CSP, REPORT_SCRIPT } from './html-script.js';
import { STYLE } from './html-style.js';
import { RUN_OUTCOME_LABELS, TRIGGER_LABELS } from './labels.js';
import { terminalSafe } from './terminal-safe.js';

export interface RunListEntry {
  runId: string;
  /** `interrupted`: a running marker whose run no longer holds the lock (the host stopped). */
  status: 'queued' | 'running' | 'finished' | 'interrupted';
  mode: 'apply' | 'dry-run';
  trigger: 'timer' | 'manual' | 'cli' | 'webhook' | 'follow-up';
  startedAt: string;
  finishedAt: string | null;
  outcome: 'succeeded' | 'partial' | 'failed' | 'stopped' | null;
}

const OUTCOME_BADGES: Readonly<Record<string, string>> = {
  succeeded: 'status-active', partial: 'status-no_licence_units', failed: 'status-error', stopped: 'status-no_licence_units',
  queued: 'status-pending', running: 'status-pending', interrupted: 'status-error',
};

function outcomeOf(r: RunListEntry): { key: string; label: string } {
  if (r.status === 'queued') return { key: 'queued', label: 'Queued' };
  if (r.status === 'running') return { key: 'running', label: 'Running' };
  if (r.status === 'interrupted') return { key: 'interrupted', label: 'Interrupted' };
  return { key: r.outcome ?? 'unknown', label: r.outcome ? RUN_OUTCOME_LABELS[r.outcome] : 'Unknown' };
}

export function renderRunsHtml(runs: readonly RunListEntry[], options: { linkQuery?: string; reportPath?: string } = {}): string {
  const q = options.linkQuery ? `&${options.linkQuery}` : '';
  const report = `${options.reportPath ?? '/api/plan'}${options.linkQuery ? `?${options.linkQuery}` : ''}`;
  const rows = runs.map((r): SafeHtml => {
    const o = outcomeOf(r);
    return html`<tr class="run" data-run-id="${r.runId}" data-status="${r.status}" data-outcome="${o.key}">
<td data-label="Started" data-sort="${r.startedAt}"><time datetime="${r.startedAt}">${formatDateTime(r.startedAt)}</time></td>
<td data-label="Finished" data-sort="${r.finishedAt ?? ''}">${r.finishedAt ? html`<time datetime="${r.finishedAt}">${formatDateTime(r.finishedAt)}</time>` : '—'}</td>
<td data-label="Mode">${r.mode === 'apply' ? 'Apply' : 'Dry run'}</td>
<td data-label="Started by">${TRIGGER_LABELS[r.trigger] ?? r.trigger}</td>
<td data-label="Outcome"><span class="${`badge ${OUTCOME_BADGES[o.key] ?? 'status-out_of_scope'}`}">${o.label}</span></td>
<td data-label="Run"><a href="${`/api/runs/${r.runId}?format=html${q}`}"><span class="id">${r.runId}</span></a></td>
</tr>
`;
  });
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<title>vendor-reconciler: recent runs</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header id="report-header">
<h1>vendor-reconciler: recent runs</h1>
<p class="meta">The newest first. Each run opens as its report: what it planned and, for an apply, what each change did. <a href="${report}">The dry-run report of the tenant now</a>.</p>
</header>
<main>
<section id="runs" aria-labelledby="runs-title">
<h2 id="runs-title">Runs</h2>
${runs.length === 0
    ? html`<p class="none">No run recorded yet: the timer's first run, or POST /api/run, starts the history.</p>`
    : html`<table class="runs" data-sortable><caption>${runs.length === 1 ? '1 run' : `${runs.length} runs`}</caption>
<thead><tr><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Mode</th><th scope="col">Started by</th><th scope="col">Outcome</th><th scope="col">Run</th></tr></thead>
<tbody>
${rows}</tbody></table>`}
</section>
</main>
<script>${trusted(REPORT_SCRIPT)}</script>
</body>
</html>
`;
  return terminalSafe(page.value);
}
