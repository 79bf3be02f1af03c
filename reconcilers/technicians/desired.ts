/**
 * Desired state: what one contact asks for, computed from the contact, its technician
 * characteristics and the settings, with no I/O (issue 3, "Desired state").
 *
 * Bad input never throws: a contact that cannot be provisioned as entered gets a ContactError that
 * names the value and the fix (issue 5's corpus), and problems that do not block the rest (a
 * characteristic row pointing at a deleted characteristic, an unknown rating, an unknown country)
 * become warnings on that contact while its other changes still apply.
 *
 * Contact text is an outsider's (issue 9, item 6): the email is used only in its canonical form
 * (reconcilers/technicians/email.ts), names lose escape sequences, controls and bidi overrides before they reach
 * Entra or Dataverse (reconcilers/technicians/text.ts), numbers outside their column's range stop the contact
 * (reconcilers/technicians/contact-numbers.ts), and messages quote the vendor admin's text only in a visible form.
 */
import { markAttributeOf, type Settings } from '../../src/config.js';
import { licenseModeOf, technicianSettings } from './settings.js';
import { ContactError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/observation.js';
import type { AccountRow, CharacteristicRow, RatingValueRow } from '../../src/model/rows.js';
import type { ContactRow, VendorCharacteristicRow } from './rows.js';
import type { AccountType, BookableResourceFields, DesiredCharacteristic, DesiredServiceAccount, DesiredTechnician, Intent } from './state.js';
import { SEGMENT_ATTRIBUTE_LIMITS, serviceAccountSettingsOf } from './service-account-settings.js';
import { mailNicknameFor, segmentValueOf, userPrincipalNameFor } from './service-account-name.js';
import { money, numbersOutOfRange } from './contact-numbers.js';
import { toCountryCode } from './country.js';
import { normaliseEmail } from './email.js';
import { formatMark } from './ownership.js';
import { cleanName, cutToLength, visible } from './text.js';
import { cmp } from '../../src/engine/compare.js';

/** Entra's limits (Graph user resource) and Dataverse's bookableresource.name (nvarchar 100). */
export const NAME_LIMITS = { displayName: 256, givenName: 64, surname: 64, bookableResourceName: 100 } as const;

/** msdyn_workstartlocationtype "Location Agnostic": the o25fs columns' default (microsoft/Dynamics-365-FastTrack-Implementation-Assets: …/Vendor Self-Service). */
export const DEFAULT_WORK_LOCATION = 690970002;

/** Reference data desired.ts needs from the observation, indexed once per plan. */
export interface DesiredLookups {
  characteristics: ReadonlyMap<string, CharacteristicRow>;
  ratingValues: ReadonlyMap<string, RatingValueRow>;
  /** The rating model most technician characteristic ratings use; ratings of another model are dropped. */
  ratingModelId: string | null;
  /** Vendor accounts by id: a service account's UPN and segment carry the vendor's name. */
  accounts?: ReadonlyMap<string, AccountRow>;
}

/** o25fs_accounttype's options (docs/dataverse-schema.md). */
export const ACCOUNT_TYPE = { guest: 808950000, service: 808950001 } as const;

export type DesiredOutcome =
  | { ok: true; desired: DesiredTechnician; warnings: ContactError[] }
  | { ok: false; error: ContactError; contactId: string; vendorId: string | null; intent: Intent; displayName: string };

const lower = (v: string | null | undefined): string | null => (v ? v.toLowerCase() : null);

export function indexLookups(observation: Observation): DesiredLookups {
  const characteristics = new Map(observation.characteristics.map((c) => [c.characteristicid.toLowerCase(), c]));
  const ratingValues = new Map(observation.ratingValues.map((r) => [r.ratingvalueid.toLowerCase(), r]));
  // The model most active technician ratings belong to; ties go to the lowest model id.
  const counts = new Map<string, number>();
  for (const row of observation.vendorCharacteristics) {
    if (row.statecode !== 0) continue;
    const model = lower(ratingValues.get(lower(row._o25fs_ratingvalueid_value) ?? '')?._ratingmodel_value);
    if (model) counts.set(model, (counts.get(model) ?? 0) + 1);
  }
  const ratingModelId =
    [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  const accounts = new Map((observation.accounts ?? []).map((a) => [a.accountid.toLowerCase(), a]));
  return { characteristics, ratingValues, ratingModelId, accounts };
}

/** The identity the contact asks for; null for an option value that is not one of ACCOUNT_TYPE's. */
export function accountTypeOf(contact: ContactRow): AccountType | null {
  const v = contact.o25fs_accounttype ?? null;
  if (v === null || v === ACCOUNT_TYPE.guest) return 'guest';
  return v === ACCOUNT_TYPE.service ? 'service' : null;
}

/**
 * Setup Technician on: provision while the contact is active. A deactivated contact loses access
 * whatever its Setup Technician flag (turning the flag off first must not keep a leaver's access);
 * the contacts read are only those with the flag, an anchor or the product's mark, so a contact
 * that never was a technician is not here. Flag off on an active contact: DEPROVISION_WHEN_SETUP_OFF.
 */
export function intentOf(contact: ContactRow, settings: Settings): Intent {
  if (contact.statecode !== 0) return 'deprovision';
  if (contact.o25fs_setuptechnician === true) return 'provision';
  return technicianSettings(settings).deprovisionWhenSetupOff ? 'deprovision' : 'ignore';
}

function clean(value: string | null): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/**
 * The full name, else first and last name, else the email, else the contact id: each name cleaned
 * first (reconcilers/technicians/text.ts), so a name that was only control characters falls through to the next.
 */
function displayNameOf(contact: ContactRow, email: string): string {
  const first = cleanName(contact.firstname);
  const last = cleanName(contact.lastname);
  return cleanName(contact.fullname) ?? ([first, last].filter(Boolean).join(' ') || email || contact.contactid);
}

function nameTooLong(contactId: string, what: string, value: string, limit: number, column: string): ContactError {
  return new ContactError(
    'NAME_TOO_LONG',
    `The ${what} of contact ${contactId} is ${value.length} characters long; the limit is ${limit} ("${cutToLength(value, 40)}…").`,
    `Shorten ${column} on the contact to at most ${limit} characters; the next run picks it up.`,
  );
}

/** The contact's desired technician, or the one error that stops it. */
export function computeDesired(
  contact: ContactRow,
  vendorCharacteristics: readonly VendorCharacteristicRow[],
  lookups: DesiredLookups,
  settings: Settings,
): DesiredOutcome {
  const tech = technicianSettings(settings);
  const intent = intentOf(contact, settings);
  const contactId = contact.contactid;
  const vendorId = contact._parentcustomerid_value;
  const anchorUserId = lower(clean(contact.o25fs_entraobjectid));
  // The email is the matching key before an anchor exists, compared in its canonical form
  // (reconcilers/technicians/email.ts: NFC, case-folded). A deprovision can go on by its anchor alone (a
  // deactivated contact must lose access even if its email was blanked or broken); an ignored
  // contact is never an error.
  const rawEmail = contact.emailaddress1;
  const checked = normaliseEmail(rawEmail);
  const email = checked.kind === 'valid' ? checked.email : '';
  // Only for the report when the email is unusable: its visible form, never its raw characters.
  const displayName = displayNameOf(contact, email || (checked.kind === 'invalid' ? visible(String(rawEmail)) : ''));
  const fail = (error: ContactError): DesiredOutcome => ({ ok: false, error, contactId, vendorId, intent, displayName });
  if (checked.kind !== 'valid' && (intent === 'provision' || (intent === 'deprovision' && !anchorUserId && contact.o25fs_setuptechnician === true))) {
    return fail(
      checked.kind === 'empty'
        ? new ContactError(
            'EMAIL_MISSING',
            `Contact ${contactId} has no email address (emailaddress1); a technician is invited by email.`,
            'Enter the technician\'s email address on the contact; the next run invites them.',
          )
        : new ContactError(
            'EMAIL_INVALID',
            `The email address "${visible(String(rawEmail), 120)}" of contact ${contactId} is not valid: ${checked.problem}.`,
            `${checked.fix}; the next run picks it up.`,
          ),
    );
  }

  const givenName = cleanName(contact.firstname);
  const surname = cleanName(contact.lastname);
  if (intent === 'provision') {
    if (displayName.length > NAME_LIMITS.displayName) {
      return fail(nameTooLong(contactId, 'full name', displayName, NAME_LIMITS.displayName, 'the first and last name'));
    }
    if (givenName && givenName.length > NAME_LIMITS.givenName) {
      return fail(nameTooLong(contactId, 'first name', givenName, NAME_LIMITS.givenName, 'firstname'));
    }
    if (surname && surname.length > NAME_LIMITS.surname) {
      return fail(nameTooLong(contactId, 'last name', surname, NAME_LIMITS.surname, 'lastname'));
    }
    // Only what is copied for an active technician: a deactivated one loses access whatever it holds.
    const outOfRange = numbersOutOfRange(contact);
    if (outOfRange) return fail(outOfRange);
  }

  const account = accountTypeOf(contact);
  if (account === null) {
    return fail(
      new ContactError(
        'ACCOUNT_TYPE_UNKNOWN',
        `The account type (o25fs_accounttype) of contact ${contactId} is ${String(contact.o25fs_accounttype)}, which is neither Guest (${ACCOUNT_TYPE.guest}) nor Service account (${ACCOUNT_TYPE.service}). Nothing is changed for this contact.`,
        'Pick Guest or Service account in the contact\'s Account type, or clear it for a guest.',
      ),
    );
  }
  const serviceOutcome = account === 'service' ? serviceAccountOf(contact, displayName, givenName, surname, lookups, settings) : null;
  if (serviceOutcome instanceof ContactError) {
    if (intent === 'provision') return fail(serviceOutcome);
  }
  const serviceAccount = serviceOutcome instanceof ContactError ? null : serviceOutcome;
  const saSettings = serviceAccountSettingsOf(tech);

  const warnings: ContactError[] = [];
  // Entra takes names up to 256 characters, the bookable resource only 100. Blocking the technician's
  // access over the resource's label would be the wrong trade: the resource gets the name cut to fit,
  // and the vendor admin is told.
  if (intent === 'provision' && displayName.length > NAME_LIMITS.bookableResourceName) {
    warnings.push(
      new ContactError(
        'RESOURCE_NAME_SHORTENED',
        `The full name of contact ${contactId} is ${displayName.length} characters long; the bookable resource's name holds ${NAME_LIMITS.bookableResourceName}, so it is cut to "${cutToLength(displayName, 40)}…" there (the guest user keeps the whole name).`,
        `Nothing has to be done; shorten the contact's name to at most ${NAME_LIMITS.bookableResourceName} characters if schedulers should see all of it.`,
      ),
    );
  }
  const country = clean(contact.address1_country);
  const code = toCountryCode(country);
  if (country && !code) {
    warnings.push(
      new ContactError(
        'COUNTRY_UNKNOWN',
        `The country "${visible(country)}" of contact ${contactId} is not a known country name or ISO code; the usage location falls back to ${tech.defaultUsageLocation}.`,
        'Enter the country as an English name or an ISO 3166 code (e.g. "Germany" or "DE") if the default is wrong.',
      ),
    );
  }
  const hasLatitude = contact.address1_latitude !== null;
  if (hasLatitude !== (contact.address1_longitude !== null)) {
    warnings.push(
      new ContactError(
        'COORDINATES_INCOMPLETE',
        `Contact ${contactId} has a ${hasLatitude ? 'latitude but no longitude' : 'longitude but no latitude'}; the Dataverse user's coordinates are left as they are.`,
        'Enter both the latitude and the longitude of the address (or neither) on the contact.',
      ),
    );
  }
  const characteristics = desiredCharacteristics(contactId, vendorCharacteristics, lookups, warnings);

  const fields: BookableResourceFields = {
    name: cutToLength(displayName, NAME_LIMITS.bookableResourceName),
    resourcetype: 3,
    timezone: tech.defaultTimezoneCode,
    msdyn_startlocation: contact.o25fs_startlocation ?? DEFAULT_WORK_LOCATION,
    msdyn_endlocation: contact.o25fs_endlocation ?? DEFAULT_WORK_LOCATION,
    _msdyn_organizationalunit_value: lower(contact._o25fs_organizationalunitid_value),
    msdyn_displayonscheduleboard: contact.o25fs_displayonscheduleboard ?? true,
    msdyn_displayonscheduleassistant: contact.o25fs_enableforavailabilitysearch ?? true,
    msdyn_hourlyrate: money(contact.o25fs_hourlyrate),
    msdyn_timeoffapprovalrequired: contact.o25fs_timeoffapprovalrequired ?? false,
    _msdyn_warehouse_value: lower(contact._o25fs_warehouseid_value),
  };
  const provision = intent === 'provision';
  const desired: DesiredTechnician = {
    contactId,
    vendorId,
    intent,
    email,
    anchorUserId,
    user: {
      displayName: cutToLength(displayName, NAME_LIMITS.displayName),
      givenName,
      surname,
      usageLocation: code ?? tech.defaultUsageLocation,
      // A service account is always enabled with its contact and disabled without it (it has a
      // password, a guest has its home tenant's sign-in); a guest only with BLOCK_SIGN_IN_ON_DEPROVISION.
      ...((account === 'service' || tech.blockSignInOnDeprovision) && intent !== 'ignore' ? { accountEnabled: provision } : {}),
    },
    owner: {
      attribute: markAttributeOf(settings),
      mark: formatMark({ contactId, account, groupId: tech.technicianGroupId, skuIds: skuIdsFor(account, tech.licenseSkuId, saSettings.skuIds) }),
    },
    account,
    serviceAccount,
    licence: {
      skuIds: skuIdsFor(account, tech.licenseSkuId, saSettings.skuIds),
      assigned: provision,
      ...(licenseModeOf(tech) === 'group' ? { fromGroup: tech.technicianGroupId.toLowerCase() } : {}),
    },
    group: { groupId: tech.technicianGroupId.toLowerCase(), member: provision },
    coordinates:
      contact.address1_latitude !== null && contact.address1_longitude !== null
        ? { latitude: contact.address1_latitude, longitude: contact.address1_longitude }
        : null,
    bookableResource: { active: provision, fields },
    characteristics,
  };
  return { ok: true, desired, warnings };
}

/**
 * The sign-in name the contact's service account would be created with, or null when it asks for
 * none (or cannot have one yet): the observation looks up who holds it (service-account-observe.ts),
 * so the plan can say a name is taken before the apply tries.
 */
export function plannedServiceAccountUpn(contact: ContactRow, accounts: ReadonlyMap<string, AccountRow>, settings: Settings): string | null {
  if (accountTypeOf(contact) !== 'service' || intentOf(contact, settings) !== 'provision') return null;
  const checked = normaliseEmail(contact.emailaddress1);
  const displayName = displayNameOf(contact, checked.kind === 'valid' ? checked.email : '');
  const lookups: DesiredLookups = { characteristics: new Map(), ratingValues: new Map(), ratingModelId: null, accounts };
  const sa = serviceAccountOf(contact, displayName, cleanName(contact.firstname), cleanName(contact.lastname), lookups, settings);
  return sa instanceof ContactError ? null : sa.userPrincipalName;
}

function skuIdsFor(account: AccountType, licenseSkuId: string, serviceSkuIds: readonly string[]): string[] {
  return account === 'service' ? [...serviceSkuIds] : [licenseSkuId.toLowerCase()];
}

/** The service account the contact is made of, or the error that keeps it from being created. */
function serviceAccountOf(
  contact: ContactRow,
  displayName: string,
  givenName: string | null,
  surname: string | null,
  lookups: DesiredLookups,
  settings: Settings,
): DesiredServiceAccount | ContactError {
  const sa = serviceAccountSettingsOf(technicianSettings(settings));
  const contactId = contact.contactid;
  if (sa.domain === null) {
    return new ContactError(
      'SERVICE_ACCOUNT_NOT_CONFIGURED',
      `Contact ${contactId} asks for a service account (o25fs_accounttype), but SERVICE_ACCOUNT_DOMAIN is not set, so none can be created. Nothing is changed for this contact.`,
      'The IT administrator sets SERVICE_ACCOUNT_DOMAIN to a verified domain of the tenant (docs/configuration.md); or set the contact\'s Account type back to Guest.',
    );
  }
  const vendor = lookups.accounts?.get((contact._parentcustomerid_value ?? '').toLowerCase());
  const vendorName = cleanName(vendor?.name);
  if (!vendorName) {
    return new ContactError(
      'SERVICE_ACCOUNT_VENDOR_MISSING',
      `Contact ${contactId} asks for a service account, which carries its vendor's name (the information-barrier segment), but the contact has no vendor account${vendor ? ' with a name' : ''}. Nothing is changed for this contact.`,
      'Set the contact\'s Company Name (parentcustomerid) to its vendor account, and give that account a name.',
    );
  }
  const attribute = sa.segmentAttribute;
  return {
    userPrincipalName: userPrincipalNameFor(contactId, vendorName, givenName, surname, displayName, sa.domain),
    mailNickname: mailNicknameFor(contactId),
    segment: { attribute, value: segmentValueOf(vendorName, SEGMENT_ATTRIBUTE_LIMITS[attribute] ?? 64) },
  };
}

/**
 * The contact's active technician characteristic rows, one per characteristic (the lowest row id
 * wins when two rows name the same one), sorted by characteristic id.
 */
function desiredCharacteristics(
  contactId: string,
  rows: readonly VendorCharacteristicRow[],
  lookups: DesiredLookups,
  warnings: ContactError[],
): DesiredCharacteristic[] {
  const active = rows
    .filter((r) => r.statecode === 0)
    .sort((a, b) => cmp(a.o25fs_vendorcharacteristicid.toLowerCase(), b.o25fs_vendorcharacteristicid.toLowerCase()));
  const kept = new Map<string, DesiredCharacteristic>();
  for (const row of active) {
    const rowId = row.o25fs_vendorcharacteristicid;
    const characteristicId = lower(row._o25fs_characteristicid_value);
    if (!characteristicId || !lookups.characteristics.has(characteristicId)) {
      warnings.push(
        new ContactError(
          'CHARACTERISTIC_MISSING',
          `Technician characteristic ${rowId} of contact ${contactId} points at a characteristic that does not exist (${characteristicId ?? 'empty'}); it is skipped.`,
          'Delete the row or pick an existing characteristic on it; the other characteristics are kept in sync meanwhile.',
        ),
      );
      continue;
    }
    const name = lookups.characteristics.get(characteristicId)?.name ?? characteristicId;
    if (kept.has(characteristicId)) {
      warnings.push(
        new ContactError(
          'DUPLICATE_CHARACTERISTIC',
          `Contact ${contactId} has more than one active row for the characteristic "${name}"; row ${rowId} is ignored and the first row (lowest id) is used.`,
          'Deactivate or delete the extra technician characteristic rows so each characteristic appears once.',
        ),
      );
      continue;
    }
    let ratingValueId = lower(row._o25fs_ratingvalueid_value);
    if (ratingValueId) {
      const rating = lookups.ratingValues.get(ratingValueId);
      if (!rating) {
        warnings.push(
          new ContactError(
            'RATING_VALUE_MISSING',
            `The rating on technician characteristic "${name}" of contact ${contactId} (${ratingValueId}) does not exist; the characteristic is kept without a rating.`,
            'Pick an existing rating value on the technician characteristic row.',
          ),
        );
        ratingValueId = null;
      } else if (lookups.ratingModelId && lower(rating._ratingmodel_value) !== lookups.ratingModelId) {
        warnings.push(
          new ContactError(
            'RATING_MODEL_MISMATCH',
            `The rating "${rating.name ?? ratingValueId}" on technician characteristic "${name}" of contact ${contactId} belongs to another rating model than the technicians' ratings (${lookups.ratingModelId}); the characteristic is kept without a rating.`,
            'Pick a rating value of the same rating model as the other technician characteristics.',
          ),
        );
        ratingValueId = null;
      }
    }
    kept.set(characteristicId, { characteristicId, ratingValueId });
  }
  return [...kept.values()].sort((a, b) => cmp(a.characteristicId, b.characteristicId));
}

// The core's string order (src/engine/compare.ts), re-exported for the family's modules.
export { cmp };
