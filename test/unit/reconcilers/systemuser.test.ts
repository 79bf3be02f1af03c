/** reconcilers/technicians/systemuser.ts: coordinates follow the contact; 5 decimals like Dataverse stores them. */
import { describe, expect, it } from 'vitest';
import { diff } from '../../../reconcilers/technicians/systemuser.js';
import { convergedTech, desiredFor, observedFor, technicianSubject } from '../../support/model.js';

const t = convergedTech(1, { address1_latitude: 52.37022, address1_longitude: 4.89517 });
const su = (lat: number | null, lng: number | null, disabled = false) => ({ ...t.systemUser, address1_latitude: lat, address1_longitude: lng, isdisabled: disabled });
const target = { service: 'dataverse', entity: 'systemuser', id: 'su-1' };

describe('systemuser reconciler', () => {
  const cases = [
    { reason: 'equal coordinates: nothing', contact: t.contact, systemUser: su(52.37022, 4.89517), want: [] },
    { reason: 'equal to 5 decimals: nothing (Dataverse rounds)', contact: t.contact, systemUser: su(52.370221, 4.895174), want: [] },
    { reason: 'changed on the systemuser: written back as a pair', contact: t.contact, systemUser: su(1, 4.89517), want: [{ id: 'c-1/systemuser.update', subject: technicianSubject('c-1'), kind: 'systemuser.update', target, before: { address1_latitude: 1, address1_longitude: 4.89517 }, after: { address1_latitude: 52.37022, address1_longitude: 4.89517 }, reason: "The Dataverse user's coordinates differ from the contact's (changed elsewhere); the contact's are written back.", dependsOn: [] }] },
    { reason: 'none on the systemuser: copied', contact: t.contact, systemUser: su(null, null), want: [{ id: 'c-1/systemuser.update', subject: technicianSubject('c-1'), kind: 'systemuser.update', target, before: { address1_latitude: null, address1_longitude: null }, after: { address1_latitude: 52.37022, address1_longitude: 4.89517 }, reason: "The Dataverse user has no coordinates; the contact's are copied to it.", dependsOn: [] }] },
    { reason: 'contact without both coordinates: not managed', contact: { ...t.contact, address1_longitude: null }, systemUser: su(1, 1), want: [] },
    { reason: 'deactivated contact: not managed', contact: { ...t.contact, statecode: 1 }, systemUser: su(1, 1), want: [] },
  ];
  for (const tc of cases) {
    it(tc.reason, () => expect(diff(desiredFor(tc.contact), observedFor({ ...t, contact: tc.contact }, { systemUser: tc.systemUser }))).toEqual(tc.want));
  }
  it('no systemuser yet: nothing (waiting for the user sync)', () => {
    expect(diff(desiredFor(t.contact), observedFor(t, { systemUser: null }))).toEqual([]);
  });
});
