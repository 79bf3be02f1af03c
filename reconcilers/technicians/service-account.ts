/**
 * The member service account (issue 12): the second identity of the technicians family, for apps
 * that refuse B2B guests. Its change kinds live in the user kind (user.ts), beside the guest's:
 *
 * - user.create: POST /users. The body carries the account's names, usage location, the person's
 *   email in otherMails, the vendor segment and the ownership mark (so the account is the
 *   product's from its first moment), and a password generated at apply time (password.ts) that no
 *   Change holds. The pre-create look-up (service-account-create.ts) adopts an account the product
 *   created for this contact in an earlier, interrupted run, and refuses one it did not.
 * - contact.anchor: the new account's object id on the contact, as for a guest.
 * - user.update: names, usage location, segment, otherMails, the mark, and accountEnabled true
 *   when the contact is active again.
 * - user.disable: accountEnabled false when the contact is no longer an active technician (a
 *   guarded removal: a service account has a password, so it is blocked, never deleted).
 */
import type { Change, Values } from '../../src/model/plan.js';
import type { GraphUser } from '../../src/model/rows.js';
import type { DesiredTechnician, ObservedTechnician } from './state.js';
import { anchorChange, change, changeId, listFields, sameId, userTarget } from './common.js';

export const MARK_FIELD = 'onPremisesExtensionAttributes';

const isExtensionAttribute = (attribute: string): boolean => /^extensionAttribute\d+$/.test(attribute);

/** The properties the product keeps on a service account, as `PATCH /users` takes them. */
function wantedProfile(desired: DesiredTechnician): Values {
  const sa = desired.serviceAccount!;
  const values: Values = {
    displayName: desired.user.displayName,
    givenName: desired.user.givenName,
    surname: desired.user.surname,
    usageLocation: desired.user.usageLocation,
    otherMails: desired.email ? [desired.email] : [],
  };
  if (!isExtensionAttribute(sa.segment.attribute)) values[sa.segment.attribute] = sa.segment.value;
  return values;
}

/** The extension attributes the account must hold: the mark, and the segment when it lives there. */
function wantedExtensionAttributes(desired: DesiredTechnician): Record<string, string> {
  const attrs: Record<string, string> = { [desired.owner.attribute]: desired.owner.mark };
  const segment = desired.serviceAccount?.segment;
  if (segment && isExtensionAttribute(segment.attribute)) attrs[segment.attribute] = segment.value;
  return attrs;
}

function sameValue(observed: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    const have = Array.isArray(observed) ? observed.map((v) => String(v).toLowerCase()) : [];
    return have.length === wanted.length && wanted.every((v, i) => String(v).toLowerCase() === have[i]);
  }
  return (observed ?? null) === (wanted ?? null);
}

export function serviceAccountDiff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent === 'ignore' || desired.account !== 'service') return [];
  const contactAnchor = observed.contact.o25fs_entraobjectid ?? null;
  const user = observed.user;
  if (user === null) {
    if (desired.intent !== 'provision' || desired.serviceAccount === null) return [];
    const sa = desired.serviceAccount;
    const createId = changeId(desired.contactId, 'user.create');
    const after: Values = {
      accountEnabled: true,
      userPrincipalName: sa.userPrincipalName,
      mailNickname: sa.mailNickname,
      ...Object.fromEntries(Object.entries(wantedProfile(desired)).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))),
      [MARK_FIELD]: wantedExtensionAttributes(desired),
    };
    return [
      change(
        desired,
        'user.create',
        { service: 'graph', entity: 'user', id: null, createdBy: createId },
        null,
        after,
        `The contact asks for a service account and none exists yet; ${sa.userPrincipalName} is created in the company's domain, with the vendor segment ${sa.segment.attribute} = "${sa.segment.value}" and a password nobody is told (an administrator issues a Temporary Access Pass for the first sign-in).`,
      ),
      anchorChange(
        desired,
        contactAnchor,
        { createdBy: createId },
        "The contact records the new service account's object id, so it stays bound to it.",
      ),
    ];
  }

  const changes: Change[] = [];
  if (!sameId(contactAnchor, user.id)) {
    changes.push(
      anchorChange(
        desired,
        contactAnchor,
        user.id,
        contactAnchor
          ? `The contact is bound to ${contactAnchor}, but its identity is now the service account ${user.userPrincipalName}; the contact records the service account's object id.`
          : `The service account ${user.userPrincipalName} the product created for this contact is recorded on the contact.`,
      ),
    );
  }
  if (desired.intent === 'deprovision') {
    if (user.accountEnabled !== false) changes.push(disableChange(desired, user, undefined, 'The contact is no longer an active technician, so its service account is disabled (it is kept, never deleted).'));
    return changes;
  }
  if (desired.serviceAccount === null) return changes;
  const before: Values = {};
  const after: Values = {};
  for (const [key, value] of Object.entries(wantedProfile(desired))) {
    const current = (user as unknown as Record<string, unknown>)[key] ?? null;
    if (!sameValue(current, value)) {
      before[key] = current as Values[string];
      after[key] = value;
    }
  }
  if (user.accountEnabled === false) {
    before.accountEnabled = false;
    after.accountEnabled = true;
  }
  const attrs = wantedExtensionAttributes(desired);
  const held = user.onPremisesExtensionAttributes ?? {};
  // While grants of earlier settings are still being removed, the mark keeps recording them; it is
  // brought up to date on the run after (the guest's user.mark waits for the removals instead).
  const removingFormer = observed.formerGrants.groupIds.length > 0 || observed.formerGrants.skuIds.length > 0;
  if (!removingFormer && Object.entries(attrs).some(([k, v]) => (held[k] ?? null) !== v)) {
    const all: Record<string, string | null> = {};
    for (let i = 1; i <= 15; i++) all[`extensionAttribute${i}`] = held[`extensionAttribute${i}`] ?? null;
    before[MARK_FIELD] = all;
    after[MARK_FIELD] = { ...all, ...attrs };
  }
  const keys = Object.keys(after);
  if (keys.length === 0) return changes;
  const why =
    keys.length === 1 && keys[0] === 'accountEnabled'
      ? 'The contact is active again, so its service account is enabled again.'
      : `The service account's ${listFields(keys.map((k) => (k === MARK_FIELD ? 'ownership mark' : k)))} ${keys.length === 1 ? 'differs' : 'differ'} from the contact; ${keys.length === 1 ? 'it is' : 'they are'} set from the contact.`;
  changes.push(change(desired, 'user.update', userTarget(desired, observed), before, after, why));
  return changes;
}

/** accountEnabled false on a service account: the contact's own, or its former one (`key` 'former'). */
export function disableChange(desired: DesiredTechnician, user: GraphUser, key: string | undefined, reason: string): Change {
  return change(desired, 'user.disable', { service: 'graph', entity: 'user', id: user.id }, { accountEnabled: true }, { accountEnabled: false }, reason, key);
}
