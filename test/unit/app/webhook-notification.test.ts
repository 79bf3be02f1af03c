import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../../src/app/requests.js';
import { MAX_NOTIFICATION_BYTES, parseNotification } from '../../../src/app/webhook-notification.js';

const CONTACT = '6f1c1b4e-8a0d-4c55-9f7e-0a1b2c3d4e5f';
const CORRELATION = '12345678-1234-4abc-9def-1234567890ab';

// The shape of a RemoteExecutionContext as a Dataverse webhook posts it (Learn, "Use webhooks to
// create external handlers for server events"): the fields read, and some of those left unread.
function context(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    BusinessUnitId: '0a0b0c0d-0000-0000-0000-000000000001',
    CorrelationId: CORRELATION,
    Depth: 1,
    InputParameters: [{ key: 'Target', value: { LogicalName: 'contact', Id: CONTACT, Attributes: [{ key: 'emailaddress1', value: 'x@example.com' }] } }],
    MessageName: 'Update',
    Mode: 1,
    OperationCreatedOn: '/Date(1764748800000)/',
    PrimaryEntityId: CONTACT,
    PrimaryEntityName: 'contact',
    Stage: 40,
    ...over,
  });
}

describe('parseNotification', () => {
  it.each([
    { reason: 'an update of a contact names the contact', body: context(), want: { kind: 'contact', contactId: CONTACT, message: 'update', correlationId: CORRELATION } },
    { reason: 'a create too, with the id lower-cased', body: context({ MessageName: 'Create', PrimaryEntityId: CONTACT.toUpperCase() }), want: { kind: 'contact', contactId: CONTACT, message: 'create', correlationId: CORRELATION } },
    { reason: 'a correlation id that is not a GUID is left out', body: context({ CorrelationId: '<script>' }), want: { kind: 'contact', contactId: CONTACT, message: 'update' } },
    { reason: 'another table starts nothing', body: context({ PrimaryEntityName: 'account' }), want: { kind: 'ignored', reason: 'notifications about account rows start nothing; register the webhook on contact only' } },
    { reason: 'another message starts nothing', body: context({ MessageName: 'Delete' }), want: { kind: 'ignored', reason: 'the delete message starts nothing; register the webhook on Create and Update of contact' } },
  ])('$reason', ({ body, want }) => {
    expect(parseNotification(body)).toEqual(want);
  });

  it.each([
    { reason: 'not JSON', body: 'code=abc', message: /JSON execution context/ },
    { reason: 'a JSON array', body: '[]', message: /JSON object/ },
    { reason: 'no table', body: context({ PrimaryEntityName: undefined }), message: /no PrimaryEntityName/ },
    { reason: 'no message', body: context({ MessageName: 7 }), message: /no MessageName/ },
    { reason: 'an id that is not a GUID (an OData filter smuggled in)', body: context({ PrimaryEntityId: "x' or 1 eq 1" }), message: /PrimaryEntityId must be the contact id/ },
    { reason: 'larger than any Dataverse notification', body: context({ Padding: 'a'.repeat(MAX_NOTIFICATION_BYTES) }), message: /larger than 1048576 bytes/ },
  ])('refuses a body that is $reason', ({ body, message }) => {
    expect(() => parseNotification(body)).toThrow(BadRequest);
    expect(() => parseNotification(body)).toThrow(message);
  });

  it('reads nothing from the contact\'s attributes in the body: only which row changed', () => {
    const forged = context({ InputParameters: [{ key: 'Target', value: { LogicalName: 'contact', Id: 'ffffffff-ffff-4fff-8fff-ffffffffffff', Attributes: [{ key: 'o25fs_setuptechnician', value: true }] } }] });
    expect(parseNotification(forged)).toEqual({ kind: 'contact', contactId: CONTACT, message: 'update', correlationId: CORRELATION });
  });
});
