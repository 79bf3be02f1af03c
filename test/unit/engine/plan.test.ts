/**
 * buildPlan, scenario by scenario (issue 3, "Desired state" and "Matching"): the exact changes,
 * their dependencies and the status each contact would have.
 */
import { describe, expect, it } from 'vitest';
import { GROUP, SKU, contactRow, guestUser, markedAttributes, observation, testSettings, convergedTech, shape, tenantOf, type ChangeShape } from '../../support/model.js';
import { formatMark } from '../../../reconcilers/technicians/ownership.js';
import { bookableResourceIdFor, resourceCharacteristicIdFor } from '../../../reconcilers/technicians/ids.js';
import { buildPlan } from '../../../src/engine/compose.js';
import { statusToOptionValue } from '../../../reconcilers/technicians/status-codes.js';
import { ConfigurationError } from '../../../src/model/errors.js';
import type { Observation } from '../../../src/model/observation.js';
import type { Change, ProvisioningStatus } from '../../../src/model/plan.js';

const settings = testSettings();
const TENANT = { kind: 'tenant' } as const;
/** The product's ownership mark for a contact, as a new guest's update sets it (reconcilers/technicians/ownership.ts). */
const newMark = (contactId: string) => ({ onPremisesExtensionAttributes: { extensionAttribute15: formatMark({ contactId, account: 'guest', groupId: GROUP, skuIds: [SKU] }) } });
/** An existing guest's extension attributes: all fifteen as read, with the mark (or not). */
const allAttributes = (contactId: string | null) => ({ onPremisesExtensionAttributes: contactId ? markedAttributes(contactId) : { ...markedAttributes('x'), extensionAttribute15: null } });
const user = (id: string | null, createdBy?: string) =>
  id ? { service: 'graph', entity: 'user', id } : { service: 'graph', entity: 'user', id: null, createdBy };

interface Case {
  reason: string;
  obs: () => Observation;
  blockSignIn?: boolean;
  deprovisionWhenSetupOff?: boolean;
  changes: ChangeShape[];
  status: ProvisioningStatus;
  reasonMentions?: string;
}

const c1 = (p: Parameters<typeof convergedTech>[1] = {}) => convergedTech(1, p);

const cases: Record<string, Case> = {
  'new contact': {
    reason: 'A new technician is invited, bound, given a usage location, licensed and added to the group, in that order.',
    obs: () => observation({ contacts: [contactRow('c-1', { fullname: 'Ana Silva', firstname: 'Ana', lastname: 'Silva', emailaddress1: ' Ana@Vendor.Example ', address1_country: 'Germany' })] }),
    changes: [
      { id: 'c-1/user.invite', subjectId: 'c-1', kind: 'user.invite', target: user(null, 'c-1/user.invite'), before: null, after: { mail: 'ana@vendor.example', displayName: 'Ana Silva' }, dependsOn: [] },
      { id: 'c-1/contact.anchor', subjectId: 'c-1', kind: 'contact.anchor', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { o25fs_entraobjectid: null }, after: { o25fs_entraobjectid: { createdBy: 'c-1/user.invite' } }, dependsOn: ['c-1/user.invite'] },
      { id: 'c-1/user.update', subjectId: 'c-1', kind: 'user.update', target: user(null, 'c-1/user.invite'), before: null, after: { usageLocation: 'DE', ...newMark('c-1'), givenName: 'Ana', surname: 'Silva' }, dependsOn: ['c-1/user.invite'] },
      { id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user(null, 'c-1/user.invite'), before: null, after: { skuId: SKU, directlyAssigned: true }, dependsOn: ['c-1/user.invite', 'c-1/user.update'] },
      { id: 'c-1/group.add', subjectId: 'c-1', kind: 'group.add', target: user(null, 'c-1/user.invite'), before: null, after: { groupId: GROUP, member: true }, dependsOn: ['c-1/user.invite'] },
    ] as ChangeShape[],
    status: 'invited',
  },
  converged: {
    reason: 'Everything is as the contact says: nothing to do.',
    obs: () => tenantOf([c1()]),
    changes: [],
    status: 'active',
  },
  'licence removed by hand': {
    reason: 'The direct licence is gone; it is assigned again and nothing else is touched.',
    obs: () => {
      const t = c1();
      t.user.assignedLicenses = [];
      t.user.licenseAssignmentStates = [];
      return tenantOf([t]);
    },
    changes: [{ id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: false }, after: { skuId: SKU, directlyAssigned: true }, dependsOn: [] }],
    status: 'active',
    reasonMentions: 'removed by hand',
  },
  'licence only inherited from a group': {
    reason: 'The guest holds the licence through a group already (assignedByGroup set, issue 15): no redundant direct assignment, and the contact is active.',
    obs: () => {
      const t = c1();
      t.user.licenseAssignmentStates = [{ skuId: SKU, assignedByGroup: 'g-licences' }];
      return tenantOf([t]);
    },
    changes: [],
    status: 'active',
  },
  'licence inherited but failed': {
    reason: 'A group entry in error (CountViolation) gives no licence: the guest still gets its direct assignment.',
    obs: () => {
      const t = c1();
      t.user.assignedLicenses = [];
      t.user.licenseAssignmentStates = [{ skuId: SKU, assignedByGroup: 'g-licences', state: 'Error', error: 'CountViolation' }];
      return tenantOf([t]);
    },
    changes: [{ id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: false }, after: { skuId: SKU, directlyAssigned: true }, dependsOn: [] }],
    status: 'active',
  },
  'taken out of the group': {
    reason: 'The guest left the technician group; it is added back.',
    obs: () => ({ ...tenantOf([c1()]), groupMemberIds: [] }),
    changes: [{ id: 'c-1/group.add', subjectId: 'c-1', kind: 'group.add', target: user('u-1') as Change['target'], before: { groupId: GROUP, member: false }, after: { groupId: GROUP, member: true }, dependsOn: [] }],
    status: 'active',
  },
  'bookable resource edited by hand': {
    reason: 'Only the edited columns are written back.',
    obs: () => {
      const t = c1();
      t.resource.name = 'Edited';
      t.resource.msdyn_hourlyrate = 10;
      return tenantOf([t]);
    },
    changes: [{ id: 'c-1/bookableresource.update', subjectId: 'c-1', kind: 'bookableresource.update', target: { service: 'dataverse', entity: 'bookableresource', id: 'br-1' }, before: { name: 'Edited', msdyn_hourlyrate: 10 }, after: { name: 'Ana Silva', msdyn_hourlyrate: 42.5 }, dependsOn: [] }],
    status: 'active',
  },
  'coordinates changed on the systemuser': {
    reason: 'The contact has coordinates; the systemuser\'s are set back to them.',
    obs: () => {
      const t = c1({ address1_latitude: 52.37022, address1_longitude: 4.89517 });
      t.systemUser.address1_latitude = 1;
      t.systemUser.address1_longitude = 4.895171; // within 5 decimals: equal, but written as a pair
      return tenantOf([t]);
    },
    changes: [{ id: 'c-1/systemuser.update', subjectId: 'c-1', kind: 'systemuser.update', target: { service: 'dataverse', entity: 'systemuser', id: 'su-1' }, before: { address1_latitude: 1, address1_longitude: 4.895171 }, after: { address1_latitude: 52.37022, address1_longitude: 4.89517 }, dependsOn: [] }],
    status: 'active',
  },
  deactivated: {
    reason: 'A deactivated contact loses licence, membership and its schedulable resource; the guest stays.',
    obs: () => tenantOf([c1({ statecode: 1, statuscode: 2 })]),
    changes: [
      { id: 'c-1/licence.remove', subjectId: 'c-1', kind: 'licence.remove', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: true }, after: { skuId: SKU, directlyAssigned: false }, dependsOn: [] },
      { id: 'c-1/group.remove', subjectId: 'c-1', kind: 'group.remove', target: user('u-1') as Change['target'], before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, dependsOn: [] },
      { id: 'c-1/bookableresource.deactivate', subjectId: 'c-1', kind: 'bookableresource.deactivate', target: { service: 'dataverse', entity: 'bookableresource', id: 'br-1' }, before: { statecode: 0, statuscode: 1 }, after: { statecode: 1, statuscode: 2 }, dependsOn: [] },
    ],
    status: 'deprovisioned',
  },
  'deactivated with BLOCK_SIGN_IN_ON_DEPROVISION': {
    reason: 'With the option on, the guest is also blocked from signing in (never deleted).',
    obs: () => tenantOf([c1({ statecode: 1, statuscode: 2 })]),
    blockSignIn: true,
    changes: [
      { id: 'c-1/user.update', subjectId: 'c-1', kind: 'user.update', target: user('u-1') as Change['target'], before: { accountEnabled: true }, after: { accountEnabled: false }, dependsOn: [] },
      { id: 'c-1/licence.remove', subjectId: 'c-1', kind: 'licence.remove', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: true }, after: { skuId: SKU, directlyAssigned: false }, dependsOn: [] },
      { id: 'c-1/group.remove', subjectId: 'c-1', kind: 'group.remove', target: user('u-1') as Change['target'], before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, dependsOn: [] },
      { id: 'c-1/bookableresource.deactivate', subjectId: 'c-1', kind: 'bookableresource.deactivate', target: { service: 'dataverse', entity: 'bookableresource', id: 'br-1' }, before: { statecode: 0, statuscode: 1 }, after: { statecode: 1, statuscode: 2 }, dependsOn: [] },
    ],
    status: 'deprovisioned',
  },
  reactivated: {
    reason: 'Reactivation restores sign-in, licence, membership and the resource, without a second invitation.',
    obs: () => {
      const t = c1();
      t.user.accountEnabled = false;
      t.user.assignedLicenses = [];
      t.user.licenseAssignmentStates = [];
      t.resource.statecode = 1;
      t.resource.statuscode = 2;
      return { ...tenantOf([t]), groupMemberIds: [] };
    },
    blockSignIn: true,
    changes: [
      { id: 'c-1/user.update', subjectId: 'c-1', kind: 'user.update', target: user('u-1') as Change['target'], before: { accountEnabled: false }, after: { accountEnabled: true }, dependsOn: [] },
      { id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: false }, after: { skuId: SKU, directlyAssigned: true }, dependsOn: ['c-1/user.update'] },
      { id: 'c-1/group.add', subjectId: 'c-1', kind: 'group.add', target: user('u-1') as Change['target'], before: { groupId: GROUP, member: false }, after: { groupId: GROUP, member: true }, dependsOn: [] },
      { id: 'c-1/bookableresource.update', subjectId: 'c-1', kind: 'bookableresource.update', target: { service: 'dataverse', entity: 'bookableresource', id: 'br-1' }, before: { statecode: 1, statuscode: 2 }, after: { statecode: 0, statuscode: 1 }, dependsOn: [] },
    ],
    status: 'active',
  },
  'setup flag off': {
    reason: 'Out of scope: nothing is removed by default.',
    obs: () => tenantOf([c1({ o25fs_setuptechnician: false })]),
    changes: [],
    status: 'out_of_scope',
  },
  'setup flag off with DEPROVISION_WHEN_SETUP_OFF': {
    reason: 'The setting turns "setup off" into a deprovision.',
    obs: () => tenantOf([c1({ o25fs_setuptechnician: false })]),
    deprovisionWhenSetupOff: true,
    changes: [
      { id: 'c-1/licence.remove', subjectId: 'c-1', kind: 'licence.remove', target: user('u-1') as Change['target'], before: { skuId: SKU, directlyAssigned: true }, after: { skuId: SKU, directlyAssigned: false }, dependsOn: [] },
      { id: 'c-1/group.remove', subjectId: 'c-1', kind: 'group.remove', target: user('u-1') as Change['target'], before: { groupId: GROUP, member: true }, after: { groupId: GROUP, member: false }, dependsOn: [] },
      { id: 'c-1/bookableresource.deactivate', subjectId: 'c-1', kind: 'bookableresource.deactivate', target: { service: 'dataverse', entity: 'bookableresource', id: 'br-1' }, before: { statecode: 0, statuscode: 1 }, after: { statecode: 1, statuscode: 2 }, dependsOn: [] },
    ],
    status: 'deprovisioned',
  },
  'setup flag on again': {
    reason: 'Turning the flag back on finds the anchored guest: no second invitation, no failing "already a member".',
    obs: () => tenantOf([c1({ o25fs_setuptechnician: true })]),
    changes: [],
    status: 'active',
  },
  'anchored guest deleted by hand': {
    reason: 'The anchored guest is gone and no user has the email: a new invitation, and the stale anchor is replaced.',
    obs: () => {
      const t = c1({ o25fs_entraobjectid: 'u-gone', _o25fs_bookableresourceid_value: null });
      return observation({ contacts: [t.contact], users: [] });
    },
    changes: [
      { id: 'c-1/user.invite', subjectId: 'c-1', kind: 'user.invite', target: user(null, 'c-1/user.invite') as Change['target'], before: null, after: { mail: 'ana1@vendor.example', displayName: 'Ana Silva' }, dependsOn: [] },
      { id: 'c-1/contact.anchor', subjectId: 'c-1', kind: 'contact.anchor', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { o25fs_entraobjectid: 'u-gone' }, after: { o25fs_entraobjectid: { createdBy: 'c-1/user.invite' } }, dependsOn: ['c-1/user.invite'] },
      { id: 'c-1/user.update', subjectId: 'c-1', kind: 'user.update', target: user(null, 'c-1/user.invite') as Change['target'], before: null, after: { usageLocation: 'DE', ...newMark('c-1'), givenName: 'Ana', surname: 'Silva' }, dependsOn: ['c-1/user.invite'] },
      { id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user(null, 'c-1/user.invite') as Change['target'], before: null, after: { skuId: SKU, directlyAssigned: true }, dependsOn: ['c-1/user.invite', 'c-1/user.update'] },
      { id: 'c-1/group.add', subjectId: 'c-1', kind: 'group.add', target: user(null, 'c-1/user.invite') as Change['target'], before: null, after: { groupId: GROUP, member: true }, dependsOn: ['c-1/user.invite'] },
    ],
    status: 'invited',
    reasonMentions: 'no longer exists',
  },
  'existing guest found by email': {
    reason: 'An unanchored contact whose email a guest already has is bound to it (no invitation) and the guest is completed.',
    obs: () => observation({ contacts: [contactRow('c-1', { fullname: 'Ana Silva', firstname: 'Ana', lastname: 'Silva', emailaddress1: 'ANA@vendor.example' })], users: [guestUser('u-7', 'ana@vendor.example', { mail: null, otherMails: [] })] }),
    changes: [
      { id: 'c-1/contact.anchor', subjectId: 'c-1', kind: 'contact.anchor', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { o25fs_entraobjectid: null }, after: { o25fs_entraobjectid: 'u-7' }, dependsOn: [] },
      { id: 'c-1/user.update', subjectId: 'c-1', kind: 'user.update', target: user('u-7') as Change['target'], before: { displayName: null, givenName: null, surname: null, usageLocation: null, ...allAttributes(null) }, after: { displayName: 'Ana Silva', givenName: 'Ana', surname: 'Silva', usageLocation: 'US', ...allAttributes('c-1') }, dependsOn: [] },
      { id: 'c-1/licence.assign', subjectId: 'c-1', kind: 'licence.assign', target: user('u-7') as Change['target'], before: { skuId: SKU, directlyAssigned: false }, after: { skuId: SKU, directlyAssigned: true }, dependsOn: ['c-1/user.update'] },
      { id: 'c-1/group.add', subjectId: 'c-1', kind: 'group.add', target: user('u-7') as Change['target'], before: { groupId: GROUP, member: false }, after: { groupId: GROUP, member: true }, dependsOn: [] },
    ],
    status: 'waiting_for_dataverse_user',
  },
  'waiting for the Dataverse user': {
    reason: 'Licensed and in the group, but Dataverse has not synced the user yet: waiting, not an error, no resource changes.',
    obs: () => ({ ...tenantOf([c1({ _o25fs_bookableresourceid_value: null })]), systemUsers: [], bookableResources: [] }),
    changes: [],
    status: 'waiting_for_dataverse_user',
  },
  'systemuser disabled by an admin': {
    reason: 'A disabled systemuser cannot carry a resource: the contact waits.',
    obs: () => {
      const t = c1();
      t.systemUser.isdisabled = true;
      t.resource.name = 'Edited';
      return tenantOf([t]);
    },
    changes: [],
    status: 'waiting_for_dataverse_user',
  },
  'systemuser synced, no resource yet': {
    reason: 'The resource is created with its deterministic id, then linked, then its characteristics are created.',
    obs: () => ({
      ...tenantOf([c1({ _o25fs_bookableresourceid_value: null })]),
      bookableResources: [],
      characteristics: [{ characteristicid: 'ch-1', name: 'Electrician' }],
      vendorCharacteristics: [{ o25fs_vendorcharacteristicid: 'vc-1', _o25fs_vendorcontactid_value: 'c-1', _o25fs_characteristicid_value: 'ch-1', _o25fs_ratingvalueid_value: null, statecode: 0 }],
    }),
    changes: [
      { id: 'c-1/bookableresource.create', subjectId: 'c-1', kind: 'bookableresource.create', target: { service: 'dataverse', entity: 'bookableresource', id: bookableResourceIdFor('c-1') }, before: null, after: { name: 'Ana Silva', resourcetype: 3, timezone: 85, msdyn_startlocation: 690970002, msdyn_endlocation: 690970002, _msdyn_organizationalunit_value: null, msdyn_displayonscheduleboard: true, msdyn_displayonscheduleassistant: true, msdyn_hourlyrate: 42.5, msdyn_timeoffapprovalrequired: false, _msdyn_warehouse_value: null, _userid_value: 'su-1', statecode: 0, statuscode: 1 }, dependsOn: [] },
      { id: 'c-1/contact.link', subjectId: 'c-1', kind: 'contact.link', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { _o25fs_bookableresourceid_value: null }, after: { _o25fs_bookableresourceid_value: bookableResourceIdFor('c-1') }, dependsOn: ['c-1/bookableresource.create'] },
      { id: 'c-1/characteristic.create/ch-1', subjectId: 'c-1', kind: 'characteristic.create', target: { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: resourceCharacteristicIdFor(bookableResourceIdFor('c-1'), 'ch-1') }, before: null, after: { _resource_value: bookableResourceIdFor('c-1'), _characteristic_value: 'ch-1', _ratingvalue_value: null }, dependsOn: ['c-1/bookableresource.create'] },
    ],
    status: 'active',
  },
};

describe('buildPlan scenarios', () => {
  for (const [name, tc] of Object.entries(cases)) {
    it(`${name}: ${tc.reason}`, () => {
      const s = testSettings({ blockSignInOnDeprovision: tc.blockSignIn ?? false, deprovisionWhenSetupOff: tc.deprovisionWhenSetupOff ?? false });
      const plan = buildPlan(tc.obs(), s, TENANT);
      expect(plan.changes.map(shape)).toEqual(tc.changes);
      expect(plan.subjects.map((c) => c.status)).toEqual([tc.status]);
      expect(plan.subjects[0]!.changeIds).toEqual(tc.changes.map((c) => c.id));
      for (const c of plan.changes) expect(c.reason).toMatch(/^[A-Z].*\.$/);
      if (tc.reasonMentions) expect(plan.changes.map((c) => c.reason).join(' ')).toContain(tc.reasonMentions);
    });
  }
});

describe('contacts in error get no changes', () => {
  const errorCases: Record<string, { reason: string; obs: () => Observation; code: string; mentions: string[] }> = {
    'email changed': {
      reason: 'The anchored guest no longer has the contact\'s email: no silent rebinding.',
      obs: () => {
        const t = c1();
        t.contact.emailaddress1 = 'ana.new@vendor.example';
        return tenantOf([t]);
      },
      code: 'EMAIL_CHANGED',
      mentions: ['ana1@vendor.example', 'ana.new@vendor.example', 'clear o25fs_entraobjectid'],
    },
    ambiguous: {
      reason: 'Two users carry the email: which one is the technician is not guessed.',
      obs: () => observation({ contacts: [contactRow('c-1')], users: [guestUser('u-a', 'c-1@vendor.example'), guestUser('u-b', 'x@other.example', { mail: 'C-1@vendor.example', otherMails: [] })] }),
      code: 'AMBIGUOUS_USER',
      mentions: ['u-a, u-b'],
    },
    'malformed email': {
      reason: 'An email Entra cannot invite is an error that names the value.',
      obs: () => observation({ contacts: [contactRow('c-1', { emailaddress1: 'ana@@vendor' })] }),
      code: 'EMAIL_INVALID',
      mentions: ['"ana@@vendor"'],
    },
    'email in the tenant\'s own domain': {
      reason: 'Graph refuses to invite an address of a verified domain of the tenant; said before trying.',
      obs: () => observation({ contacts: [contactRow('c-1', { emailaddress1: 'tech@contoso.onmicrosoft.com' })], users: [guestUser('u-9', 'someone@other.example')] }),
      code: 'EMAIL_IN_TENANT_DOMAIN',
      mentions: ['tech@contoso.onmicrosoft.com'],
    },
  };
  for (const [name, tc] of Object.entries(errorCases)) {
    it(`${name}: ${tc.reason}`, () => {
      const plan = buildPlan(tc.obs(), settings, TENANT);
      expect(plan.changes).toEqual([]);
      const c = plan.subjects[0]!;
      expect(c.status).toBe('error');
      expect(c.error?.code).toBe(tc.code);
      expect(c.error?.class).toBe('contact');
      for (const m of tc.mentions) expect(`${c.error?.message} ${c.error?.action}`).toContain(m);
      expect(plan.summary.errors).toBe(1);
    });
  }

  it('duplicate email: the anchored contact keeps its guest, the other contact gets DUPLICATE_EMAIL naming it', () => {
    const t = c1();
    const copy = contactRow('c-2', { emailaddress1: 'ana1@vendor.example' });
    const plan = buildPlan(tenantOf([t], { contacts: [copy, t.contact] }), settings, TENANT);
    expect(plan.changes).toEqual([]);
    expect(plan.subjects.map((c) => [c.subject.id, c.status, c.error?.code])).toEqual([
      ['c-1', 'active', undefined],
      ['c-2', 'error', 'DUPLICATE_EMAIL'],
    ]);
    expect(plan.subjects[1]!.error!.message).toContain('c-1');
  });

  it('duplicate email with neither anchored: both are errors, nobody is invited twice', () => {
    const plan = buildPlan(observation({ contacts: [contactRow('c-1', { emailaddress1: 'x@v.example' }), contactRow('c-2', { emailaddress1: 'X@V.example' })] }), settings, TENANT);
    expect(plan.changes).toEqual([]);
    expect(plan.subjects.map((c) => c.error?.code)).toEqual(['DUPLICATE_EMAIL', 'DUPLICATE_EMAIL']);
  });
});

describe('plan-level behaviour', () => {
  it('a licence SKU the tenant does not subscribe to stops the run with SKU_NOT_SUBSCRIBED', () => {
    const obs = observation({ subscribedSkus: [] });
    expect(() => buildPlan(obs, settings, TENANT)).toThrow(ConfigurationError);
    expect(() => buildPlan(obs, settings, TENANT)).toThrow(/LICENSE_SKU_ID/);
    try {
      buildPlan(obs, settings, TENANT);
    } catch (e) {
      expect((e as ConfigurationError).code).toBe('SKU_NOT_SUBSCRIBED');
    }
  });

  it('a deleted technician group stops the run with GROUP_NOT_FOUND', () => {
    try {
      buildPlan(observation({ groupMemberIds: null }), settings, TENANT);
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigurationError).code).toBe('GROUP_NOT_FOUND');
      expect((e as ConfigurationError).action).toContain('TECHNICIAN_GROUP_ID');
    }
  });

  it('setup flag off lists what remains, and orphans are reported, never changed', () => {
    const off = c1({ o25fs_setuptechnician: false });
    const obs = { ...tenantOf([off]), groupMemberIds: ['u-1', 'u-stranger'], users: [off.user, guestUser('u-stranger', 's@x.example', { displayName: 'Stranger' })] };
    const plan = buildPlan(obs, settings, TENANT);
    expect(plan.changes).toEqual([]);
    expect(plan.subjects[0]!.remains).toEqual([
      `Entra guest ${off.user.userPrincipalName} (u-1)`,
      'licence D365_FIELD_SERVICE_CONTRACTOR, assigned directly',
      'membership of the technician group',
      'active bookable resource Ana Silva (br-1)',
    ]);
    expect(plan.orphans).toEqual([
      { kind: 'group-member', id: 'u-stranger', displayName: 'Stranger', reason: expect.stringContaining('not the user of any technician contact') },
    ]);
    expect(plan.summary.orphans).toBe(1);
  });

  it('scope: a vendor or a list of contacts limits the plan; duplicates are still judged tenant-wide; orphans only for the tenant', () => {
    const a = convergedTech(1, { _parentcustomerid_value: 'acc-1' });
    const b = convergedTech(2, { _parentcustomerid_value: 'acc-2', o25fs_entraobjectid: null, emailaddress1: 'ana1@vendor.example' });
    const obs = { ...tenantOf([a]), contacts: [a.contact, b.contact], groupMemberIds: ['u-1', 'u-stranger'] };
    const vendor = buildPlan(obs, settings, { kind: 'group', family: 'technicians', groupId: 'ACC-2' });
    expect(vendor.subjects.map((c) => [c.subject.id, c.error?.code])).toEqual([['c-2', 'DUPLICATE_EMAIL']]);
    expect(vendor.orphans).toEqual([]);
    const one = buildPlan(obs, settings, { kind: 'subjects', family: 'technicians', subjectIds: ['c-1'] });
    expect(one.subjects.map((c) => [c.subject.id, c.subject.group?.name])).toEqual([['c-1', 'Fabrikam Services']]);
  });

  it('summary: changes by kind, statuses, licence units needed against units available, stored status decoded', () => {
    const stored = contactRow('c-3', { o25fs_provisioningstatus: statusToOptionValue('error'), o25fs_provisioningerror: 'old problem' });
    const plan = buildPlan(observation({ contacts: [contactRow('c-1'), contactRow('c-2'), stored] }), settings, TENANT);
    expect(plan.summary).toEqual({
      changesByKind: { 'user.invite': 3, 'contact.anchor': 3, 'user.update': 3, 'licence.assign': 3, 'group.add': 3 },
      subjectsByStatus: { invited: 3 },
      licences: [{ skuId: SKU, skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR', unitsNeeded: 3, unitsAvailable: 15 }],
      orphans: 0,
      blockedRemovals: 0,
      errors: 0,
    });
    expect(plan.subjects[2]).toMatchObject({ storedStatus: 'error', storedError: 'old problem', status: 'invited' });
    expect(plan.generatedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(plan.version).toBe(2);
  });

  it('warnings (a deleted characteristic) do not stop the contact\'s other changes', () => {
    const t = c1();
    const obs = {
      ...tenantOf([t]),
      groupMemberIds: [],
      vendorCharacteristics: [{ o25fs_vendorcharacteristicid: 'vc-1', _o25fs_vendorcontactid_value: 'c-1', _o25fs_characteristicid_value: 'ch-deleted', _o25fs_ratingvalueid_value: null, statecode: 0 }],
    };
    const plan = buildPlan(obs, settings, TENANT);
    expect(plan.changes.map((c) => c.id)).toEqual(['c-1/group.add']);
    expect(plan.subjects[0]!.warnings?.map((w) => w.code)).toEqual(['CHARACTERISTIC_MISSING']);
    expect(plan.subjects[0]!.error).toBeUndefined();
  });
});
