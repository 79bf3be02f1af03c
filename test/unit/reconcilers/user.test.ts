/** reconcilers/technicians/user.ts: invitation, anchor, profile update, sign-in block (issue 3). */
import { describe, expect, it } from 'vitest';
import { testSettings, convergedTech, desiredFor, observedFor, technicianSubject } from '../../support/model.js';
import { diff } from '../../../reconcilers/technicians/user.js';

const t = convergedTech(1);
const cases = [
  {
    reason: 'converged: nothing',
    desired: desiredFor(t.contact),
    observed: observedFor(t),
    want: [],
  },
  {
    reason: 'names and usage location drifted: one update with only the differing properties',
    desired: desiredFor(t.contact),
    observed: observedFor(t, { user: { ...t.user, displayName: 'Old', usageLocation: null } }),
    want: [{ id: 'c-1/user.update', subject: technicianSubject('c-1'), kind: 'user.update', target: { service: 'graph', entity: 'user', id: 'u-1' }, before: { displayName: 'Old', usageLocation: null }, after: { displayName: 'Ana Silva', usageLocation: 'DE' }, reason: "The guest's display name and usage location differ from the contact; they are set from the contact.", dependsOn: [] }],
  },
  {
    reason: 'matched by email, not anchored yet: the anchor is written',
    desired: desiredFor({ ...t.contact, o25fs_entraobjectid: null }),
    observed: observedFor(t, { contact: { ...t.contact, o25fs_entraobjectid: null } }),
    want: [{ id: 'c-1/contact.anchor', subject: technicianSubject('c-1'), kind: 'contact.anchor', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { o25fs_entraobjectid: null }, after: { o25fs_entraobjectid: 'u-1' }, reason: `The existing user ${t.user.userPrincipalName} has the contact's email; the contact records its object id so it stays bound to it.`, dependsOn: [] }],
  },
  {
    reason: 'deprovision without the sign-in option: the user is not touched',
    desired: desiredFor({ ...t.contact, statecode: 1 }),
    observed: observedFor(t, { user: { ...t.user, displayName: 'Old' } }),
    want: [],
  },
  {
    reason: 'deprovision with BLOCK_SIGN_IN_ON_DEPROVISION: only accountEnabled=false',
    desired: desiredFor({ ...t.contact, statecode: 1 }, testSettings({ blockSignInOnDeprovision: true })),
    observed: observedFor(t),
    want: [{ id: 'c-1/user.update', subject: technicianSubject('c-1'), kind: 'user.update', target: { service: 'graph', entity: 'user', id: 'u-1' }, before: { accountEnabled: true }, after: { accountEnabled: false }, reason: 'The contact is no longer an active technician, so the guest is blocked from signing in (BLOCK_SIGN_IN_ON_DEPROVISION).', dependsOn: [] }],
  },
  {
    reason: 'ignored contact: nothing, even when drifted',
    desired: desiredFor({ ...t.contact, o25fs_setuptechnician: false }),
    observed: observedFor(t, { user: { ...t.user, displayName: 'Old' } }),
    want: [],
  },
];

describe('user reconciler', () => {
  for (const tc of cases) it(tc.reason, () => expect(diff(tc.desired, tc.observed)).toEqual(tc.want));

  it('no user: invite, anchor to the invited user, then set what the invitation does not (usage location always)', () => {
    const d = desiredFor({ ...t.contact, firstname: null, o25fs_entraobjectid: null });
    const changes = diff(d, observedFor(t, { user: null, contact: { ...t.contact, o25fs_entraobjectid: null } }));
    expect(changes.map((c) => [c.kind, c.target, c.before, c.after])).toEqual([
      ['user.invite', { service: 'graph', entity: 'user', id: null, createdBy: 'c-1/user.invite' }, null, { mail: 'ana1@vendor.example', displayName: 'Ana Silva' }],
      ['contact.anchor', { service: 'dataverse', entity: 'contact', id: 'c-1' }, { o25fs_entraobjectid: null }, { o25fs_entraobjectid: { createdBy: 'c-1/user.invite' } }],
      ['user.update', { service: 'graph', entity: 'user', id: null, createdBy: 'c-1/user.invite' }, null, { usageLocation: 'DE', onPremisesExtensionAttributes: { extensionAttribute15: d.owner.mark }, surname: 'Silva' }],
    ]);
    expect(changes[0]!.reason).toBe('No Entra user has ana1@vendor.example yet; an invitation creates the technician\'s guest account.');
  });

  it('no user for a deactivated contact: nothing is invited', () => {
    expect(diff(desiredFor({ ...t.contact, statecode: 1 }), observedFor(t, { user: null }))).toEqual([]);
  });
});
