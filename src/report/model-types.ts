/**
 * The shapes of the report model (src/report/model.ts builds them). They live apart from the builder
 * so that the renderers and the summary depend only on the shapes, not on how they are put together.
 *
 * Values stay raw here (unknown); each renderer formats and escapes them for its own medium.
 */
import type { ChangeOutcome, RunRecord } from '../model/run.js';
import type { ReportWords } from './words.js';
import type {
  ChangeKind,
  ChangeTarget,
  ErrorInfo,
  Orphan,
  Plan,
  ProvisioningStatus,
  RunScope,
  SubjectDetail,
  SubjectPlan,
  Tally,
} from '../model/plan.js';
import type { ReportGroupSection } from './group-section.js';

export type LastRunInput = Pick<RunRecord, 'runId' | 'finishedAt' | 'outcome' | 'error' | 'mode'> & {
  errors: number;
  changesApplied: number;
};

export interface ReportInput {
  plan: Plan;
  /** The run that produced (dry run) or applied this plan, if any. */
  run?: RunRecord;
  /** The latest stored run's summary, for the "last run" line. Defaults to `run` when it is an apply. */
  lastRun?: LastRunInput;
  /**
   * RECONCILE_MODE of the app the report comes from, when the caller knows it (src/app/reconcile-mode.ts):
   * `plan` adds the plan-mode notice to any report. A timer's dry run gets it without this, from
   * its record alone (model.ts noticeOf).
   */
  reconcileMode?: 'plan' | 'apply';
  /**
   * The Dataverse environment's URL (the DATAVERSE_URL setting), when the caller has it: the HTML
   * report links contacts and bookable resources to their records there (src/report/html-names.ts).
   */
  environmentUrl?: string;
}

/**
 * A sentence every format shows at the top, under the mode line, because it changes how the whole
 * report reads. One kind today: the deployment is in plan mode, so its scheduled runs only report.
 */
export interface ReportNotice {
  kind: 'plan-mode';
  text: string;
}

export interface ReportField {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
  /** When the new value is only known once a change this one depends on has run (a new object's id). */
  afterFrom?: string;
}

export interface ReportChange {
  id: string;
  kind: ChangeKind;
  label: string;
  target: ChangeTarget & { entityLabel: string; createdByLabel?: string };
  /** create: the object does not exist yet; remove: `after` is null; update: the rest. */
  shape: 'create' | 'update' | 'remove';
  /** The fields the change alters (for an update, only those whose value differs). */
  fields: ReportField[];
  reason: string;
  dependsOn: string[];
  blocked?: { code: string; reason: string };
  /** For an applied run only: what happened to this change. */
  result?: { outcome: ChangeOutcome; label: string; error?: ErrorInfo; createdId?: string };
  /** One short phrase: "Planned", "Held back: …", or the run's outcome. */
  outcomeText: string;
}

/** One subject of the plan (for technicians: a contact), with its changes. */
export interface ReportSubject {
  /** The family that planned it (Subject.family), e.g. `technicians`. */
  family: string;
  /** The source row's id (for technicians: the contact id). */
  subjectId: string;
  /** The source row's table (Subject.table, an entity set: `contacts`), for links to the record. */
  table?: string;
  displayName: string;
  /** Its group (Subject.group; for technicians: the vendor account), null when it has none. */
  groupId: string | null;
  groupName: string | null;
  intent: SubjectPlan['intent'];
  status: ProvisioningStatus;
  statusLabel: string;
  statusDescription: string;
  error?: ErrorInfo;
  /** Problems that do not stop the subject (an unknown rating, a deleted characteristic): SubjectPlan.warnings. */
  warnings?: ErrorInfo[];
  /** The error stored on the source row by an earlier run, when this plan found none (for contacts: o25fs_provisioningerror). */
  lastRecordedError?: string;
  changes: ReportChange[];
  /** Out-of-scope subjects: what still exists. */
  remains?: string[];
  /** Its managed object as the family observed it (SubjectPlan.detail), for the group section. */
  detail?: SubjectDetail;
}

/** The subjects of one group of one family (for technicians: one vendor's contacts). */
export interface ReportGroup {
  family: string;
  groupId: string | null;
  /** The heading: the group's name, and its family's when the plan holds more than one family. */
  name: string;
  subjects: ReportSubject[];
  changeCount: number;
  errorCount: number;
}

/** One SKU's line of the summary: the units this plan assigns against the units free. */
export interface ReportLicence {
  skuId: string;
  skuName: string;
  unitsNeeded: number;
  unitsAvailable: number | null;
  /** Units missing; 0 when enough (or unknown). */
  shortage: number;
  warning: string | null;
}

/**
 * A tally of the plan (Plan.tallies) the report shows: only those with at least one row, so a plan
 * that counts nothing (no service account) reads as it did before tallies existed.
 */
export type ReportTally = Tally;

export interface ReportLastRun extends LastRunInput {
  outcomeLabel: string;
  sentence: string;
}

export interface ReportSummary {
  headline: string;
  /** Further plain sentences (e.g. technicians waiting for Dataverse's user sync). */
  notes: string[];
  totalChanges: number;
  subjectsWithChanges: number;
  totalSubjects: number;
  changesByKind: { kind: ChangeKind; label: string; count: number }[];
  subjectsByStatus: { status: ProvisioningStatus; label: string; count: number }[];
  /**
   * One line per SKU the plan draws on (plan.summary.licences, sorted by SKU id). The first line is
   * always there: a plan that draws on none shows "0 needed" for an unnamed SKU, as reports always did.
   */
  licences: ReportLicence[];
  orphans: number;
  blockedRemovals: number;
  blockedRemovalNotice: string | null;
  blockedRemovalItems: { family: string; subjectId: string; subjectName: string; changeId: string; label: string }[];
  /** Subjects with an error to act on. */
  errors: number;
  lastRun: ReportLastRun | null;
}

export interface ReportRun {
  runId: string;
  mode: RunRecord['mode'];
  trigger: RunRecord['trigger'];
  /** "the scheduled timer", "a manual trigger", "the command line". */
  triggerText: string;
  startedAt: string;
  finishedAt: string;
  outcome: RunRecord['outcome'];
  outcomeLabel: string;
  outcomeDescription: string;
  error?: ErrorInfo;
  resultCounts: { outcome: ChangeOutcome; label: string; count: number }[];
}

/** A run's failure, first in every format. */
export interface ReportFailure {
  /** "The run failed" or "The run stopped early". */
  title: string;
  /** What that means for the rest of the report. */
  meaning: string;
  error: ErrorInfo;
}

/** A family stopped by its configuration, named for the admin. */
export interface ReportFamilyStop {
  family: string;
  /** "Customer portal access", or the family's id when it has no words of its own. */
  name: string;
  error: ErrorInfo;
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  scope: RunScope;
  scopeText: string;
  /** True unless this is the report of an apply. */
  dryRun: boolean;
  /** One sentence under the title: dry run or applied. */
  modeNotice: string;
  /** Under modeNotice, before any failure: the deployment only reports (model.ts noticeOf). */
  notice?: ReportNotice;
  /** The families of the plan's subjects, in the order first met; words and headings follow them. */
  families: string[];
  /** The words for subjects and groups: the technicians' when they are the only family (words.ts). */
  words: ReportWords;
  summary: ReportSummary;
  /** Groups in order: by family (as met in the plan), then named groups by name, unnamed, none. */
  groups: ReportGroup[];
  orphans: (Orphan & { kindLabel: string })[];
  /**
   * The families' own sections, group by group (group-section.ts: for project work orders, per
   * project its tasks and work orders, its changes and who needs a person), in the groups' order;
   * [] when no family of the plan has one.
   */
  groupSections: ReportGroupSection[];
  /** The plan's tallies that have rows, in the plan's order (after the summary in every format). */
  tallies: ReportTally[];
  /**
   * Families that planned nothing because their configuration failed (Plan.stoppedFamilies), each
   * with its name; every format shows them first, before the summary, so a stopped family never
   * reads as "nothing to change".
   */
  stoppedFamilies: ReportFamilyStop[];
  /**
   * A run that failed or stopped with a run-level error: what happened, what it means for what the
   * report shows, and the error with what to do. Every format opens with it (issue 16, "Failure first").
   */
  failure?: ReportFailure;
  run?: ReportRun;
  /** The inputs as given, for the JSON renderer. */
  source: ReportInput;
}
