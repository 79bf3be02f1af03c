/**
 * What every guard does to a plan: mark some changes `blocked` (with why and what to do), give some
 * contacts another planned status, and recount the summary. Plans are values: the input plan is
 * never changed, a new one is returned.
 */
import type { Change, ContactPlan, Plan, PlanSummary } from '../../model/plan.js';
import { REMOVAL_KINDS } from '../kind-registry.js';

/** Stable codes of the guards' holds (docs/operations.md). */
export const REMOVALS_HELD = 'REMOVALS_HELD';
export const NO_LICENCE_UNITS = 'NO_LICENCE_UNITS';
export const QUARANTINED = 'QUARANTINED';

export interface Hold {
  code: string;
  reason: string;
  action: string;
}

export interface GuardEdits {
  /** Change id → why it is held back. A change already held back keeps its first hold. */
  holds: ReadonlyMap<string, Hold>;
  /** Contact id → fields of its ContactPlan to replace (status, error). */
  contacts?: ReadonlyMap<string, Partial<ContactPlan>>;
  licence?: PlanSummary['licence'];
}

export function applyGuardEdits(plan: Plan, edits: GuardEdits): Plan {
  if (edits.holds.size === 0 && (edits.contacts?.size ?? 0) === 0 && !edits.licence) return plan;
  const changes = plan.changes.map((c): Change => {
    const hold = edits.holds.get(c.id);
    return hold && !c.blocked ? { ...c, blocked: { code: hold.code, reason: hold.reason, action: hold.action } } : c;
  });
  const contacts = plan.contacts.map((cp): ContactPlan => {
    const edit = edits.contacts?.get(cp.contactId);
    return edit ? { ...cp, ...edit } : cp;
  });
  return { ...plan, changes, contacts, summary: recount(plan.summary, changes, contacts, edits.licence) };
}

/** The summary's counts after guards: statuses, held removals, contacts with an error. */
function recount(summary: PlanSummary, changes: Change[], contacts: ContactPlan[], licence?: PlanSummary['licence']): PlanSummary {
  const contactsByStatus: PlanSummary['contactsByStatus'] = {};
  for (const c of contacts) contactsByStatus[c.status] = (contactsByStatus[c.status] ?? 0) + 1;
  return {
    ...summary,
    contactsByStatus,
    licence: licence ?? summary.licence,
    blockedRemovals: changes.filter((c) => REMOVAL_KINDS.has(c.kind) && c.blocked?.code === REMOVALS_HELD).length,
    errors: contacts.filter((c) => c.error).length,
  };
}
