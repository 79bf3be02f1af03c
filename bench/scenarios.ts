/**
 * The benchmark's scenarios (issue 6): each in a fresh simulator process, the reconciler in a child
 * process, requests counted from the simulator's log, compared with the lower bound and checked
 * against the targets. docs/benchmarks.md explains every number.
 */
import { countRequests, requestsSent, type Counts } from './counts.js';
import { lagFigures, type LagFigures } from './lag.js';
import { BENCH_SETTINGS, GROUP_ID, GROUP_MODE_SETTINGS, SKU_ID, drift, expectedTotal, groupOnboarding, offboarding, onboarding, steadyState, type Expected, type GeneratedScenario } from './fixtures.js';
import { ratio, readBound, writeBound, writeRate, type Collection, type NeededChange, type ReadBound, type WindowLimit, type WriteBound, type WriteRate } from './lower-bound.js';
import type { ChildInput, ChildOutput } from './reconcile-child.js';
import type { BaselineInput, BaselineOutput } from './baseline.js';
import { runTsChild, startSimProcess, type SimProcess } from './sim-process.js';
import type { Fixture } from 'tenant-sim';

export interface BenchOptions {
  workDir: string;
  caDir: string;
  latencyMs: number;
  /** Graph write limit used for the apply phases (documented default 3,000 per 150 s). */
  graphLimit: WindowLimit;
  /**
   * The write-rate target of onboarding's first apply. 0.8 at the documented limits. The small run
   * shrinks the write window to 30 s but the invitation manager's window stays 5 s, so the wait for
   * the invitations the first 150 leave over (apply sends a wave's dependents only once every
   * invitation of the wave has an answer) is a sixth of the window there against a thirtieth in
   * Azure: the small run checks 0.75 (docs/benchmarks.md).
   */
  onboardingRateTarget: number;
  /** Entra's replication lag for onboarding's lag variant (bench/lag.ts); 0 leaves the variant out. */
  replicationLagMs: number;
  baselineConcurrency: number;
  log(line: string): void;
}

export interface Check {
  target: string;
  ok: boolean;
  detail: string;
}

export interface PhaseResult {
  name: string;
  child: Omit<ChildOutput, 'changes'>;
  counts: Counts;
  bound: { reads: ReadBound; writes: WriteBound };
  expected: Expected | null;
  graphWriteRate: WriteRate;
  dataverseRequestRate: WriteRate;
}

export interface BaselineResult {
  output: BaselineOutput;
  counts: Counts;
  requestsPerTechnician: number;
  /** Write operations answered (429s excluded) per technician. */
  writesPerTechnician: number;
  /** Wall time if the flow's fixed 1-minute wait is counted: ceil(n / concurrency) waits in sequence. */
  modelledMsWithWaits: number;
}

export interface ScenarioResult {
  key: string;
  title: string;
  technicians: number;
  /** Technicians the scenario is about (drifted, new, deactivated); all for steady state. */
  affected: number;
  phases: PhaseResult[];
  baseline?: BaselineResult;
  /** Onboarding only: its first apply again under replication lag (bench/lag.ts). */
  lag?: LagFigures & { phase: PhaseResult };
  checks: Check[];
}

type Row = Record<string, unknown>;

/** Rows of each collection the reconciler reads (src/engine/observe.ts), counted in the simulator's state. */
export function collectionsOf(state: Fixture): Collection[] {
  const users = state.graph?.users ?? [];
  const dv = state.dataverse ?? {};
  const rows = (set: string, keep: (r: Row) => boolean = () => true): number => (dv[set] ?? []).filter(keep).length;
  const contacts = (dv.contacts ?? []).filter((c) => c.o25fs_setuptechnician === true || (c.o25fs_entraobjectid ?? null) !== null);
  const vendors = new Set(contacts.map((c) => c._parentcustomerid_value).filter(Boolean));
  const group = (state.graph?.groups ?? []).find((g) => g.id.toLowerCase() === GROUP_ID.toLowerCase());
  return [
    { service: 'graph', name: 'users (guests)', rows: users.filter((u) => u.userType === 'Guest').length },
    { service: 'graph', name: 'group members', rows: group?.members?.length ?? 0 },
    // The group itself, one GET (its name for the report, its licences in group mode;
    // reconcilers/technicians/group-licensing.ts readTechnicianGroup).
    { service: 'graph', name: 'technician group', rows: 1 },
    { service: 'graph', name: 'subscribedSkus', rows: state.graph?.subscribedSkus?.length ?? 0, pageMax: 1000 },
    { service: 'dataverse', name: 'contacts', rows: contacts.length },
    { service: 'dataverse', name: 'accounts (vendors)', rows: vendors.size },
    { service: 'dataverse', name: 'o25fs_vendorcharacteristics', rows: rows('o25fs_vendorcharacteristics') },
    { service: 'dataverse', name: 'characteristics', rows: rows('characteristics') },
    { service: 'dataverse', name: 'ratingvalues', rows: rows('ratingvalues') },
    { service: 'dataverse', name: 'systemusers', rows: rows('systemusers', (r) => (r.azureactivedirectoryobjectid ?? null) !== null) },
    { service: 'dataverse', name: 'bookableresources', rows: rows('bookableresources', (r) => r.resourcetype === 3) },
    { service: 'dataverse', name: 'bookableresourcecharacteristics', rows: rows('bookableresourcecharacteristics') },
  ];
}

const DATAVERSE_LIMIT: WindowLimit = { writes: 6000, windowMs: 300_000 };

async function runPhase(
  sim: SimProcess, name: string, expected: Expected | null, opts: BenchOptions, releaseRemovals = false, known?: Collection[], settingsEnv: Record<string, string> = BENCH_SETTINGS,
): Promise<PhaseResult> {
  // The simulator's state as JSON is ~4 KB per technician: for 100,000 that nears V8's string
  // limit, so a tenant nothing has changed yet is counted from its fixture.
  const collections = known ?? collectionsOf(await sim.admin<Fixture>('GET', '/state'));
  await sim.clearRequests();
  const input: ChildInput = { info: sim.info, settingsEnv, mode: 'apply', releaseRemovals };
  const child = await runTsChild<ChildOutput & { fatal?: string }>('bench/reconcile-child.ts', input, sim.info.caCertPath);
  if (child.fatal) throw new Error(`reconciler child failed in ${name}: ${child.fatal}`);
  const counts = countRequests(await sim.requests());
  const { changes, ...rest } = child;
  const reads = readBound(collections, child.changesByKind['user.invite'] ?? 0);
  const writes = writeBound(changes as NeededChange[], child.statusWrites);
  const applyMs = child.wallMs - child.observeMs;
  opts.log(`  ${name}: ${child.outcome} in ${(child.wallMs / 1000).toFixed(1)} s, ${changes.length} changes, ${child.statusWrites} status writes`);
  return {
    name,
    child: rest,
    counts,
    bound: { reads, writes },
    expected,
    graphWriteRate: writeRate(counts.graph.writesSucceeded, applyMs, opts.graphLimit, child.changesByKind['user.invite'] ?? 0),
    dataverseRequestRate: writeRate(requestsSent(counts.dataverse), applyMs, DATAVERSE_LIMIT),
  };
}

async function planOnly(sim: SimProcess): Promise<ChildOutput> {
  const child = await runTsChild<ChildOutput & { fatal?: string }>('bench/reconcile-child.ts', { info: sim.info, settingsEnv: BENCH_SETTINGS, mode: 'plan' } satisfies ChildInput, sim.info.caCertPath);
  if (child.fatal) throw new Error(`plan failed: ${child.fatal}`);
  return child;
}

async function withSim<T>(fixture: Fixture, name: string, opts: BenchOptions, fn: (sim: SimProcess) => Promise<T>, replicationLagMs = 0): Promise<T> {
  const sim = await startSimProcess(fixture, { workDir: opts.workDir, caDir: opts.caDir, latencyMs: opts.latencyMs, name, replicationLagMs });
  try {
    await sim.admin('PUT', '/limits', { graph: { writesPerWindow: opts.graphLimit.writes, windowMs: opts.graphLimit.windowMs } });
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

async function runBaseline(g: GeneratedScenario, mode: BaselineInput['mode'], technicians: BaselineInput['technicians'], opts: BenchOptions): Promise<BaselineResult> {
  return withSim(g.fixture, `${mode}-baseline`, opts, async (sim) => {
    await sim.clearRequests();
    const input: BaselineInput = { info: sim.info, mode, technicians, skuId: SKU_ID, groupId: GROUP_ID, concurrency: opts.baselineConcurrency };
    const output = await runTsChild<BaselineOutput & { fatal?: string }>('bench/baseline.ts', input, sim.info.caCertPath);
    if (output.fatal) throw new Error(`baseline failed: ${output.fatal}`);
    const counts = countRequests(await sim.requests());
    const n = Math.max(1, technicians.length);
    const requests = requestsSent(counts.graph) + requestsSent(counts.dataverse);
    const writes = counts.graph.writesAnswered + counts.dataverse.writesAnswered;
    const waits = mode === 'onboarding' ? Math.ceil(technicians.length / opts.baselineConcurrency) * 60_000 : 0;
    opts.log(`  baseline ${mode}: ${requests} requests, flows ${(output.flowsMs / 1000).toFixed(1)} s, plugin ${(output.pluginMs / 1000).toFixed(1)} s, ${output.failedFlows} failed flows`);
    return { output, counts, requestsPerTechnician: requests / n, writesPerTechnician: writes / n, modelledMsWithWaits: output.flowsMs + output.pluginMs + waits };
  });
}

// ---- checks against the targets (issue 6) ----

function sumReads(p: PhaseResult): { ours: number; bound: number } {
  return { ours: p.counts.graph.reads + p.counts.dataverse.reads, bound: p.bound.reads.graph + p.bound.reads.dataverse };
}

export function readCheck(p: PhaseResult, max: number): Check {
  const { ours, bound } = sumReads(p);
  const r = ratio(ours, bound);
  return { target: `reads ≤ ${max}× bound (${p.name})`, ok: r <= max, detail: `${ours} reads / bound ${bound} = ${r.toFixed(3)}` };
}

export function oneWritePerChangeCheck(p: PhaseResult): Check {
  const answered = p.counts.graph.writesAnswered + p.counts.dataverse.writesAnswered;
  const needed = p.bound.writes.operations.graph + p.bound.writes.operations.dataverse;
  const expected = p.expected ? expectedTotal(p.expected) : needed;
  const ok = answered === needed && needed === expected;
  return { target: `one write per needed change (${p.name})`, ok, detail: `${answered} write operations answered (429s excluded); plan needs ${needed}; the scenario needs ${expected}` };
}

export function envelopeCheck(p: PhaseResult, max: number): Check[] {
  return (['graph', 'dataverse'] as const).map((s) => {
    const c = p.counts[s];
    const sent = c.writeEnvelopes - c.writeEnvelopesAfter429;
    const bound = p.bound.writes.envelopes[s];
    const r = ratio(sent, bound);
    return { target: `${s} write envelopes ≤ ${max}× bound (${p.name})`, ok: r <= max, detail: `${sent} envelopes (+${c.writeEnvelopesAfter429} re-sent after 429) / bound ${bound} = ${r.toFixed(3)}` };
  });
}

export function rateCheck(p: PhaseResult, min: number): Check {
  const w = p.graphWriteRate;
  if (!w.limitBound) return { target: `Graph write rate ≥ ${min * 100}% of the limit (${p.name})`, ok: true, detail: `not limit-bound: ${w.writes} writes fit one window's budget of ${w.budget}` };
  return { target: `Graph write rate ≥ ${min * 100}% of the limit (${p.name})`, ok: w.share >= min, detail: `${w.writes} writes in ${(w.actualMs / 1000).toFixed(1)} s; the limit allows them in ${(w.minimumMs / 1000).toFixed(1)} s at best: ${(w.share * 100).toFixed(0)}%` };
}

/**
 * Graph write requests answered (429s excluded) per new technician over all of a scenario's phases:
 * direct mode needs the invitation, the user update and the licence, and a twentieth of a group PATCH.
 */
export function graphWritesPerTechnicianCheck(phases: PhaseResult[], added: number, max: number): Check {
  const writes = phases.reduce((a, p) => a + p.counts.graph.writesAnswered, 0);
  const per = writes / Math.max(1, added);
  return { target: `≤ ${max} Graph writes per new technician`, ok: per <= max, detail: `${writes} Graph writes answered for ${added} new technicians = ${per.toFixed(3)}` };
}

/** The phase's apply takes at most `factor` × the least time the Graph write limit allows for its writes. */
export function writeTimeCheck(p: PhaseResult, factor: number): Check {
  const w = p.graphWriteRate;
  const target = `apply time ≤ ${factor}× what the Graph write limit allows (${p.name})`;
  if (!w.limitBound) return { target, ok: true, detail: `not limit-bound: ${w.writes} writes fit one window's budget of ${w.budget}` };
  const r = w.actualMs / Math.max(1, w.minimumMs);
  return { target, ok: r <= factor, detail: `${w.writes} writes in ${(w.actualMs / 1000).toFixed(1)} s; the limit allows them in ${(w.minimumMs / 1000).toFixed(1)} s at best: ${r.toFixed(3)}×` };
}

function noFailures(p: PhaseResult): Check {
  const failed = p.child.results.failed ?? 0;
  return { target: `run succeeded (${p.name})`, ok: p.child.outcome === 'succeeded' && failed === 0, detail: `${p.child.outcome}, ${failed} failed${p.child.failures.length ? `: ${p.child.failures.map((f) => `${f.code} ${f.message}`).join(' | ').slice(0, 300)}` : ''}` };
}

// ---- the scenarios ----

export async function steadyScenario(key: string, title: string, n: number, opts: BenchOptions, maxRssBytes?: number): Promise<ScenarioResult> {
  opts.log(`${title}: generating ${n} technicians`);
  const g = steadyState(n);
  return withSim(g.fixture, key, opts, async (sim) => {
    const plan = await planOnly(sim);
    const changes = plan.changes.length + plan.statusWrites;
    const p = await runPhase(sim, 'apply', g.expected, opts, false, collectionsOf(g.fixture));
    const writes = p.counts.graph.writeOps + p.counts.dataverse.writeOps;
    const checks: Check[] = [
      { target: 'generated tenant is converged (plan)', ok: changes === 0, detail: `${plan.changes.length} changes and ${plan.statusWrites} status writes planned` },
      noFailures(p),
      { target: 'zero write requests', ok: writes === 0, detail: `${writes} write operations` },
      readCheck(p, 1.1),
    ];
    if (maxRssBytes !== undefined) {
      checks.push({ target: `peak RSS < ${(maxRssBytes / 2 ** 30).toFixed(0)} GB`, ok: p.child.maxRssBytes < maxRssBytes, detail: `${(p.child.maxRssBytes / 2 ** 20).toFixed(0)} MB` });
    }
    return { key, title, technicians: n, affected: n, phases: [p], checks };
  });
}

export async function driftScenario(n: number, opts: BenchOptions): Promise<ScenarioResult> {
  const title = `Drift, ${n} technicians, 5% drifted`;
  opts.log(title);
  const g = drift(n);
  return withSim(g.fixture, 'drift', opts, async (sim) => {
    const p = await runPhase(sim, 'apply', g.expected, opts);
    const affected = Math.floor(n / 20);
    return { key: 'drift', title, technicians: n, affected, phases: [p], checks: [noFailures(p), oneWritePerChangeCheck(p), ...envelopeCheck(p, 1.2), rateCheck(p, 0.8), readCheck(p, 1.1)] };
  });
}

export async function onboardingScenario(base: number, added: number, opts: BenchOptions, baseline: boolean): Promise<ScenarioResult> {
  const title = `Onboarding, ${added} new technicians (tenant of ${base + added})`;
  opts.log(title);
  const g = onboarding(base, added);
  const result: ScenarioResult = await withSim(g.fixture, 'onboarding', opts, async (sim): Promise<ScenarioResult> => {
    const first = await runPhase(sim, 'apply 1 (invite, licence, group)', g.expected, opts);
    await sim.admin('POST', '/sync');
    const second = await runPhase(sim, 'apply 2 (bookable resources)', g.second, opts);
    const checks = [first, second].flatMap((p) => [noFailures(p), oneWritePerChangeCheck(p), ...envelopeCheck(p, 1.2), rateCheck(p, opts.onboardingRateTarget)]);
    checks.push(graphWritesPerTechnicianCheck([first, second], added, DIRECT_WRITES_PER_TECHNICIAN));
    return { key: 'onboarding', title, technicians: base + added, affected: added, phases: [first, second], checks };
  });
  const lagMs = opts.replicationLagMs;
  if (lagMs > 0) {
    // The same first apply in a fresh simulator whose Entra replicates with a lag: a reported figure
    // (what the lag costs), and a check that the run still succeeds with nothing failed.
    const lagged = await withSim(g.fixture, 'onboarding-lag', opts, (sim) => runPhase(sim, `apply 1 under ${lagMs} ms replication lag`, g.expected, opts), lagMs);
    const first = result.phases[0]!;
    const phase = (p: PhaseResult): { counts: Counts; wallMs: number; boundGraphEnvelopes: number } => ({ counts: p.counts, wallMs: p.child.wallMs, boundGraphEnvelopes: p.bound.writes.envelopes.graph });
    result.lag = { ...lagFigures(lagMs, phase(first), phase(lagged)), phase: lagged };
    result.checks.push(noFailures(lagged));
  }
  if (baseline) {
    const contacts = (g.fixture.dataverse?.contacts ?? []).filter((c) => c.o25fs_entraobjectid === null);
    result.baseline = await runBaseline(g, 'onboarding', contacts.map((c) => ({ email: String(c.emailaddress1), displayName: String(c.fullname) })), opts);
  }
  return result;
}

/** Issue 15's targets: Graph writes per new technician in direct mode, and the time against the write limit. */
export const DIRECT_WRITES_PER_TECHNICIAN = 3.05;
export const ONBOARDING_TIME_FACTOR = 1.1;

/**
 * Onboarding at scale (full runs): `added` new technicians in an otherwise empty tenant, the first
 * apply (every Graph write) limit-bound for most of its length, so its time is checked against what
 * the limit allows. The second apply (Dataverse only) is the onboarding scenario's to measure.
 */
export async function onboardingAtScaleScenario(added: number, opts: BenchOptions): Promise<ScenarioResult> {
  const title = `Onboarding at scale, ${added} new technicians`;
  opts.log(title);
  const g = onboarding(0, added);
  return withSim(g.fixture, 'onboarding-scale', opts, async (sim): Promise<ScenarioResult> => {
    const first = await runPhase(sim, 'apply 1 (invite, licence, group)', g.expected, opts);
    const checks = [noFailures(first), oneWritePerChangeCheck(first), graphWritesPerTechnicianCheck([first], added, DIRECT_WRITES_PER_TECHNICIAN), writeTimeCheck(first, ONBOARDING_TIME_FACTOR)];
    return { key: 'onboarding-scale', title, technicians: added, affected: added, phases: [first], checks };
  });
}

/** Issue 15's target in group licensing mode: Graph writes per new technician. */
export const GROUP_WRITES_PER_TECHNICIAN = 2.05;

/**
 * Onboarding with LICENSE_MODE=group: the technician group carries the licence, so a new technician
 * costs an invitation, a user update and a twentieth of a group PATCH: target ≤ 2.05 Graph writes each
 * (issue 15), over both applies (the second writes to Dataverse only).
 */
export async function groupOnboardingScenario(base: number, added: number, opts: BenchOptions): Promise<ScenarioResult> {
  const title = `Onboarding in group licensing mode, ${added} new technicians (tenant of ${base + added})`;
  opts.log(title);
  const g = groupOnboarding(base, added);
  return withSim(g.fixture, 'onboarding-group', opts, async (sim): Promise<ScenarioResult> => {
    const first = await runPhase(sim, 'apply 1 (invite, user update, group)', g.expected, opts, false, undefined, GROUP_MODE_SETTINGS);
    // The admin sync lets Entra finish the group licensing first, then runs Dataverse's user sync.
    await sim.admin('POST', '/sync');
    const second = await runPhase(sim, 'apply 2 (bookable resources)', g.second, opts, false, undefined, GROUP_MODE_SETTINGS);
    const checks = [
      ...[first, second].flatMap((p) => [noFailures(p), oneWritePerChangeCheck(p), ...envelopeCheck(p, 1.2)]),
      graphWritesPerTechnicianCheck([first, second], added, GROUP_WRITES_PER_TECHNICIAN),
    ];
    return { key: 'onboarding-group', title, technicians: base + added, affected: added, phases: [first, second], checks };
  });
}

export async function offboardingScenario(n: number, opts: BenchOptions, baseline: boolean): Promise<ScenarioResult> {
  const title = `Offboarding, ${n} technicians, 10% deactivated (removal override on)`;
  opts.log(title);
  const g = offboarding(n);
  const result: ScenarioResult = await withSim(g.fixture, 'offboarding', opts, async (sim): Promise<ScenarioResult> => {
    const p = await runPhase(sim, 'apply', g.expected, opts, true);
    return { key: 'offboarding', title, technicians: n, affected: Math.floor(n / 10), phases: [p], checks: [noFailures(p), oneWritePerChangeCheck(p), ...envelopeCheck(p, 1.2), rateCheck(p, 0.8)] };
  });
  if (baseline) {
    const contacts = (g.fixture.dataverse?.contacts ?? []).filter((c) => c.statecode === 1);
    result.baseline = await runBaseline(g, 'offboarding', contacts.map((c) => ({ email: String(c.emailaddress1), displayName: String(c.fullname) })), opts);
  }
  return result;
}
