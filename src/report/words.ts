/**
 * The words a report uses for its subjects and their groups. A report of the technicians family
 * alone (every report before families) says "contact", "vendor" and "technician", exactly as it
 * always has; a report whose plan holds another family, or several, says "subject" and "group" and
 * names each group's family, since no one family's words fit the others' rows.
 *
 * A family that wants its own words in a report of its own adds them to FAMILY_WORDS.
 */
export interface ReportWords {
  /** One subject, lower case: "contact". */
  subject: string;
  /** What groups subjects, lower case: "vendor". */
  group: string;
  /** The heading of the subjects that have no group: "No vendor". */
  noGroup: string;
  /** A group whose name was not read, before its short id: "Vendor". */
  unnamedGroup: string;
  /** Who a subject is, in sentences about people or accounts: "technician". */
  member: string;
  /** The report's title, dry run and applied. */
  title: { dryRun: string; applied: string };
  /** The whole-tenant scope, in one sentence. */
  tenantScope: string;
  /** The family's name in headings about it ("Vendor technicians"); '' where the words are no one family's. */
  familyName: string;
  /**
   * The family's own section, group by group (group-section.ts), when it has one: a family whose
   * subjects each have one managed object (a project task its work order) says what that object is.
   */
  section?: GroupSectionWords;
}

/** The words of a family's group section; the group and member words are the family's own (above). */
export interface GroupSectionWords {
  /** The section's title: "Projects". */
  title: string;
  /**
   * Each member's managed object. When the plan does not carry it (SubjectPlan.detail), the report
   * reads it from the member's change of this entity: new (a create), its id, and the new value of
   * `statusField` in words (labels.ts).
   */
  object: { entity: string; label: string; statusField: string };
}

const TECHNICIANS: ReportWords = {
  subject: 'contact',
  group: 'vendor',
  noGroup: 'No vendor',
  unnamedGroup: 'Vendor',
  member: 'technician',
  title: {
    dryRun: 'Vendor technicians: what vendor-reconciler would change',
    applied: 'Vendor technicians: what vendor-reconciler changed',
  },
  tenantScope: 'The whole tenant: every contact with Setup technician on.',
  familyName: 'Vendor technicians',
};

const GENERIC: ReportWords = {
  subject: 'subject',
  group: 'group',
  noGroup: 'No group',
  unnamedGroup: 'Group',
  member: 'subject',
  title: {
    dryRun: 'vendor-reconciler: what it would change',
    applied: 'vendor-reconciler: what it changed',
  },
  tenantScope: 'The whole tenant: every family that is configured.',
  familyName: '',
};

const PORTAL: ReportWords = {
  subject: 'contact',
  group: 'customer account',
  noGroup: 'No customer account',
  unnamedGroup: 'Customer account',
  member: 'customer',
  title: {
    dryRun: 'Customer portal access: what vendor-reconciler would change',
    applied: 'Customer portal access: what vendor-reconciler changed',
  },
  tenantScope: 'The whole tenant: every contact with portal access on.',
  familyName: 'Customer portal access',
};

const WORK_ORDERS: ReportWords = {
  subject: 'project task',
  group: 'project',
  noGroup: 'No project',
  unnamedGroup: 'Project',
  member: 'task',
  title: {
    dryRun: 'Project work orders: what vendor-reconciler would change',
    applied: 'Project work orders: what vendor-reconciler changed',
  },
  tenantScope: 'The whole tenant: every project task that is Ready to Sync or has a work order.',
  familyName: 'Project work orders',
  section: { title: 'Projects', object: { entity: 'msdyn_workorder', label: 'Work order', statusField: 'msdyn_systemstatus' } },
};

/** Each family's own words, for a report of that family alone. */
export const FAMILY_WORDS: Readonly<Record<string, ReportWords>> = { technicians: TECHNICIANS, portal: PORTAL, 'project-work-orders': WORK_ORDERS };

/** One family's own words (for its group headings, whatever else the report holds). */
export function familyWords(family: string): ReportWords {
  return FAMILY_WORDS[family] ?? GENERIC;
}

/**
 * The words for a report over these families (the families of the plan's subjects and changes). A
 * plan with no subject at all (a run stopped before planning, an empty tenant) reads as today's
 * technicians report, the only family there was before families.
 */
export function wordsFor(families: readonly string[]): ReportWords {
  if (families.length === 0) return TECHNICIANS;
  if (families.length > 1) return GENERIC;
  return familyWords(families[0]!);
}

/** "contact" → "Contact". */
export function capitalised(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}
