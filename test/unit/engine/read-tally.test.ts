import { describe, expect, it, vi } from 'vitest';
import type { DataverseApi, GraphApi, ServiceResponse } from '../../../src/clients/types.js';
import { tallied, type ReadTally } from '../../../src/engine/read-tally.js';

const ok: ServiceResponse = { status: 200, headers: {}, body: {} };

function graph(rows: unknown[]): GraphApi {
  return { list: vi.fn(async () => rows) as GraphApi['list'], send: vi.fn(async () => ok), sendMany: vi.fn(async (r) => r.map(() => ok)) };
}

describe('tallied', () => {
  it('counts the reads, their rows and the other requests, and passes every argument and answer through', async () => {
    const api = graph([{ id: 'a' }, { id: 'b' }]);
    const tally: ReadTally = { reads: 0, rows: 0, requests: 0 };
    const seen: ReadTally[] = [];
    const t = tallied(api, tally, () => seen.push({ ...tally }));
    expect(await t.list('/users?$top=999', { maxPages: 2 } as never)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(api.list).toHaveBeenCalledWith('/users?$top=999', { maxPages: 2 });
    expect(await t.send({ method: 'GET', url: '/groups/x' })).toBe(ok);
    expect(await t.sendMany([{ method: 'GET', url: '/a' }, { method: 'GET', url: '/b' }])).toEqual([ok, ok]);
    expect(seen).toEqual([
      { reads: 1, rows: 2, requests: 0 },
      { reads: 1, rows: 2, requests: 1 },
      { reads: 1, rows: 2, requests: 3 },
    ]);
  });

  it('counts nothing for a request that fails, and lets its error through', async () => {
    const failing: DataverseApi = { list: async () => Promise.reject(new Error('boom')), send: async () => ok, sendMany: async () => [] };
    const tally: ReadTally = { reads: 0, rows: 0, requests: 0 };
    const changed = vi.fn();
    await expect(tallied(failing, tally, changed).list('contacts', { select: ['contactid'] })).rejects.toThrow('boom');
    expect(tally).toEqual({ reads: 0, rows: 0, requests: 0 });
    expect(changed).not.toHaveBeenCalled();
  });
});
