/** reconcilers/technicians/characteristics.ts: the resource's characteristics are exactly the contact's active ones. */
import { describe, expect, it } from 'vitest';
import { diff } from '../../../reconcilers/technicians/characteristics.js';
import { bookableResourceIdFor, resourceCharacteristicIdFor } from '../../../reconcilers/technicians/ids.js';
import type { BookableResourceCharacteristicRow } from '../../../src/model/rows.js';
import type { VendorCharacteristicRow } from '../../../reconcilers/technicians/rows.js';
import { convergedTech, desiredFor, observation, observedFor, technicianSubject } from '../../support/model.js';

const t = convergedTech(1);
const tenant = (rows: [string, string | null][]) =>
  observation({
    characteristics: [
      { characteristicid: 'ch-1', name: 'Electrician' },
      { characteristicid: 'ch-2', name: 'Plumber' },
    ],
    ratingValues: [
      { ratingvalueid: 'rv-1', name: 'Basic', value: 1, _ratingmodel_value: 'rm' },
      { ratingvalueid: 'rv-2', name: 'Expert', value: 5, _ratingmodel_value: 'rm' },
    ],
    vendorCharacteristics: rows.map(([ch, rv], i): VendorCharacteristicRow => ({ o25fs_vendorcharacteristicid: `vc-${i}`, _o25fs_vendorcontactid_value: 'c-1', _o25fs_characteristicid_value: ch, _o25fs_ratingvalueid_value: rv, statecode: 0 })),
  });
const onResource = (id: string, ch: string | null, rv: string | null, statecode = 0): BookableResourceCharacteristicRow => ({ bookableresourcecharacteristicid: id, _resource_value: 'br-1', _characteristic_value: ch, _ratingvalue_value: rv, statecode });
const target = (id: string) => ({ service: 'dataverse', entity: 'bookableresourcecharacteristic', id });

describe('characteristics reconciler', () => {
  const cases = [
    { reason: 'same characteristics and ratings: nothing', wanted: [['ch-1', 'rv-1']] as [string, string | null][], rows: [onResource('r-1', 'ch-1', 'rv-1')], want: [] },
    {
      reason: 'missing on the resource: created with the deterministic id',
      wanted: [['ch-1', 'rv-1']] as [string, string | null][],
      rows: [],
      want: [{ id: 'c-1/characteristic.create/ch-1', subject: technicianSubject('c-1'), kind: 'characteristic.create', target: target(resourceCharacteristicIdFor('br-1', 'ch-1')), before: null, after: { _resource_value: 'br-1', _characteristic_value: 'ch-1', _ratingvalue_value: 'rv-1' }, reason: 'The contact has this characteristic but its bookable resource does not; it is added.', dependsOn: [] }],
    },
    {
      reason: 'rating changed by the vendor: updated',
      wanted: [['ch-1', 'rv-2']] as [string, string | null][],
      rows: [onResource('r-1', 'ch-1', 'rv-1')],
      want: [{ id: 'c-1/characteristic.update/ch-1', subject: technicianSubject('c-1'), kind: 'characteristic.update', target: target('r-1'), before: { _ratingvalue_value: 'rv-1' }, after: { _ratingvalue_value: 'rv-2' }, reason: "The rating on the resource differs from the contact's technician characteristic; the contact's rating is written.", dependsOn: [] }],
    },
    {
      reason: 'row deactivated on the resource: reactivated',
      wanted: [['ch-1', 'rv-1']] as [string, string | null][],
      rows: [onResource('r-1', 'ch-1', 'rv-1', 1)],
      want: [{ id: 'c-1/characteristic.update/ch-1', subject: technicianSubject('c-1'), kind: 'characteristic.update', target: target('r-1'), before: { statecode: 1 }, after: { statecode: 0, statuscode: 1 }, reason: 'The characteristic row on the resource was deactivated; the contact still has it, so it is reactivated.', dependsOn: [] }],
    },
    {
      reason: 'added on the resource by hand: deleted',
      wanted: [] as [string, string | null][],
      rows: [onResource('r-9', 'ch-2', null)],
      want: [{ id: 'c-1/characteristic.delete/r-9', subject: technicianSubject('c-1'), kind: 'characteristic.delete', target: target('r-9'), before: { _characteristic_value: 'ch-2', _ratingvalue_value: null }, after: null, reason: 'The contact has no active technician characteristic for this one (removed by the vendor, or added on the resource by hand); it is deleted.', dependsOn: [] }],
    },
    {
      reason: 'duplicates of one characteristic: the correct row is kept, the other deleted',
      wanted: [['ch-1', 'rv-2']] as [string, string | null][],
      rows: [onResource('r-a', 'ch-1', 'rv-1'), onResource('r-b', 'ch-1', 'rv-2')],
      want: [{ id: 'c-1/characteristic.delete/r-a', subject: technicianSubject('c-1'), kind: 'characteristic.delete', target: target('r-a'), before: { _characteristic_value: 'ch-1', _ratingvalue_value: 'rv-1' }, after: null, reason: 'A second row for the same characteristic on the resource; the duplicate is deleted.', dependsOn: [] }],
    },
  ];
  for (const tc of cases) {
    it(tc.reason, () => {
      const d = desiredFor(t.contact, undefined, tenant(tc.wanted));
      expect(diff(d, observedFor(t, { resourceCharacteristics: tc.rows }))).toEqual(tc.want);
    });
  }

  it('resource not created yet: rows are created on the deterministic resource id', () => {
    const contact = { ...t.contact, _o25fs_bookableresourceid_value: null };
    const d = desiredFor(contact, undefined, tenant([['ch-2', null]]));
    const changes = diff(d, observedFor({ ...t, contact }, { bookableResource: null }));
    const br = bookableResourceIdFor('c-1');
    expect(changes.map((c) => [c.id, c.target.id, c.after])).toEqual([
      ['c-1/characteristic.create/ch-2', resourceCharacteristicIdFor(br, 'ch-2'), { _resource_value: br, _characteristic_value: 'ch-2', _ratingvalue_value: null }],
    ]);
  });

  it('waiting for the systemuser or deactivated: nothing', () => {
    const d = desiredFor(t.contact, undefined, tenant([['ch-1', null]]));
    expect(diff(d, observedFor(t, { systemUser: null }))).toEqual([]);
    const off = desiredFor({ ...t.contact, statecode: 1 }, undefined, tenant([['ch-1', null]]));
    expect(diff(off, observedFor(t, { resourceCharacteristics: [onResource('r-9', 'ch-2', null)] }))).toEqual([]);
  });
});
