/**
 * HTML: one self-contained page (inline CSS, one inline script, no external resource; a
 * Content-Security-Policy meta tag forbids any other), readable in a browser and on paper, with or
 * without the script. A failure first, then the contents (html-toc.ts), the summary, a section per
 * vendor with a table of its contacts (html-subjects.ts), then orphans. The script (html-script.ts,
 * allowed by its hash) adds search, status filters and sorting, all within the page. Every value goes through the `html` tag, which
 * escapes & < > " ' — a contact named <script>alert(1)</script> shows as text. The page passes
 * terminalSafe() last: `plan --format html` without --out prints it, and a browser has no use for
 * control characters or bidi overrides in a name either.
 *
 * Stable hooks for tests and admins' own tooling: #summary, #headline, .card[data-metric],
 * #plan-mode-notice (a plan-mode deployment's runs only report), #changes-by-kind tr[data-kind], #contacts-by-status tr[data-status], #licence-warning,
 * #blocked-removals-notice, #last-run, #run, #run-error, #toc, #filters, section.vendor[data-vendor-id][id],
 * tr.contact[data-contact-id][data-status], li.change[data-change-id][data-kind], #orphans.
 * The hooks keep the technicians' names whatever the family (a section.vendor is a group, a
 * tr.contact a subject, data-contact-id its id): tooling written against them keeps working. A
 * second SKU's cards and warning are licence-needed-2, licence-available-2, #licence-warning-2, and
 * with more than one family each section and row also carries data-family. Each tally with rows is
 * a section.tally[data-tally-id][data-family] after the summary, one tr.tally-row[data-value] per value.
 * A family with its own group section (a project's tasks and work orders) has #group-sections
 * before the groups (group-section-render.ts lists its hooks).
 */
import { formatDateTime } from './format.js';
import { html, trusted, type SafeHtml } from './escape.js';
import { sectionsHtml } from './group-section-render.js';
import { NEVER_DELETES } from './labels.js';
import type { ReportModel, ReportTally } from './model.js';
import { capitalised, type ReportWords } from './words.js';
import { STYLE } from './html-style.js';
import { REPORT_CSP, REPORT_SCRIPT } from './html-script.js';
import { errorBlock, groupSection, idSpan } from './html-subjects.js';
import { recordLink } from './html-names.js';
import { filtersHtml, groupAnchor, tocHtml } from './html-toc.js';
import { terminalSafe } from './terminal-safe.js';


export function renderHtml(model: ReportModel): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<title>${model.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<a class="skip-link" href="#vendors">Skip to the ${model.words.subject}s</a>
<header id="report-header">
<h1>${model.title}</h1>
<p id="mode-notice" class="${model.dryRun ? 'mode dry-run' : 'mode applied'}">${model.modeNotice}</p>
${model.notice ? html`<p id="plan-mode-notice" class="notice" data-notice="${model.notice.kind}">${model.notice.text}</p>
` : null}<p class="meta">Generated <time datetime="${model.generatedAt}">${formatDateTime(model.generatedAt)}</time>. Scope: <span id="scope">${model.scopeText}</span></p>
</header>
<main>
${failureSection(model)}${stoppedSection(model)}${tocHtml(model)}${summarySection(model)}
${model.tallies.map(tallySection)}${runSection(model)}
${sectionsHtml(model.groupSections)}<section id="vendors" aria-labelledby="vendors-title">
<h2 id="vendors-title">${capitalised(model.words.subject)}s by ${model.words.group}</h2>
${filtersHtml(model)}${model.groups.length === 0 ? html`<p class="none">No ${noneInScope(model.words)} in scope.</p>` : model.groups.map((v, i) => groupSection(v, model, groupAnchor(i)))}
</section>
${orphansSection(model)}
</main>
<footer><p>${NEVER_DELETES}</p></footer>
<script>${trusted(REPORT_SCRIPT)}</script>
</body>
</html>
`;
  return terminalSafe(page.value);
}

function summarySection(model: ReportModel): SafeHtml {
  const s = model.summary;
  const many = `${capitalised(model.words.subject)}s`;
  const card = (metric: string, value: string | number, label: string, warn = false): SafeHtml =>
    html`<div class="${warn ? 'card warn' : 'card'}" data-metric="${metric}"><span class="value">${value}</span><span class="label">${label}</span></div>`;
  return html`<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<p id="headline">${s.headline}</p>
${s.notes.map((n) => html`<p class="note">${n}</p>`)}
<div class="cards">
${card('changes', s.totalChanges, 'Changes')}
${card('contacts', s.totalSubjects, many)}
${card('errors', s.errors, `${many} with errors`, s.errors > 0)}
${s.licences.map((l, i) => html`${card(`licence-needed${suffix(i)}`, l.unitsNeeded, `Licence units needed${s.licences.length > 1 ? ` (${l.skuName})` : ''}`, l.shortage > 0)}
${card(`licence-available${suffix(i)}`, l.unitsAvailable ?? 'unknown', `Licence units available (${l.skuName})`, l.shortage > 0)}
`)}${card('orphans', s.orphans, 'Orphans')}
${card('blocked-removals', s.blockedRemovals, 'Blocked removals', s.blockedRemovals > 0)}
</div>
${s.licences.map((l, i) => (l.warning ? html`<div id="${`licence-warning${suffix(i)}`}" class="notice warn" role="alert">${l.warning}</div>` : null))}
${s.blockedRemovalNotice
    ? html`<div id="blocked-removals-notice" class="notice warn" role="alert"><p>${s.blockedRemovalNotice}</p>
<ul id="blocked-removals-list">${s.blockedRemovalItems.map(
        (b) => html`<li data-change-id="${b.changeId}">${b.subjectName}: ${b.label}</li>`,
      )}</ul></div>`
    : null}
<div class="tables">
<table id="changes-by-kind"><caption>Changes by kind</caption>
<tbody>${s.changesByKind.length === 0
    ? html`<tr><td colspan="2" class="none">No change</td></tr>`
    : s.changesByKind.map((k) => html`<tr data-kind="${k.kind}"><th scope="row">${k.label}</th><td class="num">${k.count}</td></tr>`)}
</tbody></table>
<table id="contacts-by-status"><caption>${many} by status</caption>
<tbody>${s.subjectsByStatus.length === 0
    ? html`<tr><td colspan="2" class="none">No ${model.words.subject}</td></tr>`
    : s.subjectsByStatus.map(
        (st) => html`<tr data-status="${st.status}"><th scope="row"><span class="${`badge status-${st.status}`}">${st.label}</span></th><td class="num">${st.count}</td></tr>`,
      )}
</tbody></table>
</div>
<p id="last-run">Last run: ${s.lastRun ? s.lastRun.sentence : 'none recorded yet.'}</p>
</section>`;
}

/** A tally after the summary: what it counts, then a table of values and counts (values are vendor data). */
function tallySection(t: ReportTally): SafeHtml {
  const title = `tally-${t.family}-${t.id}-title`;
  return html`<section class="tally" data-tally-id="${t.id}" data-family="${t.family}" aria-labelledby="${title}">
<h2 id="${title}">${t.title}</h2>
<p class="tally-description">${t.description}</p>
<table class="tally-rows" data-sortable><thead><tr><th scope="col">Value</th><th scope="col">${capitalised(t.unit)}</th></tr></thead>
<tbody>${t.rows.map((r) => html`<tr class="tally-row" data-value="${r.value}"><td>${r.value}</td><td class="num">${r.count}</td></tr>`)}</tbody></table>
</section>
`;
}

/** A failed or stopped run, first on the page, before any number that could read as good news. */
function failureSection(model: ReportModel): SafeHtml | null {
  const f = model.failure;
  if (!f) return null;
  return html`<section id="failure" role="alert" aria-labelledby="failure-title">
<h2 id="failure-title">${f.title}</h2>
${errorBlock(f.error)}
<p class="failure-meaning">${f.meaning}</p>
</section>
`;
}

/** Families stopped by their configuration, first on the page: they planned nothing. */
function stoppedSection(model: ReportModel): SafeHtml | null {
  if (model.stoppedFamilies.length === 0) return null;
  return html`<section id="stopped-families" role="alert" aria-labelledby="stopped-families-title">
<h2 id="stopped-families-title">Stopped: ${model.stoppedFamilies.map((f) => f.name).join(', ')} planned nothing in this run</h2>
${model.stoppedFamilies.map((f) => html`<div class="stopped-family" data-family="${f.family}"><h3>${f.name}</h3>${errorBlock(f.error)}</div>`)}
</section>
`;
}

function runSection(model: ReportModel): SafeHtml | null {
  const r = model.run;
  if (!r) return null;
  return html`<section id="run" aria-labelledby="run-title" data-run-id="${r.runId}">
<h2 id="run-title">Run ${r.runId}</h2>
<p><strong id="run-outcome" data-outcome="${r.outcome}">${r.outcomeLabel}.</strong> ${r.outcomeDescription}</p>
<p>${r.mode === 'apply' ? 'Apply' : 'Dry run'}, started by ${r.triggerText}, from ${formatDateTime(r.startedAt)} to ${formatDateTime(r.finishedAt)}.</p>
${r.resultCounts.length > 0 ? html`<p>${r.resultCounts.map((c) => `${c.label}: ${c.count}`).join('; ')}.</p>` : null}
${r.error ? html`<div id="run-error">${errorBlock(r.error)}</div>` : null}
</section>`;
}

/** The index's suffix for a second SKU's hooks onwards: '', '-2', '-3' … */
function suffix(i: number): string {
  return i === 0 ? '' : `-${i + 1}`;
}

/** "technician contact" for the technicians, "subject" when the member and the subject are one word. */
function noneInScope(w: ReportWords): string {
  return w.member === w.subject ? w.subject : `${w.member} ${w.subject}`;
}

function orphansSection(model: ReportModel): SafeHtml {
  return html`<section id="orphans" aria-labelledby="orphans-title">
<h2 id="orphans-title">Orphans</h2>
${model.orphans.length === 0
    ? html`<p class="none">${model.scope.kind === 'group'
      // A group member that matches no contact has no vendor: only the whole-tenant report can list it.
      ? `No orphan among this ${model.words.group}'s objects. Members of the group that match no ${model.words.subject} belong to no ${model.words.group}: the report of the whole tenant lists them.`
      : `No orphan: every managed object matches a ${model.words.subject}.`}</p>`
    : html`<p>Managed objects that match no ${model.words.subject}. vendor-reconciler leaves them as they are; an admin decides.</p>
<table class="orphans" data-sortable><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Why it is an orphan</th></tr></thead>
<tbody>${model.orphans.map(
        (o) => html`<tr class="orphan" data-orphan-id="${o.id}"><td data-label="Kind">${o.kindLabel}</td><td data-label="Name">${o.displayName ?? '(no name)'}</td><td data-label="Id">${idSpan(o.id)}${o.kind === 'bookableresource' ? recordLink(model, 'bookableresource', o.id, `the bookable resource ${o.displayName ?? o.id}`) : null}</td><td data-label="Why it is an orphan">${o.reason}</td></tr>`,
      )}</tbody></table>`}
</section>`;
}
