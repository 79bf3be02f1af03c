/**
 * The contact's web role (adx_webrole_contact, N:N between adx_webrole and contact): granted while
 * the contact should have access, revoked (a guarded removal) when access is turned off or the
 * contact is deactivated — only on contacts the product manages (desired.ts), so a role an admin gave
 * by hand to another contact is never taken away.
 *
 * POST adx_webroles(<role>)/adx_webrole_contact/$ref {"@odata.id": "…/contacts(<id>)"} and
 * DELETE adx_webroles(<role>)/adx_webrole_contact(<id>)/$ref (Learn "Associate and disassociate
 * table rows using the Web API").
 */
import type { Change } from '../../src/model/plan.js';
import { associatedAlready, lookupsOf, portalChange, rowUri, type PortalKind } from './common.js';
import type { DesiredPortal, ObservedPortal } from './state.js';

function diff(desired: DesiredPortal, observed: ObservedPortal): Change[] {
  const target = { service: 'dataverse' as const, entity: 'adx_webrole' as const, id: desired.roleId };
  if (desired.intent === 'provision' && !observed.hasRole) {
    return [portalChange(desired, 'webrole.grant', target, { contactid: desired.contactId, member: false }, { contactid: desired.contactId, member: true }, 'The contact should have portal access, so it gets the web role that lets it book and follow its appointments.')];
  }
  if (desired.intent === 'deprovision' && observed.hasRole) {
    return [portalChange(desired, 'webrole.revoke', target, { contactid: desired.contactId, member: true }, { contactid: desired.contactId, member: false }, 'Portal access is turned off or the contact is deactivated, so its web role is removed.')];
  }
  return [];
}

const contactOf = (c: Change): string => String(c.after?.contactid);

export const webRoleKind: PortalKind = {
  name: 'web-role',
  changes: [
    {
      kind: 'webrole.grant',
      label: 'Give web role',
      runsAfter: [],
      removal: false,
      access: { member: true },
      toRequest: (c, _created, settings) => ({ method: 'POST', url: `adx_webroles(${String(c.target.id)})/adx_webrole_contact/$ref`, body: { '@odata.id': rowUri(settings, 'contacts', contactOf(c)) } }),
      alreadyDone: associatedAlready,
      effect: (model, c) => {
        const p = lookupsOf(model);
        return { model: { ...model, portal: { ...p, roleContactIds: [...new Set([...p.roleContactIds, contactOf(c)])] } } };
      },
    },
    {
      kind: 'webrole.revoke',
      label: 'Remove web role',
      runsAfter: [],
      removal: true,
      access: { member: true },
      toRequest: (c) => ({ method: 'DELETE', url: `adx_webroles(${String(c.target.id)})/adx_webrole_contact(${contactOf(c)})/$ref` }),
      effect: (model, c) => {
        const p = lookupsOf(model);
        return { model: { ...model, portal: { ...p, roleContactIds: p.roleContactIds.filter((id) => id !== contactOf(c)) } } };
      },
    },
  ],
  diff,
};
