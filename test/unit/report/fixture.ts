/**
 * A hand-built plan that exercises every part of the report: three vendors plus "No vendor", every
 * ProvisioningStatus, every ChangeKind, an error with its action, an orphan, blocked removals, a
 * licence shortage, a contact named <script>alert(1)</script> and one named =HYPERLINK("x").
 */
import type { Change, ChangeKind, SubjectPlan, Plan } from '../../../src/model/plan.js';
import { subjectKey, type RunRecord } from '../../../src/model/run.js';

export const SKU = 'c7df2760-2c81-4ef7-b578-5b5392b571df';
export const GROUP = '0a1b2c3d-0000-4000-8000-00000000aaaa';
export const ADATUM = 'a0000000-0000-4000-8000-000000000002';
export const CONTOSO = 'a0000000-0000-4000-8000-000000000001';

const id = (n: number): string => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const C = {
  alice: id(1),
  script: id(2),
  formula: id(3),
  bob: id(4),
  carol: id(5),
  dave: id(6),
  eve: id(7),
  frank: id(8),
  gina: id(9),
  hank: id(10),
  ivy: id(11),
  jack: id(12),
};
export const SCRIPT_NAME = '<script>alert(1)</script>';
export const FORMULA_NAME = '=HYPERLINK("x")';
export const RESOURCE_BOB = 'b0000000-0000-4000-8000-000000000004';

function change(contactId: string, kind: ChangeKind, over: Partial<Change> = {}, key = ''): Change {
  return {
    id: `${contactId}/${kind}${key}`,
    // The report files a change under its subject's plan by id; the rest of the subject is the plan's.
    subject: { family: 'technicians', table: 'contacts', id: contactId, displayName: '', group: null },
    kind,
    target: { service: 'graph', entity: 'user', id: null },
    before: null,
    after: {},
    reason: `Reason for ${kind}.`,
    dependsOn: [],
    ...over,
  };
}

export const CHANGES: Change[] = [
  change(C.alice, 'user.invite', {
    after: { invitedUserEmailAddress: 'alice@adatum.example', invitedUserDisplayName: 'Alice Adams' },
    reason: 'Alice is set up as a technician and has no guest user yet.',
  }),
  change(C.alice, 'contact.anchor', {
    target: { service: 'dataverse', entity: 'contact', id: C.alice },
    before: { o25fs_entraobjectid: null },
    after: { o25fs_entraobjectid: { createdBy: `${C.alice}/user.invite` } },
    reason: 'Remember which Entra user belongs to this contact.',
    dependsOn: [`${C.alice}/user.invite`],
  }),
  change(C.alice, 'user.update', {
    target: { service: 'graph', entity: 'user', id: null, createdBy: `${C.alice}/user.invite` },
    before: { usageLocation: null, givenName: 'Alice' },
    after: { usageLocation: 'NL', givenName: 'Alice' },
    reason: 'A licence needs a usage location; the contact lives in the Netherlands.',
    dependsOn: [`${C.alice}/user.invite`],
  }),
  change(C.alice, 'licence.assign', {
    target: { service: 'graph', entity: 'user', id: null, createdBy: `${C.alice}/user.invite` },
    before: { skuId: null },
    after: { skuId: SKU },
    reason: 'Technicians need the Field Service licence.',
    dependsOn: [`${C.alice}/user.update`],
  }),
  change(C.alice, 'group.add', {
    target: { service: 'graph', entity: 'group', id: GROUP },
    before: { member: false },
    after: { member: true },
    reason: 'Membership of the technician group gives access to Dataverse.',
    dependsOn: [`${C.alice}/user.invite`],
  }),
  change(C.script, 'user.update', {
    target: { service: 'graph', entity: 'user', id: 'e0000000-0000-4000-8000-000000000002' },
    before: { displayName: 'Old <b>name</b>' },
    after: { displayName: SCRIPT_NAME },
    reason: 'The display name on the contact changed.',
  }),
  change(C.bob, 'systemuser.update', {
    target: { service: 'dataverse', entity: 'systemuser', id: 'f0000000-0000-4000-8000-000000000004' },
    before: { address1_latitude: 52.1, address1_longitude: 4.3 },
    after: { address1_latitude: 52.37, address1_longitude: -4.89 },
    reason: 'The contact moved; scheduling uses the Dataverse user\'s coordinates.',
  }),
  change(C.bob, 'bookableresource.update', {
    target: { service: 'dataverse', entity: 'bookableresource', id: RESOURCE_BOB },
    before: { msdyn_hourlyrate: 40, msdyn_displayonscheduleboard: true },
    after: { msdyn_hourlyrate: 45, msdyn_displayonscheduleboard: true },
    reason: 'Someone changed the hourly rate on the resource by hand; the contact says 45.',
  }),
  change(C.bob, 'characteristic.create', {
    target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: null },
    after: { _characteristic_value: 'd0000000-0000-4000-8000-000000000001', _ratingvalue_value: null },
    reason: 'The vendor added the characteristic "Boilers" to Bob.',
  }, '/ch-1'),
  change(C.bob, 'characteristic.update', {
    target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: 'd1000000-0000-4000-8000-000000000002' },
    before: { _ratingvalue_value: 'a0000000-0000-4000-8000-000000000001' },
    after: { _ratingvalue_value: 'a0000000-0000-4000-8000-000000000009' },
    reason: 'The vendor changed Bob\'s rating for "Heat pumps".',
  }, '/ch-2'),
  change(C.bob, 'characteristic.delete', {
    target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: 'd1000000-0000-4000-8000-000000000003' },
    before: { _characteristic_value: 'd0000000-0000-4000-8000-000000000003' },
    after: null,
    reason: 'The vendor removed "Solar" from Bob.',
  }, '/ch-3'),
  ...(['licence.remove', 'group.remove', 'bookableresource.deactivate'] as const).map((kind) =>
    change(C.carol, kind, {
      target:
        kind === 'bookableresource.deactivate'
          ? { service: 'dataverse', entity: 'bookableresource', id: 'b0000000-0000-4000-8000-000000000005' }
          : kind === 'group.remove'
            ? { service: 'graph', entity: 'group', id: GROUP }
            : { service: 'graph', entity: 'user', id: 'e0000000-0000-4000-8000-000000000005' },
      before: kind === 'bookableresource.deactivate' ? { statecode: 0 } : kind === 'group.remove' ? { member: true } : { skuId: SKU },
      after: kind === 'bookableresource.deactivate' ? { statecode: 1 } : null,
      reason: 'Carol\'s contact was deactivated.',
      blocked: { code: 'REMOVALS_HELD', reason: '30 removals exceed the limit of 10 per run.' },
    }),
  ),
  change(C.eve, 'licence.assign', {
    target: { service: 'graph', entity: 'user', id: 'e0000000-0000-4000-8000-000000000007' },
    before: { skuId: null },
    after: { skuId: SKU },
    reason: 'Technicians need the Field Service licence.',
    blocked: { code: 'NO_LICENCE_UNITS', reason: 'No licence unit is free.' },
  }),
  change(C.jack, 'bookableresource.create', {
    target: { service: 'dataverse', entity: 'bookableresource', id: null },
    after: { name: 'Jack Jones', resourcetype: 3, timezone: 85, msdyn_timeoffapprovalrequired: false },
    reason: 'Dataverse created Jack\'s user; he can now be scheduled.',
  }),
  change(C.jack, 'contact.link', {
    target: { service: 'dataverse', entity: 'contact', id: C.jack },
    before: { _o25fs_bookableresourceid_value: null },
    after: { _o25fs_bookableresourceid_value: 'b0000000-0000-4000-8000-000000000012' },
    reason: 'Link the contact to its new bookable resource.',
    dependsOn: [`${C.jack}/bookableresource.create`],
  }),
];

function contact(
  contactId: string,
  displayName: string,
  vendor: 'adatum' | 'contoso' | null,
  status: SubjectPlan['status'],
  over: Partial<SubjectPlan> = {},
): SubjectPlan {
  const group = vendor === 'adatum' ? { id: ADATUM, name: 'Adatum Repairs' } : vendor === 'contoso' ? { id: CONTOSO, name: 'Contoso Field Services' } : null;
  return {
    subject: { family: 'technicians', table: 'contacts', id: contactId, displayName, group },
    intent: status === 'out_of_scope' ? 'ignore' : status === 'deprovisioned' || status === 'removal_blocked' ? 'deprovision' : 'provision',
    status,
    storedStatus: null,
    storedError: null,
    changeIds: CHANGES.filter((c) => c.subject.id === contactId).map((c) => c.id),
    ...over,
  };
}

/** Deliberately not in display order: the report sorts. */
export const CONTACTS: SubjectPlan[] = [
  contact(C.hank, 'Hank Hill', 'contoso', 'active'),
  contact(C.jack, 'Jack Jones', null, 'active'),
  contact(C.dave, 'Dave Doe', 'contoso', 'error', {
    error: {
      class: 'contact',
      code: 'EMAIL_CHANGED',
      message: 'The contact\'s email changed from dave@old.example to dave@new.example after the guest user was created.',
      action: 'Check with the vendor that this is the same person, then clear the Entra id on the contact to invite the new address.',
    },
  }),
  contact(C.ivy, 'Ivy Ito', null, 'out_of_scope', {
    remains: ['Entra guest user ivy@example.com', 'Licence SPE_F1', 'Technician group membership'],
  }),
  contact(C.bob, 'Bob Brown', 'contoso', 'active'),
  contact(C.script, SCRIPT_NAME, 'adatum', 'invited'),
  contact(C.eve, 'Eve Evans', 'contoso', 'no_licence_units'),
  contact(C.frank, 'Frank Fox', 'contoso', 'quarantined', {
    error: {
      class: 'transient',
      code: 'QUARANTINED',
      message: 'This technician failed 4 runs in a row; the next try is in 8 hours.',
      action: 'Look at the earlier error in the run history and fix its cause; the quarantine lifts on the next success.',
    },
  }),
  contact(C.carol, 'Carol Clark', 'contoso', 'removal_blocked'),
  contact(C.alice, 'Alice Adams', 'adatum', 'pending'),
  contact(C.gina, 'Gina Green', 'contoso', 'deprovisioned'),
  contact(C.formula, FORMULA_NAME, 'adatum', 'waiting_for_dataverse_user'),
];

export function makePlan(): Plan {
  const changesByKind: Partial<Record<ChangeKind, number>> = {};
  for (const c of CHANGES) changesByKind[c.kind] = (changesByKind[c.kind] ?? 0) + 1;
  const subjectsByStatus: Plan['summary']['subjectsByStatus'] = {};
  for (const c of CONTACTS) subjectsByStatus[c.status] = (subjectsByStatus[c.status] ?? 0) + 1;
  return {
    version: 2,
    generatedAt: '2025-03-01T10:15:30.000Z',
    scope: { kind: 'tenant' },
    changes: structuredClone(CHANGES),
    subjects: structuredClone(CONTACTS),
    orphans: [
      {
        kind: 'group-member',
        id: 'e9999999-0000-4000-8000-000000000099',
        displayName: 'Old Guest <img src=x>',
        reason: 'Member of the technician group but matches no technician contact.',
      },
    ],
    tallies: [],
    summary: {
      changesByKind,
      subjectsByStatus,
      licences: [{ skuId: SKU, skuPartNumber: 'SPE_F1', unitsNeeded: 2, unitsAvailable: 1 }],
      orphans: 1,
      blockedRemovals: 3,
      errors: 2,
    },
  };
}

export function emptyPlan(contacts: SubjectPlan[] = []): Plan {
  return {
    version: 2,
    generatedAt: '2025-03-01T10:15:30.000Z',
    scope: { kind: 'tenant' },
    changes: [],
    subjects: contacts,
    orphans: [],
    tallies: [],
    summary: {
      changesByKind: {},
      subjectsByStatus: {},
      licences: [{ skuId: SKU, skuPartNumber: 'SPE_F1', unitsNeeded: 0, unitsAvailable: 25 }],
      orphans: 0,
      blockedRemovals: 0,
      errors: 0,
    },
  };
}

/** An apply of makePlan(): Alice's group.add fails, Jack's link is not reached, the rest applies. */
export function makeRun(): RunRecord {
  const plan = makePlan();
  return {
    runId: 'run-2025-03-01-1015',
    mode: 'apply',
    trigger: 'manual',
    scope: plan.scope,
    startedAt: '2025-03-01T10:15:30.000Z',
    finishedAt: '2025-03-01T10:16:10.000Z',
    outcome: 'partial',
    plan,
    results: plan.changes.map((c) => {
      if (c.blocked) return { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'blocked' as const };
      if (c.id === `${C.alice}/group.add`) {
        return {
          changeId: c.id,
          subjectKey: subjectKey(c.subject),
          outcome: 'failed' as const,
          error: {
            class: 'transient' as const,
            code: 'GRAPH_UNAVAILABLE',
            message: 'Microsoft Graph answered 503 four times.',
            action: 'Nothing: the next run retries it.',
          },
        };
      }
      if (c.id === `${C.jack}/contact.link`) return { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'not_reached' as const };
      if (c.id === `${C.alice}/user.invite`) {
        return { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'applied' as const, createdId: 'e0000000-0000-4000-8000-0000000000a1' };
      }
      return { changeId: c.id, subjectKey: subjectKey(c.subject), outcome: 'applied' as const };
    }),
    statuses: { [subjectKey({ family: 'technicians', id: C.alice })]: 'error', [subjectKey({ family: 'technicians', id: C.script })]: 'active' },
  };
}
