/** computeDesired: intent, email, names, country, bookable resource fields, characteristics, numbers (issues 3, 5 and 9). */
import { describe, expect, it } from 'vitest';
import { computeDesired, type DesiredLookups } from '../../../reconcilers/technicians/desired.js';
import { emailProblem } from '../../../reconcilers/technicians/email.js';
import type { ContactRow, VendorCharacteristicRow } from '../../../reconcilers/technicians/rows.js';
import { GROUP, SKU, contactRow, testSettings } from '../../support/model.js';

const lookups: DesiredLookups = {
  characteristics: new Map([
    ['ch-1', { characteristicid: 'ch-1', name: 'Electrician' }],
    ['ch-2', { characteristicid: 'ch-2', name: 'Plumber' }],
  ]),
  ratingValues: new Map([
    ['rv-1', { ratingvalueid: 'rv-1', name: 'Expert', value: 5, _ratingmodel_value: 'rm-main' }],
    ['rv-x', { ratingvalueid: 'rv-x', name: 'Gold', value: 3, _ratingmodel_value: 'rm-other' }],
  ]),
  ratingModelId: 'rm-main',
};
const settings = testSettings();
const desiredOf = (c: Partial<ContactRow>, rows: VendorCharacteristicRow[] = [], s = settings) => computeDesired(contactRow('c-1', c), rows, lookups, s);
const row = (id: string, char: string | null, rating: string | null, statecode = 0): VendorCharacteristicRow => ({
  o25fs_vendorcharacteristicid: id,
  _o25fs_vendorcontactid_value: 'c-1',
  _o25fs_characteristicid_value: char,
  _o25fs_ratingvalueid_value: rating,
  statecode,
});

describe('intent', () => {
  const cases = [
    { reason: 'setup on and active: provision', setup: true, state: 0, off: false, want: 'provision' },
    { reason: 'setup on and deactivated: deprovision', setup: true, state: 1, off: false, want: 'deprovision' },
    { reason: 'setup off: left alone by default', setup: false, state: 0, off: false, want: 'ignore' },
    { reason: 'setup never set (null): left alone', setup: null, state: 0, off: false, want: 'ignore' },
    { reason: 'setup off with DEPROVISION_WHEN_SETUP_OFF: deprovision', setup: false, state: 0, off: true, want: 'deprovision' },
  ] as const;
  for (const tc of cases) {
    it(tc.reason, () => {
      const out = desiredOf({ o25fs_setuptechnician: tc.setup, statecode: tc.state }, [], testSettings({ deprovisionWhenSetupOff: tc.off }));
      expect(out.ok && out.desired.intent).toBe(tc.want);
    });
  }
});

describe('email (issue 5 corpus)', () => {
  const valid = [
    { reason: 'apostrophes are valid in a local part', email: "o'brien@vendor.example", want: "o'brien@vendor.example" },
    { reason: 'plus addressing is valid', email: 'ana+field@vendor.example', want: 'ana+field@vendor.example' },
    { reason: 'upper case is lower-cased and spaces trimmed', email: '  Ana.Silva@Vendor.EXAMPLE ', want: 'ana.silva@vendor.example' },
    { reason: 'non-ASCII letters are valid (EAI)', email: 'josé@vendor.example', want: 'josé@vendor.example' },
    { reason: 'an internationalised domain in its ASCII (xn--) form is valid', email: 'ana@xn--mnchen-3ya.de', want: 'ana@xn--mnchen-3ya.de' },
    { reason: 'a decomposed accent is composed (NFC)', email: 'Jose\u0301@vendor.example', want: 'jos\u00e9@vendor.example' },
  ];
  for (const tc of valid) {
    it(`valid: ${tc.reason}`, () => {
      const out = desiredOf({ emailaddress1: tc.email });
      expect(out.ok && out.desired.email).toBe(tc.want);
    });
  }
  const invalid = [
    { reason: 'two @ signs', email: 'ana@@vendor.example', why: 'more than one "@"' },
    { reason: 'nothing before the @', email: '@vendor.example', why: 'nothing comes before' },
    { reason: 'no @ at all', email: 'ana.vendor.example', why: 'has no "@"' },
    { reason: 'a space inside', email: 'ana silva@vendor.example', why: 'contains a space' },
    { reason: 'a domain without a dot', email: 'ana@vendor', why: 'has no dot' },
    { reason: 'markup instead of an address', email: '<script>alert(1)</script>@x.example', why: 'contains a space or one of' },
    { reason: 'a leading dot', email: '.ana@vendor.example', why: 'starts or ends with a dot' },
    { reason: 'a numeric top-level domain', email: 'ana@vendor.123', why: 'top-level domain' },
    { reason: 'an internationalised domain not in its ASCII form', email: 'ana@münchen.de', why: 'is not written in ASCII' },
  ];
  for (const tc of invalid) {
    it(`invalid: ${tc.reason}`, () => {
      const out = desiredOf({ emailaddress1: tc.email });
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.error.code).toBe('EMAIL_INVALID');
      expect(out.error.message).toContain(`"${tc.email}"`);
      expect(out.error.message).toContain(tc.why);
      expect(out.error.action).toContain('emailaddress1');
      expect(emailProblem(tc.email.toLowerCase().normalize('NFC'))).not.toBeNull();
    });
  }
  it('a missing email is EMAIL_MISSING for an active technician', () => {
    const out = desiredOf({ emailaddress1: '  ' });
    expect(!out.ok && out.error.code).toBe('EMAIL_MISSING');
  });
  it('a deactivated contact with a blank email still deprovisions by its anchor', () => {
    const out = desiredOf({ emailaddress1: null, statecode: 1, o25fs_entraobjectid: 'U-1' });
    expect(out.ok && [out.desired.intent, out.desired.email, out.desired.anchorUserId]).toEqual(['deprovision', '', 'u-1']);
  });
  it('an ignored contact with a bad email is not an error', () => {
    const out = desiredOf({ emailaddress1: 'bad', o25fs_setuptechnician: false });
    expect(out.ok && out.desired.intent).toBe('ignore');
  });
});

describe('names', () => {
  const cases = [
    { reason: 'full name wins', c: { fullname: 'Ana Silva', firstname: 'A', lastname: 'S' }, want: ['Ana Silva', 'A', 'S'] },
    { reason: 'no full name: first and last', c: { fullname: null, firstname: ' Ana ', lastname: 'Silva' }, want: ['Ana Silva', 'Ana', 'Silva'] },
    { reason: 'missing first name: surname only, givenName null', c: { fullname: null, firstname: null, lastname: 'Silva' }, want: ['Silva', null, 'Silva'] },
    { reason: 'no names at all: the email is the display name', c: { fullname: null, firstname: null, lastname: null }, want: ['c-1@vendor.example', null, null] },
    { reason: 'HTML and script are kept as text (the report escapes them)', c: { fullname: '<b>Ana</b><script>x()</script>', firstname: null, lastname: null }, want: ['<b>Ana</b><script>x()</script>', null, null] },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const out = desiredOf(tc.c);
      expect(out.ok && [out.desired.user.displayName, out.desired.user.givenName, out.desired.user.surname]).toEqual(tc.want);
    });
  }
  const tooLong = [
    { reason: 'first name over Entra\'s 64', c: { firstname: 'F'.repeat(65), fullname: 'Ana' }, limit: '64' },
    { reason: 'last name over Entra\'s 64', c: { lastname: 'L'.repeat(65), fullname: 'Ana' }, limit: '64' },
    { reason: 'display name over Entra\'s 256', c: { fullname: 'D'.repeat(257) }, limit: '256' },
  ];
  for (const tc of tooLong) {
    it(`NAME_TOO_LONG: ${tc.reason}`, () => {
      const out = desiredOf(tc.c);
      expect(!out.ok && out.error.code).toBe('NAME_TOO_LONG');
      expect(!out.ok && out.error.message).toContain(`the limit is ${tc.limit}`);
    });
  }
});

describe('names longer than the bookable resource holds', () => {
  it('a full name of 101-256 characters provisions: the guest keeps it, the resource name is cut to 100, with a warning', () => {
    const out = desiredOf({ fullname: 'D'.repeat(150) });
    expect(out.ok && out.desired.user.displayName).toBe('D'.repeat(150));
    expect(out.ok && out.desired.bookableResource.fields.name).toBe('D'.repeat(100));
    expect(out.ok && out.warnings.map((w) => w.code)).toEqual(['RESOURCE_NAME_SHORTENED']);
  });
});

describe('usage location and bookable resource fields', () => {
  it('country maps to ISO; unknown country falls back to the default with a warning', () => {
    const de = desiredOf({ address1_country: 'Deutschland' });
    expect(de.ok && de.desired.user.usageLocation).toBe('DE');
    const unknown = desiredOf({ address1_country: 'Narnia' });
    expect(unknown.ok && [unknown.desired.user.usageLocation, unknown.warnings.map((w) => w.code)]).toEqual(['US', ['COUNTRY_UNKNOWN']]);
    const none = desiredOf({ address1_country: null });
    expect(none.ok && [none.desired.user.usageLocation, none.warnings]).toEqual(['US', []]);
  });

  it('maps the eight Field Service columns with the solution\'s defaults (microsoft/Dynamics-365-FastTrack-Implementation-Assets: …/Vendor Self-Service)', () => {
    const out = desiredOf({
      fullname: 'Ana Silva',
      o25fs_startlocation: 690970000,
      o25fs_endlocation: null,
      _o25fs_organizationalunitid_value: 'OU-1',
      o25fs_displayonscheduleboard: false,
      o25fs_enableforavailabilitysearch: null,
      o25fs_hourlyrate: 55.25,
      o25fs_timeoffapprovalrequired: true,
      _o25fs_warehouseid_value: 'wh-1',
      address1_latitude: 0,
      address1_longitude: 10.5,
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.desired.bookableResource).toEqual({
      active: true,
      fields: {
        name: 'Ana Silva',
        resourcetype: 3,
        timezone: 85,
        msdyn_startlocation: 690970000,
        msdyn_endlocation: 690970002,
        _msdyn_organizationalunit_value: 'ou-1',
        msdyn_displayonscheduleboard: false,
        msdyn_displayonscheduleassistant: true,
        msdyn_hourlyrate: 55.25,
        msdyn_timeoffapprovalrequired: true,
        _msdyn_warehouse_value: 'wh-1',
      },
    });
    expect(out.desired.coordinates).toEqual({ latitude: 0, longitude: 10.5 });
    expect(out.desired.licence).toEqual({ skuIds: [SKU], assigned: true });
    expect(out.desired.group).toEqual({ groupId: GROUP, member: true });
    expect(out.desired.user.accountEnabled).toBeUndefined();
  });

  it('coordinates are managed only when both are present', () => {
    const out = desiredOf({ address1_latitude: 47.1, address1_longitude: null });
    expect(out.ok && out.desired.coordinates).toBeNull();
  });
});

describe('characteristics', () => {
  const cases = [
    { reason: 'active rows become characteristics, sorted', rows: [row('vc-2', 'CH-2', null), row('vc-1', 'ch-1', 'rv-1')], want: [['ch-1', 'rv-1'], ['ch-2', null]], warnings: [] },
    { reason: 'inactive rows are not wanted (the original copied them)', rows: [row('vc-1', 'ch-1', null, 1)], want: [], warnings: [] },
    { reason: 'a row pointing at a deleted characteristic is skipped with a warning', rows: [row('vc-1', 'ch-gone', null), row('vc-2', 'ch-2', null)], want: [['ch-2', null]], warnings: ['CHARACTERISTIC_MISSING'] },
    { reason: 'two rows for one characteristic: the lowest row id wins, with a warning', rows: [row('vc-b', 'ch-1', null), row('vc-a', 'ch-1', 'rv-1')], want: [['ch-1', 'rv-1']], warnings: ['DUPLICATE_CHARACTERISTIC'] },
    { reason: 'a rating that does not exist: kept without rating, with a warning', rows: [row('vc-1', 'ch-1', 'rv-gone')], want: [['ch-1', null]], warnings: ['RATING_VALUE_MISSING'] },
    { reason: 'a rating from another rating model: kept without rating, with a warning', rows: [row('vc-1', 'ch-1', 'rv-x')], want: [['ch-1', null]], warnings: ['RATING_MODEL_MISMATCH'] },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const out = desiredOf({}, tc.rows);
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.desired.characteristics.map((c) => [c.characteristicId, c.ratingValueId])).toEqual(tc.want);
      expect(out.warnings.map((w) => w.code)).toEqual(tc.warnings);
      for (const w of out.warnings) expect(w.errorClass).toBe('contact');
    });
  }
});

describe('hostile contact text (issue 9, item 6)', () => {
  const cleaned = [
    { reason: 'ANSI colours are removed from the full name', c: { fullname: 'Ana \u001b[31mRed\u001b[0m Silva' }, want: 'Ana Red Silva' },
    { reason: 'an OSC 8 hyperlink keeps only its visible text', c: { fullname: '\u001b]8;;https://evil.example\u0007Ana\u001b]8;;\u0007 Silva' }, want: 'Ana Silva' },
    { reason: 'a right-to-left override and its pop are removed', c: { fullname: '\u202eAna Silva\u202c' }, want: 'Ana Silva' },
    { reason: 'isolates are removed', c: { fullname: 'Ana \u2066Silva\u2069' }, want: 'Ana Silva' },
    { reason: 'a line break becomes one space', c: { fullname: 'Ana\r\nSilva' }, want: 'Ana Silva' },
    { reason: 'NUL and DEL are removed', c: { fullname: 'Ana\u0000 Silva\u007f' }, want: 'Ana Silva' },
    { reason: 'a full name of control characters only falls back to first and last name', c: { fullname: '\u001b[2J\u0007', firstname: 'Ana', lastname: 'Silva' }, want: 'Ana Silva' },
    { reason: 'no usable name at all falls back to the email', c: { fullname: '\u202e', firstname: '\u0000', lastname: null }, want: 'c-1@vendor.example' },
  ];
  for (const tc of cleaned) {
    it(`names: ${tc.reason}`, () => {
      const out = desiredOf(tc.c);
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.desired.user.displayName).toBe(tc.want);
      expect(out.desired.bookableResource.fields.name).toBe(tc.want);
    });
  }

  it('names: the first and last names are cleaned as well (givenName, surname); one that is empty after cleaning is null', () => {
    const out = desiredOf({ fullname: null, firstname: '\u001b[1mAna\u001b[22m', lastname: '\u202e\u0007' });
    expect(out.ok && [out.desired.user.displayName, out.desired.user.givenName, out.desired.user.surname]).toEqual(['Ana', 'Ana', null]);
  });

  it('names: a name cut to the resource\'s 100 characters never ends on half an emoji', () => {
    const out = desiredOf({ fullname: `${'A'.repeat(99)}\u{1F600} Silva` });
    expect(out.ok && out.desired.bookableResource.fields.name).toBe('A'.repeat(99));
    expect(out.ok && out.desired.user.displayName).toBe(`${'A'.repeat(99)}\u{1F600} Silva`);
  });

  const badEmails = [
    { reason: 'a lone high surrogate', email: 'ana\ud800@vendor.example', shown: 'ana[U+D800]@vendor.example', why: 'broken character (U+D800' },
    { reason: 'a zero-width space', email: 'ana\u200b@vendor.example', shown: 'ana[U+200B]@vendor.example', why: 'invisible character (U+200B)' },
    { reason: 'a byte order mark at the start (not trimmed away)', email: '\ufeffana@vendor.example', shown: '[U+FEFF]ana@vendor.example', why: 'at the start' },
  ];
  for (const tc of badEmails) {
    it(`email: ${tc.reason} is EMAIL_INVALID, and the message shows where it is without carrying it`, () => {
      const out = desiredOf({ emailaddress1: tc.email });
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.error.code).toBe('EMAIL_INVALID');
      expect(out.error.message).toContain(`"${tc.shown}"`);
      expect(out.error.message).toContain(tc.why);
      expect(out.error.message).not.toContain(tc.email);
      expect(out.error.action).toContain('emailaddress1');
      expect(() => encodeURIComponent(out.error.message + out.displayName)).not.toThrow();
    });
  }

  it('email: an internationalised domain gets the ASCII form to enter in the action', () => {
    const out = desiredOf({ emailaddress1: 'Ana@München.de' });
    expect(!out.ok && out.error.action).toBe('If the domain is right, enter it in its ASCII form: ana@xn--mnchen-3ya.de in emailaddress1 on the contact; the next run picks it up.');
  });

  it('email: a deactivated, anchored contact with a broken email still deprovisions by its anchor', () => {
    const out = desiredOf({ emailaddress1: 'ana\ud800@vendor.example', statecode: 1, o25fs_entraobjectid: 'U-1' });
    expect(out.ok && [out.desired.intent, out.desired.email, out.desired.anchorUserId]).toEqual(['deprovision', '', 'u-1']);
  });
});
