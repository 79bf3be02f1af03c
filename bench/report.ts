/**
 * The benchmark's output: Markdown tables (printed, and kept in docs/benchmarks.md between the
 * results markers) and the machine the run was on.
 */
import { cpus, totalmem } from 'node:os';
import type { ServiceCounts } from './counts.js';
import { requestsSent } from './counts.js';
import { ratio, type WriteRate } from './lower-bound.js';
import type { PhaseResult, ScenarioResult } from './scenarios.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` };
}

export interface BenchRun {
  startedAt: string;
  finishedAt: string;
  mode: 'small' | 'full' | 'large';
  latencyMs: number;
  graphLimit: { writes: number; windowMs: number };
  machine: Machine;
  scenarios: ScenarioResult[];
  passed: boolean;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const secs = (ms: number): string => `${fmt(ms / 1000, 1)} s`;
const r = (ours: number, bound: number): string => `${fmt(ours)} / ${fmt(bound)} (${ratio(ours, bound) === Infinity ? '∞' : fmt(ratio(ours, bound), 2)}×)`;

function methods(m: Record<string, number>): string {
  const parts = Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${fmt(v)}`);
  return parts.length ? parts.join(', ') : '–';
}

function requestsCell(c: ServiceCounts): string {
  const direct = methods(c.direct);
  const batch = c.envelopes ? `$batch ${fmt(c.envelopes)} [${methods(c.inner)}]` : '';
  return [direct === '–' && batch ? '' : direct, batch].filter(Boolean).join('; ');
}

function rate(w: WriteRate): string {
  if (!w.limitBound) return `not limit-bound (${fmt(w.writes)} ≤ ${fmt(w.budget)} per window)`;
  return `${fmt(w.share * 100)}% (${fmt(w.writes)} in ${secs(w.actualMs)}; best ${secs(w.minimumMs)})`;
}

const label = (s: ScenarioResult, p: PhaseResult): string => (s.phases.length > 1 ? `${s.title} · ${p.name}` : s.title);

export function markdown(run: BenchRun): string {
  const m = run.machine;
  const lines: string[] = [];
  lines.push(`Run of ${run.startedAt} (${run.mode}), ${secs(Date.parse(run.finishedAt) - Date.parse(run.startedAt))} in all. Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}. Simulated latency ${run.latencyMs} ms per request (every inner $batch request too); Graph write limit ${fmt(run.graphLimit.writes)} per ${fmt(run.graphLimit.windowMs / 1000)} s; Dataverse 6,000 requests per 300 s and 52 concurrent.`);
  lines.push('');
  lines.push('**Requests sent** (by method; `$batch n [inner operations]`; every attempt, 429 answers included):');
  lines.push('');
  lines.push('| Scenario | Graph | Dataverse | Token |');
  lines.push('|---|---|---|---|');
  for (const s of run.scenarios) for (const p of s.phases) lines.push(`| ${label(s, p)} | ${requestsCell(p.counts.graph)} | ${requestsCell(p.counts.dataverse)} | ${p.counts.token} |`);
  lines.push('');
  lines.push('**Against the lower bound** (ours / bound (ratio)):');
  lines.push('');
  lines.push('| Scenario | Graph reads | Dataverse reads | Graph write envelopes | Dataverse write envelopes | Write operations / needed | Re-sent after 429 | 429 answers |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const s of run.scenarios) {
    for (const p of s.phases) {
      const g = p.counts.graph;
      const d = p.counts.dataverse;
      const needed = p.bound.writes.operations.graph + p.bound.writes.operations.dataverse;
      lines.push(
        `| ${label(s, p)} | ${r(g.reads, p.bound.reads.graph)} | ${r(d.reads, p.bound.reads.dataverse)} | ${r(g.writeEnvelopes - g.writeEnvelopesAfter429, p.bound.writes.envelopes.graph)} | ${r(d.writeEnvelopes - d.writeEnvelopesAfter429, p.bound.writes.envelopes.dataverse)} | ${fmt(g.writesAnswered + d.writesAnswered)} / ${fmt(needed)} | ${fmt(g.writeEnvelopesAfter429 + d.writeEnvelopesAfter429)} | ${fmt(g.throttled + d.throttled)} |`,
      );
    }
  }
  lines.push('');
  lines.push('**Time, write rate and memory** (reconciler process):');
  lines.push('');
  lines.push('| Scenario | Changes | Wall time | Observe | Plan + apply | Graph write rate vs limit | Dataverse requests vs limit | Peak RSS | Outcome |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const s of run.scenarios) {
    for (const p of s.phases) {
      const changes = Object.values(p.child.changesByKind).reduce((a, b) => a + b, 0);
      lines.push(
        `| ${label(s, p)} | ${fmt(changes)} + ${fmt(p.child.statusWrites)} status | ${secs(p.child.wallMs)} | ${secs(p.child.observeMs)} | ${secs(p.child.wallMs - p.child.observeMs)} | ${rate(p.graphWriteRate)} | ${rate(p.dataverseRequestRate)} | ${fmt(p.child.maxRssBytes / 2 ** 20)} MB | ${p.child.outcome} |`,
      );
    }
  }
  const withBaseline = run.scenarios.filter((s) => s.baseline);
  if (withBaseline.length) {
    lines.push('');
    lines.push('**Baseline (the original flows, functions and plugin) next to ours**, per technician concerned:');
    lines.push('');
    lines.push('| Scenario | Technicians | Requests / technician: original | ours | Write operations answered / technician: original | ours | Wall time: original (measured; with the flow\'s 1-minute waits) | ours | Original runs failed |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const s of withBaseline) {
      const b = s.baseline!;
      const ours = s.phases.reduce((a, p) => a + requestsSent(p.counts.graph) + requestsSent(p.counts.dataverse), 0) / Math.max(1, s.affected);
      const oursWrites = s.phases.reduce((a, p) => a + p.counts.graph.writesAnswered + p.counts.dataverse.writesAnswered, 0) / Math.max(1, s.affected);
      const oursMs = s.phases.reduce((a, p) => a + p.child.wallMs, 0);
      lines.push(
        `| ${s.title} | ${fmt(s.affected)} | ${fmt(b.requestsPerTechnician, 2)} | ${fmt(ours, 2)} | ${fmt(b.writesPerTechnician, 2)} | ${fmt(oursWrites, 2)} | ${secs(b.output.flowsMs + b.output.pluginMs)}; ${secs(b.modelledMsWithWaits)} | ${secs(oursMs)} | ${fmt(b.output.failedFlows)} flows, ${fmt(b.output.failedPluginRuns)} plugin runs |`,
      );
    }
  }
  const lagged = run.scenarios.filter((s) => s.lag);
  if (lagged.length) {
    lines.push('');
    lines.push('**Replication lag**: the first apply again, in a fresh simulator whose Entra replicates with a lag (`--replication-lag-ms`). Each "not replicated yet" answer is a write attempt the lag cost (it is sent again); Δ = with lag − without, which also carries the run-to-run variation of 429 re-sends:');
    lines.push('');
    lines.push('| Scenario | Lag | Answers "not replicated yet" | Graph write envelopes / bound | Δ Graph requests | Δ Graph write operations sent | Δ Dataverse requests | Wall time: without → with lag | Outcome |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const s of lagged) {
      const l = s.lag!;
      lines.push(
        `| ${s.title} | ${fmt(l.lagMs)} ms | ${fmt(l.notReplicated)} | ${r(l.graphWriteEnvelopes.sent, l.graphWriteEnvelopes.bound)} | ${fmt(l.extraRequests.graph)} | ${fmt(l.extraGraphWriteOps)} | ${fmt(l.extraRequests.dataverse)} | ${secs(l.wallMs.without)} → ${secs(l.wallMs.with)} | ${l.phase.child.outcome} |`,
      );
    }
  }
  lines.push('');
  lines.push('**Targets**:');
  lines.push('');
  lines.push('| Scenario | Target | Result | Detail |');
  lines.push('|---|---|---|---|');
  for (const s of run.scenarios) for (const c of s.checks) lines.push(`| ${s.title} | ${c.target} | ${c.ok ? 'met' : '**missed**'} | ${c.detail} |`);
  return lines.join('\n');
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces the results section of docs/benchmarks.md (between the markers). */
export function replaceResults(doc: string, section: string): string {
  const a = doc.indexOf(RESULTS_START);
  const b = doc.indexOf(RESULTS_END);
  if (a < 0 || b < a) throw new Error(`docs/benchmarks.md has no ${RESULTS_START} … ${RESULTS_END} section`);
  return `${doc.slice(0, a + RESULTS_START.length)}\n${section}\n${doc.slice(b)}`;
}
