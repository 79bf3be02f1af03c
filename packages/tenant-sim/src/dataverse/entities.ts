/**
 * The tables the simulator serves. Sources: the Dataverse/CE table references (contact.md,
 * systemuser.md, bookableresource.md, bookableresourcecharacteristic.md, characteristic.md,
 * ratingvalue.md, ratingmodel.md; facts §9, §13, §14), the vendor self-service solution
 * (seed-solution-facts §1.2, §1.4) and the columns this product adds (src/model/rows.ts).
 * Delete behaviours come from each relationship's CascadeConfiguration.Delete; where the reference
 * does not say, the custom relationship default (RemoveLink, "Referential") is used.
 */
import {
  ACTIVE_INACTIVE,
  WORK_START_LOCATION,
  bool,
  dateTime,
  defineEntity,
  double,
  guid,
  int,
  lookup,
  memo,
  money,
  picklist,
  str,
  type DeleteBehaviour,
  type EntityDef,
} from './schema.js';

/** o25fs_provisioningstatus (added by vendor-reconciler): 808950000.. in ProvisioningStatus order. */
export const PROVISIONING_STATUS: Record<number, string> = {
  808950000: 'Pending',
  808950001: 'Invited',
  808950002: 'Waiting for Dataverse user',
  808950003: 'Active',
  808950004: 'Deprovisioned',
  808950005: 'Removal blocked',
  808950006: 'No licence units',
  808950007: 'Error',
  808950008: 'Quarantined',
  808950009: 'Out of scope',
};

const RESOURCE_TYPE = { 1: 'Generic', 2: 'Contact', 3: 'User', 4: 'Equipment', 5: 'Account', 6: 'Crew', 7: 'Facility', 8: 'Pool' };
const NO_YES_FS = { 192350000: 'No', 192350001: 'Yes' };

const definitions: EntityDef[] = [
  defineEntity({
    set: 'accounts',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'account',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [str('name', 160), str('accountnumber', 20), str('emailaddress1', 100), str('telephone1', 50), str('websiteurl', 200), str('address1_country', 80), str('address1_city', 80)],
  }),
  defineEntity({
    set: 'contacts',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'contact',
    primaryName: 'fullname',
    states: ACTIVE_INACTIVE,
    columns: [
      str('firstname', 50),
      str('lastname', 50),
      str('fullname', 160, { readOnly: true }),
      str('emailaddress1', 100),
      str('jobtitle', 100),
      str('telephone1', 50),
      str('mobilephone', 50),
      lookup('parentcustomerid', { parentcustomerid_account: 'accounts', parentcustomerid_contact: 'contacts' }, 'Cascade'),
      str('address1_line1', 250),
      str('address1_city', 80),
      str('address1_postalcode', 20),
      str('address1_country', 80),
      double('address1_latitude', -90, 90),
      double('address1_longitude', -180, 180),
      bool('o25fs_setuptechnician', false),
      lookup('o25fs_bookableresourceid', { o25fs_BookableResourceId: 'bookableresources' }, 'RemoveLink'),
      picklist('o25fs_startlocation', WORK_START_LOCATION, { default: 690970002 }),
      picklist('o25fs_endlocation', WORK_START_LOCATION, { default: 690970002 }),
      lookup('o25fs_organizationalunitid', { o25fs_OrganizationalUnitId: 'msdyn_organizationalunits' }, 'RemoveLink'),
      bool('o25fs_displayonscheduleboard', true),
      bool('o25fs_enableforavailabilitysearch', true),
      money('o25fs_hourlyrate'),
      bool('o25fs_timeoffapprovalrequired', false),
      lookup('o25fs_warehouseid', { o25fs_WarehouseId: 'msdyn_warehouses' }, 'RemoveLink'),
      str('o25fs_entraobjectid', 100),
      picklist('o25fs_provisioningstatus', PROVISIONING_STATUS),
      memo('o25fs_provisioningerror', 4000),
      dateTime('o25fs_invitationpendingon'),
      // Quarantine counters (src/engine/guards/quarantine.ts, docs/dataverse-schema.md).
      int('o25fs_consecutivefailures', 0, 2_147_483_647),
      dateTime('o25fs_nextattemptat'),
    ],
  }),
  defineEntity({
    set: 'systemusers',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'systemuser',
    primaryName: 'fullname',
    createRefused: 'prvCreateUser',
    columns: [
      guid('azureactivedirectoryobjectid', { readOnly: true }),
      str('domainname', 1024),
      str('internalemailaddress', 100),
      str('firstname', 256),
      str('lastname', 256),
      str('fullname', 200, { readOnly: true }),
      str('title', 128),
      bool('isdisabled', false, { readOnly: true }),
      bool('islicensed', undefined, { readOnly: true }),
      picklist('accessmode', { 0: 'Read-Write', 1: 'Administrative', 2: 'Read', 3: 'Support User', 4: 'Non-interactive', 5: 'Delegated Admin' }),
      guid('applicationid', { readOnly: true }),
      double('address1_latitude', -90, 90),
      double('address1_longitude', -180, 180),
    ],
  }),
  defineEntity({
    set: 'bookableresources',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'bookableresource',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [
      str('name', 100, { required: true }),
      picklist('resourcetype', RESOURCE_TYPE, { required: true, default: 3 }),
      lookup('userid', { UserId: 'systemusers' }, 'Restrict'),
      lookup('contactid', { ContactId: 'contacts' }, 'RemoveLink'),
      lookup('accountid', { AccountId: 'accounts' }, 'RemoveLink'),
      int('timezone', -1500, 1500, { required: true }),
      str('msdyn_primaryemail', 100),
      int('msdyn_targetutilization', 1, 100),
      bool('msdyn_enabledforfieldservicemobile', false),
      bool('msdyn_displayonscheduleboard', true),
      bool('msdyn_displayonscheduleassistant', true),
      picklist('msdyn_startlocation', WORK_START_LOCATION, { default: 690970002 }),
      picklist('msdyn_endlocation', WORK_START_LOCATION, { default: 690970002 }),
      lookup('msdyn_organizationalunit', { msdyn_OrganizationalUnit: 'msdyn_organizationalunits' }, 'RemoveLink'),
      money('msdyn_hourlyrate'),
      bool('msdyn_optimizeroute', false),
      bool('msdyn_timeoffapprovalrequired', false),
      picklist('msdyn_enableappointments', NO_YES_FS),
      picklist('msdyn_enableoutlookschedules', NO_YES_FS),
      lookup('msdyn_warehouse', { msdyn_warehouse: 'msdyn_warehouses' }, 'RemoveLink'),
    ],
  }),
  defineEntity({
    set: 'bookableresourcecharacteristics',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'bookableresourcecharacteristic',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [
      str('name', 100),
      lookup('resource', { Resource: 'bookableresources' }, 'Cascade', { required: true }),
      lookup('characteristic', { Characteristic: 'characteristics' }, 'Restrict', { required: true }),
      lookup('ratingvalue', { RatingValue: 'ratingvalues' }, 'RemoveLink'),
    ],
  }),
  defineEntity({
    set: 'characteristics',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'characteristic',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [str('name', 100, { required: true }), picklist('characteristictype', { 1: 'Skill', 2: 'Certification' }, { default: 1 }), str('description', 100)],
  }),
  defineEntity({
    set: 'ratingmodels',
    logicalName: 'ratingmodel',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [str('name', 100, { required: true }), int('minratingvalue', -200, 200), int('maxratingvalue', -200, 200)],
  }),
  defineEntity({
    set: 'ratingvalues',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'ratingvalue',
    primaryName: 'name',
    states: ACTIVE_INACTIVE,
    columns: [str('name', 100, { required: true }), int('value', -200, 200, { required: true }), lookup('ratingmodel', { RatingModel: 'ratingmodels' }, 'Cascade', { required: true })],
  }),
  defineEntity({
    set: 'o25fs_vendorcharacteristics',
    changeTracking: true, // change-tracking.ts: tables with Track changes on
    logicalName: 'o25fs_vendorcharacteristic',
    primaryName: 'o25fs_vendorcharacteristicname',
    states: ACTIVE_INACTIVE,
    columns: [
      str('o25fs_vendorcharacteristicname', 300),
      lookup('o25fs_vendorcontactid', { o25fs_VendorContactId: 'contacts' }, 'RemoveLink'),
      lookup('o25fs_characteristicid', { o25fs_CharacteristicId: 'characteristics' }, 'RemoveLink'),
      lookup('o25fs_ratingvalueid', { o25fs_RatingValueId: 'ratingvalues' }, 'RemoveLink'),
    ],
  }),
  defineEntity({
    set: 'msdyn_organizationalunits',
    logicalName: 'msdyn_organizationalunit',
    primaryName: 'msdyn_name',
    states: ACTIVE_INACTIVE,
    columns: [str('msdyn_name', 100, { required: true }), str('msdyn_description', 2000), double('msdyn_latitude', -90, 90), double('msdyn_longitude', -180, 180)],
  }),
  defineEntity({
    set: 'msdyn_warehouses',
    logicalName: 'msdyn_warehouse',
    primaryName: 'msdyn_name',
    states: ACTIVE_INACTIVE,
    columns: [str('msdyn_name', 100, { required: true }), str('msdyn_description', 2000)],
  }),
];

const bySet = new Map(definitions.map((d) => [d.set, d]));

export function entityBySet(set: string): EntityDef | undefined {
  return bySet.get(set);
}

export function allEntities(): EntityDef[] {
  return definitions;
}

/** Lookups in any table that point at `set`: used for delete behaviours. */
export function referencesTo(set: string): { entity: EntityDef; column: string; onDelete: DeleteBehaviour }[] {
  const out: { entity: EntityDef; column: string; onDelete: DeleteBehaviour }[] = [];
  for (const entity of definitions) {
    for (const column of entity.columns.values()) {
      if (column.type !== 'Lookup' || !column.onDelete) continue;
      if (Object.values(column.navs ?? {}).includes(set)) out.push({ entity, column: column.name, onDelete: column.onDelete });
    }
  }
  return out;
}
