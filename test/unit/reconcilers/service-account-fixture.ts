/**
 * A converged service-account technician for the service-account unit tests (issue 12): contact
 * SA_ID of vendor acc-1 ("Fabrikam Services", test/support/model.ts observation()), asking for a
 * service account, anchored to `sa-1`, which holds exactly what computeDesired asks for.
 */
import { ACCOUNT_TYPE } from '../../../reconcilers/technicians/desired.js';
import type { ContactRow } from '../../../reconcilers/technicians/rows.js';
import type { ObservedTechnician } from '../../../reconcilers/technicians/state.js';
import type { Settings } from '../../../src/config.js';
import type { GraphUser } from '../../../src/model/rows.js';
import {
  SA_DOMAIN, SKU, type Tech, contactRow, observedFor, resourceRow, serviceAccountAttributes, serviceAccountUser, serviceAccountsOn, systemUserRow, testSettings,
} from '../../support/model.js';

export const SA_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
export const SA_UPN = `fabrikam-services_zoe.muller_3f2504e0@${SA_DOMAIN}`;
export const SA_NICKNAME = 'vr-3f2504e04f8911d39a0c0305e82c3301';
export const SA_EMAIL = 'zoe@vendor.example';
export const sku = SKU.toLowerCase();
export const SKU_B = '0c7af6b0-fe37-4ff7-9b7c-0b2a8c1a1a1b';

/** Test settings with service accounts on and `skuIds` as the persona's licences. */
export const saSettings = (skuIds: string[] = [sku]): Settings => testSettings(serviceAccountsOn(skuIds));

export function saContact(overrides: Partial<ContactRow> = {}): ContactRow {
  return contactRow(SA_ID, {
    fullname: 'Zoë Müller',
    firstname: 'Zoë',
    lastname: 'Müller',
    emailaddress1: SA_EMAIL,
    address1_country: 'Germany',
    o25fs_accounttype: ACCOUNT_TYPE.service,
    o25fs_entraobjectid: 'sa-1',
    _o25fs_bookableresourceid_value: 'br-1',
    ...overrides,
  });
}

/** The service account as the product created it for saContact(), licensed with `skuIds`. */
export function saUser(skuIds: string[] = [sku], overrides: Partial<GraphUser> = {}): GraphUser {
  return serviceAccountUser('sa-1', SA_ID, {
    displayName: 'Zoë Müller',
    givenName: 'Zoë',
    surname: 'Müller',
    otherMails: [SA_EMAIL],
    userPrincipalName: SA_UPN,
    mailNickname: SA_NICKNAME,
    usageLocation: 'DE',
    companyName: 'Fabrikam Services',
    onPremisesExtensionAttributes: serviceAccountAttributes(SA_ID, skuIds),
    assignedLicenses: skuIds.map((skuId) => ({ skuId, disabledPlans: [] })),
    licenseAssignmentStates: skuIds.map((skuId) => ({ skuId, assignedByGroup: null, state: 'Active', error: 'None' })),
    ...overrides,
  });
}

export function saTech(skuIds: string[] = [sku], contact: Partial<ContactRow> = {}): Tech {
  const c = saContact(contact);
  return { contact: c, user: saUser(skuIds), systemUser: systemUserRow('su-1', 'sa-1'), resource: resourceRow('br-1', c, 'su-1') };
}

/** The observed slice of saTech(): licensed with `skuIds`, in the group; override any part. */
export function saObserved(t: Tech, skuIds: string[], overrides: Partial<ObservedTechnician> = {}): ObservedTechnician {
  return observedFor(t, { directSkuIds: skuIds, ...overrides });
}
