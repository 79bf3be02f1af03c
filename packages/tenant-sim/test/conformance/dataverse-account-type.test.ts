/**
 * Conformance: the contact column o25fs_accounttype, a nullable choice (Picklist) of the solution
 * with the options 808950000 Guest and 808950001 Service account (docs/dataverse-schema.md of the
 * repository; schemas/dataverse-entities.json `choices.o25fs_accounttype`). Sources:
 * - Learn "Create and edit global choices" (learn.microsoft.com/power-apps/maker/data-platform/custom-picklists):
 *   a choice column's value is one of its options; the column is not required, so it may be empty.
 * - Learn create-entity-web-api and update-delete-entities-using-web-api: a value outside a choice's
 *   options is refused with 400 and the validation error 0x80044331 (the same refusal as the other
 *   o25fs choices, dataverse-write.test.ts).
 * - Learn query-data-web-api "Formatted values": with Prefer odata.include-annotations the option's
 *   label comes as OData.Community.Display.V1.FormattedValue.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { ACCOUNT_A, contactId, dataverseFixture } from './dataverse-fixture.js';

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(dataverseFixture());
});
afterAll(() => s.stop());
beforeEach(() => s.sim.reset(dataverseFixture()));

const stored = (id: string): unknown => s.sim.state.dataverse.get('contacts', id)?.o25fs_accounttype;

describe('contacts.o25fs_accounttype', () => {
  it('is null on a contact that never set it, in a read with or without $select', async () => {
    const one = await s.dataverse('GET', `contacts(${contactId(1)})?$select=o25fs_accounttype`);
    expect(one.status).toBe(200);
    expect(one.json.o25fs_accounttype).toBeNull();
    const all = await s.dataverse('GET', `contacts(${contactId(2)})`);
    expect(all.json.o25fs_accounttype).toBeNull();
  });

  it.each([
    { value: 808950000, label: 'Guest', reason: 'Guest, the same as empty for the product' },
    { value: 808950001, label: 'Service account', reason: 'Service account' },
  ])('PATCH $value is stored and read back with its label ($reason)', async ({ value, label }) => {
    expect((await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: value } })).status).toBe(204);
    expect(stored(contactId(1))).toBe(value);
    const res = await s.dataverse('GET', `contacts(${contactId(1)})?$select=o25fs_accounttype`, { headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } });
    expect(res.json['o25fs_accounttype@OData.Community.Display.V1.FormattedValue']).toBe(label);
    expect(res.json.o25fs_accounttype).toBe(value);
  });

  it('can be cleared back to null', async () => {
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: 808950001 } });
    expect((await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: null } })).status).toBe(204);
    expect(stored(contactId(1))).toBeNull();
  });

  it('a create may set it', async () => {
    const res = await s.dataverse('POST', 'contacts', {
      body: { lastname: 'Sam', o25fs_accounttype: 808950001, 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT_A})` },
      headers: { Prefer: 'return=representation' },
    });
    expect(res.status).toBe(201);
    expect(res.json.o25fs_accounttype).toBe(808950001);
  });

  it.each([
    { value: 808950002, reason: 'the next value after the two options' },
    { value: 0, reason: 'zero is not an option' },
    { value: 808950008, reason: "an option of another choice (o25fs_provisioningstatus's Quarantined)" },
  ])('refuses $value with 400 0x80044331 and changes nothing ($reason)', async ({ value }) => {
    await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: 808950000 } });
    const res = await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: value } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      code: '0x80044331',
      message: `A validation error occurred.  The value ${value} of 'o25fs_accounttype' on record of type 'contact' is outside the valid range.`,
    });
    expect(stored(contactId(1))).toBe(808950000);
  });

  it.each([
    { value: 'Service account', reason: 'the label is not the value' },
    { value: 808950001.5, reason: 'a choice value is an integer' },
  ])('refuses $value as the wrong type (400 0x80048d19, $reason)', async ({ value }) => {
    const res = await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_accounttype: value } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('0x80048d19');
    expect(stored(contactId(1))).toBeUndefined();
  });

  it('$filter on it works like any choice column', async () => {
    await s.dataverse('PATCH', `contacts(${contactId(2)})`, { body: { o25fs_accounttype: 808950001 } });
    const res = await s.dataverse('GET', 'contacts?$select=contactid&$filter=o25fs_accounttype eq 808950001');
    expect(res.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([contactId(2)]);
  });
});
