/**
 * Bad-input corpus, the contact's own data (issue 5): names (missing, over Entra's limits — user
 * resource: displayName 256, givenName 64, surname 64 — and over bookableresource.name's 100),
 * HTML in names, no vendor account, characteristic rows that point nowhere, ratings of another
 * model, the setup flag null, countries, half coordinates, money with too many decimals, numbers
 * outside their column's documented range (issue 9: Money 0..1,000,000,000 for msdyn_hourlyrate,
 * Learn, Field Service developer reference, "Bookable Resource (BookableResource) table/entity
 * reference"; Double -90..90 / -180..180 for systemuser address1_latitude / address1_longitude,
 * Learn "SystemUser table/entity reference"),
 * and a lookup to a deleted organisational unit (Dataverse answers a bind to a missing row with 404
 * 0x80040217 "… With Id = … Does Not Exist":
 * learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors,
 * create-entity-web-api.md).
 */
import { describe, expect, it } from 'vitest';
import { technicianKey } from '../support/subject-key.js';
import { renderReport } from '../../src/report/index.js';
import { corpusTenant, expectAllConverged, expectErrorAlone, expectOthersFine, idOf } from './corpus.js';
import {
  apply, contactPlan, demoId, expectConverged, newContact, plan, ratingId, row, rows, runUntilQuiet, userByEmail, vendorCharacteristic, STATUS,
} from './small-tenant.js';

const tenant = corpusTenant();
const long = (n: number, ch = 'a'): string => `${ch.toUpperCase()}${ch.repeat(n - 1)}`;

describe('bad input: names', () => {
  it('missing first name: invited with the last name, no givenName, converged', async () => {
    const bad = newContact('nofirst', { firstname: null, fullname: 'Smith' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: 'Smith', givenName: null, surname: 'Smith' });
  });

  it('missing last name: invited with the first name, no surname, converged', async () => {
    const bad = newContact('nolast', { lastname: null, fullname: 'Priya' , firstname: 'Priya' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: 'Priya', givenName: 'Priya', surname: null });
  });

  it('missing both names: the display name and the resource name fall back to the email', async () => {
    const bad = newContact('noname', { firstname: null, lastname: null, fullname: null, emailaddress1: 'x9@fabrikam-services.com' });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, 'x9@fabrikam-services.com')[0]).toMatchObject({ displayName: 'x9@fabrikam-services.com', givenName: null, surname: null });
    expect(row(c.t, 'bookableresources', String(row(c.t, 'contacts', idOf(bad))!._o25fs_bookableresourceid_value))!.name).toBe('x9@fabrikam-services.com');
  });

  it.each([
    { reason: 'a first name of 65 characters (Entra givenName: 64)', contact: { firstname: long(65), fullname: 'A Smith' }, says: 'first name', limit: 64 },
    { reason: 'a last name of 65 characters (Entra surname: 64)', contact: { lastname: long(65, 'b'), fullname: 'Tech B' }, says: 'last name', limit: 64 },
    { reason: 'a full name of 257 characters (Entra displayName: 256)', contact: { fullname: long(257, 'c') }, says: 'full name', limit: 256 },
  ])('$reason: NAME_TOO_LONG on that contact alone, nothing sent for it', async ({ contact, says, limit }) => {
    const bad = newContact('longname', contact);
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'NAME_TOO_LONG');
    expect(error.message).toContain(says);
    expect(error.message).toContain(`the limit is ${limit}`);
  });

  it('a full name of 101 characters: provisioned, the bookable resource\'s name cut to 100 with a RESOURCE_NAME_SHORTENED warning', async () => {
    const bad = newContact('longresource', { fullname: long(101, 'd') });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: long(101, 'd') });
    const contact = row(c.t, 'contacts', idOf(bad))!;
    expect(row(c.t, 'bookableresources', String(contact._o25fs_bookableresourceid_value))!.name).toBe(long(101, 'd').slice(0, 100));
    expect(String(contact.o25fs_provisioningerror)).toContain('Warning: The full name of contact');
  });

  it('names exactly at the limits (64, 64, 100) are accepted and converge', async () => {
    const bad = newContact('atlimit', { firstname: long(64, 'e'), lastname: long(64, 'f'), fullname: long(100, 'g') });
    const c = tenant.load([bad]);
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ givenName: long(64, 'e'), surname: long(64, 'f'), displayName: long(100, 'g') });
  });

  it('HTML and script in the name: invited with that text as the display name; the report escapes it', async () => {
    const script = '<script>alert(1)</script>';
    const bad = newContact('script', { firstname: script, fullname: `${script} Payload` });
    const c = tenant.load([bad]);
    const first = await apply(c.t);
    expect(c.t.s.sim.state.invitations.length).toBe(4);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ displayName: `${script} Payload` });
    const html = renderReport('html', { plan: first.plan, run: first });
    expect(html).not.toContain(script);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Payload');
    await expectAllConverged(c, bad);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))[0]).toMatchObject({ givenName: script, displayName: `${script} Payload` });
  });
});

describe('bad input: vendor, characteristics, scope', () => {
  it('no vendor account (_parentcustomerid_value null): provisioned, and grouped under "No vendor"', async () => {
    const bad = newContact('novendor', { _parentcustomerid_value: null });
    const c = tenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad))).toMatchObject({ subject: { group: null }, status: 'invited' });
    const text = renderReport('text', { plan: p });
    expect(text).toContain('No vendor');
    await expectAllConverged(c, bad);
  });

  it('a characteristic row pointing at a deleted characteristic: skipped with CHARACTERISTIC_MISSING, the others synced', async () => {
    const bad = newContact('ghostchar', {}, 2);
    const ghost: Record<string, unknown> = { ...vendorCharacteristic(idOf(bad), 'HVAC', null, 'ghostchar:ghost'), _o25fs_characteristicid_value: demoId('characteristic:Deleted') };
    bad.characteristics.push(ghost);
    const c = tenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).warnings?.map((w) => w.code)).toEqual(['CHARACTERISTIC_MISSING']);
    expect(contactPlan(p, idOf(bad)).warnings![0]!.message).toContain(String(ghost.o25fs_vendorcharacteristicid));
    await expectAllConverged(c, bad);
    const brId = String(row(c.t, 'contacts', idOf(bad))!._o25fs_bookableresourceid_value);
    expect(rows(c.t, 'bookableresourcecharacteristics').filter((r) => r._resource_value === brId)).toHaveLength(2);
  });

  it('a rating from another rating model: RATING_MODEL_MISMATCH, the characteristic is kept without a rating', async () => {
    const bad = newContact('othermodel', {}, 1);
    const odd = vendorCharacteristic(idOf(bad), 'Refrigeration', ratingId('Customer Satisfaction', 3), 'othermodel:odd');
    bad.characteristics.push(odd);
    const c = tenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).warnings?.map((w) => w.code)).toEqual(['RATING_MODEL_MISMATCH']);
    const { last } = await runUntilQuiet(c.t);
    expect(last.changes).toEqual([]);
    const brId = String(row(c.t, 'contacts', idOf(bad))!._o25fs_bookableresourceid_value);
    const held = rows(c.t, 'bookableresourcecharacteristics').filter((r) => r._resource_value === brId);
    const kept = held.find((r) => r._characteristic_value === odd._o25fs_characteristicid_value);
    expect(kept).toBeDefined();
    expect(kept!._ratingvalue_value ?? null).toBeNull();
    expect(held).toHaveLength(2);
    expectOthersFine(c);
  });

  it('the setup flag null: out of scope (not even read), nothing sent and nothing written on the contact', async () => {
    const bad = newContact('nullflag', { o25fs_setuptechnician: null });
    const c = tenant.load([bad]);
    const { last } = await runUntilQuiet(c.t);
    expect(last.subjects.map((x) => x.subject.id)).not.toContain(idOf(bad));
    expect(last.changes).toEqual([]);
    expect(row(c.t, 'contacts', idOf(bad))).toEqual(bad.contact);
    expect(userByEmail(c.t, String(bad.contact.emailaddress1))).toEqual([]);
    expectOthersFine(c);
  });
});

describe('bad input: columns copied to Entra and Field Service', () => {
  it('coordinates with only a latitude: converged, the systemuser\'s coordinates left alone, COORDINATES_INCOMPLETE warning', async () => {
    const bad = newContact('halfcoords', { address1_longitude: null });
    const c = tenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).warnings?.map((w) => w.code)).toEqual(['COORDINATES_INCOMPLETE']);
    await expectAllConverged(c, bad);
    const userId = row(c.t, 'contacts', idOf(bad))!.o25fs_entraobjectid;
    expect(rows(c.t, 'systemusers').find((s) => s.azureactivedirectoryobjectid === userId)).toMatchObject({ address1_latitude: null, address1_longitude: null });
  });

  it.each([
    { reason: 'five decimals', rate: 42.12345, stored: 42.12 },
    { reason: 'a half cent', rate: 42.125, stored: 42.13 },
  ])('an hourly rate with $reason: written rounded to 2 decimals (money), then no update on later runs', async ({ rate, stored }) => {
    const bad = newContact('rate', { o25fs_hourlyrate: rate });
    const c = tenant.load([bad]);
    const { runs } = await expectAllConverged(c, bad);
    const brId = String(row(c.t, 'contacts', idOf(bad))!._o25fs_bookableresourceid_value);
    expect(row(c.t, 'bookableresources', brId)!.msdyn_hourlyrate).toBe(stored);
    expect(runs.at(-1)!.plan.changes).toEqual([]);
  });

  it.each([
    { reason: 'a negative hourly rate', contact: { o25fs_hourlyrate: -5 }, says: 'Hourly Rate is -5 (allowed: 0 to 1,000,000,000)' },
    { reason: 'an hourly rate over Money\'s 1,000,000,000', contact: { o25fs_hourlyrate: 1_000_000_001 }, says: 'Hourly Rate is 1,000,000,001 (allowed: 0 to 1,000,000,000)' },
    { reason: 'a latitude of 91', contact: { address1_latitude: 91 }, says: 'Latitude is 91 (allowed: -90 to 90)' },
    { reason: 'a longitude of -181', contact: { address1_longitude: -181 }, says: 'Longitude is -181 (allowed: -180 to 180)' },
    { reason: 'a start location that is no choice of msdyn_workstartlocationtype', contact: { o25fs_startlocation: 123 }, says: 'Start Location is 123 (allowed: one of Resource Address (690970000)' },
  ])('$reason: VALUE_OUT_OF_RANGE on that contact alone, naming the field and the allowed range; nothing sent for it', async ({ contact, says }) => {
    // Inserted as stored (the simulator's fixture, like a customised column or an import, bypasses validation).
    const bad = newContact('range', contact);
    const c = tenant.load([bad]);
    const { error } = await expectErrorAlone(c, bad, 'VALUE_OUT_OF_RANGE');
    expect(error.message).toContain(says);
    expect(error.action).toContain('on the contact');
  });

  it('hourly rates on the limits (0 and 1,000,000,000) are written as they are', async () => {
    const low = newContact('rate-low', { o25fs_hourlyrate: 0 });
    const high = newContact('rate-high', { o25fs_hourlyrate: 1_000_000_000 });
    const c = tenant.load([low, high]);
    await runUntilQuiet(c.t);
    for (const [contact, rate] of [[low, 0], [high, 1_000_000_000]] as const) {
      expectConverged(c.t, idOf(contact));
      const brId = String(row(c.t, 'contacts', idOf(contact))!._o25fs_bookableresourceid_value);
      expect(row(c.t, 'bookableresources', brId)!.msdyn_hourlyrate).toBe(rate);
    }
  });

  it('a converged technician whose hourly rate goes out of range: an error on the contact, not an update refused on every run; fixed, it converges', async () => {
    const tech = newContact('rate-later', { o25fs_hourlyrate: 45 });
    const c = tenant.load([tech]);
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(tech));
    c.t.s.sim.state.dataverse.update('contacts', idOf(tech), { o25fs_hourlyrate: 5_000_000_000 });
    const { runs, last } = await runUntilQuiet(c.t, [idOf(tech)]);
    expect(contactPlan(last, idOf(tech)).error?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(last.changes).toEqual([]);
    expect(runs.flatMap((r) => r.results).filter((r) => r.subjectKey === technicianKey(idOf(tech)) && r.outcome === 'failed')).toEqual([]);
    const brId = String(row(c.t, 'contacts', idOf(tech))!._o25fs_bookableresourceid_value);
    expect(row(c.t, 'bookableresources', brId)!.msdyn_hourlyrate).toBe(45);
    expect(row(c.t, 'contacts', idOf(tech))!.o25fs_provisioningstatus).toBe(STATUS.error);
    c.t.s.sim.state.dataverse.update('contacts', idOf(tech), { o25fs_hourlyrate: 50 });
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(tech));
    expect(row(c.t, 'bookableresources', brId)!.msdyn_hourlyrate).toBe(50);
    expectOthersFine(c, [idOf(tech)]);
  });

  it('an organisational unit lookup pointing at a deleted org unit: LOOKUP_TARGET_MISSING on that contact alone', async () => {
    const gone = demoId('ou:Closed Depot');
    const bad = newContact('deadou', { _o25fs_organizationalunitid_value: gone });
    const c = tenant.load([bad]);
    const { runs } = await runUntilQuiet(c.t, [idOf(bad)]);
    const failed = runs.flatMap((r) => r.results).filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.changeId === `${idOf(bad)}/bookableresource.create`)).toBe(true);
    expect(failed[0]!.error).toMatchObject({ class: 'contact', code: 'LOOKUP_TARGET_MISSING' });
    expect(failed[0]!.error!.message).toContain(gone);
    expect(failed[0]!.error!.message).toContain('msdyn_organizationalunit');
    const stored = row(c.t, 'contacts', idOf(bad))!;
    expect(stored.o25fs_provisioningstatus).toBe(STATUS.error);
    expect(String(stored.o25fs_provisioningerror)).toContain(gone);
    // Everything before the resource is done; the resource waits for a valid org unit.
    expect(stored.o25fs_entraobjectid).not.toBeNull();
    expect(runs.every((r) => r.outcome !== 'failed')).toBe(true);
    expectOthersFine(c);
    // Fixing the contact lets it converge.
    c.t.s.sim.state.dataverse.update('contacts', idOf(bad), { _o25fs_organizationalunitid_value: null });
    await runUntilQuiet(c.t);
    expectConverged(c.t, idOf(bad));
  });
});

const usTenant = corpusTenant({ ...JSON.parse(JSON.stringify((await import('../support/tenant.js')).GUEST_SETTINGS)) as Record<string, string>, DEFAULT_USAGE_LOCATION: 'US' });

describe('bad input: countries (DEFAULT_USAGE_LOCATION=US)', () => {
  it('"United Kingdom" maps to GB', async () => {
    const bad = newContact('uk', { address1_country: 'United Kingdom' });
    const c = usTenant.load([bad]);
    await expectAllConverged(c, bad, { usageLocation: 'GB' });
  });

  it('a country that maps to nothing: the default usage location and a COUNTRY_UNKNOWN warning', async () => {
    const bad = newContact('atlantis', { address1_country: 'Atlantis' });
    const c = usTenant.load([bad]);
    const p = await plan(c.t);
    expect(contactPlan(p, idOf(bad)).warnings).toEqual([expect.objectContaining({ code: 'COUNTRY_UNKNOWN', message: expect.stringContaining('falls back to US') })]);
    await expectAllConverged(c, bad, { usageLocation: 'US' });
  });
});
