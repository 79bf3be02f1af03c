/**
 * The HTML report's groups and their rows (html.ts puts the page around them): one section.vendor
 * per group with its table of subjects, each subject's changes, errors and warnings. Every value
 * goes through the `html` tag. The cells carry what the page's script sorts by (data-sort) and what
 * a narrow screen labels them with (data-label); the page reads the same without the script.
 */
import { formatValue, plural } from './format.js';
import { html, type SafeHtml } from './escape.js';
import type { ReportChange, ReportGroup, ReportModel, ReportSubject } from './model.js';
import { capitalised } from './words.js';
import type { ErrorInfo } from '../model/plan.js';
import { PROVISIONING_STATUSES } from './labels.js';
import { entityOfTable, recordLink, valueName } from './html-names.js';

/** data-family, only when the report holds more than one family (one family's page is unchanged). */
function familyAttribute(family: string, model: ReportModel): SafeHtml | null {
  return model.families.length > 1 ? html` data-family="${family}"` : null;
}

/** `anchor`: the section's id, for the table of contents (html-toc.ts groupAnchor). */
export function groupSection(v: ReportGroup, model: ReportModel, anchor: string): SafeHtml {
  const counts = [plural(v.subjects.length, model.words.subject), plural(v.changeCount, 'change')];
  if (v.errorCount > 0) counts.push(plural(v.errorCount, 'error'));
  return html`<section class="vendor" data-vendor-id="${v.groupId ?? ''}"${familyAttribute(v.family, model)} id="${anchor}">
<h3>${v.name} <span class="count">${counts.join(' · ')}</span></h3>
<table class="contacts" data-sortable>
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
<td class="contact-name" data-label="${capitalised(model.words.subject)}" data-sort="${c.displayName}"><span class="name">${c.displayName}</span><br>${idSpan(c.subjectId)}${subjectLinks(c, model)}</td>
<td data-label="Status" data-sort="${PROVISIONING_STATUSES.indexOf(c.status)}"><span class="${`badge status-${c.status}`}" title="${c.statusDescription}">${c.statusLabel}</span></td>
<td data-label="Changes and why" data-sort="${c.changes.length}">${c.changes.length > 0 ? html`<ol class="changes">${c.changes.map((ch) => changeItem(ch, model))}</ol>` : html`<span class="none">Nothing to change</span>`}${remains(c)}</td>
<td class="error-cell" data-label="Error and what to do" data-sort="${c.error?.code ?? (c.warnings?.[0]?.code ?? '')}">${c.error ? errorBlock(c.error) : null}${(c.warnings ?? []).map(warningBlock)}${c.lastRecordedError ? html`<p class="last-recorded-error">Last recorded error: ${c.lastRecordedError}</p>` : null}${failed.length > 0 && !c.error ? html`<p class="see-changes">See the failed change${failed.length === 1 ? '' : 's'}.</p>` : null}</td>
</tr>
`;
}

/** Links to the subject's row and, for a technician, its bookable resource, where the plan names one. */
function subjectLinks(c: ReportSubject, model: ReportModel): SafeHtml | null {
  const entity = entityOfTable(c.table);
  const row = entity ? recordLink(model, entity, c.subjectId, c.displayName) : null;
  const resource = recordLink(model, 'bookableresource', bookableResourceId(c), `the bookable resource of ${c.displayName}`);
  return row || resource ? html`<span class="links">${row}${resource}</span>` : null;
}

/** Resource lookups on the contact and on its characteristics (reconcilers/technicians/). */
const RESOURCE_FIELDS = new Set(['_o25fs_bookableresourceid_value', '_resource_value']);

/**
 * The subject's bookable resource as the plan knows it: the target of a change to it (or the id a
 * run gave the new one), else the resource a contact or characteristic change points at.
 */
function bookableResourceId(c: ReportSubject): string | null {
  for (const ch of c.changes) {
    if (ch.target.entity !== 'bookableresource') continue;
    const id = ch.target.id ?? ch.result?.createdId;
    if (id) return id;
  }
  for (const ch of c.changes) {
    for (const f of ch.fields) {
      if (!RESOURCE_FIELDS.has(f.field)) continue;
      if (typeof f.after === 'string') return f.after;
      if (typeof f.before === 'string') return f.before;
    }
  }
  return null;
}

function changeItem(ch: ReportChange, model: ReportModel): SafeHtml {
  const outcome = ch.result?.outcome ?? (ch.blocked ? 'blocked' : 'planned');
  return html`<li class="${`change shape-${ch.shape}`}" data-change-id="${ch.id}" data-kind="${ch.kind}">
<span class="change-label">${ch.label}</span> <span class="target">${targetHtml(ch)}</span>
${ch.fields.length > 0 ? html`<ul class="fields">${ch.fields.map((f) => html`<li>${fieldHtml(ch, f, model)}</li>`)}</ul>` : null}
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

function fieldHtml(ch: ReportChange, f: ReportChange['fields'][number], model: ReportModel): SafeHtml {
  const value = (v: unknown): SafeHtml => valueHtml(v, valueName(model, f.field, v));
  if (ch.shape === 'create') return html`${f.label}: <span class="after">${value(f.after)}</span>`;
  if (ch.shape === 'remove') return html`${f.label}: <span class="before">${value(f.before)}</span> → (removed)`;
  return html`${f.label}: <span class="before">${value(f.before)}</span> → <span class="after">${f.afterFrom ? `(the new id, from “${f.afterFrom}”)` : value(f.after)}</span>`;
}

/**
 * Short ids on screen, the full value in the title attribute (hover, or copy from the source); a
 * name the report knows for the value (html-names.ts) before it: "SPE_F1 c7df2760…".
 */
function valueHtml(value: unknown, name: string | null = null): SafeHtml {
  const short = formatValue(value, { shortIds: true });
  const full = formatValue(value);
  const shown = short === full ? html`${short}` : html`<span class="id" title="${full}">${short}</span>`;
  return name ? html`<span class="id-name">${name}</span> ${shown}` : shown;
}

export function idSpan(id: string): SafeHtml {
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

export function errorBlock(e: ErrorInfo): SafeHtml {
  return html`<div class="error" data-error-code="${e.code}"><p class="error-message"><code>${e.code}</code> ${e.message}</p><p class="what-to-do">What to do: ${e.action}</p></div>`;
}
