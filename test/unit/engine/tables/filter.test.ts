/**
 * A table's filter, declared once (src/engine/tables/table.ts), rendered as OData and evaluated as
 * a row predicate. The two must agree with each other and with the services: the bulk read sends
 * the rendering, the incremental observer applies the predicate to change-tracked rows, and a row
 * the two disagree on would appear in one read and not the other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, eq, ne, or, renderFilter, rowPredicate, type Filter, type FilterValue } from '../../../../src/engine/tables/table.js';
import { BOOKABLE_RESOURCES, CONTACTS, SYSTEM_USERS, USERS } from '../../../../reconcilers/technicians/tables.js';
import { dataverseFilter, graphUserFilter } from 'tenant-sim/filters';

describe('renderFilter', () => {
  const cases: { reason: string; filter: Filter | undefined; expected: string }[] = [
    { reason: 'the contacts filter is the text the bulk read has always sent', filter: CONTACTS.filter, expected: 'o25fs_setuptechnician eq true or o25fs_entraobjectid ne null' },
    { reason: 'the systemusers filter is unchanged', filter: SYSTEM_USERS.filter, expected: 'azureactivedirectoryobjectid ne null' },
    { reason: 'the bookable resources filter is unchanged (type User)', filter: BOOKABLE_RESOURCES.filter, expected: 'resourcetype eq 3' },
    { reason: 'the guest users filter quotes its string', filter: USERS.filter, expected: "userType eq 'Guest'" },
    { reason: 'a quote inside a string is doubled, as OData escapes it', filter: eq('fullname', "O'Brien"), expected: "fullname eq 'O''Brien'" },
    { reason: 'false and numbers render bare', filter: and(eq('isdisabled', false), ne('statecode', 1)), expected: 'isdisabled eq false and statecode ne 1' },
    { reason: 'an and inside an or is parenthesised', filter: or(eq('a', 1), and(eq('b', 2), eq('c', 3))), expected: 'a eq 1 or (b eq 2 and c eq 3)' },
    { reason: 'an or inside an and is parenthesised (without them and would bind first)', filter: and(or(eq('a', 1), eq('b', 2)), eq('c', 3)), expected: '(a eq 1 or b eq 2) and c eq 3' },
    { reason: 'an or inside an or needs no parentheses', filter: or(or(eq('a', 1), eq('b', 2)), eq('c', 3)), expected: 'a eq 1 or b eq 2 or c eq 3' },
    { reason: 'a single operand renders as itself', filter: or(eq('a', 1)), expected: 'a eq 1' },
  ];
  for (const c of cases) it(c.reason, () => expect(renderFilter(c.filter!)).toBe(c.expected));
});

describe('rowPredicate: hand-evaluated truth tables', () => {
  const keepContact = rowPredicate(CONTACTS.filter);
  const contactCases = [
    { reason: 'a technician without an anchor is read', row: { o25fs_setuptechnician: true, o25fs_entraobjectid: null }, expected: true },
    { reason: 'a technician with an anchor is read', row: { o25fs_setuptechnician: true, o25fs_entraobjectid: 'u1' }, expected: true },
    { reason: 'a contact switched off but anchored is read (its user must be cleaned up)', row: { o25fs_setuptechnician: false, o25fs_entraobjectid: 'u1' }, expected: true },
    { reason: 'a contact switched off and never provisioned is not read', row: { o25fs_setuptechnician: false, o25fs_entraobjectid: null }, expected: false },
    { reason: 'a missing flag is null, not true', row: { o25fs_entraobjectid: null }, expected: false },
    { reason: 'a missing anchor is null', row: { o25fs_setuptechnician: false }, expected: false },
    { reason: 'a null flag with an anchor is read through the anchor', row: { o25fs_setuptechnician: null, o25fs_entraobjectid: 'u1' }, expected: true },
  ];
  for (const c of contactCases) it(`contacts: ${c.reason}`, () => expect(keepContact(c.row)).toBe(c.expected));

  const otherCases: { reason: string; filter: Filter | undefined; row: object; expected: boolean }[] = [
    { reason: 'a resource of type User (3) is read', filter: BOOKABLE_RESOURCES.filter, row: { resourcetype: 3 }, expected: true },
    { reason: 'a resource of another type is not', filter: BOOKABLE_RESOURCES.filter, row: { resourcetype: 2 }, expected: false },
    { reason: 'a systemuser linked to Entra is read', filter: SYSTEM_USERS.filter, row: { azureactivedirectoryobjectid: 'a' }, expected: true },
    { reason: 'a systemuser without an Entra id is not', filter: SYSTEM_USERS.filter, row: { azureactivedirectoryobjectid: null }, expected: false },
    { reason: 'userType compares case-insensitively, as Graph does', filter: USERS.filter, row: { userType: 'guest' }, expected: true },
    { reason: 'a Member is not a guest', filter: USERS.filter, row: { userType: 'Member' }, expected: false },
    { reason: 'ne with a value leaves out nulls (SQL <>)', filter: ne('statecode', 1), row: { statecode: null }, expected: false },
    { reason: 'ne with a value keeps other values', filter: ne('statecode', 1), row: { statecode: 0 }, expected: true },
    { reason: 'eq null keeps a missing property', filter: eq('x', null), row: {}, expected: true },
    { reason: 'no filter keeps every row', filter: undefined, row: {}, expected: true },
  ];
  for (const c of otherCases) it(c.reason, () => expect(rowPredicate(c.filter)(c.row)).toBe(c.expected));
});

/** Columns of the simulator's contacts entity, with values of their type (and null, or missing). */
const COLUMNS: Record<string, fc.Arbitrary<FilterValue>> = {
  o25fs_setuptechnician: fc.boolean(),
  o25fs_entraobjectid: fc.constantFrom('u1', 'U1', "o'k", ''),
  fullname: fc.constantFrom('Ada', 'ADA', 'Bo', "O'Brien"),
  statecode: fc.constantFrom(0, 1),
  o25fs_consecutivefailures: fc.integer({ min: 0, max: 3 }),
};
const NAMES = Object.keys(COLUMNS);

const arbComparison: fc.Arbitrary<Filter> = fc
  .record({ column: fc.constantFrom(...NAMES), op: fc.constantFrom('eq' as const, 'ne' as const), isNull: fc.boolean() })
  .chain(({ column, op, isNull }) => (isNull ? fc.constant(null) : COLUMNS[column]!).map((value) => (op === 'eq' ? eq(column, value) : ne(column, value))));

const arbFilter: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbComparison,
    fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('filter'), { minLength: 1, maxLength: 3 })).map(([kind, [first, ...rest]]) =>
      kind === 'and' ? and(first!, ...rest) : or(first!, ...rest),
    ),
  ),
})).filter;

/** A row where each column is a value, null, or absent. */
const arbRow = fc.record(
  Object.fromEntries(NAMES.map((n) => [n, fc.option(COLUMNS[n]!, { nil: null })])),
  { requiredKeys: [] },
);

describe('rowPredicate agrees with the simulator evaluating the rendered $filter', () => {
  it('Dataverse: any filter over contact columns, any row', () => {
    fc.assert(
      fc.property(arbFilter, fc.array(arbRow, { maxLength: 8 }), (filter, rows) => {
        const server = dataverseFilter('contacts', renderFilter(filter));
        const client = rowPredicate(filter);
        for (const row of rows) expect(client(row), `${renderFilter(filter)} on ${JSON.stringify(row)}`).toBe(server(row));
      }),
      { numRuns: 300 },
    );
  });

  it('Dataverse: the technicians\' declared filters on their own tables', () => {
    const tables = [CONTACTS, SYSTEM_USERS, BOOKABLE_RESOURCES];
    // The filtered columns of the three tables, each a value of its own type, null, or absent.
    const arbRow = fc.record(
      {
        o25fs_setuptechnician: fc.option(fc.boolean(), { nil: null }),
        o25fs_entraobjectid: fc.option(fc.constantFrom('0b5c1e2f-0000-4000-8000-000000000001', ''), { nil: null }),
        azureactivedirectoryobjectid: fc.option(fc.constant('0b5c1e2f-0000-4000-8000-000000000002'), { nil: null }),
        resourcetype: fc.option(fc.constantFrom(1, 2, 3, 4), { nil: null }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...tables), arbRow, (table, row) => {
        const server = dataverseFilter(table.path, renderFilter(table.filter!));
        expect(rowPredicate(table.filter)(row)).toBe(server(row));
      }),
      { numRuns: 300 },
    );
  });

  it('Graph: the guest users filter against the simulator\'s user filter', () => {
    const server = graphUserFilter(renderFilter(USERS.filter!));
    fc.assert(
      fc.property(fc.option(fc.constantFrom('Guest', 'guest', 'GUEST', 'Member', ''), { nil: null }), (userType) => {
        const user = { id: 'u', userType };
        expect(rowPredicate(USERS.filter)(user)).toBe(server(user));
      }),
    );
  });
});
