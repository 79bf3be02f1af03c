/**
 * The registry over several families (src/engine/tables/registry.ts): a table two families declare
 * is read once, with the columns of both and rows either needs, and each family gets back only its
 * own rows; the tracked tables and their shapes (the settings hash) come from the declarations.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies, loadSettings } from '../../../../src/families.js';
import { productConfiguredFamilies } from '../../../../src/engine/compose.js';
import { settingsHash } from '../../../../src/engine/incremental/settings-hash.js';
import { tablesOf } from '../../../../src/engine/observe.js';
import { readTables } from '../../../../src/engine/tables/read.js';
import { rowsFor, trackedShapes, trackedTables, unionTables } from '../../../../src/engine/tables/registry.js';
import { eq, ne, or, renderFilter, rowsOf, type Table } from '../../../../src/engine/tables/table.js';
import { CHARACTERISTICS, CONTACTS, TECHNICIAN_TABLES } from '../../../../reconcilers/technicians/tables.js';
import { DEMO_SETTINGS } from '../../../support/tenant.js';
import { recordingServices } from './recording-services.js';

interface Contact {
  contactid: string;
  o25fs_setuptechnician?: boolean;
  o25fs_portalaccess?: boolean;
}

const contactsOf = (columns: string[], filter: Table['filter']): Table<Contact> => ({
  name: 'contacts', service: 'dataverse', path: 'contacts', key: 'contactid', columns, mode: 'change-tracked', field: 'contacts', ...(filter ? { filter } : {}),
});

/** Two fake families: both need contacts, each with its own columns and filter; one also reads accounts. */
const TECHNICIANS = { contacts: contactsOf(['contactid', 'fullname', 'o25fs_setuptechnician'], eq('o25fs_setuptechnician', true)) };
const PORTAL = {
  contacts: contactsOf(['contactid', 'emailaddress1', 'o25fs_portalaccess'], eq('o25fs_portalaccess', true)),
  accounts: { name: 'accounts', service: 'dataverse', path: 'accounts', key: 'accountid', columns: ['accountid', 'name'], mode: 'full', field: 'accounts' } as Table,
};

describe('unionTables', () => {
  it('reads a table two families declare once, with both column lists and either filter', async () => {
    const tables = unionTables([[TECHNICIANS.contacts], [PORTAL.contacts, PORTAL.accounts]]);
    expect(tables.map((t) => t.name)).toEqual(['contacts', 'accounts']);
    const contacts = tables[0]!;
    expect(contacts.columns).toEqual(['contactid', 'fullname', 'o25fs_setuptechnician', 'emailaddress1', 'o25fs_portalaccess']);
    expect(renderFilter(contacts.filter!)).toBe('o25fs_setuptechnician eq true or o25fs_portalaccess eq true');

    const s = recordingServices();
    await readTables(s, tables);
    expect(s.calls).toEqual([
      'dataverse contacts select=contactid,fullname,o25fs_setuptechnician,emailaddress1,o25fs_portalaccess filter=o25fs_setuptechnician eq true or o25fs_portalaccess eq true',
      'dataverse accounts select=accountid,name',
    ]);
  });

  it('gives each family only the rows its own filter keeps from the shared read', () => {
    const shared = [
      { contactid: 'tech', o25fs_setuptechnician: true, o25fs_portalaccess: false },
      { contactid: 'portal', o25fs_setuptechnician: false, o25fs_portalaccess: true },
      { contactid: 'both', o25fs_setuptechnician: true, o25fs_portalaccess: true },
    ];
    const rows = new Map([['contacts', shared]]);
    expect(rowsFor(rows, TECHNICIANS.contacts).map((c) => c.contactid)).toEqual(['tech', 'both']);
    expect(rowsFor(rows, PORTAL.contacts).map((c) => c.contactid)).toEqual(['portal', 'both']);
    expect(rowsOf(rows, PORTAL.contacts)).toHaveLength(3);
  });

  const cases: { reason: string; families: Table[][]; columns: readonly string[] | null; filter: string | null }[] = [
    { reason: 'one family: its tables unchanged', families: [[CONTACTS]], columns: CONTACTS.columns, filter: renderFilter(CONTACTS.filter!) },
    { reason: 'the same declaration twice: read once, filter not repeated', families: [[CONTACTS], [CONTACTS]], columns: CONTACTS.columns, filter: renderFilter(CONTACTS.filter!) },
    {
      reason: 'a family that needs every row: the shared read has no filter',
      families: [[TECHNICIANS.contacts], [contactsOf(['contactid'], undefined)]],
      columns: ['contactid', 'fullname', 'o25fs_setuptechnician'],
      filter: null,
    },
    {
      reason: 'a compound filter is kept whole inside the or',
      families: [[TECHNICIANS.contacts], [contactsOf(['contactid'], or(ne('a', null), eq('b', 1)))]],
      columns: ['contactid', 'fullname', 'o25fs_setuptechnician'],
      filter: 'o25fs_setuptechnician eq true or a ne null or b eq 1',
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const tables = unionTables(c.families);
      expect(tables).toHaveLength(1);
      expect(tables[0]!.columns).toEqual(c.columns);
      expect(tables[0]!.filter === undefined ? null : renderFilter(tables[0]!.filter)).toBe(c.filter);
    });
  }

  it('refuses two declarations of one table that disagree on where or how it is read', () => {
    expect(() => unionTables([[TECHNICIANS.contacts], [{ ...PORTAL.contacts, mode: 'full' }]])).toThrow('table contacts is declared twice with a different mode (change-tracked, full)');
    expect(() => unionTables([[TECHNICIANS.contacts], [{ ...PORTAL.contacts, key: 'id' }]])).toThrow(/different key/);
  });
});

describe('tracked tables and the settings hash', () => {
  it('the technicians keep one token per delta or change-tracked table', () => {
    expect(trackedTables(TECHNICIAN_TABLES).map((t) => t.name)).toEqual(['users', 'contacts', 'vendorCharacteristics', 'systemUsers', 'bookableResources', 'resourceCharacteristics']);
  });

  it('a tracked shape holds what a saved token depends on', () => {
    expect(trackedShapes([CONTACTS, CHARACTERISTICS])).toEqual({
      contacts: { service: 'dataverse', path: 'contacts', key: 'contactid', mode: 'change-tracked', columns: CONTACTS.columns, filter: 'o25fs_setuptechnician eq true or o25fs_entraobjectid ne null' },
    });
  });

  const settings = loadSettings({ ...DEMO_SETTINGS, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', DATAVERSE_URL: 'https://d.crm.dynamics.com' });
  const replace = (table: Table): Table[] => TECHNICIAN_TABLES.map((t) => (t.name === table.name ? table : t));
  const cases = [
    { reason: 'a new contact column forces a full read (the deltaLink keeps its old $select)', tables: replace({ ...CONTACTS, columns: [...CONTACTS.columns!, 'jobtitle'] }), changes: true },
    { reason: 'a changed contact filter forces a full read (the merge would keep other rows)', tables: replace({ ...CONTACTS, filter: eq('o25fs_setuptechnician', true) }), changes: true },
    { reason: 'a table that becomes read in full leaves the tracked set', tables: replace({ ...CONTACTS, mode: 'full' }), changes: true },
    { reason: 'a column of a table read in full every run does not (nothing of it outlives the run)', tables: replace({ ...CHARACTERISTICS, columns: ['characteristicid', 'name'] }), changes: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      // The tables a run hashes are the configured families' (src/engine/observe.ts tablesOf).
      const base = settingsHash(settings, TECHNICIAN_TABLES);
      expect(settingsHash(settings, tablesOf(productConfiguredFamilies(settings)))).toBe(base);
      expect(settingsHash(settings, c.tables) !== base).toBe(c.changes);
    });
  }
});

/** The columns a filter names. */
function filterColumns(filter: Table['filter']): string[] {
  if (!filter) return [];
  return 'of' in filter ? filter.of.flatMap((f) => filterColumns(f)) : [filter.column];
}

describe("every product family's tables", () => {
  // The filter also runs on the client over the rows read (rowsFor: a table two families share, or
  // one read in full), so a filter on a column not selected drops every row. That hid every active
  // work order type once (msdyn_workordertypes filtered on statecode without selecting it).
  for (const family of allFamilies()) {
    for (const table of family.tables) {
      it(`${family.name}: ${table.name} selects every column its filter names`, () => {
        // columns null: every column is read.
        expect(filterColumns(table.filter).filter((c) => table.columns !== null && !table.columns.includes(c))).toEqual([]);
      });
    }
  }
});
