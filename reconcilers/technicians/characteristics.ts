/**
 * The bookable resource's characteristics are exactly the contact's active technician
 * characteristics: one row per characteristic with its rating. Missing rows are created (with a
 * deterministic id per resource and characteristic, so a retry cannot duplicate them), ratings and
 * inactive rows are corrected, and every other row on the resource is deleted: rows added by hand,
 * rows of characteristics the vendor removed, and duplicates of the same characteristic.
 * Only while the contact is active and its Dataverse user exists (like the resource itself).
 */
import { resourceCharacteristicIdFor } from './ids.js';
import { targetId } from '../../src/engine/kind.js';
import type { Change, Values } from '../../src/model/plan.js';
import type { BookableResourceCharacteristicRow } from '../../src/model/rows.js';
import type { DesiredCharacteristic, DesiredTechnician, ObservedTechnician } from './state.js';
import { change, resourceIdOf, sameId, type TechnicianKind } from './common.js';
import { awaitsDataverseUser } from './systemuser-add.js';
import { modelTargetId, patched, replaceRow } from './effects.js';
import { createdEarlier, dataverseCreate, dataversePatch } from './requests.js';

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/** Which existing row to keep for a characteristic: a correct active one, else ours, else the lowest id. */
function rank(row: BookableResourceCharacteristicRow, want: DesiredCharacteristic, ownId: string): number {
  if (row.statecode === 0 && sameId(row._ratingvalue_value, want.ratingValueId)) return 0;
  if (sameId(row.bookableresourcecharacteristicid, ownId)) return 1;
  return row.statecode === 0 ? 2 : 3;
}

export function diff(desired: DesiredTechnician, observed: ObservedTechnician): Change[] {
  if (desired.intent !== 'provision' || awaitsDataverseUser(desired, observed)) return [];
  const resourceId = resourceIdOf(desired, observed);
  const rows = observed.bookableResource ? observed.resourceCharacteristics : [];
  const changes: Change[] = [];
  const kept = new Set<BookableResourceCharacteristicRow>();

  for (const want of desired.characteristics) {
    const ownId = resourceCharacteristicIdFor(resourceId, want.characteristicId);
    const existing = rows
      .filter((r) => sameId(r._characteristic_value, want.characteristicId))
      .sort(
        (a, b) =>
          rank(a, want, ownId) - rank(b, want, ownId) ||
          (lc(a.bookableresourcecharacteristicid) < lc(b.bookableresourcecharacteristicid) ? -1 : 1),
      );
    const keep = existing[0];
    if (!keep) {
      changes.push(
        change(
          desired,
          'characteristic.create',
          { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: ownId },
          null,
          { _resource_value: resourceId, _characteristic_value: want.characteristicId, _ratingvalue_value: want.ratingValueId },
          'The contact has this characteristic but its bookable resource does not; it is added.',
          want.characteristicId,
        ),
      );
      continue;
    }
    kept.add(keep);
    const before: Values = {};
    const after: Values = {};
    if (!sameId(keep._ratingvalue_value, want.ratingValueId)) {
      before._ratingvalue_value = keep._ratingvalue_value;
      after._ratingvalue_value = want.ratingValueId;
    }
    if (keep.statecode !== 0) {
      before.statecode = keep.statecode;
      after.statecode = 0;
      after.statuscode = 1;
    }
    if (Object.keys(after).length > 0) {
      changes.push(
        change(
          desired,
          'characteristic.update',
          { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: keep.bookableresourcecharacteristicid },
          before,
          after,
          '_ratingvalue_value' in after
            ? 'The rating on the resource differs from the contact\'s technician characteristic; the contact\'s rating is written.'
            : 'The characteristic row on the resource was deactivated; the contact still has it, so it is reactivated.',
          want.characteristicId,
        ),
      );
    }
  }

  for (const row of rows) {
    if (kept.has(row)) continue;
    const wanted = desired.characteristics.some((w) => sameId(w.characteristicId, row._characteristic_value));
    changes.push(
      change(
        desired,
        'characteristic.delete',
        { service: 'dataverse', entity: 'bookableresourcecharacteristic', id: row.bookableresourcecharacteristicid },
        { _characteristic_value: row._characteristic_value, _ratingvalue_value: row._ratingvalue_value },
        null,
        wanted
          ? 'A second row for the same characteristic on the resource; the duplicate is deleted.'
          : 'The contact has no active technician characteristic for this one (removed by the vendor, or added on the resource by hand); it is deleted.',
        row.bookableresourcecharacteristicid,
      ),
    );
  }
  return changes;
}

const ROW_ID = 'bookableresourcecharacteristicid';
const lcEq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const characteristicsKind: TechnicianKind = {
  name: 'characteristics',
  changes: [
    {
      kind: 'characteristic.create',
      label: 'Add characteristic',
      runsAfter: ['bookableresource.create'],
      removal: false,
      toRequest: (c, createdId) => dataverseCreate(c, createdId, 'bookableresourcecharacteristics', ROW_ID),
      alreadyDone: createdEarlier,
      effect: (model, c, refs) => {
        const id = modelTargetId(c, refs);
        if (model.resourceCharacteristics.some((r) => r.bookableresourcecharacteristicid === id)) throw new Error(`model: duplicate characteristic row ${id}`);
        const row = { ...(c.after as unknown as BookableResourceCharacteristicRow), bookableresourcecharacteristicid: id, statecode: 0 };
        return { model: { ...model, resourceCharacteristics: [...model.resourceCharacteristics, row] } };
      },
    },
    {
      kind: 'characteristic.update',
      label: 'Update characteristic',
      runsAfter: ['bookableresource.create'],
      removal: false,
      toRequest: dataversePatch,
      effect: (model, c, refs) => {
        // The model's rows have no status reason; the state is what matters.
        const { statuscode: _ignored, ...values } = c.after ?? {};
        const rows = replaceRow(model.resourceCharacteristics, ROW_ID, modelTargetId(c, refs), 'characteristic row', (r) => patched(r, values, refs));
        return { model: { ...model, resourceCharacteristics: rows } };
      },
    },
    {
      kind: 'characteristic.delete',
      label: 'Remove characteristic',
      runsAfter: ['bookableresource.create'],
      removal: false,
      toRequest: (c, createdId) => ({ method: 'DELETE', url: `bookableresourcecharacteristics(${targetId(c, createdId)})` }),
      effect: (model, c, refs) => {
        const id = modelTargetId(c, refs);
        replaceRow(model.resourceCharacteristics, ROW_ID, id, 'characteristic row', (r) => r);
        return { model: { ...model, resourceCharacteristics: model.resourceCharacteristics.filter((r) => !lcEq(r.bookableresourcecharacteristicid, id)) } };
      },
    },
  ],
  diff,
};
