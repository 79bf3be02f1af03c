/**
 * The generic bulk observation (src/engine/observe.ts): the union of the configured families'
 * tables is read once, each family keeps its own rows of a shared table and adds its part with its
 * own lookups, and a family that is off reads nothing. Two fake families, so each test says exactly
 * which table each declares.
 */
import { describe, expect, it } from 'vitest';
import type { DataverseApi, DataverseQuery, GraphApi } from '../../../src/clients/types.js';
import type { ConfiguredFamily, Family, ObservationPart } from '../../../src/engine/family.js';
import { observe } from '../../../src/engine/observe.js';
import { rowsFor } from '../../../src/engine/tables/registry.js';
import { eq, type Table } from '../../../src/engine/tables/table.js';
import type { Observation } from '../../../src/model/observation.js';
import { testSettings } from '../../support/model.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const settings = testSettings();

interface Gadget {
  id: number;
  colour: string;
}

const gadgets = (colour: string, columns: string[]): Table<Gadget> => ({
  name: 'gadgets', service: 'dataverse', path: 'gadgets', key: 'id', columns, filter: eq('colour', colour), mode: 'change-tracked', field: 'characteristics',
});
const WIDGETS: Table = { name: 'widgets', service: 'dataverse', path: 'widgets', key: 'id', columns: ['id'], mode: 'full', field: 'ratingValues' };

/** Clients that record each call in order and answer `gadgets` with one red and one blue row. */
function services(): { graph: GraphApi; dataverse: DataverseApi; calls: string[] } {
  const calls: string[] = [];
  const unused = (): never => {
    throw new Error('only list is expected');
  };
  const graph: GraphApi = {
    list: <T>(url: string) => {
      calls.push(`graph ${url}`);
      return Promise.resolve([] as T[]);
    },
    send: unused,
    sendMany: unused,
  };
  const dataverse: DataverseApi = {
    list: <T>(set: string, q: DataverseQuery) => {
      calls.push(`dataverse ${set} select=${q.select.join(',')}${'filter' in q ? ` filter=${q.filter}` : ''}`);
      const rows = set === 'gadgets' ? [{ id: 1, colour: 'red' }, { id: 2, colour: 'blue' }] : [{ id: 9 }];
      return Promise.resolve(rows as T[]);
    },
    send: unused,
    sendMany: unused,
  };
  return { graph, dataverse, calls };
}

/**
 * A family that declares `tables`, reads `/lookups/<name>` before its rows are in, then
 * `/after-rows/<name>` once they are, and puts its gadgets in the field `field`.
 */
function family(name: string, tables: readonly Table[], field: 'subscribedSkus' | 'systemUsers'): Family {
  const gadgetTable = tables.find((t) => t.name === 'gadgets') as Table<Gadget> | undefined;
  return {
    name,
    tables,
    kinds: [],
    settingsOf: () => ({}),
    async observe(rowsRead, { graph }): Promise<ObservationPart> {
      const [rows] = await Promise.all([rowsRead, graph.list(`/lookups/${name}`)]);
      await graph.list(`/after-rows/${name}`);
      const mine = gadgetTable ? rowsFor(rows, gadgetTable) : [];
      return { [field]: mine as unknown as Observation[typeof field] };
    },
    checkConfiguration: () => undefined,
    plan: () => ({ changes: [], subjects: [], orphans: [], licences: [] }),
    statusWrites: () => [],
    withAccess: () => 0,
    createdAt: () => () => null,
  };
}

const red = family('red', [gadgets('red', ['id', 'colour']), WIDGETS], 'subscribedSkus');
const blue = family('blue', [gadgets('blue', ['id', 'size'])], 'systemUsers');
const on = (...families: Family[]): ConfiguredFamily[] => families.map((f) => ({ family: f, settings: {} }));

describe('observe: one read of the families\' tables, each family its part', () => {
  it('reads a table two families declare once, with both columns and either filter, then their lookups', async () => {
    const s = services();
    await observe(s.graph, s.dataverse, settings, NOW, on(red, blue));
    expect(s.calls).toEqual([
      "dataverse gadgets select=id,colour,size filter=colour eq 'red' or colour eq 'blue'",
      'dataverse widgets select=id',
      // Reads that need no rows start beside the table reads, family by family …
      'graph /lookups/red',
      'graph /lookups/blue',
      // … and the ones that need the rows once they are in.
      'graph /after-rows/red',
      'graph /after-rows/blue',
    ]);
  });

  it("gives each family its own rows of the shared table, and holds no field of a family that is off", async () => {
    const s = services();
    const observation = await observe(s.graph, s.dataverse, settings, NOW, on(red, blue));
    // Only the core's fields (src/model/observation.ts) and what the two families filled: the
    // technicians' fields are absent, as that family is not configured here.
    expect(observation).toEqual({
      observedAt: '2026-11-23T10:00:00.000Z',
      subscribedSkus: [{ id: 1, colour: 'red' }],
      systemUsers: [{ id: 2, colour: 'blue' }],
    });
  });

  it("with no family's part, the core's fields are there and empty", async () => {
    const s = services();
    const observation = await observe(s.graph, s.dataverse, settings, NOW, []);
    expect(observation).toEqual({ observedAt: '2026-11-23T10:00:00.000Z', subscribedSkus: [] });
    expect(s.calls).toEqual([]);
  });

  it('reads only the tables of the families that are on', async () => {
    const s = services();
    await observe(s.graph, s.dataverse, settings, NOW, on(blue));
    expect(s.calls).toEqual(["dataverse gadgets select=id,size filter=colour eq 'blue'", 'graph /lookups/blue', 'graph /after-rows/blue']);
  });

  it('fails when a table read fails, whether or not a family awaited the rows yet', async () => {
    const s = services();
    const failing: DataverseApi = { ...s.dataverse, list: () => Promise.reject(new Error('Dataverse is down')) };
    const impatient: Family = { ...blue, observe: () => Promise.resolve({}) };
    await expect(observe(s.graph, failing, settings, NOW, on(impatient))).rejects.toThrow('Dataverse is down');
  });
});
