/**
 * Bad-input corpus, emails (issues 5 and 9): malformed forms, missing, duplicated, apostrophe, plus
 * sign, case, non-ASCII, and the tenant's own domains; then the addresses that cannot be encoded or
 * are not what they look like (lone surrogates, invisible characters, internationalised domains)
 * and the spellings that are one address after NFC and case folding. Each case: one bad contact
 * among three good ones, through the real engine against the simulator. Invitation rules:
 * learn.microsoft.com/graph/api/invitation-post; the $filter quote escape (''): OData v4 URL
 * conventions, used by
 * the Entra B2B "query first" docs (learn.microsoft.com/entra/external-id/customize-invitation-api);
 * ASCII domains only: Graph "user resource type", mail: "This property can't contain accent
 * characters" (learn.microsoft.com/graph/api/resources/user).
 */
import { describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { corpusTenant, existingGuest, expectAllConverged, expectErrorAlone, hidingUsers, idOf, looseEmail } from './corpus.js';
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
    // Guests' UPNs end in the tenant's initial domain (…#EXT#@contoso.onmicrosoft.com,
    // learn.microsoft.com/graph/api/user-list),
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
    // so the plan cannot know every verified domain: Graph's refusal is classified instead
    // (learn.microsoft.com/graph/api/invitation-post).
    const bad = newContact('own-domain', { emailaddress1: 'pat.jones@contoso.com' });
    const c = tenant.load([bad]);
    const first = await apply(c.t);
    expect(first.outcome).toBe('partial');
    const failed = first.results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => r.changeId)).toEqual([`${idOf(bad)}/user.invite`]);
    expect(failed[0]!.error).toMatchObject({ class: 'contact', code: 'EMAIL_IN_TENANT_DOMAIN' });
    expect(first.results.filter((r) => r.subjectKey === technicianKey(idOf(bad)) && r.outcome === 'skipped')).toHaveLength(4);
    const stored = row(c.t, 'contacts', idOf(bad))!;
    expect(stored.o25fs_provisioningstatus).toBe(808950007);
    expect(String(stored.o25fs_provisioningerror)).toContain("tenant's own verified domains");
    await runUntilQuiet(c.t, [idOf(bad)]);
    for (const id of c.goodIds) expectConverged(c.t, id);
    expect(userByEmail(c.t, 'pat.jones@contoso.com')).toEqual([]);
  });
});

describe('bad input: emails that cannot be encoded or are not what they look like (issue 9, item 6)', () => {
  it('a lone UTF-16 surrogate: EMAIL_INVALID on that contact alone, and the run goes on for the others (it used to stop the whole run in the look-up before inviting)', async () => {
    const bad = newContact('surrogate', { emailaddress1: 'sam.okafor\ud800@fabrikam-services.com' });
    const c = tenant.load([bad]);
    const first = await apply(c.t);
    expect(first.outcome).toBe('succeeded');
    const invited = first.results.filter((r) => r.changeId.endsWith('/user.invite') && r.outcome === 'applied').map((r) => r.subjectKey);
    expect(invited.sort()).toEqual(c.goodIds.map(technicianKey).sort());
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_INVALID');
    expect(error.message).toContain('"sam.okafor[U+D800]@fabrikam-services.com"');
    expect(error.message).toContain('half of a UTF-16 surrogate pair');
  });

  it.each([
    { reason: 'a lone low surrogate in the domain', email: 'sam@fabrikam\udc00-services.com', code: 'U+DC00' },
    { reason: 'a surrogate pair in the wrong order', email: 'sam\udc00\ud83d@fabrikam-services.com', code: 'U+DC00' },
    { reason: 'a zero-width space', email: 'sam.okafor\u200b@fabrikam-services.com', code: 'U+200B' },
    { reason: 'a zero-width joiner', email: 'sam\u200d.okafor@fabrikam-services.com', code: 'U+200D' },
    { reason: 'a byte order mark pasted in front', email: '\ufeffsam.okafor@fabrikam-services.com', code: 'U+FEFF' },
    { reason: 'a word joiner in the domain', email: 'sam.okafor@fabrikam\u2060-services.com', code: 'U+2060' },
    { reason: 'a left-to-right mark', email: 'sam.okafor@fabrikam-services.com\u200e', code: 'U+200E' },
    { reason: 'a right-to-left override that makes it read differently', email: 'sam\u202emoc.secivres-makirbaf@', code: 'U+202E' },
    { reason: 'a soft hyphen', email: 'sam.oka\u00adfor@fabrikam-services.com', code: 'U+00AD' },
    { reason: 'a control character (BEL)', email: 'sam.okafor\u0007@fabrikam-services.com', code: 'U+0007' },
    { reason: 'an invisible tag character', email: 'sam.okafor\u{e0041}@fabrikam-services.com', code: 'U+E0041' },
  ])('$reason: EMAIL_INVALID on that contact alone, nothing invited under any spelling of it', async ({ email, code }) => {
    const bad = newContact('hidden', { emailaddress1: email });
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_INVALID');
    expect(error.message).toContain(`[${code}]`);
    expect(error.message).toContain(`(${code}`);
    expect(error.action).toContain('emailaddress1');
  });

  it('an internationalised domain: EMAIL_INVALID naming the ASCII form; entered as told, the technician converges', async () => {
    const bad = newContact('idn', { emailaddress1: 'Sam.Okafor@München-Services.de' });
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_INVALID');
    expect(error.message).toContain('the domain "münchen-services.de" is not written in ASCII');
    expect(error.action).toBe('If the domain is right, enter it in its ASCII form: sam.okafor@xn--mnchen-services-zvb.de in emailaddress1 on the contact; the next run picks it up.');
    c.t.s.sim.state.dataverse.update('contacts', idOf(bad), { emailaddress1: 'sam.okafor@xn--mnchen-services-zvb.de' });
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(bad));
    expect(c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress === 'sam.okafor@xn--mnchen-services-zvb.de')).toHaveLength(1);
  });

  it('a full-width "＠": EMAIL_INVALID saying so', async () => {
    const bad = newContact('fullwidth', { emailaddress1: 'sam.okafor＠fabrikam-services.com' });
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'EMAIL_INVALID');
    expect(error.message).toContain('a full-width "＠" instead of "@"');
  });

  it.each([
    { reason: 'composed é and decomposed e + U+0301 (NFC)', one: 'jos\u00e9.silva@fabrikam-services.com', two: 'jose\u0301.silva@fabrikam-services.com' },
    { reason: 'É in upper case, é in lower case', one: '\u00c9mile.dubois@fabrikam-services.com', two: '\u00e9mile.dubois@fabrikam-services.com' },
    { reason: 'Greek capitals and small letters with a final sigma (case folding)', one: 'ΟΔΟΣ@fabrikam-services.com', two: 'οδος@fabrikam-services.com' },
  ])('two contacts whose emails differ only in $reason: DUPLICATE_EMAIL on both, nobody invited', async ({ one, two }) => {
    const a = newContact('nfc-1', { emailaddress1: one });
    const b = newContact('nfc-2', { emailaddress1: two });
    const c = tenant.load([a, b]);
    const { last } = await runUntilQuiet(c.t, [idOf(a), idOf(b)]);
    for (const [me, other] of [[a, b], [b, a]] as const) {
      const cp = contactPlan(last, idOf(me));
      expect(cp.error?.code).toBe('DUPLICATE_EMAIL');
      expect(cp.error?.message).toContain(idOf(other));
    }
    expect(last.changes).toEqual([]);
    expect(c.t.s.sim.state.invitations.filter((i) => looseEmail(i.invitedUserEmailAddress).normalize('NFC') === looseEmail(one).normalize('NFC'))).toEqual([]);
    for (const id of c.goodIds) expectConverged(c.t, id);
  });

  it('a decomposed accent: invited once with the composed (NFC) address, and later runs match that guest', async () => {
    const bad = newContact('decomposed', { emailaddress1: 'Jose\u0301.Silva@fabrikam-services.com' });
    const c = tenant.load([bad]);
    const { last } = await expectAllConverged(c, bad);
    expect(last.changes).toEqual([]);
    const sent = c.t.s.sim.state.invitations.filter((i) => i.invitedUserEmailAddress.startsWith('jos'));
    expect(sent.map((i) => i.invitedUserEmailAddress)).toEqual(['jos\u00e9.silva@fabrikam-services.com']);
  });
});

