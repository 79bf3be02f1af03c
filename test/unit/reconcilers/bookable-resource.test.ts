/** reconcilers/technicians/bookable-resource.ts: create with a deterministic id, update columns, reactivate, relink, deactivate. */
import { describe, expect, it } from 'vitest';
import { diff } from '../../../reconcilers/technicians/bookable-resource.js';
import { bookableResourceIdFor } from '../../../reconcilers/technicians/ids.js';
import { convergedTech, desiredFor, observedFor, technicianSubject } from '../../support/model.js';

const t = convergedTech(1);
const onBr = { service: 'dataverse', entity: 'bookableresource', id: 'br-1' };
const newId = bookableResourceIdFor('c-1');

describe('bookable resource reconciler', () => {
  const cases = [
    { reason: 'converged: nothing', contact: t.contact, observed: observedFor(t), want: [] },
    {
      reason: 'columns edited by hand (hourly rate within a cent is equal): only the differing ones',
      contact: t.contact,
      observed: observedFor(t, { bookableResource: { ...t.resource, timezone: 4, msdyn_hourlyrate: 42.501, _msdyn_warehouse_value: 'wh-x', msdyn_displayonscheduleassistant: false } }),
      want: [{ id: 'c-1/bookableresource.update', subject: technicianSubject('c-1'), kind: 'bookableresource.update', target: onBr, before: { timezone: 4, msdyn_displayonscheduleassistant: false, _msdyn_warehouse_value: 'wh-x' }, after: { timezone: 85, msdyn_displayonscheduleassistant: true, _msdyn_warehouse_value: null }, reason: 'The resource\'s time zone, availability search and warehouse differ from the contact (edited on the resource, or changed on the contact).', dependsOn: [] }],
    },
    {
      reason: 'renamed contact: the resource name follows (the original never re-synced it)',
      contact: { ...t.contact, fullname: 'Ana Souza' },
      observed: observedFor(t),
      want: [{ id: 'c-1/bookableresource.update', subject: technicianSubject('c-1'), kind: 'bookableresource.update', target: onBr, before: { name: 'Ana Silva' }, after: { name: 'Ana Souza' }, reason: 'The resource\'s name differs from the contact (edited on the resource, or changed on the contact).', dependsOn: [] }],
    },
    {
      reason: 'inactive resource of an active contact, pointing at another user: reactivated and repointed',
      contact: t.contact,
      observed: observedFor(t, { bookableResource: { ...t.resource, statecode: 1, statuscode: 2, _userid_value: 'su-other' } }),
      want: [{ id: 'c-1/bookableresource.update', subject: technicianSubject('c-1'), kind: 'bookableresource.update', target: onBr, before: { _userid_value: 'su-other', statecode: 1, statuscode: 2 }, after: { _userid_value: 'su-1', statecode: 0, statuscode: 1 }, reason: "The contact is active again, so the bookable resource is reactivated; the resource points at another Dataverse user than the technician's.", dependsOn: [] }],
    },
    {
      reason: 'lookup not set: linked',
      contact: { ...t.contact, _o25fs_bookableresourceid_value: null },
      observed: observedFor({ ...t, contact: { ...t.contact, _o25fs_bookableresourceid_value: null } }),
      want: [{ id: 'c-1/contact.link', subject: technicianSubject('c-1'), kind: 'contact.link', target: { service: 'dataverse', entity: 'contact', id: 'c-1' }, before: { _o25fs_bookableresourceid_value: null }, after: { _o25fs_bookableresourceid_value: 'br-1' }, reason: 'The contact\'s Bookable Resource lookup is set, so the vendor admin sees the resource and its work hours on the contact.', dependsOn: [] }],
    },
    {
      reason: 'deactivated contact with an active resource: deactivated, not deleted',
      contact: { ...t.contact, statecode: 1 },
      observed: observedFor(t),
      want: [{ id: 'c-1/bookableresource.deactivate', subject: technicianSubject('c-1'), kind: 'bookableresource.deactivate', target: onBr, before: { statecode: 0, statuscode: 1 }, after: { statecode: 1, statuscode: 2 }, reason: 'The contact is no longer an active technician, so its bookable resource is deactivated and cannot be scheduled (it is not deleted).', dependsOn: [] }],
    },
    { reason: 'deactivated contact, resource already inactive: nothing', contact: { ...t.contact, statecode: 1 }, observed: observedFor(t, { bookableResource: { ...t.resource, statecode: 1, statuscode: 2 } }), want: [] },
    { reason: 'waiting for the systemuser: nothing, even if the resource drifted', contact: t.contact, observed: observedFor(t, { systemUser: null, bookableResource: { ...t.resource, name: 'x' } }), want: [] },
    { reason: 'systemuser disabled: nothing', contact: t.contact, observed: observedFor(t, { systemUser: { ...t.systemUser, isdisabled: true } }), want: [] },
    { reason: 'ignored contact: nothing', contact: { ...t.contact, o25fs_setuptechnician: false }, observed: observedFor(t, { bookableResource: { ...t.resource, name: 'x' } }), want: [] },
  ];
  for (const tc of cases) it(tc.reason, () => expect(diff(desiredFor(tc.contact), tc.observed)).toEqual(tc.want));

  it('no resource yet: created with the deterministic id and every column, then linked', () => {
    const contact = { ...t.contact, _o25fs_bookableresourceid_value: 'br-deleted' };
    const changes = diff(desiredFor(contact), observedFor({ ...t, contact }, { bookableResource: null }));
    expect(changes.map((c) => [c.kind, c.target.id, c.before, c.after])).toEqual([
      ['bookableresource.create', newId, null, { name: 'Ana Silva', resourcetype: 3, timezone: 85, msdyn_startlocation: 690970002, msdyn_endlocation: 690970002, _msdyn_organizationalunit_value: null, msdyn_displayonscheduleboard: true, msdyn_displayonscheduleassistant: true, msdyn_hourlyrate: 42.5, msdyn_timeoffapprovalrequired: false, _msdyn_warehouse_value: null, _userid_value: 'su-1', statecode: 0, statuscode: 1 }],
      ['contact.link', 'c-1', { _o25fs_bookableresourceid_value: 'br-deleted' }, { _o25fs_bookableresourceid_value: newId }],
    ]);
  });
});
