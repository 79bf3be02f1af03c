/**
 * LICENSE_MODE (issue 15 item 4): the licence kind's pure diff in both modes, what Entra made of an
 * inherited licence (reconcilers/technicians/group-licensing.ts), and the plan and statuses of group
 * mode, from the family's observation alone.
 */
import { describe, expect, it } from 'vitest';
import { licenceKind } from '../../../reconcilers/technicians/index.js';
import { checkGroupLicensing, groupLicensingOutcome } from '../../../reconcilers/technicians/group-licensing.js';
import { technicianSettings } from '../../../reconcilers/technicians/settings.js';
import type { InheritedLicence } from '../../../reconcilers/technicians/state.js';
import { buildPlan } from '../../../src/engine/compose.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { Observation } from '../../../src/model/observation.js';
import { GROUP, SKU, contactRow, convergedTech, desiredFor, observation, observedFor, shape, tenantOf, testSettings } from '../../support/model.js';

const sku = SKU.toLowerCase();
const direct = testSettings();
const group = testSettings({ licenseMode: 'group' });
const t = convergedTech(1);
const inherit = (state: string, error = 'None', groupId = GROUP): InheritedLicence => ({ skuId: sku, groupId, state, error });

describe('licence kind by LICENSE_MODE (presence.ts LICENCE)', () => {
  const cases = [
    {
      reason: 'group mode, a member whose inherited licence is active: nothing (the group carries it)',
      desired: desiredFor(t.contact, group),
      observed: observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Active')] }),
      kinds: [],
    },
    {
      reason: 'group mode, a new user: no licence.assign (the product never calls assignLicense)',
      desired: desiredFor(t.contact, group),
      observed: observedFor(t, { user: null, directSkuIds: [], isGroupMember: false }),
      kinds: [],
    },
    {
      reason: 'group mode, a deactivated contact still holding a direct assignment: no licence.remove (leaving the group is the removal)',
      desired: desiredFor({ ...t.contact, statecode: 1 }, group),
      observed: observedFor(t),
      kinds: [],
    },
    {
      reason: 'group mode, LICENSE_SKU_ID changed: the old SKU is not removed either (no assignLicense call at all)',
      desired: desiredFor(t.contact, group),
      observed: observedFor(t, { formerGrants: { groupIds: [], skuIds: ['c0000000-0000-4000-8000-0000000000ff'] } }),
      kinds: [],
    },
    {
      reason: 'direct mode, licence held through another group (assignedByGroup set): no redundant direct assignment',
      desired: desiredFor(t.contact, direct),
      observed: observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Active', 'None', 'g-other')] }),
      kinds: [],
    },
    {
      reason: 'direct mode, held through a group but ActiveWithError: it is held, so still no direct assignment',
      desired: desiredFor(t.contact, direct),
      observed: observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('ActiveWithError', 'Other', 'g-other')] }),
      kinds: [],
    },
    {
      reason: 'direct mode, the group entry failed (CountViolation): the user has no licence, so it is assigned directly',
      desired: desiredFor(t.contact, direct),
      observed: observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Error', 'CountViolation', 'g-other')] }),
      kinds: ['licence.assign'],
    },
    {
      reason: 'direct mode, no licence at all: assigned, as before',
      desired: desiredFor(t.contact, direct),
      observed: observedFor(t, { directSkuIds: [] }),
      kinds: ['licence.assign'],
    },
  ];
  for (const tc of cases) it(tc.reason, () => expect(licenceKind.diff(tc.desired, tc.observed).map((c) => c.kind)).toEqual(tc.kinds));
});

describe('groupLicensingOutcome (group-licensing.ts)', () => {
  const cases = [
    { reason: 'direct mode: nothing to judge', desired: desiredFor(t.contact, direct), observed: observedFor(t, { inheritedLicences: [inherit('Error', 'CountViolation')] }), joining: false, want: null },
    { reason: 'inherited and active: licensed', desired: desiredFor(t.contact, group), observed: observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Active')] }), joining: false, want: { kind: 'licensed' } },
    { reason: 'held directly from before the switch to group mode: licensed', desired: desiredFor(t.contact, group), observed: observedFor(t), joining: false, want: { kind: 'licensed' } },
    { reason: 'a member with no entry yet: Entra is processing, the technician waits', desired: desiredFor(t.contact, group), observed: observedFor(t, { directSkuIds: [], inheritedLicences: [] }), joining: false, want: { kind: 'processing' } },
    { reason: 'joining in this plan: processing once it has joined', desired: desiredFor(t.contact, group), observed: observedFor(t, { directSkuIds: [], isGroupMember: false }), joining: true, want: { kind: 'processing' } },
    { reason: 'not a member and not joining (a removal is planned elsewhere): nothing to judge', desired: desiredFor(t.contact, group), observed: observedFor(t, { directSkuIds: [], isGroupMember: false }), joining: false, want: null },
    { reason: 'no user yet: nothing to judge (the contact is invited first)', desired: desiredFor(t.contact, group), observed: observedFor(t, { user: null, directSkuIds: [] }), joining: true, want: null },
    { reason: 'a deactivated contact: nothing to judge', desired: desiredFor({ ...t.contact, statecode: 1 }, group), observed: observedFor(t, { inheritedLicences: [inherit('Error', 'CountViolation')] }), joining: false, want: null },
  ];
  for (const tc of cases) it(tc.reason, () => expect(groupLicensingOutcome(tc.desired, tc.observed, tc.joining)).toEqual(tc.want));

  it('units ran out (CountViolation): failed, status no_licence_units, a warning that says to buy units and reprocess', () => {
    const out = groupLicensingOutcome(desiredFor(t.contact, group), observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Error', 'CountViolation')] }), false);
    expect(out?.kind).toBe('failed');
    if (out?.kind !== 'failed') return;
    expect(out.status).toBe('no_licence_units');
    expect(out.warning.code).toBe('GROUP_LICENSING_FAILED');
    expect(out.warning.message).toContain('no unit of the licence is free (CountViolation)');
    expect(out.warning.action).toMatch(/^Buy more units of the licence.*Reprocess/);
  });

  it('mutually exclusive plans: failed with status error, the action names the conflicting licence', () => {
    const out = groupLicensingOutcome(desiredFor(t.contact, group), observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('Error', 'MutuallyExclusiveViolation')] }), false);
    expect(out).toMatchObject({ kind: 'failed', status: 'error', warning: { code: 'GROUP_LICENSING_FAILED' } });
    expect(out?.kind === 'failed' && out.warning.action).toContain('Remove the conflicting licence');
  });

  it('ActiveWithError: licensed, with the warning', () => {
    const out = groupLicensingOutcome(desiredFor(t.contact, group), observedFor(t, { directSkuIds: [], inheritedLicences: [inherit('ActiveWithError', 'DependencyViolation')] }), false);
    expect(out?.kind).toBe('licensed');
    expect(out?.kind === 'licensed' && out.warning?.message).toContain('holds the licence but with an error');
  });
});

/** A converged technician whose licence comes from the technician group. */
function groupTenant(state: string, error = 'None'): Observation {
  const tech = convergedTech(1);
  tech.user.assignedLicenses = state === 'Error' ? [] : [{ skuId: SKU, disabledPlans: [] }];
  tech.user.licenseAssignmentStates = [{ skuId: SKU, assignedByGroup: GROUP, state, error }];
  return tenantOf([tech], { technicianGroupSkuIds: [sku] });
}

describe('the plan in group mode', () => {
  const TENANT = { kind: 'tenant' } as const;

  it('a new contact: invite, anchor, user update (usage location) and group add; no licence change; invited', () => {
    const plan = buildPlan(observation({ contacts: [contactRow('c-1', { emailaddress1: 'ana@vendor.example', address1_country: 'Germany' })], technicianGroupSkuIds: [sku] }), group, TENANT);
    expect(plan.changes.map((c) => c.kind)).toEqual(['user.invite', 'contact.anchor', 'user.update', 'group.add']);
    expect(plan.changes.find((c) => c.kind === 'user.update')?.after).toMatchObject({ usageLocation: 'DE' });
    expect(plan.subjects[0]!.status).toBe('invited');
  });

  it('a member whose inherited licence is active: converged and active', () => {
    const plan = buildPlan(groupTenant('Active'), group, TENANT);
    expect(plan.changes.map(shape)).toEqual([]);
    expect(plan.subjects[0]).toMatchObject({ status: 'active' });
    expect(plan.subjects[0]!.warnings).toBeUndefined();
  });

  it('a member whose inherited licence is still processing: waiting, no change, no error', () => {
    const obs = groupTenant('Active');
    obs.users[0]!.assignedLicenses = [];
    obs.users[0]!.licenseAssignmentStates = [];
    const plan = buildPlan(obs, group, TENANT);
    expect(plan.changes).toEqual([]);
    expect(plan.subjects[0]).toMatchObject({ status: 'waiting_for_dataverse_user' });
    expect(plan.subjects[0]!.error).toBeUndefined();
  });

  it('units ran out: status no_licence_units and a GROUP_LICENSING_FAILED warning; no assignLicense is planned', () => {
    const plan = buildPlan(groupTenant('Error', 'CountViolation'), group, TENANT);
    expect(plan.changes.map((c) => c.kind)).toEqual([]);
    expect(plan.subjects[0]!.status).toBe('no_licence_units');
    expect(plan.subjects[0]!.warnings?.map((w) => w.code)).toEqual(['GROUP_LICENSING_FAILED']);
  });

  it('a deactivated contact: leaving the group (a guarded removal) is the licence removal', () => {
    const obs = groupTenant('Active');
    obs.contacts[0]!.statecode = 1;
    const plan = buildPlan(obs, group, TENANT);
    expect(plan.changes.filter((c) => c.target.service === 'graph').map((c) => c.kind)).toEqual(['group.remove']);
    expect(plan.subjects[0]!.status).toBe('deprovisioned');
  });
});

describe('checkGroupLicensing (group-licensing.ts)', () => {
  it('group mode and the group does not carry LICENSE_SKU_ID: GROUP_LICENCE_MISSING, naming what it carries and the fix', () => {
    const obs = tenantOf([t], { technicianGroupSkuIds: ['c0000000-0000-4000-8000-0000000000ff'] });
    try {
      checkGroupLicensing(obs, technicianSettings(group));
      expect.unreachable('the check must throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      expect((e as ConfigurationError).code).toBe('GROUP_LICENCE_MISSING');
      expect((e as ConfigurationError).message).toContain('c0000000-0000-4000-8000-0000000000ff');
      expect((e as ConfigurationError).action).toContain('LICENSE_MODE=direct');
    }
  });

  it('buildPlan stops with it when technicians are the only family (every configured family failed)', () => {
    expect(() => buildPlan(tenantOf([t], { technicianGroupSkuIds: [] }), group, { kind: 'tenant' })).toThrow(expect.objectContaining({ code: 'GROUP_LICENCE_MISSING' }));
  });

  it('the group carries it, or direct mode: no error', () => {
    expect(() => checkGroupLicensing(tenantOf([t], { technicianGroupSkuIds: [sku] }), technicianSettings(group))).not.toThrow();
    expect(() => checkGroupLicensing(tenantOf([t]), technicianSettings(direct))).not.toThrow();
  });
});
