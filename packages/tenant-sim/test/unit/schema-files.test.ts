/**
 * The schema data files (schemas/dataverse-entities.json, schemas/graph-user.json) are JSON, so the
 * compiler does not check them: these tests do. Each names what a typo in the file would break.
 */
import { describe, expect, it } from 'vitest';
import dataverse from '../../schemas/dataverse-entities.json' with { type: 'json' };
import graphUser from '../../schemas/graph-user.json' with { type: 'json' };
import { allEntities, entityBySet } from '../../src/dataverse/entities.js';
import { OWNER_COLUMNS } from '../../src/dataverse/schema.js';
import { EXTENSION_ATTRIBUTES, SELECTABLE_USER_PROPS, knownFilterProp } from '../../src/graph/user-schema.js';

type Entry = Record<string, unknown> & { name: string; type: string };
const COLUMN_TYPES = ['String', 'Memo', 'Integer', 'Boolean', 'Money', 'Decimal', 'Double', 'Picklist', 'State', 'Status', 'DateTime', 'Lookup', 'Uniqueidentifier'];
const DELETE_BEHAVIOURS = ['Cascade', 'RemoveLink', 'Restrict'];
const tables = dataverse.entities as unknown as { set: string; logicalName: string; states?: Record<string, [string, Record<string, string>]>; columns: Entry[] }[];
const sets = new Set(tables.map((t) => t.set));

describe('schemas/dataverse-entities.json', () => {
  it('every column has a known type, and a named choice exists (the validator would accept any value otherwise)', () => {
    for (const t of tables) {
      for (const c of t.columns) {
        expect(COLUMN_TYPES, `${t.set}.${c.name}`).toContain(c.type);
        if (c.choice !== undefined) expect(Object.keys(dataverse.choices), `${t.set}.${c.name}`).toContain(c.choice);
      }
    }
  });

  it('every lookup is `_<attr>_value`, with a delete behaviour and navigation targets that are tables of the file', () => {
    for (const t of tables) {
      for (const c of t.columns.filter((col) => col.type === 'Lookup')) {
        expect(c.name, t.set).toMatch(/^_\w+_value$/);
        expect(DELETE_BEHAVIOURS, `${t.set}.${c.name}`).toContain(c.onDelete);
        for (const target of Object.values(c.navs as Record<string, string | string[]>).flat()) expect(sets.has(target), `${t.set}.${c.name} → ${target}`).toBe(true);
      }
    }
  });

  it('no table lists a column twice or one the loader adds itself (primary key, createdon, modifiedon, createdby, statecode, statuscode, owner columns)', () => {
    for (const t of tables) {
      const names = t.columns.map((c) => c.name);
      expect(new Set(names).size, t.set).toBe(names.length);
      for (const added of [`${t.logicalName}id`, 'createdon', 'modifiedon', '_createdby_value', 'statecode', 'statuscode', ...OWNER_COLUMNS.map((c) => c.name)]) expect(names, t.set).not.toContain(added);
      for (const [, statuses] of Object.values(t.states ?? {})) expect(Object.keys(statuses).length, t.set).toBeGreaterThanOrEqual(1);
    }
  });

  it('loads into the definitions the handlers use: choices in place, Yes/No on booleans, the state columns added', () => {
    // The seed-002 tables follow, declared in TypeScript (test/conformance/dataverse-project-tables checks them).
    expect(allEntities().map((e) => e.set)).toEqual([...tables.map((t) => t.set), 'msdyn_projects', 'msdyn_projecttasks', 'pricelevels', 'msdyn_workordertypes', 'msdyn_workorders', 'msdyn_resourcerequirements', 'bookingstatuses', 'bookableresourcebookings']);
    const contacts = entityBySet('contacts')!;
    expect(contacts.primaryKey).toBe('contactid');
    expect(contacts.columns.get('o25fs_startlocation')).toEqual({
      name: 'o25fs_startlocation', type: 'Picklist', options: { 690970000: 'Resource Address', 690970001: 'Organizational Unit Address', 690970002: 'Location Agnostic' }, default: 690970002,
    });
    expect(contacts.columns.get('o25fs_setuptechnician')).toEqual({ name: 'o25fs_setuptechnician', type: 'Boolean', options: { 0: 'No', 1: 'Yes' }, default: false });
    expect(contacts.columns.get('statecode')).toEqual({ name: 'statecode', type: 'State', options: { 0: 'Active', 1: 'Inactive' }, required: true, default: 0 });
    expect([...contacts.states!.entries()]).toEqual([[0, [1]], [1, [2]]]);
    expect(entityBySet('systemusers')!.createRefused).toBe('prvCreateUser');
    expect(entityBySet('ratingmodels')!.changeTracking).toBeUndefined();
  });

  it('a UserOwned table gets the owner columns, with ownerid polymorphic over systemusers and teams; other tables get none', () => {
    const owned = tables.filter((t) => (t as { ownership?: string }).ownership !== undefined).map((t) => [t.set, (t as { ownership?: string }).ownership]);
    expect(owned).toEqual([['contacts', 'UserOwned'], ['bookableresources', 'UserOwned']]);
    const resources = entityBySet('bookableresources')!;
    expect(resources.ownership).toBe('UserOwned');
    expect(resources.navs.get('ownerid')).toEqual({ name: '_ownerid_value', type: 'Lookup', navs: { ownerid: ['systemusers', 'teams'] }, onDelete: 'Restrict', required: true });
    expect(resources.columns.get('_owninguser_value')).toMatchObject({ readOnly: true, navs: { owninguser: 'systemusers' } });
    expect(resources.columns.get('_owningteam_value')).toMatchObject({ readOnly: true, navs: { owningteam: 'teams' } });
    expect(entityBySet('accounts')!.columns.has('_ownerid_value')).toBe(false);
    expect([...entityBySet('teams')!.columns.keys()]).toEqual(['teamid', 'createdon', 'modifiedon', '_createdby_value', 'name']);
  });
});

describe('schemas/graph-user.json', () => {
  it('every $filter kind is one the filter evaluator knows, and endsWith only where Graph allows it', () => {
    const kinds = ['string', 'bool', 'stringCollection', 'identities', 'licenses'];
    for (const [prop, spec] of Object.entries(graphUser.filter)) {
      expect(kinds, prop).toContain(spec.kind);
      if ('endsWith' in spec) expect(['mail', 'otherMails', 'userPrincipalName', 'proxyAddresses'], prop).toContain(prop);
    }
  });

  it('no property is both writable and read-only, nor listed as default and selectable twice', () => {
    for (const p of graphUser.readOnlyProperties) expect(Object.keys(graphUser.writableStrings)).not.toContain(p);
    for (const p of graphUser.selectableProperties) expect(graphUser.defaultProperties).not.toContain(p);
  });

  it('loads into the sets the handlers use', () => {
    expect(SELECTABLE_USER_PROPS.size).toBe(33);
    expect([...SELECTABLE_USER_PROPS].filter((p) => p.startsWith('employee') || p === 'onPremisesImmutableId').sort()).toEqual(['employeeId', 'employeeType', 'onPremisesImmutableId']);
    expect(EXTENSION_ATTRIBUTES).toHaveLength(15);
    expect(EXTENSION_ATTRIBUTES[14]).toBe('extensionAttribute15');
    expect(knownFilterProp('PROXYADDRESSES')).toEqual({ name: 'proxyAddresses', spec: { kind: 'stringCollection', startsWith: true, endsWith: true } });
    expect(knownFilterProp('assignedPlans')).toBeUndefined();
  });
});
