/**
 * The scoping flags as a RunScope and the check that what they name was found
 * (src/cli/scope.ts): an unknown id is named, a vendor with no row fails, never "nothing to change".
 */
import { describe, expect, it } from 'vitest';
import { checkScopeFound, isGuid, scopeFrom } from '../../../src/cli/scope.js';
import { change, planOf, rowId } from './plan-fixture.js';

const VENDOR = 'd7fb2863-4d86-5346-91a7-58f877939fed';

describe('scope flags', () => {
  it('--contact wins over --vendor; ids lower-cased and deduplicated', () => {
    expect(scopeFrom([rowId(1).toUpperCase(), rowId(1)], VENDOR)).toEqual({ kind: 'subjects', family: 'technicians', subjectIds: [rowId(1)] });
    expect(scopeFrom([], VENDOR.toUpperCase())).toEqual({ kind: 'group', family: 'technicians', groupId: VENDOR });
    expect(scopeFrom(undefined, undefined)).toEqual({ kind: 'tenant' });
  });

  it('GUIDs: 8-4-4-4-12 hex digits, any case, nothing around them', () => {
    expect(isGuid(VENDOR.toUpperCase())).toBe(true);
    for (const bad of ['fabrikam', `{${VENDOR}}`, `${VENDOR} `, VENDOR.replace(/-/g, ''), '']) expect(isGuid(bad)).toBe(false);
  });

  it('every named contact found: no error; some unknown: SCOPE_NOT_FOUND naming each unknown id', () => {
    const plan = planOf([change(1, 'user.invite')], [1, 2]);
    expect(() => checkScopeFound({ kind: 'subjects', family: 'technicians', subjectIds: [rowId(1), rowId(2)] }, plan)).not.toThrow();
    expect(() => checkScopeFound({ kind: 'subjects', family: 'technicians', subjectIds: [rowId(1), rowId(8), rowId(9)] }, plan)).toThrow(
      expect.objectContaining({ code: 'SCOPE_NOT_FOUND', message: `No technicians contact has the ids ${rowId(8)}, ${rowId(9)}: nothing was planned for them.` }),
    );
  });

  it('a vendor scope with no row: SCOPE_NOT_FOUND; with rows (even converged, no change): fine; the tenant: always fine', () => {
    expect(() => checkScopeFound({ kind: 'group', family: 'technicians', groupId: VENDOR }, planOf([], []))).toThrow(
      expect.objectContaining({ code: 'SCOPE_NOT_FOUND', message: `The vendor account ${VENDOR} has no technicians contact: nothing was planned for it.` }),
    );
    expect(() => checkScopeFound({ kind: 'group', family: 'technicians', groupId: VENDOR }, planOf([], [1]))).not.toThrow();
    expect(() => checkScopeFound({ kind: 'tenant' }, planOf([], []))).not.toThrow();
  });
});
