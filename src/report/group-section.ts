/**
 * A family's own section of the report, group by group (issue 14: "per project, the tasks, their
 * work orders, changes with reasons, and the tasks that need a person"). Generic: a family opts in
 * with its section words (words.ts `section`), and the section is built from the report's groups
 * (Subject.group) alone, so the core names no family's rows. For each group:
 *
 * - its members: every subject of the group but the group's own row (a subject whose id is its
 *   group's id, such as a project's progress), each with its status and its managed object;
 * - its changes, members' first and the group's own last, each with its reason;
 * - who needs a person: each member's (or the group row's) error, warnings and failed changes,
 *   each with what to do.
 *
 * The managed object is the plan's (SubjectPlan.detail) when the family gives it; otherwise what the
 * member's change of the object's entity says: new for a create, else its id, and the status field's
 * new value in words. A member with neither shows the object as not known from this plan.
 */
import type { ErrorInfo } from '../model/plan.js';
import type { ReportChange, ReportGroup, ReportSubject } from './model-types.js';
import { plural } from './format.js';
import { capitalised, familyWords, type GroupSectionWords } from './words.js';

/** A member's managed object: `known` false when neither the plan nor a change says anything of it. */
export interface ReportObject {
  label: string;
  known: boolean;
  /** Null for an object a change of this plan creates (or one not known). */
  id: string | null;
  name: string | null;
  /** In words ("Scheduled"); after the plan, as a subject's status is. */
  status: string | null;
  /** Where the report read it: the plan's detail, or the member's change. */
  from: 'plan' | 'change' | null;
}

export interface ReportSectionMember {
  subjectId: string;
  displayName: string;
  status: ReportSubject['status'];
  statusLabel: string;
  object: ReportObject;
}

export interface ReportSectionChange {
  subjectId: string;
  subjectName: string;
  change: ReportChange;
}

export interface ReportNeedsPerson {
  subjectId: string;
  subjectName: string;
  severity: 'error' | 'warning';
  error: ErrorInfo;
}

export interface ReportGroupSection {
  family: string;
  groupId: string | null;
  /** The group's heading name (ReportGroup.name). */
  name: string;
  /** The section's title ("Projects"). */
  title: string;
  /** The family's word for a group and a member ("project", "task"). */
  groupWord: string;
  memberWord: string;
  members: ReportSectionMember[];
  changes: ReportSectionChange[];
  needsPerson: ReportNeedsPerson[];
}

/** The sections of the groups whose family has section words, in the groups' order. */
export function groupSections(groups: readonly ReportGroup[]): ReportGroupSection[] {
  return groups.flatMap((g) => {
    const words = familyWords(g.family);
    return words.section ? [groupSection(g, words.section, words.group, words.member)] : [];
  });
}

function groupSection(g: ReportGroup, words: GroupSectionWords, groupWord: string, memberWord: string): ReportGroupSection {
  const own = g.subjects.filter((s) => g.groupId !== null && s.subjectId === g.groupId);
  const members = g.subjects.filter((s) => !own.includes(s));
  const ordered = [...members, ...own];
  return {
    family: g.family,
    groupId: g.groupId,
    name: g.name,
    title: words.title,
    groupWord,
    memberWord,
    members: members.map((s) => ({ subjectId: s.subjectId, displayName: s.displayName, status: s.status, statusLabel: s.statusLabel, object: objectOf(s, words.object) })),
    changes: ordered.flatMap((s) => s.changes.map((change) => ({ subjectId: s.subjectId, subjectName: s.displayName, change }))),
    needsPerson: ordered.flatMap(needsPerson),
  };
}

function objectOf(s: ReportSubject, words: GroupSectionWords['object']): ReportObject {
  if (s.detail) return { ...s.detail, known: true, from: 'plan' };
  const change = s.changes.find((c) => c.target.entity === words.entity);
  if (!change) return { label: words.label, known: false, id: null, name: null, status: null, from: null };
  const field = change.fields.find((f) => f.field === words.statusField);
  const value = field ? (change.shape === 'remove' ? field.before : field.after) : null;
  return {
    label: words.label,
    known: true,
    id: change.shape === 'create' ? null : change.target.id,
    name: null,
    status: typeof value === 'string' || typeof value === 'number' ? String(value) : null,
    from: 'change',
  };
}

function needsPerson(s: ReportSubject): ReportNeedsPerson[] {
  const of = (severity: ReportNeedsPerson['severity'], error: ErrorInfo): ReportNeedsPerson => ({ subjectId: s.subjectId, subjectName: s.displayName, severity, error });
  return [
    ...(s.error ? [of('error', s.error)] : []),
    ...s.changes.flatMap((c) => (c.result?.error && c.result.outcome === 'failed' ? [of('error', c.result.error)] : [])),
    ...(s.warnings ?? []).map((w) => of('warning', w)),
  ];
}

/** The object after its label: "00042 (Scheduled)", "new, Unscheduled", "not in this plan". */
export function objectValue(o: ReportObject, shortId: (id: string) => string = (id) => id): string {
  if (!o.known) return 'not in this plan';
  if (o.id === null) return `new${o.status ? `, ${o.status}` : ''}`;
  return `${o.name ?? shortId(o.id)}${o.status ? ` (${o.status})` : ''}`;
}

/** "Work order: 00042 (Scheduled)". */
export function objectText(o: ReportObject, shortId?: (id: string) => string): string {
  return `${o.label}: ${objectValue(o, shortId)}`;
}

/** "2 tasks, 1 change, 1 needs a person": the counts after a group's heading (people: distinct subjects). */
export function sectionCounts(s: ReportGroupSection): string {
  const people = new Set(s.needsPerson.map((p) => p.subjectId)).size;
  return [plural(s.members.length, s.memberWord), plural(s.changes.length, 'change'), `${people} ${people === 1 ? 'needs' : 'need'} a person`].join(', ');
}

/** "Project: Fibre roll-out Elm Street". */
export function sectionHeading(s: ReportGroupSection): string {
  return `${capitalised(s.groupWord)}: ${s.name}`;
}
