/**
 * The look-up right before an invitation applies the ownership rules (issue 9 item 1): a user found
 * with the email is adopted only when it is a guest that is not marked for another contact.
 */
import { describe, expect, it } from 'vitest';
import type { GraphApi, ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { findUsersByEmail } from '../../../reconcilers/technicians/pre-invite-lookup.js';
import { ContactError, TransientError } from '../../../src/model/errors.js';

const ATTR = 'extensionAttribute15';
const markFor = (contactId: string) => ({ [ATTR]: `vendor-reconciler:v1;contact=${contactId};group=g;sku=s` });

function graphAnswering(body: (url: string) => ServiceResponse): GraphApi & { sent: ServiceRequest[] } {
  const sent: ServiceRequest[] = [];
  return {
    sent,
    list: () => Promise.reject(new Error('not used')),
    send: () => Promise.reject(new Error('not used')),
    sendMany: (requests) => {
      sent.push(...requests);
      return Promise.resolve(requests.map((r) => body(r.url)));
    },
  };
}

const found = (...value: Record<string, unknown>[]): ServiceResponse => ({ status: 200, headers: {}, body: { value } });

describe('findUsersByEmail', () => {
  const cases: { reason: string; answer: ServiceResponse; want: string | undefined }[] = [
    { reason: 'nobody has the email: invite', answer: found(), want: undefined },
    { reason: 'an unmarked guest has it (an earlier run invited it and stopped): adopt', answer: found({ id: 'U-1', userType: 'Guest' }), want: 'u-1' },
    { reason: 'a guest marked for this contact: adopt', answer: found({ id: 'u-1', userType: 'Guest', onPremisesExtensionAttributes: markFor('c-1') }), want: 'u-1' },
    { reason: 'a Member (staff) account: never adopted', answer: found({ id: 'u-9', userType: 'Member', userPrincipalName: 'ceo@contoso.com' }), want: 'EMAIL_BELONGS_TO_MEMBER' },
    { reason: 'a guest marked for another contact: never adopted', answer: found({ id: 'u-2', userType: 'Guest', onPremisesExtensionAttributes: markFor('c-2') }), want: 'USER_TAKEN' },
    { reason: "a guest holding the tenant's own value in the mark attribute: not overwritten", answer: found({ id: 'u-3', userType: 'Guest', onPremisesExtensionAttributes: { [ATTR]: 'cost centre 7' } }), want: 'MARK_ATTRIBUTE_IN_USE' },
    { reason: 'two users have the email: ambiguous', answer: found({ id: 'u-1', userType: 'Guest' }, { id: 'u-2', userType: 'Guest' }), want: 'AMBIGUOUS_USER' },
    { reason: 'the look-up failed: do not invite blind', answer: { status: 503, headers: {}, body: {} }, want: 'LOOKUP_FAILED' },
  ];
  for (const tc of cases) {
    it(tc.reason, async () => {
      const [hit] = await findUsersByEmail(graphAnswering(() => tc.answer), [{ email: 'ana@vendor.example', contactId: 'c-1' }], ATTR);
      const got = hit instanceof ContactError || hit instanceof TransientError ? hit.code : hit;
      expect(got).toBe(tc.want);
    });
  }

  it('selects the type and the mark, and percent-encodes the whole filter', async () => {
    const graph = graphAnswering(() => found());
    await findUsersByEmail(graph, [{ email: "o'brien+fs@vendor.example", contactId: 'c-1' }], ATTR);
    expect(graph.sent[0]!.url).toBe(
      `/users?$filter=${encodeURIComponent("mail eq 'o''brien+fs@vendor.example' or otherMails/any(m:m eq 'o''brien+fs@vendor.example')")}&$select=id,mail,userPrincipalName,userType,onPremisesExtensionAttributes`,
    );
  });

  it('an email with a lone surrogate is EMAIL_INVALID on its contact and sends nothing for it; the others are looked up', async () => {
    const graph = graphAnswering(() => found({ id: 'u-5', userType: 'Guest' }));
    const out = await findUsersByEmail(graph, [{ email: 'bad\uD800@vendor.example', contactId: 'c-1' }, { email: 'ok@vendor.example', contactId: 'c-2' }], ATTR);
    expect(out[0]).toBeInstanceOf(ContactError);
    expect((out[0] as ContactError).code).toBe('EMAIL_INVALID');
    expect(out[1]).toBe('u-5');
    expect(graph.sent).toHaveLength(1);
  });
});
