/**
 * `npm start`: the newcomer's demo. Starts the tenant simulator with the demo tenant (three vendors,
 * fifty-odd technicians in every state), prints the plan, applies it, lets Dataverse's user sync
 * create the new technicians' users, and re-plans until nothing is left to do. It ends with a line
 * that says the tenant converged with 0 changes, or explains why it did not.
 */
import { readFileSync } from 'node:fs';
import { loadSettings } from '../config.js';
import { createEngine } from '../engine/compose.js';
import type { Plan } from '../model/plan.js';
import { renderReport } from '../report/index.js';
import { createSimulator, type Fixture } from '../simulator/index.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { exitWhenFlushed, guardBrokenPipe } from './output.js';
import { trustSimulatorCa } from './trust-simulator-ca.js';

const MAX_ROUNDS = 6;
const root = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const waiting = (plan: Plan): number => plan.contacts.filter((c) => c.status === 'waiting_for_dataverse_user').length;

async function demo(): Promise<number> {
  const caDir = await trustSimulatorCa();
  const fixture = read('fixtures/demo.json') as Fixture;
  const sim = createSimulator({ fixture, caDir });
  const info = await sim.start();
  Object.assign(process.env, info.env, read('fixtures/demo.settings.json'));
  const settings = loadSettings();
  const engine = createEngine(settings);
  const syncDelayMs = sim.state.environment.userSyncDelayMs;
  // Lines can quote contact data (a run error); the report itself is terminal-safe already.
  const say = (line = ''): void => void process.stdout.write(`${terminalSafe(line)}\n`);

  say(`Simulated tenant: Graph at ${info.graphBaseUrl}, Dataverse at ${info.dataverseUrl}`);
  say(`(Dataverse creates users ${syncDelayMs} ms after they are licensed and in the group, as its user sync does.)`);
  try {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const { plan } = await engine.plan({ kind: 'tenant' });
      say();
      if (round === 1) {
        say('== The plan: what vendor-reconciler would change, and why (a dry run) ==');
        say(renderReport('text', { plan }));
      }
      if (plan.changes.length === 0 && waiting(plan) === 0) {
        const byStatus = Object.entries(plan.summary.contactsByStatus).map(([s, n]) => `${n} ${s.replace(/_/g, ' ')}`).join(', ');
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
      const run = await engine.run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
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
