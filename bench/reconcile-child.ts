/**
 * One reconciler run in its own process, as the Function App would do it: createEngine (the one
 * composition root) with a ClientSecretCredential from the simulator's first line, then plan or run.
 * The parent spawns it with NODE_EXTRA_CA_CERTS=<simulator CA>. Input on stdin (JSON), the metrics on
 * the last line of stdout (JSON): wall time, when observing ended, peak RSS, outcome, the plan's
 * changes (kind, contact, service) and the status writes, results by outcome.
 */
import { ClientSecretCredential } from '@azure/identity';
import { loadSettings } from '../src/families.js';
import { createEngine, productFamilies } from '../src/engine/compose.js';
import { observe } from '../src/engine/observe.js';
import { finalStatuses, statusWrites } from '../src/engine/status.js';
import type { ChangeTarget, Plan } from '../src/model/plan.js';
import type { SimulatorInfo } from 'tenant-sim';

export interface ChildInput {
  info: SimulatorInfo;
  settingsEnv: Record<string, string>;
  mode: 'plan' | 'apply';
  releaseRemovals?: boolean;
}

export interface ChildOutput {
  mode: 'plan' | 'apply';
  wallMs: number;
  /** From start until the observation was read (the rest is plan + apply + status writes). */
  observeMs: number;
  maxRssBytes: number;
  outcome: string;
  error?: string;
  changes: { contactId: string; kind: string; service: ChangeTarget['service'] }[];
  changesByKind: Record<string, number>;
  statusWrites: number;
  results: Record<string, number>;
  /** A few failed results, for the report when something went wrong. */
  failures: { changeId: string; code: string; message: string }[];
  contactsByStatus: Record<string, number>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function summary(plan: Plan): Pick<ChildOutput, 'changes' | 'changesByKind' | 'contactsByStatus'> {
  return {
    changes: plan.changes.map((c) => ({ contactId: c.subject.id, kind: c.kind, service: c.target.service })),
    changesByKind: { ...plan.summary.changesByKind } as Record<string, number>,
    contactsByStatus: { ...plan.summary.subjectsByStatus } as Record<string, number>,
  };
}

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as ChildInput;
  const started = Date.now();
  let observedAt = started;
  const settings = loadSettings({ ...input.settingsEnv, GRAPH_BASE_URL: input.info.graphBaseUrl, DATAVERSE_URL: input.info.dataverseUrl });
  const credential = new ClientSecretCredential(input.info.tenantId, input.info.clientId, input.info.clientSecret, {
    authorityHost: input.info.authorityHost,
    disableInstanceDiscovery: true,
  });
  const engine = createEngine(settings, {
    credential,
    // The bulk observer, timed: the apply phase is what follows it.
    observer: {
      observe: async (graph, dataverse, s, now, families) => {
        const o = await observe(graph, dataverse, s, now, families);
        observedAt = Date.now();
        return o;
      },
    },
  });
  const overrides = input.releaseRemovals ? { releaseRemovals: true } : {};
  let out: ChildOutput;
  if (input.mode === 'plan') {
    const { plan } = await engine.plan({ kind: 'tenant' }, overrides);
    out = { mode: 'plan', wallMs: Date.now() - started, observeMs: observedAt - started, maxRssBytes: 0, outcome: 'planned', ...summary(plan), statusWrites: statusWrites(plan, finalStatuses(plan, null), productFamilies()).length, results: {}, failures: [] };
  } else {
    const record = await engine.run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli', overrides });
    const results: Record<string, number> = {};
    for (const r of record.results) results[r.outcome] = (results[r.outcome] ?? 0) + 1;
    out = {
      mode: 'apply',
      wallMs: Date.now() - started,
      observeMs: observedAt - started,
      maxRssBytes: 0,
      outcome: record.outcome,
      ...(record.error ? { error: `${record.error.code}: ${record.error.message}` } : {}),
      ...summary(record.plan),
      statusWrites: statusWrites(record.plan, finalStatuses(record.plan, record.results), productFamilies()).length,
      results,
      failures: record.results.filter((r) => r.outcome === 'failed').slice(0, 5).map((r) => ({ changeId: r.changeId, code: r.error?.code ?? '', message: r.error?.message ?? '' })),
    };
  }
  // maxRSS is in kilobytes (process.resourceUsage()).
  out.maxRssBytes = process.resourceUsage().maxRSS * 1024;
  // Wait for the pipe to take the whole line: process.exit() would cut a large one short.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(out)}\n`, () => resolve()));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ fatal: err instanceof Error ? (err.stack ?? err.message) : String(err) })}\n`);
    process.exit(1);
  },
);
