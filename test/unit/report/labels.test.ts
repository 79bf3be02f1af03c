import { describe, expect, it } from 'vitest';
import { CHANGE_KIND_ORDER } from '../../../src/kinds.js';
import type { ProvisioningStatus } from '../../../src/model/plan.js';
import {
  CHANGE_KIND_LABELS,
  CHANGE_OUTCOME_LABELS,
  PROVISIONING_STATUSES,
  STATUS_DESCRIPTIONS,
  STATUS_LABELS,
} from '../../../src/report/labels.js';

// Every status in the ProvisioningStatus union (src/model/plan.ts). The `satisfies` makes the
// typecheck fail when this list names a status the model does not have; the exhaustive switch
// below fails it when the model gains a status this list lacks.
const ALL_STATUSES = [
  'pending', 'invited', 'waiting_for_dataverse_user', 'active', 'deprovisioned',
  'removal_blocked', 'no_licence_units', 'error', 'quarantined', 'out_of_scope',
] as const satisfies readonly ProvisioningStatus[];
function covered(s: ProvisioningStatus): (typeof ALL_STATUSES)[number] {
  switch (s) {
    case 'pending': case 'invited': case 'waiting_for_dataverse_user': case 'active': case 'deprovisioned':
    case 'removal_blocked': case 'no_licence_units': case 'error': case 'quarantined': case 'out_of_scope':
      return s;
  }
}

describe('report labels', () => {
  it('gives every ChangeKind of the model a distinct admin label', () => {
    for (const kind of CHANGE_KIND_ORDER) expect(CHANGE_KIND_LABELS[kind], kind).toMatch(/^[A-Z][a-z]/);
    expect(new Set(CHANGE_KIND_ORDER.map((k) => CHANGE_KIND_LABELS[k])).size).toBe(CHANGE_KIND_ORDER.length);
    expect(Object.keys(CHANGE_KIND_LABELS).sort()).toEqual([...CHANGE_KIND_ORDER].sort());
  });

  it('uses the agreed words for change kinds', () => {
    expect(CHANGE_KIND_LABELS).toMatchObject({
      'user.invite': 'Invite guest user',
      'user.update': 'Update user details',
      'licence.assign': 'Assign licence',
      'licence.remove': 'Remove licence',
      'group.add': 'Add to technician group',
      'group.remove': 'Remove from technician group',
      'contact.anchor': 'Record Entra id on contact',
      'systemuser.update': 'Update Dataverse user coordinates',
      'bookableresource.create': 'Create bookable resource',
      'bookableresource.update': 'Update bookable resource',
      'bookableresource.deactivate': 'Deactivate bookable resource',
      'contact.link': 'Link bookable resource to contact',
      'characteristic.create': 'Add characteristic',
      'characteristic.update': 'Update characteristic',
      'characteristic.delete': 'Remove characteristic',
    });
  });

  it('gives every ProvisioningStatus a distinct label and a description, and lists each once', () => {
    expect([...PROVISIONING_STATUSES].sort()).toEqual(ALL_STATUSES.map(covered).sort());
    for (const s of ALL_STATUSES) {
      expect(STATUS_LABELS[s], s).toMatch(/^[A-Z]/);
      expect(STATUS_DESCRIPTIONS[s], s).toMatch(/\.$/);
    }
    expect(new Set(ALL_STATUSES.map((s) => STATUS_LABELS[s])).size).toBe(ALL_STATUSES.length);
    expect(STATUS_LABELS).toEqual({
      active: 'Active',
      invited: 'Invited',
      waiting_for_dataverse_user: 'Waiting for Dataverse user',
      pending: 'Changes pending',
      no_licence_units: 'No licence units',
      removal_blocked: 'Removal held back',
      error: 'Error',
      quarantined: 'Quarantined',
      deprovisioned: 'Deprovisioned',
      out_of_scope: 'Out of scope',
    });
  });

  it('labels every change outcome', () => {
    expect(Object.keys(CHANGE_OUTCOME_LABELS).sort()).toEqual(['applied', 'blocked', 'failed', 'not_reached', 'skipped']);
  });
});
