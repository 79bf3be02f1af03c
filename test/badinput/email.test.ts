/**
 * Bad-input corpus, emails (issue 5): malformed forms, missing, duplicated, apostrophe, plus sign,
 * case, non-ASCII, and the tenant's own domains. Each case: one bad contact among three good ones,
 * through the real engine against the simulator. Invitation rules: graph-dataverse-facts.md §1.1;
 * the $filter quote escape (''): OData v4 URL conventions, used by the Entra B2B "query first" docs
 * (learn.microsoft.com/entra/external-id/customize-invitation-api).
 */
import { describe, expect, it } from 'vitest';
import { corpusTenant, existingGuest, expectAllConverged, expectErrorAlone, hidingUsers, idOf } from './corpus.js';
import { apply, contactPlan, demoId, expectConverged, newContact, plan, row, runUntilQuiet, userByEmail } from './small-tenant.js';

const tenant = corpusTenant();

describe('bad input: emails', () => {
  it.each([
    { reason: 'no "@" at all', email: 'sam.okafor.fabrikam-services.com', says: 'it has no "@"' },
    { reason: 'two "@"', email: 'sam@okafor@fabrikam-services.com', says: 'more than one "@"' },
    { reason: 'a space inside the local part', email: 'sam okafor@fabrikam-services.com', says: 'contains a space' },
    { reason: 'a domain without a dot', email: 'sam.okafor@fabrikam', says: 'has no dot' },
    { reason: 'two dots in a row', email: 'sam..okafor@fabrikam-services.com', says: 'two dots in a row' },
  ])('malformed email ($reason): EMAIL_INVALID on that contact alone, no invitation', async ({ email, says }) => {
    const bad = newContact('bad', { emailaddress1: email });
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_INVALID');
    expect(error.message).toContain(email);
    expect(error.message).toContain(says);
    expect(error.action).toContain('emailaddress1');
  });

  it.each([
    { reason: 'null', email: null },
    { reason: 'only spaces', email: '   ' },
  ])('missing email ($reason): EMAIL_MISSING on that contact alone', async ({ email }) => {
    const bad = newContact('bad', { emailaddress1: email });
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_MISSING');
    expect(error.message).toContain(idOf(bad));
  });

  it('two contacts with the same email, neither anchored: DUPLICATE_EMAIL on both, nobody invited for it', async () => {
    const one = newContact('dup-1', { emailaddress1: 'shared@fabrikam-services.com' });
    const two = newContact('dup-2', { emailaddress1: 'Shared@Fabrikam-Services.com' });
    const c = tenant.load([one, two]);
    const { last } = await runUntilQuiet(c.t, [idOf(one), idOf(two)]);
    for (const [me, other] of [[one, two], [two, one]] as const) {
      const cp = contactPlan(last, idOf(me));
      expect(cp.error?.code).toBe('DUPLICATE_EMAIL');
      expect(cp.error?.message).toContain(idOf(other));
      expect(row(c.t, 'contacts', idOf(me))!.o25fs_provisioningstatus).toBe(808950007);
    }
    expect(last.changes).toEqual([]);
    expect(userByEmail(c.t, 'shared@fabrikam-services.com')).toEqual([]);
    expect(c.t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).not.toContain('shared@fabrikam-services.com');
    for (const id of c.goodIds) expectConverged(c.t, id);
  });

  it('two contacts with the same email, one anchored: the anchored one keeps its guest, the copy gets DUPLICATE_EMAIL', async () => {
    const original = newContact('orig', { emailaddress1: 'shared@fabrikam-services.com' });
    const c = tenant.load([original]);
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(original));
    const copy = newContact('copy', { emailaddress1: 'shared@fabrikam-services.com', fullname: 'Copied Contact' });
    c.t.s.sim.state.dataverse.insert('contacts', copy.contact);
    const { last } = await runUntilQuiet(c.t, [idOf(copy)]);
    expect(contactPlan(last, idOf(copy)).error?.code).toBe('DUPLICATE_EMAIL');
    expect(last.changes).toEqual([]);
    expectConverged(c.t, idOf(original));
    expect(row(c.t, 'contacts', idOf(copy))!.o25fs_entraobjectid).toBeNull();
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === 'shared@fabrikam-services.com')).toHaveLength(1);
  });

  it("an apostrophe (o'brien@…): invited once and converged; the look-up before inviting escapes it as ''", async () => {
    const bad = newContact('obrien', { emailaddress1: "siobhan.o'brien@fabrikam-services.com" });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(c.t.s.sim.state.invitations.map((i) => i.invitedUserEmailAddress)).toContain("siobhan.o'brien@fabrikam-services.com");
    // A rerun with the guest hidden from the bulk read (and the anchor cleared) must find it by the
    // escaped filter and adopt it: a second invitation would show in the invitations log.
    const userId = String(row(c.t, 'contacts', idOf(bad))!.o25fs_entraobjectid);
    c.t.s.sim.state.dataverse.update('contacts', idOf(bad), { o25fs_entraobjectid: null });
    const again = await c.t.engine({ observer: hidingUsers([userId]) }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(again.results.find((r) => r.changeId === `${idOf(bad)}/user.invite`)).toMatchObject({ outcome: 'applied', createdId: userId });
    // An unescaped quote would make the look-up fail (400) and the invitation be withheld instead.
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress.startsWith('siobhan'))).toHaveLength(1);
  });

  it.each([
    { reason: 'an apostrophe', email: "siobhan.o'brien@fabrikam-services.com" },
    { reason: 'a plus sign', email: 'ravi+fs@fabrikam-services.com' },
    { reason: 'non-ASCII letters', email: 'zoë.åberg@fabrikam-services.com' },
  ])('$reason: a guest the bulk read missed is found by the look-up before inviting, and adopted (no invitation)', async ({ email }) => {
    const bad = newContact('lagging', { emailaddress1: email });
    const guestId = demoId(`small:guest:${email}`);
    const c = tenant.load([bad], { users: [existingGuest(guestId, email)] });
    const run = await c.t.engine({ observer: hidingUsers([guestId]) }).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
    expect(run.results.find((r) => r.changeId === `${idOf(bad)}/user.invite`)).toMatchObject({ outcome: 'applied', createdId: guestId });
    expect(c.t.s.sim.state.invitations).toEqual(expect.not.arrayContaining([expect.objectContaining({ invitedUserEmailAddress: email })]));
    expect(row(c.t, 'contacts', idOf(bad))!.o25fs_entraobjectid).toBe(guestId);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, email)).toHaveLength(1);
  });

  it('a plus sign (ravi+fs@…): invited with the plus, converged, one invitation', async () => {
    const bad = newContact('plus', { emailaddress1: 'ravi+fs@fabrikam-services.com' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === 'ravi+fs@fabrikam-services.com')).toHaveLength(1);
  });

  it('uppercase letters: invited once with the lower-cased address; a rerun matches case-insensitively', async () => {
    const bad = newContact('upper', { emailaddress1: ' Tom.HUGHES@Tailspin-Engineering.COM ' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress.toLowerCase() === 'tom.hughes@tailspin-engineering.com')).toEqual([
      expect.objectContaining({ invitedUserEmailAddress: 'tom.hughes@tailspin-engineering.com' }),
    ]);
  });

  it('uppercase letters against an existing guest whose mail differs in case: matched, anchored, never invited', async () => {
    const bad = newContact('upper-guest', { emailaddress1: 'dylan.cooper@fabrikam-services.com' });
    const guestId = demoId('small:guest:dylan');
    const c = tenant.load([bad], { users: [{ ...existingGuest(guestId, 'dylan.cooper@fabrikam-services.com'), mail: 'DYLAN.Cooper@Fabrikam-Services.com' }] });
    await expectAllConverged(c, bad);
    expect(row(c.t, 'contacts', idOf(bad))!.o25fs_entraobjectid).toBe(guestId);
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress.toLowerCase().startsWith('dylan'))).toEqual([]);
  });

  it('non-ASCII letters in the local part (zoë.åberg@…): invited and converged', async () => {
    const bad = newContact('zoe', { emailaddress1: 'zoë.åberg@fabrikam-services.com', firstname: 'Zoë', lastname: 'Åberg', fullname: 'Zoë Åberg' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    const user = userByEmail(c.t, 'zoë.åberg@fabrikam-services.com');
    expect(user).toHaveLength(1);
    expect(user[0]).toMatchObject({ displayName: 'Zoë Åberg', givenName: 'Zoë', surname: 'Åberg' });
  });

  it("an email in the tenant's own domain, known from its guests' UPNs: EMAIL_IN_TENANT_DOMAIN in the plan, nothing sent", async () => {
    // Guests' UPNs end in the tenant's initial domain (…#EXT#@contoso.onmicrosoft.com, facts §1.2),
    // so the plan knows that one domain without any extra permission.
    const bad = newContact('own-domain', { emailaddress1: 'pat.jones@contoso.onmicrosoft.com' });
    const guest = existingGuest(demoId('small:guest:other'), 'someone@wingtip-contractors.com');
    const c = tenant.load([bad], { users: [guest] });
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).error?.code).toBe('EMAIL_IN_TENANT_DOMAIN');
    await expectErrorAlone(c, bad, 'EMAIL_IN_TENANT_DOMAIN');
  });

  it("an email in a verified domain no user reveals: the invitation API refuses it, a clear error on that contact alone", async () => {
    // The app has no permission to list the tenant's domains (Domain.Read.All is not among its roles),
    // so the plan cannot know every verified domain: Graph's refusal is classified instead (facts §1.1).
    const bad = newContact('own-domain', { emailaddress1: 'pat.jones@contoso.com' });
    const c = tenant.load([bad]);
    const first = await apply(c.t);
    expect(first.outcome).toBe('partial');
    const failed = first.results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => r.changeId)).toEqual([`${idOf(bad)}/user.invite`]);
    expect(failed[0]!.error).toMatchObject({ class: 'contact', code: 'EMAIL_IN_TENANT_DOMAIN' });
    expect(first.results.filter((r) => r.contactId === idOf(bad) && r.outcome === 'skipped')).toHaveLength(4);
    const stored = row(c.t, 'contacts', idOf(bad))!;
    expect(stored.o25fs_provisioningstatus).toBe(808950007);
    expect(String(stored.o25fs_provisioningerror)).toContain("tenant's own verified domains");
    await runUntilQuiet(c.t, [idOf(bad)]);
    for (const id of c.goodIds) expectConverged(c.t, id);
    expect(userByEmail(c.t, 'pat.jones@contoso.com')).toEqual([]);
  });
});
