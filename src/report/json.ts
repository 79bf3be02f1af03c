/**
 * JSON: the Plan itself (docs/plan-format.md; its top level stays `{ version, generatedAt, scope,
 * summary, changes, subjects, orphans, tallies }`, tallies since issue 12, [] when the plan counts
 * nothing, and `stoppedFamilies` before the summary when a family stopped on its configuration), plus `run` (the run record without its copy of the plan)
 * and `lastRun` when given, and `notice` (`{ kind: 'plan-mode', text }`, after `scope`) when the
 * deployment only reports. Machine readable, so nothing is translated or shortened. When a family
 * of the plan has its own group section (group-section.ts), `groups` follows `tallies`: per group its
 * members with their managed object, its change ids and who needs a person (added within version 2,
 * issue 14; absent otherwise, so every other plan's JSON is as it was).
 *
 * Key order is stable: known keys in the order the model declares them, any other key after them in
 * alphabetical order; objects that are maps (before/after values, counts, statuses) are sorted
 * alphabetically. Arrays keep their order: the plan's order is its apply order.
 *
 * Safe to print: JSON.stringify escapes U+0000–U+001F (ESC is written \u001b); escapeJsonText()
 * escapes the controls it leaves raw (DEL, C1, bidi overrides, U+2028/U+2029). Nothing is lost:
 * JSON.parse gives every value back exactly as the services hold it.
 */
import type { ReportGroupSection, ReportModel } from './model.js';
import { escapeJsonText } from './terminal-safe.js';

const KEY_ORDER = [
  // Plan
  'version', 'generatedAt', 'scope', 'notice', 'stoppedFamilies', 'summary', 'changes', 'subjects', 'contacts', 'orphans', 'tallies',
  // RunRecord
  'runId', 'mode', 'trigger', 'startedAt', 'finishedAt', 'outcome', 'error', 'results', 'statuses',
  // Change, ChangeResult, SubjectPlan, Orphan (and Subject: family, table, id, displayName, group)
  'id', 'changeId', 'subjectKey', 'contactId', 'subject', 'family', 'table', 'group', 'name', 'kind', 'target', 'before', 'after', 'reason', 'dependsOn', 'blocked', 'createdId',
  'vendorId', 'vendorName', 'displayName', 'intent', 'status', 'storedStatus', 'storedError', 'changeIds', 'remains', 'detail',
  // ChangeTarget, ErrorInfo, blocked
  'service', 'entity', 'createdBy', 'class', 'code', 'message', 'action',
  // RunScope
  'groupId', 'subjectIds', 'contactIds',
  // PlanSummary and lastRun
  'changesByKind', 'subjectsByStatus', 'contactsByStatus', 'licences', 'licence', 'skuId', 'skuPartNumber', 'unitsNeeded', 'unitsAvailable',
  'blockedRemovals', 'errors', 'changesApplied',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/** Keys whose value is a map: their own keys are data, sorted alphabetically. */
const MAP_KEYS = new Set(['before', 'after', 'changesByKind', 'subjectsByStatus', 'contactsByStatus', 'statuses']);

export function renderJson(model: ReportModel): string {
  const { plan, run, lastRun } = model.source;
  const out: Record<string, unknown> = { ...plan };
  if (run) {
    const { plan: _plan, ...record } = run;
    out.run = record;
  }
  if (lastRun) out.lastRun = lastRun;
  if (model.notice) out.notice = model.notice;
  let body = ordered(out, false) as Record<string, unknown>;
  if (model.groupSections.length > 0) {
    // Right after `tallies`, in its own fixed key order (groupJson) rather than the plan's.
    const entries = Object.entries(body);
    entries.splice(entries.findIndex(([k]) => k === 'tallies') + 1, 0, ['groups', model.groupSections.map(groupJson)]);
    body = Object.fromEntries(entries);
  }
  return `${escapeJsonText(JSON.stringify(body, null, 2))}\n`;
}

/** A group section as data, keys in this order: full ids, status codes, the change ids (the plan's `changes` hold the rest). */
function groupJson(s: ReportGroupSection): Record<string, unknown> {
  return {
    family: s.family,
    groupId: s.groupId,
    name: s.name,
    members: s.members.map((m) => ({
      subjectId: m.subjectId,
      displayName: m.displayName,
      status: m.status,
      object: { label: m.object.label, known: m.object.known, id: m.object.id, name: m.object.name, status: m.object.status, from: m.object.from },
    })),
    changeIds: s.changes.map((c) => c.change.id),
    needsPerson: s.needsPerson.map((p) => ({ subjectId: p.subjectId, severity: p.severity, class: p.error.class, code: p.error.code, message: p.error.message, action: p.error.action })),
  };
}

function ordered(value: unknown, isMap: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, false));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  entries.sort(([a], [b]) => {
    if (!isMap) {
      const ra = RANK.get(a) ?? Number.MAX_SAFE_INTEGER;
      const rb = RANK.get(b) ?? Number.MAX_SAFE_INTEGER;
      if (ra !== rb) return ra - rb;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v, MAP_KEYS.has(k))]));
}
