/**
 * The invitation is the one call that cannot be repeated safely, so apply looks every email up
 * again right before inviting (the Entra B2B docs recommend the same query first: mail or
 * otherMails). A user found is adopted instead of invited, which also covers a process killed
 * after its invitation was sent but before the anchor was written. The look-ups go out together
 * in Graph $batch envelopes.
 */
import type { GraphApi } from '../clients/types.js';
import { ContactError, TransientError } from '../model/errors.js';

/** An OData string literal's content: a quote is doubled (OData v4 ABNF). */
const literal = (value: string): string => value.replace(/'/g, "''");

/**
 * The whole $filter expression is percent-encoded: a bare "+" in a query string reads as a space
 * (ravi+fs@… would be looked up as "ravi fs@…", found nowhere, and invited a second time), "&", "#"
 * or "%" would cut or corrupt the filter, and an inner $batch URL reaches Graph exactly as written.
 */
const lookupUrl = (email: string): string =>
  `/users?$filter=${encodeURIComponent(`mail eq '${literal(email)}' or otherMails/any(m:m eq '${literal(email)}')`)}&$select=id,mail,userPrincipalName`;

/**
 * For each email: the id of the one user that has it, a ContactError when several do, a
 * TransientError when the look-up itself failed (do not invite blind), or undefined when none does.
 */
export async function findUsersByEmail(graph: GraphApi, emails: string[]): Promise<(string | ContactError | TransientError | undefined)[]> {
  if (emails.length === 0) return [];
  const responses = await graph.sendMany(
    emails.map((email) => ({ method: 'GET' as const, url: lookupUrl(email) })),
  );
  return responses.map((response, i) => {
    if (response.status !== 200) {
      return new TransientError(
        'LOOKUP_FAILED',
        `Could not check whether ${emails[i]} already has an Entra user (HTTP ${response.status}), so no invitation was sent.`,
        'Nothing to do: the next run checks again.',
      );
    }
    const users = ((response.body as { value?: { id: string }[] } | undefined)?.value ?? []).map((u) => u.id.toLowerCase());
    if (users.length === 0) return undefined;
    if (users.length === 1) return users[0];
    return new ContactError(
      'AMBIGUOUS_USER',
      `${users.length} Entra users have the email ${emails[i]} (${users.join(', ')}), so the contact cannot be bound to one.`,
      'Remove the duplicate users in Entra, or set o25fs_entraobjectid on the contact to the right one.',
    );
  });
}
