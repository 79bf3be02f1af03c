/**
 * Conformance: membership under replication lag, and how the lag is switched on
 * (docs/simulator-graph.md "Replication lag", docs/simulator.md "Injected faults"). Sources:
 * "Designing for Eventual Consistency for Microsoft Entra" (linked from Learn group-post-members):
 * group membership writes are accepted first and replicated asynchronously, so reads may not reflect
 * them yet; Learn group-list-members and group-delta (what the reads return); group-post-members (a
 * second add of an existing member → 400 "…already exist…", which the write path knows at once).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/index.js';
import { writeDemoFixtureFile } from '../support/demo-file.js';
import { request, startSim, type RunningSim } from '../support/sim.js';

const LAG = 600;
const G = 'a9000000-0000-0000-0000-000000000001';
const A = 'eeeeeeee-0000-0000-0000-000000000001';
const B = 'eeeeeeee-0000-0000-0000-000000000002';
const fixture = {
  app: { roles: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'User.Read.All'] },
  graph: { users: [{ id: A, displayName: 'A' }, { id: B, displayName: 'B' }], groups: [{ id: G, displayName: 'FS technicians', members: [B] }] },
};
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOT = new URL('../../', import.meta.url).pathname;
const demoFile = writeDemoFixtureFile();
afterAll(() => demoFile.remove());

let s: RunningSim;
beforeAll(async () => {
  s = await startSim(fixture);
});
afterAll(() => s.stop());
beforeEach(async () => {
  await s.admin('PUT', '/faults', { graph: { replicationLagMs: LAG, seed: 5 } });
  s.sim.reset(fixture);
});

const listed = async (): Promise<string[]> => (await s.graph('GET', `/groups/${G}/members?$select=id`)).json.value.map((m: { id: string }) => m.id);
const rel = (link: string): string => link.slice(s.info.graphBaseUrl.length);
type Delta = { id: string; 'members@delta'?: { id: string; '@removed'?: unknown }[] };

describe('replication lag: membership', () => {
  it('an added member is listed, and a removed one gone, only once the change has replicated; the write path knows at once', async () => {
    expect((await s.graph('POST', `/groups/${G}/members/$ref`, { body: ref(A) })).status).toBe(204);
    expect((await s.graph('DELETE', `/groups/${G}/members/${B}/$ref`)).status).toBe(204);
    const at = Date.now();
    expect(await listed()).toEqual([B]);
    // The state is written (the user sync and the product's next write see it) …
    expect([...s.sim.state.graph.groups.get(G)!.members]).toEqual([A]);
    // … and a second add of the same member is refused as "already exist" (group-post-members).
    const again = await s.graph('POST', `/groups/${G}/members/$ref`, { body: ref(A) });
    expect(again.status).toBe(400);
    expect(again.json.error.message).toContain('already exist');
    await sleep(Math.max(0, at + LAG + 50 - Date.now()));
    expect(await listed()).toEqual([A]);
  });

  it('groups delta reports a membership change in the first round after it has replicated, not before', async () => {
    const first = await s.graph('GET', '/groups/delta?$select=members');
    expect((first.json.value as Delta[]).find((g) => g.id === G)?.['members@delta']).toEqual([{ '@odata.type': '#microsoft.graph.user', id: B }]);
    let link: string = first.json['@odata.deltaLink'];
    const at = Date.now();
    await s.graph('POST', `/groups/${G}/members/$ref`, { body: ref(A) });
    const early = await s.graph('GET', rel(link));
    expect(early.json.value).toEqual([]);
    link = early.json['@odata.deltaLink'];
    await sleep(Math.max(0, at + LAG + 50 - Date.now()));
    const late = await s.graph('GET', rel(link));
    expect((late.json.value as Delta[]).find((g) => g.id === G)?.['members@delta']).toEqual([{ '@odata.type': '#microsoft.graph.user', id: A }]);
  });
});

describe('replication lag: switching it on', () => {
  it('PUT /_sim/faults describes graph.replicationLagMs; a negative or too large lag, or one for Dataverse, is a 400 that changes nothing', async () => {
    const set = await s.admin('PUT', '/faults', { graph: { replicationLagMs: 1500 } });
    expect(set.json.faults.graph.replicationLagMs).toBe(1500);
    expect(set.json.faults.dataverse).not.toHaveProperty('replicationLagMs');
    for (const body of [{ graph: { replicationLagMs: -1 } }, { graph: { replicationLagMs: 600_001 } }, { dataverse: { replicationLagMs: 10 } }, { graph: { replicationLagMs: '5' } }]) {
      const res = await s.admin('PUT', '/faults', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await s.admin('PUT', '/faults', {})).json.faults.graph.replicationLagMs).toBe(1500);
  });

  it("createSimulator's platform.replicationLagMs sets it at start", async () => {
    const sim = createSimulator({ fixture, caDir: process.env.SIM_CA_DIR!, platform: { replicationLagMs: 250 } });
    const info = await sim.start();
    try {
      const res = await request('PUT', `${info.adminUrl}/faults`, { body: {} });
      expect(res.json.faults.graph.replicationLagMs).toBe(250);
    } finally {
      await sim.stop();
    }
  });

  it('tenant-sim --replication-lag-ms N sets it at start; a bad value exits 2 with the usage', async () => {
    const args = ['bin/tenant-sim.mjs', '--fixture', demoFile.path, '--ca-dir', process.env.SIM_CA_DIR!];
    const child = spawn(process.execPath, [...args, '--replication-lag-ms', '1200'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!)));
    const info = JSON.parse(line);
    const body = (await request('PUT', `${info.adminUrl}/faults`, { body: {} })).json;
    expect(body.faults.graph.replicationLagMs).toBe(1200);
    const exited = new Promise<number | null>((res) => child.once('exit', res));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const bad = spawn(process.execPath, [...args, '--replication-lag-ms', 'soon'], { cwd: ROOT });
    let stderr = '';
    bad.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise<number | null>((res) => bad.once('exit', res))).toBe(2);
    expect(stderr).toContain('--replication-lag-ms must be a whole number');
    expect(stderr).toContain('[--replication-lag-ms N]');
  }, 20_000);
});
