/**
 * Bad-input corpus, hostile contact text (issue 9, item 6): names carrying ANSI escape sequences,
 * control characters and bidi overrides reach Entra (displayName, givenName, surname; Graph "user
 * resource type") and Dataverse (bookableresource.name, nvarchar 100; Learn "Bookable Resource
 * (BookableResource) table/entity reference") cleaned; a name cut to fit never leaves half an emoji;
 * and what the vendor admin typed is quoted in the status text only in a visible form. Each case:
 * one such contact among three good ones, through the real engine against the simulator.
 */
import { describe, expect, it } from 'vitest';
import { corpusTenant, expectAllConverged, idOf, type Case } from './corpus.js';
import { contactPlan, newContact, plan, row, rows, userByEmail, users } from './small-tenant.js';

const tenant = corpusTenant();
const HOSTILE = /[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069]/u;

/** No user and no bookable resource in the simulator holds a control, escape, bidi override or lone surrogate. */
function expectNoHostileText(c: Case): void {
  for (const u of users(c.t)) {
    for (const key of ['displayName', 'givenName', 'surname']) expect(String(u[key] ?? ''), `user ${String(u.id)} ${key}`).not.toMatch(HOSTILE);
  }
  for (const r of rows(c.t, 'bookableresources')) expect(String(r.name), `resource ${String(r.bookableresourceid)}`).not.toMatch(HOSTILE);
}

function resourceOf(c: Case, contactId: string): Record<string, unknown> {
  return row(c.t, 'bookableresources', String(row(c.t, 'contacts', contactId)!._o25fs_bookableresourceid_value))!;
}

describe('bad input: hostile text in names', () => {
  it('escape sequences, controls and bidi overrides in every name: the guest and the resource get the names without them, then no change', async () => {
    const bad = newContact('ansi', {
      fullname: '\u001b]8;;https://evil.example\u0007Ana\u001b]8;;\u0007 \u001b[31mSilva\u001b[0m\u202e',
      firstname: '\u001b[1mAna\u0000',
      lastname: '\u2066Silva\u2069\r\n',
    });
    const c = tenant.load([bad]);
    const { last } = await expectAllConverged(c, bad);
    expect(last.changes).toEqual([]);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: 'Ana Silva', givenName: 'Ana', surname: 'Silva' });
    expect(resourceOf(c, idOf(bad)).name).toBe('Ana Silva');
    expectNoHostileText(c);
  });

  it('a full name of nothing but controls: the display name falls back to the first and last name', async () => {
    const bad = newContact('onlyctl', { fullname: '\u001b[2J\u0007\u202e', firstname: 'Priya', lastname: 'Nair' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: 'Priya Nair' });
    expect(resourceOf(c, idOf(bad)).name).toBe('Priya Nair');
  });

  it('no name left after cleaning: the display name and the resource name fall back to the email', async () => {
    const bad = newContact('noname2', { fullname: '\u0000', firstname: '\u202e', lastname: '\u001b[0m', emailaddress1: 'x7@fabrikam-services.com' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, 'x7@fabrikam-services.com')[0]).toMatchObject({ displayName: 'x7@fabrikam-services.com', givenName: null, surname: null });
    expect(resourceOf(c, idOf(bad)).name).toBe('x7@fabrikam-services.com');
  });

  it('an emoji across the resource name\'s 100th character: the resource gets 99 characters, never half of it; the guest the whole name', async () => {
    const name = `${'A'.repeat(99)}\u{1F527} Fixer`;
    const bad = newContact('emoji', { fullname: name });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(resourceOf(c, idOf(bad)).name).toBe('A'.repeat(99));
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: name });
    expectNoHostileText(c);
  });

  it('an invisible character in the country: COUNTRY_UNKNOWN, and the status text shows it by its code instead of carrying it', async () => {
    const bad = newContact('zwcountry', { address1_country: 'Ger\u200bmany' });
    const c = tenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).warnings?.map((w) => [w.code, w.message.includes('"Ger[U+200B]many"')])).toEqual([['COUNTRY_UNKNOWN', true]]);
    await expectAllConverged(c, bad, { usageLocation: 'GB' });
    const status = String(row(c.t, 'contacts', idOf(bad))!.o25fs_provisioningerror);
    expect(status).toContain('Ger[U+200B]many');
    expect(status).not.toContain('\u200b');
  });
});
