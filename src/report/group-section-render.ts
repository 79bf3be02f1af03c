/**
 * The families' group sections (group-section.ts) in text, Markdown and HTML; the JSON and the CSV
 * write theirs in json.ts and csv.ts. Each format escapes as the rest of its document does: text
 * passes every value through plainText(), Markdown through the md() its renderer gives (passed in,
 * so this file does not import markdown.ts back), HTML through the `html` tag.
 *
 * HTML hooks: #group-sections, section.group-section[data-group-id][data-family],
 * tr.member[data-subject-id][data-status] with td.object[data-object-id],
 * ol.group-changes li[data-change-id][data-kind][data-subject-id],
 * ul.needs-person li[data-subject-id][data-severity][data-code].
 */
import { html, type SafeHtml } from './escape.js';
import { plainText, shortId } from './format.js';
import { objectText, objectValue, sectionCounts, sectionHeading, type ReportGroupSection, type ReportSectionChange } from './group-section.js';
import { capitalised } from './words.js';

/** The sections' titles, each once, in order ("Projects"). */
function titles(sections: readonly ReportGroupSection[]): string {
  return [...new Set(sections.map((s) => s.title))].join(', ');
}

function mark(c: ReportSectionChange): string {
  return c.change.shape === 'create' ? '+' : c.change.shape === 'remove' ? '-' : '~';
}

/** What the run did with the change, or why it is held back; nothing for a change merely planned. */
function outcome(c: ReportSectionChange): string | null {
  return c.change.result || c.change.blocked ? c.change.outcomeText : null;
}

export function sectionsText(sections: readonly ReportGroupSection[]): string[] {
  if (sections.length === 0) return [];
  const out = ['', titles(sections).toUpperCase()];
  for (const s of sections) {
    out.push(`${plainText(sectionHeading(s))} (${sectionCounts(s)})`);
    out.push(`  ${capitalised(s.memberWord)}s:`);
    if (s.members.length === 0) out.push('    none');
    for (const m of s.members) out.push(`    ${plainText(m.displayName)} [${m.statusLabel}] ${plainText(objectText(m.object, shortId))}`);
    out.push(s.changes.length === 0 ? '  Changes: none' : '  Changes:');
    for (const c of s.changes) {
      out.push(`    ${mark(c)} ${plainText(c.subjectName)}: ${plainText(c.change.label)}`, `        Why: ${plainText(c.change.reason)}`);
      const o = outcome(c);
      if (o) out.push(`        ${c.change.result ? 'Outcome' : 'Status'}: ${plainText(o)}`);
    }
    out.push(s.needsPerson.length === 0 ? '  Needs a person: nobody' : '  Needs a person:');
    for (const p of s.needsPerson) {
      out.push(`    ! ${plainText(p.subjectName)}: ${p.severity === 'error' ? 'Error' : 'Warning'} ${plainText(p.error.code)}: ${plainText(p.error.message)}`);
      out.push(`      What to do: ${plainText(p.error.action)}`);
    }
  }
  return out;
}

export function sectionsMarkdown(sections: readonly ReportGroupSection[], md: (text: string) => string): string[] {
  if (sections.length === 0) return [];
  const out = [`## ${md(titles(sections))}`, ''];
  for (const s of sections) {
    const object = s.members[0]?.object.label ?? 'Object';
    out.push(`### ${md(sectionHeading(s))} (${sectionCounts(s)})`, '');
    if (s.members.length > 0) {
      out.push(`| ${md(capitalised(s.memberWord))} | Status | ${md(object)} |`, '| --- | --- | --- |');
      for (const m of s.members) out.push(`| ${md(m.displayName)} | ${md(m.statusLabel)} | ${md(objectValue(m.object, shortId))} |`);
      out.push('');
    }
    out.push('**Changes**', '');
    if (s.changes.length === 0) out.push('No change.');
    for (const c of s.changes) {
      out.push(`- ${md(c.subjectName)}: **${md(c.change.label)}**. Why: ${md(c.change.reason)}`);
      const o = outcome(c);
      if (o) out.push(`  ${c.change.result ? 'Outcome' : 'Status'}: ${md(o)}`);
    }
    out.push('', '**Needs a person**', '');
    if (s.needsPerson.length === 0) out.push('Nobody.');
    for (const p of s.needsPerson) {
      out.push(`- **${md(p.subjectName)}**: ${p.severity === 'error' ? 'Error' : 'Warning'} ${md(p.error.code)}: ${md(p.error.message)}  `, `  **What to do:** ${md(p.error.action)}`);
    }
    out.push('');
  }
  return out;
}

export function sectionsHtml(sections: readonly ReportGroupSection[]): SafeHtml | null {
  if (sections.length === 0) return null;
  return html`<section id="group-sections" aria-labelledby="group-sections-title">
<h2 id="group-sections-title">${titles(sections)}</h2>
${sections.map(sectionHtml)}</section>
`;
}

function sectionHtml(s: ReportGroupSection): SafeHtml {
  const object = s.members[0]?.object.label ?? 'Object';
  return html`<section class="group-section" data-group-id="${s.groupId ?? ''}" data-family="${s.family}">
<h3>${sectionHeading(s)} <span class="count">${sectionCounts(s)}</span></h3>
${s.members.length === 0
    ? html`<p class="none">No ${s.memberWord}.</p>`
    : html`<table class="members"><thead><tr><th scope="col">${capitalised(s.memberWord)}</th><th scope="col">Status</th><th scope="col">${object}</th></tr></thead>
<tbody>${s.members.map(
        (m) => html`<tr class="member" data-subject-id="${m.subjectId}" data-status="${m.status}"><td class="name">${m.displayName}</td><td><span class="${`badge status-${m.status}`}">${m.statusLabel}</span></td><td class="object" data-object-id="${m.object.id ?? ''}">${objectValue(m.object, shortId)}</td></tr>`,
      )}</tbody></table>`}
<h4>Changes</h4>
${s.changes.length === 0
    ? html`<p class="none">No change.</p>`
    : html`<ol class="group-changes">${s.changes.map((c) => {
        const o = outcome(c);
        return html`<li data-change-id="${c.change.id}" data-kind="${c.change.kind}" data-subject-id="${c.subjectId}"><span class="subject-name">${c.subjectName}</span>: <span class="change-label">${c.change.label}</span><p class="reason">Why: ${c.change.reason}</p>${o ? html`<p class="outcome">${o}</p>` : null}</li>`;
      })}</ol>`}
<h4>Needs a person</h4>
${s.needsPerson.length === 0
    ? html`<p class="none">Nobody.</p>`
    : html`<ul class="needs-person">${s.needsPerson.map(
        (p) => html`<li data-subject-id="${p.subjectId}" data-severity="${p.severity}" data-code="${p.error.code}"><span class="subject-name">${p.subjectName}</span>: ${p.severity === 'error' ? 'Error' : 'Warning'} <code>${p.error.code}</code> ${p.error.message}<p class="what-to-do">What to do: ${p.error.action}</p></li>`,
      )}</ul>`}
</section>
`;
}
