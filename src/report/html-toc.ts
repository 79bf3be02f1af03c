/**
 * The HTML report's table of contents and its filter controls (html.ts places them).
 *
 * The contents (nav#toc) link to the page's sections and, family by family, to every group
 * (for technicians: every vendor) with its counts: plain links within the page, so they work
 * without the script. Each group's section has the id groupAnchor() gives, by position, so a
 * group id from data never becomes part of a URL.
 *
 * The filters (#filters) are rendered `hidden`: only the page's script (html-script.ts) shows them,
 * so a page opened without it never offers controls that do nothing. One checkbox per status the
 * report holds, with its count, all on at first.
 */
import { html, type SafeHtml } from './escape.js';
import { plural } from './format.js';
import type { ReportModel } from './model.js';
import { capitalised, familyWords } from './words.js';

/** The id of the index-th group's section (0-based index into model.groups). */
export function groupAnchor(index: number): string {
  return `group-${index + 1}`;
}

export function tocHtml(model: ReportModel): SafeHtml {
  const entry = (id: string, text: string): SafeHtml => html`<li><a href="${`#${id}`}">${text}</a></li>`;
  const families = model.families.length > 0 ? model.families : [''];
  return html`<nav id="toc" aria-labelledby="toc-title">
<h2 id="toc-title">Contents</h2>
<ul>
${model.failure ? entry('failure', model.failure.title) : null}${model.stoppedFamilies.length > 0 ? entry('stopped-families', 'Stopped families') : null}${entry('summary', 'Summary')}
${model.run ? entry('run', `Run ${model.run.runId}`) : null}${model.groupSections.length > 0 ? entry('group-sections', [...new Set(model.groupSections.map((s) => s.title))].join(', ')) : null}<li><a href="#vendors">${capitalised(model.words.subject)}s by ${model.words.group}</a>
<ul class="toc-families">
${families.map((family) => {
    const groups = model.groups.map((g, i) => ({ g, i })).filter(({ g }) => g.family === family);
    return html`<li class="toc-family"${model.families.length > 1 ? html` data-family="${family}"` : null}>${familyWords(family).familyName || family || capitalised(model.words.group)}
<ul class="toc-groups">${groups.length === 0
      ? html`<li class="none">None in scope</li>`
      : groups.map(({ g, i }) => html`<li><a href="${`#${groupAnchor(i)}`}">${g.name}</a> <span class="count">${countsOf(g.subjects.length, g.changeCount, g.errorCount, familyWords(g.family).subject)}</span></li>`)}</ul></li>
`;
  })}</ul></li>
${entry('orphans', 'Orphans')}</ul>
</nav>
`;
}

function countsOf(subjects: number, changes: number, errors: number, subject: string): string {
  const parts = [plural(subjects, subject), plural(changes, 'change')];
  if (errors > 0) parts.push(plural(errors, 'error'));
  return parts.join(' · ');
}

export function filtersHtml(model: ReportModel): SafeHtml | null {
  if (model.groups.length === 0) return null;
  const noun = `${model.words.subject}s`;
  return html`<div id="filters" role="search" aria-label="${`Filter the ${noun}`}" data-noun="${noun}" hidden>
<p class="filter-search"><label for="filter-text">Search</label> <input type="search" id="filter-text" autocomplete="off" placeholder="Name, id, change or error"></p>
<fieldset id="filter-status"><legend>Status</legend>
${model.summary.subjectsByStatus.map(
    (s) => html`<label class="filter-option"><input type="checkbox" value="${s.status}" checked> ${s.label} (${s.count})</label>
`,
  )}</fieldset>
<p id="filter-count" aria-live="polite"></p>
</div>
`;
}
