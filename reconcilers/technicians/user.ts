/**
 * The Entra guest user: invitation, the anchor written back on the contact, the profile properties
 * the product manages (displayName, givenName, surname, usageLocation, and accountEnabled when
 * BLOCK_SIGN_IN_ON_DEPROVISION is on), and the product's ownership mark (reconcilers/technicians/ownership.ts).
 *
 * The invitation sets only the display name, so the update that follows an invitation carries
 * everything else, usageLocation first of all (a licence needs it) and the mark. The mark rides on
 * that update so it costs no extra write; only while grants of earlier settings are still being
 * removed does it go out on its own (user.mark), after those removals, so the record of what the
 * product granted is never lost before the grant is gone.
 */
import { markAttributeOf } from '../../src/config.js';
import { targetId } from '../../src/engine/kind.js';
import type { ReconcilerError } from '../../src/model/errors.js';
import type { Change, Values } from '../../src/model/plan.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { anchorChange, change, changeId, listFields, needsInvite, sameId, userTarget, type RequestSettings, type TechnicianChangeSpec, type TechnicianKind } from './common.js';
import { editUser, invitedGuest, patched, patchEffect, stableId } from './effects.js';
import { findUsersByEmail } from './pre-invite-lookup.js';
import { dataversePatch } from './requests.js';
import { disableChange, serviceAccountDiff } from './service-account.js';
import { createServiceAccount } from './service-account-create.js';

type ManagedUserProperty = 'displayName' | 'givenName' | 'surname' | 'usageLocation' | 'accountEnabled';

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore') return [];
  // The contact's other identity: a former service account is disabled (a former guest only loses
  // its licence and group, presence.ts).
  const former = observed.formerIdentity;
  const formerOff =
    former && former.account === 'service' && former.user.accountEnabled !== false
      ? [disableChange(desired, former.user, 'former', `The contact's identity is now a guest, so the service account ${former.user.userPrincipalName} it had is disabled (it is kept, never deleted).`)]
      : [];
  if (desired.account === 'service') return [...serviceAccountDiff(desired, observed), ...formerOff];
  return [...guestDiff(desired, observed), ...formerOff];
}

function guestDiff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  const changes: Change[] = [];
  const contactAnchor = observed.contact.o25fs_entraobjectid ?? null;
  const user = observed.user;

  if (user === null) {
    if (!needsInvite(desired, observed)) return [];
    const inviteId = changeId(desired.contactId, 'user.invite');
    const lost = desired.anchorUserId
      ? `The guest this contact was bound to (${desired.anchorUserId}) no longer exists in Entra, and no other user has ${desired.email}`
      : `No Entra user has ${desired.email} yet`;
    changes.push(
      change(
        desired,
        'user.invite',
        { service: 'graph', entity: 'user', id: null, createdBy: inviteId },
        null,
        { mail: desired.email, displayName: desired.user.displayName },
        `${lost}; an invitation creates the technician's guest account.`,
      ),
      anchorChange(
        desired,
        contactAnchor,
        { createdBy: inviteId },
        'The contact records the new guest\'s object id, so it stays bound to it even if its email changes.',
      ),
    );
    // What the invitation does not set. A new guest is enabled and has no names or usage location.
    // Only the mark's own attribute: a new guest has none, and a guest adopted at apply (found by the
    // look-up before inviting) keeps whatever else it holds.
    const after: Values = { usageLocation: desired.user.usageLocation, [MARK_FIELD]: { [desired.owner.attribute]: desired.owner.mark } };
    if (desired.user.givenName !== null) after.givenName = desired.user.givenName;
    if (desired.user.surname !== null) after.surname = desired.user.surname;
    if (desired.user.accountEnabled === false) after.accountEnabled = false;
    changes.push(
      change(
        desired,
        'user.update',
        userTarget(desired, observed),
        null,
        after,
        `The invitation sets only the display name; ${listFields(Object.keys(after))} are set on the new guest (the usage location before any licence).`,
      ),
    );
    return changes;
  }

  if (!sameId(contactAnchor, user.id)) {
    changes.push(
      anchorChange(
        desired,
        contactAnchor,
        user.id,
        contactAnchor
          ? `The guest the contact was bound to (${contactAnchor}) no longer exists; the contact is bound to the existing user ${user.userPrincipalName} found by its email.`
          : `The existing user ${user.userPrincipalName} has the contact's email; the contact records its object id so it stays bound to it.`,
      ),
    );
  }

  const wanted: Partial<Record<ManagedUserProperty, string | boolean | null>> =
    desired.intent === 'provision'
      ? {
          displayName: desired.user.displayName,
          givenName: desired.user.givenName,
          surname: desired.user.surname,
          usageLocation: desired.user.usageLocation,
        }
      : {};
  if (desired.user.accountEnabled !== undefined) wanted.accountEnabled = desired.user.accountEnabled;
  const before: Values = {};
  const after: Values = {};
  for (const [key, value] of Object.entries(wanted) as [ManagedUserProperty, string | boolean | null][]) {
    const current = key === 'accountEnabled' ? (user.accountEnabled ?? true) : (user[key] ?? null);
    if (current !== value) {
      before[key] = user[key] ?? null;
      after[key] = value;
    }
  }
  const keys = Object.keys(after);
  // The mark goes with the profile update, unless old grants are still to be removed (user.mark).
  const markDiffers = !hasDesiredMark(desired, observed);
  const markApart = markDiffers && (observed.formerGrants.groupIds.length > 0 || observed.formerGrants.skuIds.length > 0);
  if (markApart) {
    changes.push(
      change(
        desired,
        'user.mark',
        userTarget(desired, observed),
        { [MARK_FIELD]: extensionAttributesOf(observed.user) },
        markValues(desired, observed.user),
        "TECHNICIAN_GROUP_ID or LICENSE_SKU_ID changed; once the old group or licence is removed, the user's ownership mark records today's.",
      ),
    );
  }
  if (keys.length > 0 || (markDiffers && !markApart)) {
    const why =
      keys.length === 0
        ? observed.mark.kind === 'ours'
          ? "The user's ownership mark does not record today's contact, group and licence; it is brought up to date."
          : "The guest carries the contact's email but not yet vendor-reconciler's ownership mark; the mark records that the product manages it for this contact."
        : keys.length === 1 && keys[0] === 'accountEnabled'
          ? desired.user.accountEnabled
            ? 'The contact is active again, so the guest may sign in again.'
            : 'The contact is no longer an active technician, so the guest is blocked from signing in (BLOCK_SIGN_IN_ON_DEPROVISION).'
          : `The guest's ${listFields(keys)} ${keys.length === 1 ? 'differs' : 'differ'} from the contact; ${keys.length === 1 ? 'it is' : 'they are'} set from the contact.`;
    if (markDiffers && !markApart) {
      before[MARK_FIELD] = extensionAttributesOf(observed.user);
      Object.assign(after, markValues(desired, observed.user));
    }
    changes.push(change(desired, 'user.update', userTarget(desired, observed), before, after, why));
  }
  return changes;
}

const MARK_FIELD = 'onPremisesExtensionAttributes';

/** The user's extension attributes as read (all fifteen, null when unset or for a new user). */
function extensionAttributesOf(user: GraphUser | null): Record<string, string | null> {
  const attrs: Record<string, string | null> = {};
  for (let i = 1; i <= 15; i++) attrs[`extensionAttribute${i}`] = user?.onPremisesExtensionAttributes?.[`extensionAttribute${i}`] ?? null;
  return attrs;
}

/**
 * The extension attributes with the mark set. All fifteen go back as read: the docs do not say
 * whether Graph merges or replaces this complex property, and sending them all is right either way.
 */
function markValues(desired: DesiredTechnician, user: GraphUser | null): Values {
  return { [MARK_FIELD]: { ...extensionAttributesOf(user), [desired.owner.attribute]: desired.owner.mark } };
}

function hasDesiredMark(desired: DesiredTechnician, observed: ObservedTechnician): boolean {
  return (observed.user?.onPremisesExtensionAttributes?.[desired.owner.attribute] ?? null) === desired.owner.mark;
}

/** PATCH /users/{id} with the change's values: the profile update and the mark on its own. */
const userPatch: Pick<TechnicianChangeSpec, 'toRequest' | 'effect'> = {
  toRequest: (c, createdId) => ({ method: 'PATCH', url: `/users/${targetId(c, createdId)}`, body: c.after ?? {} }),
  effect: (model, c, refs) => ({ model: editUser(model, c, refs, (u) => patched(u, c.after, refs)) }),
};

const invite: TechnicianChangeSpec = {
  kind: 'user.invite',
  label: 'Invite guest user',
  runsAfter: [],
  removal: false,
  toRequest: (c, _createdId, settings) => ({
    method: 'POST',
    url: '/invitations',
    body: {
      invitedUserEmailAddress: c.after?.mail,
      invitedUserDisplayName: c.after?.displayName,
      inviteRedirectUrl: invitation(settings).inviteRedirectUrl,
      sendInvitationMessage: invitation(settings).sendInvitationEmail,
      invitedUserType: 'Guest',
    },
  }),
  // An invitation cannot be repeated safely: every email is looked up again right before inviting
  // (pre-invite-lookup.ts); a user found is adopted, one that is not ours fails the change.
  findExisting: async (changes, { graph }, settings) => {
    const found = await findUsersByEmail(
      graph,
      changes.map((c) => ({ email: String(c.after?.mail ?? ''), contactId: c.subject.id })),
      markAttributeOf(settings),
    );
    const out = new Map<string, string | ReconcilerError>();
    changes.forEach((c, i) => {
      const hit = found[i];
      if (hit !== undefined) out.set(c.id, hit);
    });
    return out;
  },
  createdIdOf: (_c, response) => {
    const id = (response.body as { invitedUser?: { id?: unknown } } | undefined)?.invitedUser?.id;
    return typeof id === 'string' ? id.toLowerCase() : undefined;
  },
  effect: (model, c) => {
    const email = String(c.after?.mail);
    const id = stableId('user', email);
    return { model: { ...model, users: [...model.users, invitedGuest(id, email, String(c.after?.displayName))] }, createdId: id };
  },
};

/** The family's invitation settings; a change of this family is only planned when the family is on. */
function invitation(settings: RequestSettings): { inviteRedirectUrl: string; sendInvitationEmail: boolean } {
  const own = settings.families.technicians;
  if (!own) throw new Error('The technicians family is off, so none of its changes can be applied.');
  return own;
}

export const userKind: TechnicianKind = {
  name: 'user',
  changes: [
    invite,
    createServiceAccount,
    { kind: 'contact.anchor', label: 'Record Entra id on contact', runsAfter: ['user.invite', 'user.create'], removal: false, toRequest: dataversePatch, effect: patchEffect('contacts', 'contactid', 'contact') },
    { kind: 'user.update', label: 'Update user details', runsAfter: ['user.invite'], removal: false, ...userPatch },
    // The mark keeps the record of an earlier grant until that grant is gone (presence.ts, grants of earlier settings).
    { kind: 'user.mark', label: 'Update ownership mark', runsAfter: ['user.invite', 'group.remove', 'licence.remove'], removal: false, ...userPatch },
    // A service account is blocked, never deleted; re-enabling it is a user.update.
    { kind: 'user.disable', label: 'Disable service account', runsAfter: [], removal: true, access: { accountEnabled: true }, ...userPatch },
  ],
  diff,
};
