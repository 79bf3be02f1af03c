/**
 * fast-check arbitraries: tenants with contacts in every state (new, provisioned, drifted,
 * deactivated, setup off, bad email, duplicate email, stale or foreign anchor, on a guest or a
 * service account, switched between the two) and observed
 * objects with random drift, built from small id pools so collisions (ambiguity, duplicates,
 * shared resources) actually happen.
 */
import fc from 'fast-check';
import type { Settings } from '../../src/config.js';
import type { Observation } from '../../src/model/observation.js';
import type { BookableResourceCharacteristicRow, BookableResourceRow, GraphUser, SystemUserRow } from '../../src/model/rows.js';
import type { VendorCharacteristicRow } from '../../reconcilers/technicians/rows.js';
import { GROUP, SKU, contactRow, guestUpn, guestUser, observation, serviceAccountsOn, serviceAccountUser, testSettings } from '../support/model.js';

export const EMAILS = [
  'ana@vendor.example',
  'Ben@Vendor.Example',
  "o'brien@vendor.example",
  'x+tag@vendor.example',
  'josé@vendor.example',
  'ana@vendor.example', // a duplicate of the first on purpose
  'not-an-email',
  '',
  'staff@contoso.onmicrosoft.com',
];
const CHARACTERISTICS = ['ch-0', 'ch-1', 'ch-2'];
const CHAR_IDS = [...CHARACTERISTICS, 'ch-gone'];
const RATINGS = ['rv-0', 'rv-1', 'rv-other-model', 'rv-gone', null];

const arbRow = fc.record({
  char: fc.constantFrom(...CHAR_IDS),
  rating: fc.constantFrom(...RATINGS),
  statecode: fc.constantFrom(0, 0, 1),
});

const arbTech = fc.record({
  setup: fc.constantFrom<boolean | null>(true, true, true, false, null),
  statecode: fc.constantFrom(0, 0, 1),
  email: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: 4 }) }, { weight: 2, arbitrary: fc.nat({ max: EMAILS.length - 1 }) }),
  fullname: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom<string | null>('Ana Silva', null, '<b>Bob</b> "O\'Neil"') },
    { weight: 1, arbitrary: fc.constant('X'.repeat(120)) },
  ),
  firstname: fc.constantFrom<string | null>('Ana', null, ' Zoë '),
  lastname: fc.constantFrom<string | null>('Silva', null),
  country: fc.constantFrom<string | null>(null, 'Germany', 'us', 'GBR', 'Narnia'),
  coords: fc.option(fc.record({ latitude: fc.constantFrom(47.6, 51.50735), longitude: fc.constantFrom(-122.3, -0.12776) })),
  hourly: fc.constantFrom<number | null>(null, 42.5, 0),
  orgUnit: fc.constantFrom<string | null>(null, 'ou-1'),
  board: fc.constantFrom<boolean | null>(null, true, false),
  anchor: fc.constantFrom('none', 'none', 'self', 'self', 'self', 'stale', 'other', 'service'),
  // The identity the contact asks for (o25fs_accounttype: null, Guest, Service account, nonsense).
  account: fc.constantFrom<number | null>(null, null, 808950000, 808950001, 808950001, 5),
  // A service account for the contact: the product's (marked), or a Member named like one but unmarked.
  serviceAccount: fc.option(
    fc.record({
      marked: fc.constantFrom(true, true, true, false),
      enabled: fc.constantFrom(true, true, false),
      direct: fc.boolean(),
      member: fc.boolean(),
      segment: fc.constantFrom<string | null>('Fabrikam Services', null, 'Old Vendor'),
      systemUser: fc.constantFrom('none', 'enabled', 'disabled'),
    }),
    { freq: 3 },
  ),
  // The contact's owner (none: rows read before owners were), copied to its resource.
  owner: fc.constantFrom('none', 'user', 'user', 'team'),
  user: fc.option(
    fc.record({
      form: fc.constantFrom('mail', 'otherMails', 'upn'),
      displayName: fc.constantFrom<string | null>(null, 'Ana Silva', 'Someone Else'),
      usageLocation: fc.constantFrom<string | null>(null, 'US', 'DE', 'GB'),
      direct: fc.boolean(),
      viaGroup: fc.boolean(),
      statesAbsent: fc.boolean(),
      member: fc.boolean(),
      enabled: fc.constantFrom(true, true, true, false),
    }),
    { freq: 3 },
  ),
  systemUser: fc.constantFrom('none', 'enabled', 'enabled', 'disabled'),
  sysCoords: fc.option(fc.record({ latitude: fc.constantFrom(47.6, 10), longitude: fc.constantFrom(-122.3, 10) })),
  resource: fc.option(
    fc.record({
      via: fc.constantFrom('lookup', 'userid', 'both', 'lookup-other'),
      name: fc.constantFrom<string | null>(null, 'Ana Silva', 'Edited by hand'),
      statecode: fc.constantFrom(0, 0, 1),
      timezone: fc.constantFrom(85, 4),
      hourly: fc.constantFrom<number | null>(null, 42.5, 42.499),
      owner: fc.constantFrom('app', 'contact', 'contact', 'other-team'),
    }),
  ),
  wantedRows: fc.array(arbRow, { maxLength: 3 }),
  resourceRows: fc.array(arbRow, { maxLength: 3 }),
});

export type TechSpec = typeof arbTech extends fc.Arbitrary<infer T> ? T : never;

const arbExtras = fc.record({
  guests: fc.array(fc.record({ email: fc.nat({ max: EMAILS.length - 1 }), member: fc.boolean() }), { maxLength: 2 }),
  strangers: fc.array(fc.constantFrom('m-1', 'm-2'), { maxLength: 2 }),
});

function buildTenant(techs: TechSpec[], extras: { guests: { email: number; member: boolean }[]; strangers: string[] }): Observation {
  const o = observation({
    characteristics: CHARACTERISTICS.map((id) => ({ characteristicid: id, name: `Skill ${id}` })),
    ratingValues: [
      { ratingvalueid: 'rv-0', name: 'Basic', value: 1, _ratingmodel_value: 'rm-main' },
      { ratingvalueid: 'rv-1', name: 'Expert', value: 5, _ratingmodel_value: 'rm-main' },
      { ratingvalueid: 'rv-other-model', name: 'Gold', value: 3, _ratingmodel_value: 'rm-other' },
    ],
  });
  const users: GraphUser[] = [];
  const systemUsers: SystemUserRow[] = [];
  const resources: BookableResourceRow[] = [];
  const rcRows: BookableResourceCharacteristicRow[] = [];
  const vcRows: VendorCharacteristicRow[] = [];
  const members: string[] = [];
  techs.forEach((t, i) => {
    const id = `c-${i}`;
    const email = EMAILS[t.email]!;
    const contact = contactRow(id, {
      o25fs_setuptechnician: t.setup,
      statecode: t.statecode,
      statuscode: t.statecode === 0 ? 1 : 2,
      emailaddress1: email === '' ? null : email,
      fullname: t.fullname,
      firstname: t.firstname,
      lastname: t.lastname,
      address1_country: t.country,
      address1_latitude: t.coords?.latitude ?? null,
      address1_longitude: t.coords?.longitude ?? null,
      o25fs_hourlyrate: t.hourly,
      _o25fs_organizationalunitid_value: t.orgUnit,
      o25fs_displayonscheduleboard: t.board,
      _owninguser_value: t.owner === 'user' ? 'su-owner' : null,
      _owningteam_value: t.owner === 'team' ? 'team-owner' : null,
    });
    const userId = `u-${i}`;
    if (t.user) {
      const e = email.toLowerCase() || `nobody${i}@vendor.example`;
      const skuStates = [
        ...(t.user.direct ? [{ skuId: SKU, assignedByGroup: null }] : []),
        ...(t.user.viaGroup ? [{ skuId: SKU, assignedByGroup: 'g-licensing' }] : []),
      ];
      users.push(
        guestUser(userId, e, {
          mail: t.user.form === 'mail' ? e : null,
          otherMails: t.user.form === 'otherMails' ? [e] : [],
          userPrincipalName: t.user.form === 'upn' ? guestUpn(e) : `${userId}_x.example#EXT#@contoso.onmicrosoft.com`,
          displayName: t.user.displayName,
          usageLocation: t.user.usageLocation,
          accountEnabled: t.user.enabled,
          assignedLicenses: skuStates.length > 0 ? [{ skuId: SKU, disabledPlans: [] }] : [],
          ...(t.user.statesAbsent ? { licenseAssignmentStates: undefined } : { licenseAssignmentStates: skuStates }),
        }),
      );
      if (t.user.member) members.push(userId);
      if (t.systemUser !== 'none') {
        systemUsers.push({
          systemuserid: `su-${i}`,
          azureactivedirectoryobjectid: userId,
          internalemailaddress: e,
          fullname: null,
          isdisabled: t.systemUser === 'disabled',
          address1_latitude: t.sysCoords?.latitude ?? null,
          address1_longitude: t.sysCoords?.longitude ?? null,
        });
      }
    }
    const saId = `s-${i}`;
    if (t.serviceAccount) {
      const sa = t.serviceAccount;
      users.push(
        serviceAccountUser(saId, id, {
          accountEnabled: sa.enabled,
          companyName: sa.segment,
          otherMails: email ? [email.toLowerCase()] : [],
          assignedLicenses: sa.direct ? [{ skuId: SKU, disabledPlans: [] }] : [],
          licenseAssignmentStates: sa.direct ? [{ skuId: SKU, assignedByGroup: null }] : [],
          ...(sa.marked ? {} : { onPremisesExtensionAttributes: null }),
        }),
      );
      if (sa.member) members.push(saId);
      if (sa.systemUser !== 'none') {
        systemUsers.push({ systemuserid: `su-s-${i}`, azureactivedirectoryobjectid: saId, internalemailaddress: null, fullname: null, isdisabled: sa.systemUser === 'disabled', address1_latitude: null, address1_longitude: null });
      }
    }
    contact.o25fs_accounttype = t.account;
    contact.o25fs_entraobjectid =
      t.anchor === 'self' ? userId : t.anchor === 'stale' ? `u-gone-${i}` : t.anchor === 'other' ? `u-${(i + 1) % techs.length}` : t.anchor === 'service' ? saId : null;
    if (t.resource) {
      const brId = `br-${i}`;
      const viaUser = t.resource.via === 'userid' || t.resource.via === 'both';
      resources.push({
        bookableresourceid: brId,
        name: t.resource.name,
        resourcetype: 3,
        _userid_value: viaUser && t.user && t.systemUser !== 'none' ? `su-${i}` : null,
        timezone: t.resource.timezone,
        statecode: t.resource.statecode,
        statuscode: t.resource.statecode === 0 ? 1 : 2,
        msdyn_startlocation: 690970002,
        msdyn_endlocation: 690970002,
        _msdyn_organizationalunit_value: null,
        msdyn_displayonscheduleboard: true,
        msdyn_displayonscheduleassistant: true,
        msdyn_hourlyrate: t.resource.hourly,
        msdyn_timeoffapprovalrequired: false,
        _msdyn_warehouse_value: null,
        ...(t.resource.owner === 'contact'
          ? { _owninguser_value: contact._owninguser_value ?? null, _owningteam_value: contact._owningteam_value ?? null }
          : t.resource.owner === 'other-team'
            ? { _owninguser_value: null, _owningteam_value: 'team-other' }
            : { _owninguser_value: 'su-app', _owningteam_value: null }),
      });
      if (t.resource.via !== 'userid') {
        contact._o25fs_bookableresourceid_value = t.resource.via === 'lookup-other' ? `br-${(i + 1) % techs.length}` : brId;
      }
      t.resourceRows.forEach((r, j) =>
        rcRows.push({
          bookableresourcecharacteristicid: `brc-${i}-${j}`,
          _resource_value: brId,
          _characteristic_value: r.char,
          _ratingvalue_value: r.rating,
          statecode: r.statecode,
        }),
      );
    }
    t.wantedRows.forEach((r, j) =>
      vcRows.push({
        o25fs_vendorcharacteristicid: `vc-${i}-${j}`,
        _o25fs_vendorcontactid_value: id,
        _o25fs_characteristicid_value: r.char,
        _o25fs_ratingvalueid_value: r.rating,
        statecode: r.statecode,
      }),
    );
    o.contacts.push(contact);
  });
  extras.guests.forEach((g, j) => {
    const e = EMAILS[g.email]!.toLowerCase();
    if (e === '') return;
    users.push(guestUser(`x-${j}`, e));
    if (g.member) members.push(`x-${j}`);
  });
  members.push(...extras.strangers);
  return { ...o, users, systemUsers, bookableResources: resources, resourceCharacteristics: rcRows, vendorCharacteristics: vcRows, groupMemberIds: [...new Set(members)] };
}

export const arbTenant: fc.Arbitrary<Observation> = fc
  .tuple(fc.array(arbTech, { minLength: 1, maxLength: 6 }), arbExtras)
  .map(([techs, extras]) => buildTenant(techs, extras));

export const arbSettings: fc.Arbitrary<Settings> = fc
  .record({ deprovisionWhenSetupOff: fc.boolean(), blockSignInOnDeprovision: fc.boolean(), serviceAccounts: fc.constantFrom(true, true, false), onDemand: fc.boolean() })
  .map(({ serviceAccounts, onDemand, ...s }) =>
    testSettings({ ...s, ...(serviceAccounts ? serviceAccountsOn() : {}), ...(onDemand ? { powerPlatform: { environmentId: POWER_PLATFORM_ENVIRONMENT, apiUrl: 'https://api.bap.microsoft.com' } } : {}) }),
  );

/** The environment of DATAVERSE_USER_ON_DEMAND in the generated settings. */
export const POWER_PLATFORM_ENVIRONMENT = 'e0000000-0000-4000-8000-0000000000e1';

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same tenant with every list in another order. */
export function shuffleObservation(o: Observation, seed: number): Observation {
  return {
    ...o,
    contacts: shuffled(o.contacts, seed),
    accounts: shuffled(o.accounts, seed + 1),
    vendorCharacteristics: shuffled(o.vendorCharacteristics, seed + 2),
    characteristics: shuffled(o.characteristics, seed + 3),
    ratingValues: shuffled(o.ratingValues, seed + 4),
    users: shuffled(o.users, seed + 5),
    groupMemberIds: o.groupMemberIds ? shuffled(o.groupMemberIds, seed + 6) : null,
    subscribedSkus: shuffled(o.subscribedSkus, seed + 7),
    systemUsers: shuffled(o.systemUsers, seed + 8),
    bookableResources: shuffled(o.bookableResources, seed + 9),
    resourceCharacteristics: shuffled(o.resourceCharacteristics, seed + 10),
  };
}

export { GROUP, SKU };
