/**
 * The Entra guest user: invitation, the anchor written back on the contact, and the profile
 * properties the product manages (displayName, givenName, surname, usageLocation, and
 * accountEnabled when BLOCK_SIGN_IN_ON_DEPROVISION is on).
 *
 * The invitation sets only the display name, so the update that follows an invitation carries
 * everything else, usageLocation first of all (a licence needs it: anchors-and-lessons.md §C.4).
 */
import type { Change, Values } from '../src/model/plan.js';
import type { DesiredTechnician, ObservedTechnician } from '../src/model/state.js';
import { change, changeId, listFields, needsInvite, sameId, userTarget, type Reconciler } from './common.js';

type ManagedUserProperty = 'displayName' | 'givenName' | 'surname' | 'usageLocation' | 'accountEnabled';

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore') return [];
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
      change(
        desired,
        'contact.anchor',
        { service: 'dataverse', entity: 'contact', id: desired.contactId },
        { o25fs_entraobjectid: contactAnchor },
        { o25fs_entraobjectid: { createdBy: inviteId } },
        'The contact records the new guest\'s object id, so it stays bound to it even if its email changes.',
      ),
    );
    // What the invitation does not set. A new guest is enabled and has no names or usage location.
    const after: Values = { usageLocation: desired.user.usageLocation };
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
      change(
        desired,
        'contact.anchor',
        { service: 'dataverse', entity: 'contact', id: desired.contactId },
        { o25fs_entraobjectid: contactAnchor },
        { o25fs_entraobjectid: user.id },
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
  if (keys.length > 0) {
    const why =
      keys.length === 1 && keys[0] === 'accountEnabled'
        ? desired.user.accountEnabled
          ? 'The contact is active again, so the guest may sign in again.'
          : 'The contact is no longer an active technician, so the guest is blocked from signing in (BLOCK_SIGN_IN_ON_DEPROVISION).'
        : `The guest's ${listFields(keys)} ${keys.length === 1 ? 'differs' : 'differ'} from the contact; ${keys.length === 1 ? 'it is' : 'they are'} set from the contact.`;
    changes.push(change(desired, 'user.update', userTarget(desired, observed), before, after, why));
  }
  return changes;
}

export const userReconciler: Reconciler = { name: 'user', diff };
