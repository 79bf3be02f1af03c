/**
 * Plain text for a terminal (the default of `vendor-reconciler plan`). Compact: the summary, then per
 * vendor only the contacts that need attention (changes, an error, anything but a settled status);
 * settled contacts are counted. No colour, so it reads the same in a pipe or a log. Every value from
 * the services passes plainText(), so a crafted name cannot move the cursor or recolour the terminal;
 * the whole document passes terminalSafe() once more, so a value added later without plainText()
 * cannot either.
 */
import { describeFields, describeTarget, formatDateTime, plainText, plural, shortId } from './format.js';
import type { ReportChange, ReportModel, ReportSubject, ReportTally } from './model.js';
import { capitalised } from './words.js';
import { sectionsText } from './group-section-render.js';
import { hasError } from './summary.js';
import { terminalSafe } from './terminal-safe.js';

const SHORT = { shortIds: true };
const WIDTH = 100;
const SETTLED = new Set(['active', 'deprovisioned']);

export function renderText(model: ReportModel): string {
  const out: string[] = [];
  const s = model.summary;
  const w = model.words;
  out.push(model.title, model.modeNotice);
  if (model.notice) out.push(`NOTE: ${model.notice.text}`);
  out.push(`Generated ${formatDateTime(model.generatedAt)}. Scope: ${plainText(model.scopeText)}`, '');
  if (model.failure) {
    const f = model.failure;
    out.push(`${f.title.toUpperCase()}: ${f.error.code}`, `  ${plainText(f.error.message)}`, `  What to do: ${plainText(f.error.action)}`, `  ${f.meaning}`, '');
  }
  for (const f of model.stoppedFamilies) {
    out.push(`STOPPED: ${plainText(f.name)} planned nothing in this run.`);
    out.push(`  ! ${f.error.code}: ${plainText(f.error.message)}`, `    What to do: ${plainText(f.error.action)}`, '');
  }

  out.push('SUMMARY', `  ${s.headline}`);
  for (const note of s.notes) out.push(`  ${note}`);
  if (s.changesByKind.length > 0) {
    out.push(...wrap('  Changes:  ', s.changesByKind.map((k) => `${k.label} ${k.count}`), ', '));
  }
  if (s.subjectsByStatus.length > 0) {
    // The label's width lines the statuses up with "Changes:  " for "Contacts: "; other words align too.
    const label = `${capitalised(w.subject)}s: `.padEnd(10);
    out.push(...wrap(`  ${label}`, s.subjectsByStatus.map((k) => `${k.label} ${k.count}`), ', '));
  }
  // One line per SKU: a plan drawing two SKUs shows two.
  for (const l of s.licences) {
    out.push(
      `  Licence units: ${l.unitsNeeded} needed, ${l.unitsAvailable ?? 'unknown'} available (${plainText(l.skuName)})`,
    );
    if (l.warning) out.push(`  ! ${plainText(l.warning)}`);
  }
  out.push(`  Orphans: ${s.orphans}`, `  Blocked removals: ${s.blockedRemovals}`);
  if (s.blockedRemovalNotice) {
    out.push(`  ! ${s.blockedRemovalNotice}`);
    const shown = s.blockedRemovalItems.slice(0, 10);
    for (const b of shown) out.push(`      - ${plainText(b.subjectName)}: ${b.label}`);
    if (s.blockedRemovalItems.length > shown.length) {
      out.push(`      … and ${s.blockedRemovalItems.length - shown.length} more, listed below`);
    }
  }
  out.push(`  Errors: ${plural(s.errors, w.subject)}`);
  out.push(`  Last run: ${s.lastRun ? plainText(s.lastRun.sentence) : 'none recorded yet.'}`);
  for (const t of model.tallies) out.push('', ...tallyLines(t));

  if (model.run) {
    const r = model.run;
    out.push('', `RUN ${r.runId} (${r.mode === 'apply' ? 'apply' : 'dry run'}, started by ${r.triggerText}): ${r.outcomeLabel}`);
    out.push(`  ${r.outcomeDescription}`, `  ${formatDateTime(r.startedAt)} to ${formatDateTime(r.finishedAt)}`);
    if (r.resultCounts.length > 0) out.push(`  ${r.resultCounts.map((c) => `${c.label}: ${c.count}`).join('; ')}`);
    if (r.error) {
      out.push(`  ! ${r.error.code}: ${plainText(r.error.message)}`, `    What to do: ${plainText(r.error.action)}`);
    }
  }

  out.push(...sectionsText(model.groupSections));

  for (const v of model.groups) {
    const listed = v.subjects.filter((c) => !settled(c));
    out.push('', `${plainText(v.name)} (${plural(v.subjects.length, w.subject)}, ${plural(v.changeCount, 'change')})`);
    for (const c of listed) out.push(...subjectLines(c, w.subject));
    const quiet = v.subjects.length - listed.length;
    if (quiet > 0) {
      out.push(
        listed.length === 0
          ? `  Nothing to change: every ${w.subject} is settled (active or deprovisioned).`
          : `  … and ${plural(quiet, `settled ${w.subject}`)} with nothing to change.`,
      );
    }
  }

  if (model.orphans.length > 0) {
    out.push('', `ORPHANS (${model.orphans.length}): managed objects that match no ${w.subject}; nothing is done to them`);
    for (const o of model.orphans) {
      out.push(`  ${o.kindLabel} ${plainText(o.displayName ?? '(no name)')} (${shortId(o.id)}): ${plainText(o.reason)}`);
    }
  }
  return terminalSafe(`${out.join('\n')}\n`);
}

/** A tally after the summary: its title, what it counts and means, then one line per value. */
function tallyLines(t: ReportTally): string[] {
  // The unit is the family's plural ("service accounts"), so it heads the counts instead of following each.
  const out = [`${plainText(t.title)} (${plainText(t.unit)} per value)`, `  ${plainText(t.description)}`];
  for (const r of t.rows) out.push(`  ${plainText(r.value)}: ${r.count}`);
  return out;
}

function settled(c: ReportSubject): boolean {
  return c.changes.length === 0 && !hasError(c) && !c.lastRecordedError && SETTLED.has(c.status) && !c.remains?.length && !c.warnings;
}

function subjectLines(c: ReportSubject, word: string): string[] {
  const out = [`  ${plainText(c.displayName)} [${c.statusLabel}] ${word} ${shortId(c.subjectId)}`];
  for (const ch of c.changes) out.push(...changeLines(ch));
  if (c.error) {
    out.push(`    ! Error ${c.error.code}: ${plainText(c.error.message)}`);
    out.push(`      What to do: ${plainText(c.error.action)}`);
  }
  for (const w of c.warnings ?? []) out.push(`    ! Warning ${w.code}: ${plainText(w.message)}`, `      What to do: ${plainText(w.action)}`);
  if (c.lastRecordedError) out.push(`    Last recorded error: ${plainText(c.lastRecordedError)}`);
  if (c.remains) {
    out.push(c.remains.length > 0 ? `    Still in place: ${c.remains.map(plainText).join('; ')}` : '    Nothing remains.');
  }
  return out;
}

function changeLines(ch: ReportChange): string[] {
  const mark = ch.shape === 'create' ? '+' : ch.shape === 'remove' ? '-' : '~';
  const out = [`    ${mark} ${ch.label}: ${plainText(describeTarget(ch, SHORT))}`];
  out.push(...wrap('        ', describeFields(ch, SHORT).map(plainText), '; '));
  out.push(`        Why: ${plainText(ch.reason)}`);
  if (ch.result || ch.blocked) out.push(`        ${ch.result ? 'Outcome' : 'Status'}: ${plainText(ch.outcomeText)}`);
  const err = ch.result?.error;
  if (err) out.push(`        ! ${err.code}: ${plainText(err.message)} What to do: ${plainText(err.action)}`);
  return out;
}

/** Packs items into lines of at most WIDTH characters (an item longer than that gets its own line). */
function wrap(prefix: string, items: string[], sep: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && prefix.length + line.length + sep.length + item.length > WIDTH) {
      lines.push(line);
      line = item;
    } else {
      line = line === '' ? item : `${line}${sep}${item}`;
    }
  }
  if (line !== '') lines.push(line);
  const pad = ' '.repeat(prefix.length);
  return lines.map((l, i) => `${i === 0 ? prefix : pad}${l}`);
}
