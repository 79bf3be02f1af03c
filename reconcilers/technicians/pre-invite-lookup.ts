/**
 * The invitation is the one call that cannot be repeated safely, so apply looks every email up
 * again right before inviting (the Entra B2B docs recommend the same query first: mail or
 * otherMails). A user found is adopted instead of invited, which also covers a process killed
 * after its invitation was sent but before the anchor was written. The look-ups go out together
 * in Graph $batch envelopes.
 *
 * The plan sees only guests, so this is where a staff account with the contact's email shows up:
 * the ownership rules of ownership.ts apply here too. A Member account, or a guest marked for
 * another contact, is never adopted: the contact gets an error and nothing is sent for it.
 */
import type { GraphApi, ServiceResponse } from '../../src/clients/types.js';
import { ContactError, TransientError } from '../../src/model/errors.js';
import { emailBelongsToMember } from './match-users.js';
import { parseMark } from './ownership.js';

/** An OData string literal's content: a quote is doubled (OData v4 ABNF). */
const literal = (value: string): string => value.replace(/'/g, "''");

/**
 * The whole $filter expression is percent-encoded: a bare "+" in a query string reads as a space
 * (ravi+fs@… would be looked up as "ravi fs@…", found nowhere, and invited a second time), "&", "#"
 * or "%" would cut or corrupt the filter, and an inner $batch URL reaches Graph exactly as written.
 */
const lookupUrl = (email: string): string =>
  `/users?$filter=${encodeURIComponent(`mail eq '${literal(email)}' or otherMails/any(m:m eq '${literal(email)}')`)}&$select=id,mail,userPrincipalName,userType,onPremisesExtensionAttributes`;

interface FoundUser {
  id: string;
  userPrincipalName?: string;
  userType?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
}

export interface InviteLookup {
  email: string;
  contactId: string;
}

/**
 * For each invitation: the id of the one user that has its email and may be adopted, a ContactError
 * when several do or the one found is not ownable, a TransientError when the look-up itself failed
 * (do not invite blind), or undefined when none does.
 */
export async function findUsersByEmail(
  graph: GraphApi,
  invites: readonly InviteLookup[],
  markAttribute: string,
): Promise<(string | ContactError | TransientError | undefined)[]> {
  if (invites.length === 0) return [];
  const out: (string | ContactError | TransientError | undefined)[] = new Array<undefined>(invites.length);
  const requests: { method: 'GET'; url: string }[] = [];
  const sent: number[] = [];
  invites.forEach((invite, i) => {
    try {
      requests.push({ method: 'GET', url: lookupUrl(invite.email) });
      sent.push(i);
    } catch {
      // A lone surrogate cannot be percent-encoded: this contact's email, not the run, is at fault.
      out[i] = new ContactError('EMAIL_INVALID', `The email address of contact ${invite.contactId} cannot be looked up: it holds characters that are not valid text.`, 'Retype the email address (emailaddress1) on the contact; the next run picks it up.');
    }
  });
  const responses = requests.length > 0 ? await graph.sendMany(requests) : [];
  responses.forEach((response, k) => {
    const i = sent[k]!;
    out[i] = judge(invites[i]!, response, markAttribute);
  });
  return out;
}

function judge(invite: InviteLookup, response: ServiceResponse, markAttribute: string): string | ContactError | TransientError | undefined {
  if (response.status !== 200) {
    return new TransientError(
      'LOOKUP_FAILED',
      `Could not check whether ${invite.email} already has an Entra user (HTTP ${response.status}), so no invitation was sent.`,
      'Nothing to do: the next run checks again.',
    );
  }
  const users = (response.body as { value?: FoundUser[] } | undefined)?.value ?? [];
  if (users.length === 0) return undefined;
  if (users.length > 1) {
    return new ContactError(
      'AMBIGUOUS_USER',
      `${users.length} Entra users have the email ${invite.email} (${users.map((u) => u.id.toLowerCase()).join(', ')}), so the contact cannot be bound to one.`,
      'Remove the duplicate users in Entra, or set o25fs_entraobjectid on the contact to the right one.',
    );
  }
  const user = users[0]!;
  const id = user.id.toLowerCase();
  if ((user.userType ?? '').toLowerCase() !== 'guest') {
    return emailBelongsToMember(invite.contactId, invite.email, { id, userPrincipalName: user.userPrincipalName ?? id });
  }
  const owner = parseMark(user.onPremisesExtensionAttributes?.[markAttribute]);
  if (owner.kind === 'ours' && owner.mark.contactId !== invite.contactId.toLowerCase()) {
    return new ContactError(
      'USER_TAKEN',
      `The guest ${user.userPrincipalName ?? id} that has the email ${invite.email} of contact ${invite.contactId} belongs to contact ${owner.mark.contactId} (the product's mark on it names that contact), so it is not adopted and no invitation is sent.`,
      `Give each technician contact its own email address; if contact ${owner.mark.contactId} is not this technician, clear its email or deactivate it first.`,
    );
  }
  if (owner.kind === 'foreign') {
    return new ContactError(
      'MARK_ATTRIBUTE_IN_USE',
      `The guest ${user.userPrincipalName ?? id} that has the email ${invite.email} of contact ${invite.contactId} already holds a value in ${markAttribute}, which vendor-reconciler uses for its ownership mark; it is not adopted.`,
      'Set OWNERSHIP_MARK_ATTRIBUTE to an extension attribute (extensionAttribute1 to 15) the tenant does not use, or clear this one on the user.',
    );
  }
  return id;
}
