/** Deterministic ids: RFC 4122 §4.3 name-based UUIDs, version 5 (SHA-1). */
import { describe, expect, it } from 'vitest';
import { bookableResourceIdFor, isCreatedRef, resourceCharacteristicIdFor, uuidV5 } from '../../../reconcilers/technicians/ids.js';
import { optionValueToStatus, PROVISIONING_STATUS_ORDER, statusToOptionValue } from '../../../reconcilers/technicians/status-codes.js';

describe('uuidV5', () => {
  it('matches the well-known vector uuid5(NAMESPACE_DNS, "python.org") (RFC 4122 v5, as Python\'s uuid module computes it)', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
  it('the same contact always gets the same resource id, whatever the GUID\'s case; another contact another id', () => {
    const id = bookableResourceIdFor('AAAA-1');
    expect(bookableResourceIdFor('aaaa-1')).toBe(id);
    expect(bookableResourceIdFor('aaaa-2')).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('characteristic row ids depend on both the resource and the characteristic', () => {
    const a = resourceCharacteristicIdFor('r-1', 'ch-1');
    expect(resourceCharacteristicIdFor('R-1', 'CH-1')).toBe(a);
    expect(new Set([a, resourceCharacteristicIdFor('r-1', 'ch-2'), resourceCharacteristicIdFor('r-2', 'ch-1')]).size).toBe(3);
  });
  it('recognises created-object references and nothing else', () => {
    expect(isCreatedRef({ createdBy: 'c-1/user.invite' })).toBe(true);
    expect(isCreatedRef({ createdBy: 'x', extra: 1 })).toBe(false);
    expect(isCreatedRef('c-1/user.invite')).toBe(false);
    expect(isCreatedRef(null)).toBe(false);
  });
});

describe('o25fs_provisioningstatus option values', () => {
  it('are 808950000 + n in a fixed order, and decode back', () => {
    expect(statusToOptionValue('pending')).toBe(808950000);
    expect(statusToOptionValue('waiting_for_dataverse_user')).toBe(808950002);
    expect(statusToOptionValue('out_of_scope')).toBe(808950009);
    for (const s of PROVISIONING_STATUS_ORDER) expect(optionValueToStatus(statusToOptionValue(s))).toBe(s);
    expect(optionValueToStatus(null)).toBeNull();
    expect(optionValueToStatus(1)).toBeNull();
  });
});
