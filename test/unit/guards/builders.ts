/**
 * Hand-built plans for the guard tests: the guards are pure functions of (Plan, GuardContext), so
 * their tests need no tenant, only the few fields a guard reads.
 */
import { productConfiguredFamilies } from '../../../src/engine/compose.js';
import type { GuardContext, RunOverrides } from '../../../src/engine/seams.js';
import type { Observation } from '../../../src/model/observation.js';
import { CHANGE_KIND_ORDER } from '../../../src/kinds.js';
import type { Change, ChangeKind, Plan, RunScope, Subject, SubjectPlan } from '../../../src/model/plan.js';
import { contactRow, observation, SKU, testSettings, type FlatTestSettings } from '../../support/model.js';

export const NOW = new Date('2026-11-23T10:00:00Z');

const ENTITY: Record<string, Change['target']['entity']> = {
  user: 'user', licence: 'user', group: 'group', contact: 'contact', systemuser: 'systemuser',
  bookableresource: 'bookableresource', characteristic: 'bookableresourcecharacteristic',
};

/** The subject the builders give a contact: a technician of the one vendor. */
export function subjectOf(contactId: string): Subject {
  return { family: 'technicians', table: 'contacts', id: contactId, displayName: `Tech ${contactId}`, group: { id: 'acc-1', name: 'Fabrikam Services' } };
}

export function change(contactId: string, kind: ChangeKind, extra: Partial<Change> = {}): Change {
  const prefix = kind.split('.')[0]!;
  const removal = kind.endsWith('.remove') || kind.endsWith('.deactivate') || kind.endsWith('.delete');
  return {
    id: `${contactId}/${kind}`,
    subject: subjectOf(contactId),
    kind,
    target: { service: prefix === 'user' || prefix === 'licence' || prefix === 'group' ? 'graph' : 'dataverse', entity: ENTITY[prefix]!, id: `${contactId}-${prefix}` },
    before: removal ? { present: true } : null,
    // A licence assignment names its SKU, as the licence reconciler's does: the capacity guard counts by it.
    after: removal ? null : kind === 'licence.assign' ? { skuId: SKU, directlyAssigned: true } : { present: true },
    reason: `test ${kind}`,
    dependsOn: [],
    ...extra,
  };
}

/** A deactivated technician's three removals. */
export function deprovision(contactId: string): Change[] {
  return [change(contactId, 'licence.remove'), change(contactId, 'group.remove'), change(contactId, 'bookableresource.deactivate')];
}

/** A new technician: invitation, licence, group (licence and group depend on the invitation). */
export function newTechnician(contactId: string): Change[] {
  const invite = change(contactId, 'user.invite');
  return [
    invite,
    change(contactId, 'licence.assign', { dependsOn: [invite.id] }),
    change(contactId, 'group.add', { dependsOn: [invite.id] }),
  ];
}

export function contactPlan(contactId: string, overrides: Partial<SubjectPlan> = {}): SubjectPlan {
  return {
    subject: subjectOf(contactId),
    intent: 'provision',
    status: 'active',
    storedStatus: 'active',
    storedError: null,
    changeIds: [],
    ...overrides,
  };
}

const KIND_INDEX = new Map(CHANGE_KIND_ORDER.map((k, i) => [k, i]));

/** A plan of these changes; contacts: the given ones, plus an `active` one for each other contact with changes. */
export function planOf(changes: Change[], contacts: SubjectPlan[] = [], scope: RunScope = { kind: 'tenant' }): Plan {
  const sorted = [...changes].sort((a, b) => KIND_INDEX.get(a.kind)! - KIND_INDEX.get(b.kind)! || (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0));
  const all = [...contacts];
  for (const c of sorted) if (!all.some((p) => p.subject.id === c.subject.id)) all.push(contactPlan(c.subject.id));
  const withIds = all.map((p) => ({ ...p, changeIds: sorted.filter((c) => c.subject.id === p.subject.id).map((c) => c.id) }));
  const subjectsByStatus: Plan['summary']['subjectsByStatus'] = {};
  for (const p of withIds) subjectsByStatus[p.status] = (subjectsByStatus[p.status] ?? 0) + 1;
  const changesByKind: Plan['summary']['changesByKind'] = {};
  for (const c of sorted) changesByKind[c.kind] = (changesByKind[c.kind] ?? 0) + 1;
  return {
    version: 2,
    generatedAt: NOW.toISOString(),
    scope,
    changes: sorted,
    subjects: withIds,
    orphans: [],
    tallies: [],
    summary: {
      changesByKind,
      subjectsByStatus,
      licences: [{ skuId: testSettings().families.technicians!.licenseSkuId, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: sorted.filter((c) => c.kind === 'licence.assign').length, unitsAvailable: 15 }],
      orphans: 0,
      blockedRemovals: 0,
      errors: withIds.filter((p) => p.error).length,
    },
  };
}

/** `n` ids of group members: the technicians with access today. */
export function members(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `member-${i}`);
}

export function context(
  options: { settings?: Partial<FlatTestSettings>; overrides?: RunOverrides; observation?: Partial<Observation>; now?: Date } = {},
): GuardContext {
  const settings = testSettings(options.settings ?? {});
  return {
    observation: observation(options.observation ?? {}),
    settings,
    families: productConfiguredFamilies(settings),
    overrides: options.overrides ?? {},
    now: options.now ?? NOW,
  };
}

export { contactRow };
