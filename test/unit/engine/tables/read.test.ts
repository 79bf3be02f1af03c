/**
 * The reads the technicians' table declarations produce (src/engine/tables/read.ts, and the
 * incremental observer's opening URLs in src/engine/incremental/tracked-read.ts) are, character for
 * character, those observe.ts and the observer sent before the tables were declared: the same
 * `$select` order, the same `$filter` text, one list per table. The expected values are written out
 * here, not derived from the declarations, so a changed declaration fails this test.
 */
import { describe, expect, it } from 'vitest';
import { openingUrl, withParam } from '../../../../src/engine/incremental/tracked-read.js';
import { graphListUrl, readTables } from '../../../../src/engine/tables/read.js';
import { rowsOf, type Table } from '../../../../src/engine/tables/table.js';
import { CONTACTS, SUBSCRIBED_SKUS, TECHNICIAN_TABLES, USERS } from '../../../../reconcilers/technicians/tables.js';
import { recordingServices } from './recording-services.js';

const USER_SELECT =
  'id,displayName,givenName,surname,mail,otherMails,userPrincipalName,userType,creationType,externalUserState,accountEnabled,usageLocation,assignedLicenses,licenseAssignmentStates,onPremisesExtensionAttributes,mailNickname,companyName,department,officeLocation';
const CONTACT_SELECT =
  'contactid,fullname,firstname,lastname,emailaddress1,statecode,statuscode,_parentcustomerid_value,address1_country,address1_latitude,address1_longitude,o25fs_setuptechnician,_o25fs_bookableresourceid_value,o25fs_startlocation,o25fs_endlocation,_o25fs_organizationalunitid_value,o25fs_displayonscheduleboard,o25fs_enableforavailabilitysearch,o25fs_hourlyrate,o25fs_timeoffapprovalrequired,_o25fs_warehouseid_value,o25fs_entraobjectid,o25fs_provisioningstatus,o25fs_provisioningerror,o25fs_accounttype,o25fs_consecutivefailures,o25fs_nextattemptat,createdon,_owninguser_value,_owningteam_value';
const VENDOR_CHARACTERISTIC_SELECT = 'o25fs_vendorcharacteristicid,_o25fs_vendorcontactid_value,_o25fs_characteristicid_value,_o25fs_ratingvalueid_value,statecode';
const SYSTEMUSER_SELECT = 'systemuserid,azureactivedirectoryobjectid,internalemailaddress,fullname,isdisabled,address1_latitude,address1_longitude';
const RESOURCE_SELECT =
  'bookableresourceid,name,resourcetype,_userid_value,timezone,statecode,statuscode,msdyn_startlocation,msdyn_endlocation,_msdyn_organizationalunit_value,msdyn_displayonscheduleboard,msdyn_displayonscheduleassistant,msdyn_hourlyrate,msdyn_timeoffapprovalrequired,_msdyn_warehouse_value,_owninguser_value,_owningteam_value';
const RESOURCE_CHARACTERISTIC_SELECT = 'bookableresourcecharacteristicid,_resource_value,_characteristic_value,_ratingvalue_value,statecode';

describe('the bulk read of the technicians tables', () => {
  it('sends one list per table, with the URLs and queries observe.ts sent before', async () => {
    const s = recordingServices();
    const rows = await readTables(s, TECHNICIAN_TABLES);
    expect(s.calls).toEqual([
      `graph /users?$filter=userType eq 'Guest'&$select=${USER_SELECT}&$top=999`,
      'graph /subscribedSkus',
      `dataverse contacts select=${CONTACT_SELECT} filter=o25fs_setuptechnician eq true or o25fs_entraobjectid ne null`,
      `dataverse o25fs_vendorcharacteristics select=${VENDOR_CHARACTERISTIC_SELECT}`,
      'dataverse characteristics select=characteristicid,name,statecode',
      'dataverse ratingvalues select=ratingvalueid,name,value,_ratingmodel_value',
      `dataverse systemusers select=${SYSTEMUSER_SELECT} filter=azureactivedirectoryobjectid ne null`,
      `dataverse bookableresources select=${RESOURCE_SELECT} filter=resourcetype eq 3`,
      `dataverse bookableresourcecharacteristics select=${RESOURCE_CHARACTERISTIC_SELECT}`,
    ]);
    expect(rowsOf(rows, CONTACTS)).toEqual([{ from: 'contacts' }]);
    expect(rowsOf(rows, SUBSCRIBED_SKUS)).toEqual([{ from: '/subscribedSkus' }]);
  });

  it('rowsOf refuses a table the read did not include', async () => {
    const rows = await readTables(recordingServices(), [USERS]);
    expect(() => rowsOf(rows, CONTACTS)).toThrow('table contacts was not read');
  });
});

describe('opening URLs of the tracked reads', () => {
  const byName = new Map(TECHNICIAN_TABLES.map((t) => [t.name, t]));
  const cases = [
    { reason: 'users: a Graph delta query with the same $select and no userType filter', table: 'users', expected: `/users/delta?$select=${USER_SELECT}` },
    { reason: 'contacts: the whole entity set, no $filter (track-changes refuses it)', table: 'contacts', expected: `contacts?$select=${CONTACT_SELECT}` },
    { reason: 'vendor characteristics', table: 'vendorCharacteristics', expected: `o25fs_vendorcharacteristics?$select=${VENDOR_CHARACTERISTIC_SELECT}` },
    { reason: 'systemusers, without their filter', table: 'systemUsers', expected: `systemusers?$select=${SYSTEMUSER_SELECT}` },
    { reason: 'bookable resources, without their filter', table: 'bookableResources', expected: `bookableresources?$select=${RESOURCE_SELECT}` },
    { reason: 'resource characteristics', table: 'resourceCharacteristics', expected: `bookableresourcecharacteristics?$select=${RESOURCE_CHARACTERISTIC_SELECT}` },
  ];
  for (const c of cases) it(c.reason, () => expect(openingUrl(byName.get(c.table)!)).toBe(c.expected));

  it('the latest-token URL of the users delta is the one the observer asked for before', () => {
    expect(withParam(openingUrl(USERS), '$deltatoken=latest')).toBe(`/users/delta?$select=${USER_SELECT}&$deltatoken=latest`);
  });

  it('a table without columns opens with no query, and a parameter starts one', () => {
    const bare: Table = { name: 'x', service: 'graph', path: '/things', key: 'id', columns: null, mode: 'delta', field: 'x' };
    expect(openingUrl(bare)).toBe('/things/delta');
    expect(withParam(openingUrl(bare), '$deltatoken=latest')).toBe('/things/delta?$deltatoken=latest');
    expect(graphListUrl(bare)).toBe('/things');
  });
});
