/**
 * The allow-list (src/telemetry/redact.ts) and the structured log line (log.ts): only ids, codes,
 * closed words and numbers leave; names, emails and messages never do.
 */
import { describe, expect, it } from 'vitest';
import { dependencyName, errorFields, redact, safeUrl, safeValue, sanitisedError } from '../../../src/telemetry/redact.js';
import { createLogger, logLine } from '../../../src/telemetry/log.js';
import { ContactError } from '../../../src/model/errors.js';

const GUID = 'c0000000-0000-4000-8000-000000000001';

describe('safeValue', () => {
  const cases: { reason: string; key: string; value: unknown; expected: unknown }[] = [
    { reason: 'a contact id that is a GUID leaves', key: 'contactId', value: GUID, expected: GUID },
    { reason: 'a contact id that is a name does not', key: 'contactId', value: 'Alice Adams', expected: undefined },
    { reason: 'an error code leaves', key: 'errorCode', value: 'EMAIL_CHANGED', expected: 'EMAIL_CHANGED' },
    { reason: 'an error message under the code key does not', key: 'errorCode', value: 'The email changed', expected: undefined },
    { reason: 'a trigger from the closed set leaves', key: 'trigger', value: 'timer', expected: 'timer' },
    { reason: 'a trigger outside the closed set does not', key: 'trigger', value: 'bob', expected: undefined },
    { reason: 'an unknown key never carries a string', key: 'displayName', value: 'Alice Adams', expected: undefined },
    { reason: 'an unknown key never carries a string, even a harmless one', key: 'message', value: 'ok', expected: undefined },
    { reason: 'a run id token leaves', key: 'runId', value: 'run-2025-03-01-1015', expected: 'run-2025-03-01-1015' },
    { reason: 'a run id with an @ does not', key: 'runId', value: 'alice@contoso.com', expected: undefined },
    { reason: 'a run id with spaces does not', key: 'runId', value: 'Alice Adams', expected: undefined },
    { reason: 'numbers leave under any well-formed key', key: 'changes.user.invite', value: 3, expected: 3 },
    { reason: 'NaN does not', key: 'durationMs', value: Number.NaN, expected: undefined },
    { reason: 'booleans leave', key: 'dryRun', value: true, expected: true },
    { reason: 'objects never leave', key: 'contactId', value: { id: GUID }, expected: undefined },
    { reason: 'a change id of ids and a kind leaves', key: 'changeId', value: `${GUID}/group.add`, expected: `${GUID}/group.add` },
  ];
  it.each(cases)('$reason', ({ key, value, expected }) => {
    expect(safeValue(key, value)).toBe(expected);
  });

  it('redact keeps the allowed fields and drops the rest', () => {
    expect(redact({ runId: 'r1', contactId: GUID, name: 'Alice', email: 'alice@adatum.example', errorCode: 'X_Y', count: 2 })).toEqual({
      runId: 'r1',
      contactId: GUID,
      errorCode: 'X_Y',
      count: 2,
    });
  });
});

describe('errors', () => {
  const err = new ContactError('AMBIGUOUS_USER', '2 Entra users have the email alice@adatum.example (Alice Adams)', 'Remove the duplicate.');

  it('errorFields gives the class name, code and class, never the message', () => {
    expect(errorFields(err)).toEqual({ errorName: 'ContactError', errorCode: 'AMBIGUOUS_USER', errorClass: 'contact' });
    expect(errorFields(new Error('boom for bob@x.example'))).toEqual({ errorName: 'Error', errorCode: 'UNEXPECTED' });
    expect(errorFields(Object.assign(new Error('socket'), { code: 'ECONNRESET' }))).toEqual({ errorName: 'Error', errorCode: 'ECONNRESET' });
    expect(errorFields('a string thrown')).toEqual({ errorName: 'Error', errorCode: 'UNEXPECTED' });
  });

  it('sanitisedError keeps the name and the frames; the message becomes the code', () => {
    const safe = sanitisedError(err);
    expect(safe.name).toBe('ContactError');
    expect(safe.message).toBe('AMBIGUOUS_USER');
    expect(safe.stack?.split('\n')[0]).toBe('ContactError: AMBIGUOUS_USER');
    expect(safe.stack?.split('\n').length).toBeGreaterThan(1);
    expect(safe.stack).not.toContain('@');
    expect(safe.stack).not.toContain('Alice');
  });
});

describe('URLs', () => {
  const cases: { reason: string; url: string; expected: string }[] = [
    {
      reason: 'the query goes (Graph filters carry email addresses)',
      url: "https://graph.microsoft.com/v1.0/users?$filter=mail eq 'alice@adatum.example'",
      expected: 'https://graph.microsoft.com/v1.0/users',
    },
    { reason: 'ids in the path stay', url: `https://graph.microsoft.com/v1.0/users/${GUID}/assignLicense`, expected: `https://graph.microsoft.com/v1.0/users/${GUID}/assignLicense` },
    { reason: 'Dataverse keys by id stay', url: `https://org.crm.dynamics.com/api/data/v9.2/contacts(${GUID})`, expected: `https://org.crm.dynamics.com/api/data/v9.2/contacts(${GUID})` },
    {
      reason: 'an alternate key with an email is replaced',
      url: "https://org.crm.dynamics.com/api/data/v9.2/contacts(emailaddress1='a%40b.example')",
      expected: 'https://org.crm.dynamics.com/api/data/v9.2/:redacted',
    },
    { reason: 'a UPN in the path is replaced', url: 'https://graph.microsoft.com/v1.0/users/alice_adatum.example%23EXT%23@contoso.onmicrosoft.com', expected: 'https://graph.microsoft.com/v1.0/users/:redacted' },
  ];
  it.each(cases)('$reason', ({ url, expected }) => {
    expect(safeUrl(url)).toBe(expected);
  });

  it('dependency names group by operation: ids become {id}', () => {
    expect(dependencyName('post', `https://graph.microsoft.com/v1.0/users/${GUID}/assignLicense?x=1`)).toBe('POST /v1.0/users/{id}/assignLicense');
  });
});

describe('structured log', () => {
  it('writes one JSON line with the allowed fields only', () => {
    expect(logLine('run.finished', { runId: 'r1', outcome: 'partial', changes: 4, contactName: 'Alice Adams', email: 'alice@adatum.example' })).toBe(
      '{"event":"run.finished","runId":"r1","outcome":"partial","changes":4}',
    );
  });

  it('an event name that is not dotted lower-case words is not written', () => {
    expect(logLine('Alice Adams was invited', {})).toBe('{"event":"event.invalid"}');
  });

  it('routes levels to the sink and adds base fields', () => {
    const lines: string[][] = [];
    const sink = { info: (l: string) => lines.push(['info', l]), warn: (l: string) => lines.push(['warn', l]), error: (l: string) => lines.push(['error', l]) };
    const log = createLogger(sink).with({ runId: 'r2', trigger: 'manual' });
    log.info('run.started', { mode: 'apply' });
    log.warn('run.lock_taken', { runId: 'r1' });
    log.error('run.failed', { errorCode: 'SETTINGS_INVALID', message: 'DATAVERSE_URL for bob@x.example' });
    expect(lines).toEqual([
      ['info', '{"event":"run.started","runId":"r2","trigger":"manual","mode":"apply"}'],
      ['warn', '{"event":"run.lock_taken","runId":"r1","trigger":"manual"}'],
      ['error', '{"event":"run.failed","runId":"r2","trigger":"manual","errorCode":"SETTINGS_INVALID"}'],
    ]);
  });
});
