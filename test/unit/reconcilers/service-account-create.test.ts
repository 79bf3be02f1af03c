/**
 * user.create (reconcilers/technicians/service-account-create.ts, issue 12): the POST /users body
 * with a password made at apply time and held nowhere else, and the look-up before creating that
 * adopts only the product's own account.
 */
import { describe, expect, it } from 'vitest';
import type { GraphApi, ServiceRequest, ServiceResponse } from '../../../src/clients/types.js';
import { ContactError, TransientError } from '../../../src/model/errors.js';
import type { Change } from '../../../src/model/plan.js';
import { createServiceAccount, findServiceAccounts } from '../../../reconcilers/technicians/service-account-create.js';
import { serviceAccountDiff } from '../../../reconcilers/technicians/service-account.js';
import { desiredFor, guestUser, markedAttributes, serviceAccountAttributes, testSettings } from '../../support/model.js';
import { SA_ID, SA_NICKNAME, SA_UPN, saContact, saObserved, saSettings, saTech } from './service-account-fixture.js';

const ATTR = 'extensionAttribute15';
const unanchored = saContact({ o25fs_entraobjectid: null });
const planned = serviceAccountDiff(desiredFor(unanchored, saSettings()), saObserved(saTech(), [], { user: null, contact: unanchored, mark: { kind: 'none' } }));
const create = planned.find((c) => c.kind === 'user.create')!;
const noCreated = (): undefined => undefined;

/** Entra's complexity: 8–256 characters, three of four classes, nothing else (user-create.ts in the simulator). */
const SYMBOLS = `@#$%^&*-_!+=[]{}|\\:',.?/\`~"();<> `;
function compliant(p: string): boolean {
  if (p.length < 8 || p.length > 256) return false;
  const classes = new Set<string>();
  for (const ch of p) {
    if (/[a-z]/.test(ch)) classes.add('l');
    else if (/[A-Z]/.test(ch)) classes.add('u');
    else if (/[0-9]/.test(ch)) classes.add('d');
    else if (SYMBOLS.includes(ch)) classes.add('s');
    else return false;
  }
  return classes.size >= 3;
}

const passwordOf = (request: ServiceRequest): string => ((request.body as { passwordProfile: { password: string } }).passwordProfile.password);

describe('user.create request', () => {
  it('POST /users with everything of change.after plus a passwordProfile that forces a change at first sign-in', () => {
    const request = createServiceAccount.toRequest(create, noCreated, testSettings());
    expect(request).toEqual({
      method: 'POST',
      url: '/users',
      body: {
        accountEnabled: true,
        userPrincipalName: SA_UPN,
        mailNickname: SA_NICKNAME,
        displayName: 'Zoë Müller',
        givenName: 'Zoë',
        surname: 'Müller',
        usageLocation: 'DE',
        otherMails: ['zoe@vendor.example'],
        companyName: 'Fabrikam Services',
        onPremisesExtensionAttributes: { [ATTR]: serviceAccountAttributes(SA_ID)[ATTR] },
        passwordProfile: { forceChangePasswordNextSignIn: true, password: passwordOf(request) },
      },
    });
    expect(passwordOf(request)).toHaveLength(32);
    expect(compliant(passwordOf(request))).toBe(true);
  });

  it('two requests for one change carry two different passwords', () => {
    const a = passwordOf(createServiceAccount.toRequest(create, noCreated, testSettings()));
    const b = passwordOf(createServiceAccount.toRequest(create, noCreated, testSettings()));
    expect(a).not.toBe(b);
  });

  it('the change is not mutated: before and after building the request its JSON is the same and holds no password', () => {
    const before = JSON.stringify(create);
    const password = passwordOf(createServiceAccount.toRequest(create, noCreated, testSettings()));
    const after = JSON.stringify(create);
    expect(after).toBe(before);
    expect(after).not.toContain(password);
    expect(after).not.toContain('passwordProfile');
    // The reason sentence says "a password nobody is told"; no password value nor passwordProfile is in the plan.
    expect(JSON.stringify(planned)).not.toContain('passwordProfile');
  });

  const ids: { reason: string; body: unknown; want: string | undefined }[] = [
    { reason: "the created user's id, lower-cased", body: { id: 'AB12-CD', userPrincipalName: SA_UPN }, want: 'ab12-cd' },
    { reason: 'no id in the answer: none', body: {}, want: undefined },
    { reason: 'a non-string id: none', body: { id: 12 }, want: undefined },
  ];
  for (const tc of ids) it(`createdIdOf: ${tc.reason}`, () => expect(createServiceAccount.createdIdOf!(create, { status: 201, headers: {}, body: tc.body })).toBe(tc.want));

  it('is an addition, never a removal, and runs after nothing', () => {
    expect([createServiceAccount.kind, createServiceAccount.removal, createServiceAccount.runsAfter]).toEqual(['user.create', false, []]);
  });
});

function graphAnswering(answer: (url: string) => ServiceResponse): GraphApi & { sent: ServiceRequest[][] } {
  const sent: ServiceRequest[][] = [];
  return {
    sent,
    list: () => Promise.reject(new Error('not used')),
    send: () => Promise.reject(new Error('not used')),
    sendMany: (requests) => {
      sent.push(requests);
      return Promise.resolve(requests.map((r) => answer(r.url)));
    },
  };
}

const found = (...value: Record<string, unknown>[]): ServiceResponse => ({ status: 200, headers: {}, body: { value } });
const member = (id: string, upn: string, attrs: Record<string, string | null> | null) => ({ id, userPrincipalName: upn, mailNickname: 'x', userType: 'Member', onPremisesExtensionAttributes: attrs });
const OTHER = '7d0a3b52-0000-4000-8000-00000000c0de';
const taken = (holderUpn: string, holderId: string): string =>
  `The service account of contact ${SA_ID} would be ${SA_UPN}, but the Entra user ${holderUpn} (${holderId}) already has that name or its mail nickname, and the product did not create it for this contact. It is not adopted and nothing is created for this contact.`;

describe('findServiceAccounts', () => {
  const cases: { reason: string; answer: ServiceResponse; want: unknown }[] = [
    { reason: 'none found: no entry (the account is created)', answer: found(), want: undefined },
    { reason: 'the product\'s own service account for this contact (a crash before the anchor): its id, lower-cased', answer: found(member('SA-1', SA_UPN, serviceAccountAttributes(SA_ID))), want: 'sa-1' },
    { reason: 'another contact\'s service account holds the name: SERVICE_ACCOUNT_UPN_TAKEN', answer: found(member('sa-9', SA_UPN, serviceAccountAttributes(OTHER))), want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(SA_UPN, 'sa-9')] },
    { reason: 'a staff Member without the mark: SERVICE_ACCOUNT_UPN_TAKEN, never adopted', answer: found(member('staff-1', SA_UPN, null)), want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(SA_UPN, 'staff-1')] },
    { reason: "a Member with the guest's mark for this contact is not a service account the product made", answer: found(member('m-1', SA_UPN, markedAttributes(SA_ID))), want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(SA_UPN, 'm-1')] },
    { reason: 'a guest carrying a copied service-account mark is not adopted', answer: found({ ...guestUser('g-1', 'x@vendor.example'), onPremisesExtensionAttributes: serviceAccountAttributes(SA_ID) }), want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken('x_vendor.example#EXT#@contoso.onmicrosoft.com', 'g-1')] },
    { reason: 'ours by one key and a stranger by the other: the stranger blocks', answer: found(member('sa-1', 'other@contoso.com', serviceAccountAttributes(SA_ID)), member('staff-2', SA_UPN, null)), want: ['SERVICE_ACCOUNT_UPN_TAKEN', taken(SA_UPN, 'staff-2')] },
    { reason: 'a 500: TransientError LOOKUP_FAILED, nothing is created blind', answer: { status: 500, headers: {}, body: {} }, want: ['LOOKUP_FAILED', `Could not check whether the service account ${SA_UPN} already exists (HTTP 500), so it was not created.`] },
    { reason: 'a 403 is a failed look-up as well', answer: { status: 403, headers: {}, body: {} }, want: ['LOOKUP_FAILED', `Could not check whether the service account ${SA_UPN} already exists (HTTP 403), so it was not created.`] },
  ];
  for (const tc of cases) {
    it(tc.reason, async () => {
      const out = await findServiceAccounts(graphAnswering(() => tc.answer), [create], ATTR);
      const hit = out.get(create.id);
      const got = hit instanceof ContactError || hit instanceof TransientError ? [hit.code, hit.message] : hit;
      expect(got).toEqual(tc.want);
      if (tc.want === undefined) expect(out.size).toBe(0);
    });
  }

  it('a 500 is a TransientError (retried on the next run), a taken name a ContactError', async () => {
    const failed = await findServiceAccounts(graphAnswering(() => ({ status: 500, headers: {}, body: {} })), [create], ATTR);
    const blocked = await findServiceAccounts(graphAnswering(() => found(member('staff-1', SA_UPN, null))), [create], ATTR);
    expect([failed.get(create.id) instanceof TransientError, blocked.get(create.id) instanceof ContactError]).toEqual([true, true]);
  });

  it('looks up by both deterministic keys, percent-encoded, with the properties the judgement needs', async () => {
    const graph = graphAnswering(() => found());
    await findServiceAccounts(graph, [create], ATTR);
    expect(graph.sent).toEqual([[{
      method: 'GET',
      url: `/users?$filter=mailNickname%20eq%20'${SA_NICKNAME}'%20or%20userPrincipalName%20eq%20'fabrikam-services_zoe.muller_3f2504e0%40contoso.com'&$select=id,userPrincipalName,mailNickname,userType,onPremisesExtensionAttributes`,
    }]]);
  });

  it("a quote in a name is doubled in the OData literal (the filter cannot be broken out of)", async () => {
    const graph = graphAnswering(() => found());
    const odd: Change = { ...create, id: 'c-q/user.create', after: { ...create.after, mailNickname: "vr-o'x", userPrincipalName: "o'x@contoso.com" } };
    await findServiceAccounts(graph, [odd], ATTR);
    expect(decodeURIComponent(graph.sent[0]![0]!.url)).toBe("/users?$filter=mailNickname eq 'vr-o''x' or userPrincipalName eq 'o''x@contoso.com'&$select=id,userPrincipalName,mailNickname,userType,onPremisesExtensionAttributes");
  });

  it('no change: no request at all', async () => {
    const graph = graphAnswering(() => found());
    expect((await findServiceAccounts(graph, [], ATTR)).size).toBe(0);
    expect(graph.sent).toEqual([]);
  });

  it('several changes: one sendMany, answers matched to changes by position', async () => {
    const second: Change = { ...create, id: `${OTHER}/user.create`, subject: { ...create.subject, id: OTHER }, after: { ...create.after, mailNickname: 'vr-other', userPrincipalName: 'b@contoso.com' } };
    const graph = graphAnswering((url) => (url.includes('vr-other') ? found(member('sa-2', 'b@contoso.com', serviceAccountAttributes(OTHER))) : found()));
    const out = await findServiceAccounts(graph, [create, second], ATTR);
    expect(graph.sent.map((batch) => batch.length)).toEqual([2]);
    expect([...out.entries()]).toEqual([[`${OTHER}/user.create`, 'sa-2']]);
  });

  it('findExisting reads the mark from OWNERSHIP_MARK_ATTRIBUTE', async () => {
    const attrs = { ...serviceAccountAttributes(SA_ID), extensionAttribute15: null, extensionAttribute7: serviceAccountAttributes(SA_ID).extensionAttribute15! };
    const graph = graphAnswering(() => found(member('sa-1', SA_UPN, attrs)));
    const services = { graph, dataverse: {} as never };
    const moved = await createServiceAccount.findExisting!([create], services, testSettings({ ownershipMarkAttribute: 'extensionAttribute7' }));
    const unmoved = await createServiceAccount.findExisting!([create], services, testSettings());
    expect(moved.get(create.id)).toBe('sa-1');
    expect((unmoved.get(create.id) as ContactError).code).toBe('SERVICE_ACCOUNT_UPN_TAKEN');
  });
});
