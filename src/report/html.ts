/**
 * HTML: one self-contained page (inline CSS, no script, no external resource; a Content-Security-Policy
 * meta tag forbids them too), readable in a browser and on paper. Summary first, then a section per
 * vendor with a table of its contacts, then orphans. Every value goes through the `html` tag, which
 * escapes & < > " ' — a contact named <script>alert(1)</script> shows as text. The page passes
 * terminalSafe() last: `plan --format html` without --out prints it, and a browser has no use for
 * control characters or bidi overrides in a name either.
 *
 * Stable hooks for tests and admins' own tooling: #summary, #headline, .card[data-metric],
 * #plan-mode-notice (a plan-mode deployment's runs only report), #changes-by-kind tr[data-kind], #contacts-by-status tr[data-status], #licence-warning,
 * #blocked-removals-notice, #last-run, #run, #run-error, section.vendor[data-vendor-id],
 * tr.contact[data-contact-id][data-status], li.change[data-change-id][data-kind], #orphans.
 * The hooks keep the technicians' names whatever the family (a section.vendor is a group, a
 * tr.contact a subject, data-contact-id its id): tooling written against them keeps working. A
 * second SKU's cards and warning are licence-needed-2, licence-available-2, #licence-warning-2, and
 * with more than one family each section and row also carries data-family. Each tally with rows is
 * a section.tally[data-tally-id][data-family] after the summary, one tr.tally-row[data-value] per value.
 * A family with its own group section (a project's tasks and work orders) has #group-sections
 * before the groups (group-section-render.ts lists its hooks).
 */
import { formatDateTime, formatValue, plural } from './format.js';
import { html, trusted, type SafeHtml } from './escape.js';
import { sectionsHtml } from './group-section-render.js';
import { NEVER_DELETES } from './labels.js';
import type { ReportChange, ReportGroup, ReportModel, ReportSubject, ReportTally } from './model.js';
import { capitalised, type ReportWords } from './words.js';
import type { ErrorInfo } from '../model/plan.js';
import { STYLE } from './html-style.js';
import { terminalSafe } from './terminal-safe.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(model: ReportModel): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
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
${failureSection(model)}${stoppedSection(model)}${summarySection(model)}
${model.tallies.map(tallySection)}${runSection(model)}
${sectionsHtml(model.groupSections)}<section id="vendors" aria-labelledby="vendors-title">
<h2 id="vendors-title">${capitalised(model.words.subject)}s by ${model.words.group}</h2>
${model.groups.length === 0 ? html`<p class="none">No ${noneInScope(model.words)} in scope.</p>` : model.groups.map((v) => groupSection(v, model))}
</section>
${orphansSection(model)}
</main>
<footer><p>${NEVER_DELETES}</p></footer>
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
<table class="tally-rows"><thead><tr><th scope="col">Value</th><th scope="col">${capitalised(t.unit)}</th></tr></thead>
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

/** data-family, only when the report holds more than one family (one family's page is unchanged). */
function familyAttribute(family: string, model: ReportModel): SafeHtml | null {
  return model.families.length > 1 ? html` data-family="${family}"` : null;
}

function groupSection(v: ReportGroup, model: ReportModel): SafeHtml {
  const counts = [plural(v.subjects.length, model.words.subject), plural(v.changeCount, 'change')];
  if (v.errorCount > 0) counts.push(plural(v.errorCount, 'error'));
  return html`<section class="vendor" data-vendor-id="${v.groupId ?? ''}"${familyAttribute(v.family, model)}>
<h3>${v.name} <span class="count">${counts.join(' · ')}</span></h3>
<table class="contacts">
<thead><tr><th scope="col">${capitalised(model.words.subject)}</th><th scope="col">Status</th><th scope="col">Changes and why</th><th scope="col">Error and what to do</th></tr></thead>
<tbody>
${v.subjects.map((c) => subjectRow(c, model))}
</tbody>
</table>
</section>
`;
}

function subjectRow(c: ReportSubject, model: ReportModel): SafeHtml {
  const failed = c.changes.filter((ch) => ch.result?.error);
  return html`<tr class="contact" data-contact-id="${c.subjectId}" data-status="${c.status}"${familyAttribute(c.family, model)}>
<td class="contact-name" data-label="${capitalised(model.words.subject)}"><span class="name">${c.displayName}</span><br>${idSpan(c.subjectId)}</td>
<td data-label="Status"><span class="${`badge status-${c.status}`}" title="${c.statusDescription}">${c.statusLabel}</span></td>
<td data-label="Changes and why">${c.changes.length > 0 ? html`<ol class="changes">${c.changes.map(changeItem)}</ol>` : html`<span class="none">Nothing to change</span>`}${remains(c)}</td>
<td class="error-cell" data-label="Error and what to do">${c.error ? errorBlock(c.error) : null}${(c.warnings ?? []).map(warningBlock)}${c.lastRecordedError ? html`<p class="last-recorded-error">Last recorded error: ${c.lastRecordedError}</p>` : null}${failed.length > 0 && !c.error ? html`<p class="see-changes">See the failed change${failed.length === 1 ? '' : 's'}.</p>` : null}</td>
</tr>
`;
}

function changeItem(ch: ReportChange): SafeHtml {
  const outcome = ch.result?.outcome ?? (ch.blocked ? 'blocked' : 'planned');
  return html`<li class="${`change shape-${ch.shape}`}" data-change-id="${ch.id}" data-kind="${ch.kind}">
<span class="change-label">${ch.label}</span> <span class="target">${targetHtml(ch)}</span>
${ch.fields.length > 0 ? html`<ul class="fields">${ch.fields.map((f) => html`<li>${fieldHtml(ch, f)}</li>`)}</ul>` : null}
<p class="reason">Why: ${ch.reason}</p>
${ch.result || ch.blocked ? html`<p class="${`outcome outcome-${outcome}`}">${ch.outcomeText}</p>` : null}
${ch.result?.error ? errorBlock(ch.result.error) : null}
</li>`;
}

function targetHtml(ch: ReportChange): SafeHtml {
  const { entityLabel, id, createdByLabel } = ch.target;
  if (id !== null) return html`${entityLabel} ${idSpan(id)}`;
  return createdByLabel ? html`${entityLabel} (new, from “${createdByLabel}”)` : html`${entityLabel} (new)`;
}

function fieldHtml(ch: ReportChange, f: ReportChange['fields'][number]): SafeHtml {
  if (ch.shape === 'create') return html`${f.label}: <span class="after">${valueHtml(f.after)}</span>`;
  if (ch.shape === 'remove') return html`${f.label}: <span class="before">${valueHtml(f.before)}</span> → (removed)`;
  return html`${f.label}: <span class="before">${valueHtml(f.before)}</span> → <span class="after">${f.afterFrom ? `(the new id, from “${f.afterFrom}”)` : valueHtml(f.after)}</span>`;
}

/** Short ids on screen, the full value in the title attribute (hover, or copy from the source). */
function valueHtml(value: unknown): SafeHtml {
  const short = formatValue(value, { shortIds: true });
  const full = formatValue(value);
  return short === full ? html`${short}` : html`<span class="id" title="${full}">${short}</span>`;
}

function idSpan(id: string): SafeHtml {
  return html`<span class="id" title="${id}">${formatValue(id, { shortIds: true })}</span>`;
}

function remains(c: ReportSubject): SafeHtml | null {
  if (!c.remains) return null;
  return c.remains.length > 0
    ? html`<div class="remains"><p>${c.family === 'technicians' ? 'Still in place (nothing is removed while Setup technician is off):' : 'Still in place (vendor-reconciler leaves these alone):'}</p><ul>${c.remains.map((r) => html`<li>${r}</li>`)}</ul></div>`
    : html`<p class="remains">Nothing remains.</p>`;
}

/** A problem that does not stop the subject: the same block as an error, marked as a warning. */
function warningBlock(w: ErrorInfo): SafeHtml {
  return html`<div class="warning" data-warning-code="${w.code}"><p class="warning-message">Warning <code>${w.code}</code> ${w.message}</p><p class="what-to-do">What to do: ${w.action}</p></div>`;
}

function errorBlock(e: ErrorInfo): SafeHtml {
  return html`<div class="error" data-error-code="${e.code}"><p class="error-message"><code>${e.code}</code> ${e.message}</p><p class="what-to-do">What to do: ${e.action}</p></div>`;
}

function orphansSection(model: ReportModel): SafeHtml {
  return html`<section id="orphans" aria-labelledby="orphans-title">
<h2 id="orphans-title">Orphans</h2>
${model.orphans.length === 0
    ? html`<p class="none">No orphan: every managed object matches a ${model.words.subject}.</p>`
    : html`<p>Managed objects that match no ${model.words.subject}. vendor-reconciler leaves them as they are; an admin decides.</p>
<table class="orphans"><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Why it is an orphan</th></tr></thead>
<tbody>${model.orphans.map(
        (o) => html`<tr class="orphan" data-orphan-id="${o.id}"><td data-label="Kind">${o.kindLabel}</td><td data-label="Name">${o.displayName ?? '(no name)'}</td><td data-label="Id">${idSpan(o.id)}</td><td data-label="Why it is an orphan">${o.reason}</td></tr>`,
      )}</tbody></table>`}
</section>`;
}
