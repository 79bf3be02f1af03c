/**
 * `npm start`: the newcomer's demo. Starts the tenant simulator with the demo tenant (three vendors,
 * fifty-odd technicians in every state), prints the plan, applies it, lets Dataverse's user sync
 * create the new technicians' users, and re-plans until nothing is left to do. It ends with a line
 * that says the tenant converged with 0 changes, or explains why it did not.
 *
 * The simulated Entra replicates like the real one (packages/tenant-sim/docs/simulator-graph.md "Replication lag"): a
 * guest just invited is "Not Found" for up to DEMO_REPLICATION_LAG_MS, so a newcomer sees the
 * reconciler wait for it (src/clients/replication-policy.ts) rather than an instantly consistent
 * tenant that production never is.
 */
import { readFileSync } from 'node:fs';
import { createSimulator, type Fixture, type Simulator } from 'tenant-sim';
import { loadSettings } from '../families.js';
import { createEngine } from '../engine/compose.js';
import type { Plan } from '../model/plan.js';
import { renderReport } from '../report/index.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { exitWhenFlushed, guardBrokenPipe } from './output.js';
import { trustSimulatorCa } from './trust-simulator-ca.js';

const MAX_ROUNDS = 6;
/** Small, like Entra's usual "seconds"; long enough that the first references to a new guest fail. */
const DEMO_REPLICATION_LAG_MS = 1500;
const root = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const waiting = (plan: Plan): number => plan.subjects.filter((c) => c.status === 'waiting_for_dataverse_user').length;

/** Graph answers in the simulator's log that said "not replicated yet" (404 on a user, 400 on a member add). */
function replicationMisses(sim: Simulator): number {
  const misses = (e: { method: string; path: string; status: number }): boolean =>
    (e.status === 404 && e.path.startsWith('/users/')) || (e.status === 400 && e.method === 'POST' && e.path.endsWith('/members/$ref'));
  return sim.requests.filter((e) => e.service === 'graph').reduce((n, e) => n + (misses(e) ? 1 : 0) + (e.inner ?? []).filter(misses).length, 0);
}

async function demo(): Promise<number> {
  const caDir = await trustSimulatorCa();
  const fixture = read('fixtures/demo.json') as Fixture;
  const sim = createSimulator({ fixture, caDir, platform: { replicationLagMs: DEMO_REPLICATION_LAG_MS } });
  const info = await sim.start();
  Object.assign(process.env, info.env, read('fixtures/demo.settings.json'));
  const settings = loadSettings();
  const engine = createEngine(settings);
  const syncDelayMs = sim.state.environment.userSyncDelayMs;
  // Lines can quote contact data (a run error); the report itself is terminal-safe already.
  const say = (line = ''): void => void process.stdout.write(`${terminalSafe(line)}\n`);

  say(`Simulated tenant: Graph at ${info.graphBaseUrl}, Dataverse at ${info.dataverseUrl}`);
  say(`(Dataverse creates users ${syncDelayMs} ms after they are licensed and in the group, as its user sync does.)`);
  say(`(Entra replicates new objects within ${DEMO_REPLICATION_LAG_MS} ms: a guest just invited is "Not Found" until then, and the reconciler waits for it.)`);
  try {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const { plan } = await engine.plan({ kind: 'tenant' });
      say();
      if (round === 1) {
        say('== The plan: what vendor-reconciler would change, and why (a dry run) ==');
        say(renderReport('text', { plan }));
      }
      if (plan.changes.length === 0 && waiting(plan) === 0) {
        const byStatus = Object.entries(plan.summary.subjectsByStatus).map(([s, n]) => `${n} ${s.replace(/_/g, ' ')}`).join(', ');
        say(`Contacts: ${byStatus}.`);
        say(`Converged after ${round - 1} apply run(s): the plan has 0 changes.`);
        return 0;
      }
      if (plan.changes.length === 0) {
        say(`Round ${round}: 0 changes; waiting for Dataverse's user sync for ${waiting(plan)} technician(s)…`);
        await sleep(syncDelayMs + 250);
        continue;
      }
      say(`== Round ${round}: applying ${plan.changes.length} change(s) ==`);
      sim.requests.length = 0;
      const run = await engine.run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
      const misses = replicationMisses(sim);
      if (misses > 0) say(`Entra had not replicated the new guests yet: ${misses} request(s) about them were refused as not existing yet, and sent again after a short wait.`);
      const counts = new Map<string, number>();
      for (const r of run.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
      say(`Run ${run.runId}: ${run.outcome}; ${[...counts].map(([o, n]) => `${n} ${o.replace('_', ' ')}`).join(', ')}.`);
      if (run.error) say(`Run error: ${run.error.message} What to do: ${run.error.action}`);
      const waitingNow = Object.values(run.statuses).filter((s) => s === 'waiting_for_dataverse_user').length;
      if (waitingNow > 0) {
        say(`${waitingNow} technician(s) wait for Dataverse to create their user; checking again after the sync.`);
        await sleep(syncDelayMs + 250);
      }
    }
    say(`Not converged after ${MAX_ROUNDS} rounds: the last plan still has changes (see above).`);
    return 1;
  } finally {
    await sim.stop();
  }
}

// Ends once stdout has taken every line (output.ts), also when the demo is piped (`npm start | less`).
guardBrokenPipe();
demo().then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    process.stderr.write(terminalSafe(`demo failed: ${(err as Error).stack ?? String(err)}\n`));
    return exitWhenFlushed(1);
  },
);
