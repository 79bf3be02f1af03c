/**
 * Conformance: Dataverse protocol strictness.
 * - Content-IDs in a multipart $batch: OData 4.01 Part 1 §11.7.7.1 "Multipart Batch Request Body"
 *   ("Each body part representing an operation in the change set MUST specify a Content-ID header
 *   with a request identifier that is unique within the batch request"; an identifier outside a
 *   change set "MUST be unique within the batch request"), answered with the messages of
 *   Microsoft.OData.Core's batch reader, which Dataverse reads batches with
 *   (execute-batch-operations-using-web-api.md shows a Content-ID on every change-set part).
 * - Edm.DateTimeOffset values: OData ABNF dateTimeOffsetValue (the offset, Z or ±hh:mm, is
 *   required); the OData reader refuses others with "Cannot convert the literal '…' to the expected
 *   type 'Edm.DateTimeOffset'." (OData/odata.net issue #2113 quotes it).
 * - Money: the hourly-rate columns are Money with Precision 2, PrecisionSource 1
 *   (Organization.PricingDecimalPrecision) in the Bookable Resource table reference
 *   (ce/field-service/developer/reference/entities/bookableresource), and the vendor self-service
 *   solution's o25fs_hourlyrate is money with precision 2; stored at that precision.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../support/sim.js';
import { RESOURCE_1, contactId, dataverseFixture } from './dataverse-fixture.js';

let s: RunningSim;
beforeEach(async () => {
  s = await startSim(dataverseFixture());
});
afterEach(() => s.stop());

interface Part {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
}

/** A raw multipart body: Content-IDs exactly as given (also outside change sets). */
function rawBatch(items: (Part | Part[])[]): { body: string; headers: Record<string, string> } {
  const b = 'batch_strict';
  const part = (p: Part): string =>
    [
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      ...(p.contentId ? [`Content-ID: ${p.contentId}`] : []),
      '',
      `${p.method} ${p.url} HTTP/1.1`,
      ...(p.body === undefined ? [] : ['Content-Type: application/json']),
      '',
      p.body === undefined ? '' : JSON.stringify(p.body),
    ].join('\r\n');
  const chunks = items.map((item, n) =>
    Array.isArray(item) ? `--${b}\r\nContent-Type: multipart/mixed; boundary=cs_${n}\r\n\r\n${item.map((p) => `--cs_${n}\r\n${part(p)}`).join('\r\n')}\r\n--cs_${n}--` : `--${b}\r\n${part(item)}`,
  );
  return { body: `${chunks.join('\r\n')}\r\n--${b}--\r\n`, headers: { 'Content-Type': `multipart/mixed; boundary=${b}` } };
}

const post = (batch: { body: string; headers: Record<string, string> }) => s.dataverse('POST', '$batch', batch);
const renameContact = (n: number, jobtitle: string, contentId?: string): Part => ({ method: 'PATCH', url: `contacts(${contactId(n)})`, body: { jobtitle }, ...(contentId ? { contentId } : {}) });
const jobtitle = (n: number) => s.sim.state.dataverse.get('contacts', contactId(n))?.jobtitle ?? null;

describe('Content-ID rules of a multipart $batch (OData 4.01 Part 1 §11.7.7.1)', () => {
  it.each([
    {
      name: 'a change-set part without a Content-ID',
      items: [[renameContact(1, 'A', '1'), renameContact(2, 'B')]],
      message: "The header with name 'Content-ID' was not present in the header collection of the batch operation.",
      reason: 'each operation in a change set MUST specify a Content-ID',
    },
    {
      name: 'the same Content-ID twice in one change set',
      items: [[renameContact(1, 'A', '1'), renameContact(2, 'B', '1')]],
      message: "The content ID '1' was found more than once in the same change set or same batch request. Content IDs have to be unique across all operations of a change set for OData V4.0 and have to be unique across all operations in the whole batch request for OData V4.01.",
      reason: 'unique within the batch request',
    },
    {
      name: 'the same Content-ID in two change sets',
      items: [[renameContact(1, 'A', '1')], [renameContact(2, 'B', '1')]],
      message: "The content ID '1' was found more than once in the same change set or same batch request. Content IDs have to be unique across all operations of a change set for OData V4.0 and have to be unique across all operations in the whole batch request for OData V4.01.",
      reason: 'unique within the batch request, not just the change set (the stricter 4.01 rule)',
    },
    {
      name: 'a Content-ID outside a change set repeated inside one',
      items: [{ method: 'GET', url: 'accounts?$select=name', contentId: '7' }, [renameContact(1, 'A', '7')]],
      message: "The content ID '7' was found more than once in the same change set or same batch request. Content IDs have to be unique across all operations of a change set for OData V4.0 and have to be unique across all operations in the whole batch request for OData V4.01.",
      reason: 'a request identifier outside a change set MUST also be unique within the batch request',
    },
  ])('$name → 400 and no part runs ($reason)', async ({ items, message }) => {
    const res = await post(rawBatch(items as (Part | Part[])[]));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: '0x80040203', message } });
    expect([jobtitle(1), jobtitle(2)]).toEqual([null, null]);
  });

  it('unique Content-IDs in change sets, and parts outside them without one, run', async () => {
    const res = await post(rawBatch([{ method: 'GET', url: 'accounts?$select=name' }, [renameContact(1, 'A', '1'), renameContact(2, 'B', '2')], [renameContact(4, 'D', '3')]]));
    expect(res.status, res.text).toBe(200);
    expect([jobtitle(1), jobtitle(2), jobtitle(4)]).toEqual(['A', 'B', 'D']);
  });
});

describe('Edm.DateTimeOffset values (OData ABNF dateTimeOffsetValue: the offset is required)', () => {
  const write = (value: unknown) => s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_nextattemptat: value }, headers: { 'If-Match': '*' } });

  it.each([
    { value: '01/02/2024', reason: 'a US date is not ISO 8601' },
    { value: '2024-01-02', reason: 'a date alone is Edm.Date, not Edm.DateTimeOffset' },
    { value: '2024-01-02T10:00:00', reason: 'no offset: OData requires Z or ±hh:mm' },
    { value: '2024-01-02 10:00:00Z', reason: 'the T separator is required' },
    { value: '2024-02-30T10:00:00Z', reason: 'February has no 30th' },
    { value: '2024-01-02T24:00:00Z', reason: 'hours run to 23' },
    { value: '2024-01-02T10:00:00+25:00', reason: 'an offset hour runs to 23' },
    { value: 1704189600000, reason: 'a number is not a date-time literal' },
  ])('$value is refused with 400 0x80048d19 "Cannot convert the literal" ($reason)', async ({ value }) => {
    const res = await write(value);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('0x80048d19');
    expect(res.json.error.message).toContain(`Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type 'Edm.DateTimeOffset'.`);
    expect(s.sim.state.dataverse.get('contacts', contactId(1))?.o25fs_nextattemptat ?? null).toBeNull();
  });

  it.each([
    { value: '2024-01-02T10:00:00Z', stored: '2024-01-02T10:00:00Z', reason: 'UTC as sent' },
    { value: '2024-01-02T10:00:00+01:00', stored: '2024-01-02T09:00:00Z', reason: 'an offset is converted to UTC' },
    { value: '2024-01-02T10:00Z', stored: '2024-01-02T10:00:00Z', reason: 'seconds are optional in the ABNF' },
    { value: '2024-01-02T10:00:00.250Z', stored: '2024-01-02T10:00:00.250Z', reason: 'fractional seconds are allowed' },
  ])('$value is stored as $stored ($reason)', async ({ value, stored }) => {
    expect((await write(value)).status).toBe(204);
    expect(s.sim.state.dataverse.get('contacts', contactId(1))?.o25fs_nextattemptat).toBe(stored);
  });
});

describe('money columns at their precision (table reference: msdyn_hourlyrate Precision 2)', () => {
  it.each([
    { value: 12.345, stored: 12.35, reason: 'rounded to 2 decimals, half away from zero' },
    { value: 12.344, stored: 12.34, reason: 'rounded down below the half' },
    { value: 1.005, stored: 1.01, reason: 'binary floating point does not turn the half into a rounding down' },
    { value: 50, stored: 50, reason: 'a whole amount stays as it is' },
  ])('msdyn_hourlyrate $value is stored as $stored ($reason)', async ({ value, stored }) => {
    const res = await s.dataverse('PATCH', `bookableresources(${RESOURCE_1})`, { body: { msdyn_hourlyrate: value }, headers: { 'If-Match': '*', Prefer: 'return=representation' } });
    expect(res.status).toBe(200);
    expect(res.json.msdyn_hourlyrate).toBe(stored);
    expect(s.sim.state.dataverse.get('bookableresources', RESOURCE_1)?.msdyn_hourlyrate).toBe(stored);
  });

  it('the contact\'s o25fs_hourlyrate keeps 2 decimals too, and the range still applies', async () => {
    expect((await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_hourlyrate: 80.126 }, headers: { 'If-Match': '*' } })).status).toBe(204);
    expect(s.sim.state.dataverse.get('contacts', contactId(1))?.o25fs_hourlyrate).toBe(80.13);
    const res = await s.dataverse('PATCH', `contacts(${contactId(1)})`, { body: { o25fs_hourlyrate: -1 }, headers: { 'If-Match': '*' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('0x80044331');
  });
});
