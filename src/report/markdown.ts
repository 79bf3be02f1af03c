/**
 * Markdown (GitHub-flavoured) for tickets, wikis and change reviews. Every value from the services
 * goes through md(): one line, inline Markdown punctuation (\ ` * _ [ ] | ~) backslash-escaped and < >
 * as entities, so a name cannot open emphasis, a link, a table cell or raw HTML. Values never start a
 * line, so block syntax (# - + 1.) needs no escaping. plainText() also removes terminal escape
 * sequences, and the whole document passes terminalSafe() once more (a Markdown file is often read
 * with cat or less before it reaches a ticket).
 */
import { describeFields, describeTarget, formatDateTime, plainText, plural, shortId } from './format.js';
import { sectionsMarkdown } from './group-section-render.js';
import { NEVER_DELETES } from './labels.js';
import type { ReportChange, ReportModel, ReportSubject, ReportTally } from './model.js';
import { capitalised } from './words.js';
import { terminalSafe } from './terminal-safe.js';
import type { ErrorInfo } from '../model/plan.js';

const SHORT = { shortIds: true };

/** One line of Markdown-inert text. */
export function md(text: string): string {
  return plainText(text)
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function renderMarkdown(model: ReportModel): string {
  const s = model.summary;
  const w = model.words;
  const many = `${capitalised(w.subject)}s`;
  const out: string[] = [
    `# ${md(model.title)}`,
    '',
    `> ${md(model.modeNotice)}`,
    '',
    ...(model.notice ? [`> **Note:** ${md(model.notice.text)}`, ''] : []),
    `Generated ${formatDateTime(model.generatedAt)}. Scope: ${md(model.scopeText)}`,
    '',
  ];
  if (model.failure) {
    const f = model.failure;
    out.push(`> **${f.title}: ${md(f.error.code)}.** ${md(f.error.message)}`, '>', `> **What to do:** ${md(f.error.action)}`, '>', `> ${md(f.meaning)}`, '');
  }
  for (const f of model.stoppedFamilies) out.push(`> **Stopped: ${md(f.name)} planned nothing in this run.**`, '>', `> **Error ${md(f.error.code)}:** ${md(f.error.message)}  `, `> **What to do:** ${md(f.error.action)}`, '');
  out.push(
    '## Summary',
    '',
    `**${md(s.headline)}**`,
    '',
  );
  for (const n of s.notes) out.push(md(n), '');
  out.push(
    '| Summary | Count |',
    '| --- | ---: |',
    `| Changes | ${s.totalChanges} |`,
    `| ${many} | ${s.totalSubjects} |`,
    `| ${many} with errors | ${s.errors} |`,
    // One pair of rows per SKU: a plan drawing two SKUs shows both.
    ...s.licences.flatMap((l) => [
      `| Licence units needed${s.licences.length > 1 ? ` (${md(l.skuName)})` : ''} | ${l.unitsNeeded} |`,
      `| Licence units available (${md(l.skuName)}) | ${l.unitsAvailable ?? 'unknown'} |`,
    ]),
    `| Orphans | ${s.orphans} |`,
    `| Blocked removals | ${s.blockedRemovals} |`,
    '',
  );
  for (const l of s.licences) if (l.warning) out.push(`> **Warning:** ${md(l.warning)}`, '');
  if (s.blockedRemovalNotice) {
    out.push(`> **Held back:** ${md(s.blockedRemovalNotice)}`, '>');
    for (const b of s.blockedRemovalItems) out.push(`> - ${md(b.subjectName)}: ${md(b.label)}`);
    out.push('');
  }
  if (s.changesByKind.length > 0) {
    out.push('| Change | Count |', '| --- | ---: |');
    for (const k of s.changesByKind) out.push(`| ${md(k.label)} | ${k.count} |`);
    out.push('');
  }
  if (s.subjectsByStatus.length > 0) {
    out.push(`| Status | ${many} |`, '| --- | ---: |');
    for (const k of s.subjectsByStatus) out.push(`| ${md(k.label)} | ${k.count} |`);
    out.push('');
  }
  out.push(`**Last run:** ${s.lastRun ? md(s.lastRun.sentence) : 'none recorded yet.'}`, '');
  for (const t of model.tallies) out.push(...tallyLines(t));

  if (model.run) {
    const r = model.run;
    out.push(`## Run ${md(r.runId)}`, '');
    out.push(
      `**${md(r.outcomeLabel)}.** ${md(r.outcomeDescription)}`,
      '',
      `${r.mode === 'apply' ? 'Apply' : 'Dry run'}, started by ${r.triggerText}, from ${formatDateTime(r.startedAt)} to ${formatDateTime(r.finishedAt)}.`,
      '',
    );
    if (r.resultCounts.length > 0) out.push(md(r.resultCounts.map((c) => `${c.label}: ${c.count}`).join('; ')), '');
    if (r.error) out.push(...errorLines(r.error, ''), '');
  }

  out.push(...sectionsMarkdown(model.groupSections, md));

  for (const v of model.groups) {
    const counts = [plural(v.subjects.length, w.subject), plural(v.changeCount, 'change')];
    if (v.errorCount > 0) counts.push(plural(v.errorCount, 'error'));
    out.push(`## ${md(v.name)} (${counts.join(', ')})`, '');
    for (const c of v.subjects) out.push(...subjectLines(c, w.subject));
    out.push('');
  }

  out.push('## Orphans', '');
  if (model.orphans.length === 0) {
    out.push(`No orphan: every managed object matches a ${w.subject}.`);
  } else {
    out.push(`Managed objects that match no ${w.subject}. vendor-reconciler leaves them as they are; an admin decides.`, '');
    out.push('| Kind | Name | Id | Why it is an orphan |', '| --- | --- | --- | --- |');
    for (const o of model.orphans) {
      out.push(`| ${md(o.kindLabel)} | ${md(o.displayName ?? '(no name)')} | ${md(o.id)} | ${md(o.reason)} |`);
    }
  }
  out.push('', '---', '', md(NEVER_DELETES));
  return terminalSafe(`${out.join('\n')}\n`);
}

/** A tally after the summary: a section with what it counts, then a table of values and counts. */
function tallyLines(t: ReportTally): string[] {
  const out = [`## ${md(t.title)}`, '', md(t.description), '', `| Value | ${md(capitalised(t.unit))} |`, '| --- | ---: |'];
  for (const r of t.rows) out.push(`| ${md(r.value)} | ${r.count} |`);
  out.push('');
  return out;
}

function subjectLines(c: ReportSubject, word: string): string[] {
  const out = [`- **${md(c.displayName)}**: ${md(c.statusLabel)} (${word} ${md(shortId(c.subjectId))})`];
  if (c.changes.length === 0 && !c.remains) out.push('  - Nothing to change.');
  for (const ch of c.changes) out.push(...changeLines(ch));
  if (c.error) out.push(...errorLines(c.error, '  - '));
  for (const w of c.warnings ?? []) out.push(`  - **Warning ${md(w.code)}:** ${md(w.message)}  `, `    **What to do:** ${md(w.action)}`);
  if (c.lastRecordedError) out.push(`  - Last recorded error: ${md(c.lastRecordedError)}`);
  if (c.remains) {
    out.push(c.remains.length > 0 ? `  - Still in place: ${c.remains.map(md).join('; ')}` : '  - Nothing remains.');
  }
  return out;
}

function changeLines(ch: ReportChange): string[] {
  const out = [`  - ${md(ch.label)}: ${md(describeTarget(ch, SHORT))}`];
  for (const f of describeFields(ch, SHORT)) out.push(`    - ${md(f)}`);
  out.push(`    - Why: ${md(ch.reason)}`);
  if (ch.result || ch.blocked) out.push(`    - ${ch.result ? 'Outcome' : 'Status'}: ${md(ch.outcomeText)}`);
  if (ch.result?.error) out.push(...errorLines(ch.result.error, '    - '));
  return out;
}

function errorLines(e: ErrorInfo, bullet: string): string[] {
  const indent = ' '.repeat(bullet.length);
  return [`${bullet}**Error ${md(e.code)}:** ${md(e.message)}  `, `${indent}**What to do:** ${md(e.action)}`];
}
