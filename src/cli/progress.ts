/**
 * Progress of a run on stderr, from the engine's RunProgress events (src/engine/seams.ts), so that
 * a 2,000-technician apply is not five silent minutes. stdout keeps only the report.
 *
 * On a terminal: one live line for the current phase (observe, plan, apply by service, status
 * writes), redrawn in place with its counts, rate and elapsed time by log-update (which erases the
 * previous frame, wraps to the terminal's width and leaves the cursor alone); when the phase ends
 * its line stays with the final counts. Off a terminal (CI logs, a file): plain lines, one when a
 * phase starts and ends and one every `intervalMs` in between, never a control sequence.
 * Colour only on a terminal and never when NO_COLOR is set to a non-empty value (the NO_COLOR convention).
 */
import { createLogUpdate } from 'log-update';
import type { RunProgress } from '../engine/seams.js';
import type { Plan } from '../model/plan.js';
import type { ChangeResult } from '../model/run.js';

export interface ProgressIo {
  write(text: string): void;
  /** stderr is a terminal: draw the live line. */
  tty: boolean;
  /** Colour the phase names and failures (a terminal without NO_COLOR). */
  color: boolean;
  now?: () => number;
  /** Off a terminal, a line at most this often while a phase runs (default 10 s). */
  intervalMs?: number;
  /** The terminal's width (stderr's columns; 80 when unknown). */
  columns?: number;
}

/** log-update draws on a stream: this one writes through `io.write`, so tests see every byte. */
function terminalOf(io: ProgressIo): NodeJS.WriteStream {
  const stream = { write: (text: string) => (io.write(text), true), columns: io.columns ?? 80, rows: 24, isTTY: true };
  return stream as unknown as NodeJS.WriteStream;
}

export interface Progress {
  on(event: RunProgress): void;
  /** Redraws the live line (on a terminal) or prints a periodic line when one is due. */
  tick(): void;
  /** Ends the live line, so whatever is written next starts on a line of its own. */
  stop(): void;
}

/** NO_COLOR "when present and not an empty string" turns colour off. */
export function colorWanted(tty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return tty && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

interface Phase {
  name: string;
  startedAt: number;
  counts: () => string;
  done: () => number;
}

function applyCounts(plan: Plan, results: readonly ChangeResult[], paint: (code: string, t: string) => string): string {
  const service = new Map(plan.changes.map((c) => [c.id, c.target.service]));
  const per = new Map<string, { done: number; total: number }>();
  for (const c of plan.changes) per.set(c.target.service, { done: 0, total: (per.get(c.target.service)?.total ?? 0) + 1 });
  for (const r of results) {
    const s = per.get(service.get(r.changeId) ?? '');
    if (s) s.done += 1;
  }
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const services = [...per].map(([name, s]) => `${name} ${s.done}/${s.total}`).join(', ');
  return `${results.length}/${plan.changes.length} changes${services ? ` (${services})` : ''}${failed > 0 ? `, ${paint('31', `${failed} failed`)}` : ''}`;
}

/** "reading the tenant" until the first read answers, then what has come in (the rate is rows per second). */
function readCounts(r: { reads: number; rows: number; requests: number }): string {
  if (r.reads === 0 && r.requests === 0) return 'reading the tenant';
  const n = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
  return `${n(r.rows, 'row')} from ${n(r.reads, 'read')}${r.requests > 0 ? `, ${n(r.requests, 'look-up')}` : ''}`;
}

export function createProgress(io: ProgressIo): Progress {
  const now = io.now ?? Date.now;
  const every = io.intervalMs ?? 10_000;
  const paint = (code: string, text: string): string => (io.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  let phase: Phase | undefined;
  let lastPlain = 0;
  let live = false;
  // showCursor: the process may still ask for confirmation, and a cursor hidden on exit stays hidden.
  const terminal = io.tty ? createLogUpdate(terminalOf(io), { showCursor: true }) : undefined;
  /** What observing has read so far: the observe phase's line counts it. */
  let read = { reads: 0, rows: 0, requests: 0 };
  /** The apply's results so far: the apply phase's line counts them. */
  let results: readonly ChangeResult[] = [];

  const line = (p: Phase): string => {
    const seconds = (now() - p.startedAt) / 1000;
    const perSecond = p.done() / seconds;
    const rate = p.done() > 0 && seconds >= 1 ? `, ${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s` : '';
    return `${paint('1;36', p.name)}: ${p.counts()}${rate}, ${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  };
  const draw = (text: string, final: boolean): void => {
    if (terminal) {
      terminal(text);
      if (final) terminal.done();
      live = !final;
    } else {
      io.write(`${text}\n`);
      lastPlain = now();
    }
  };
  const begin = (p: Phase): void => {
    phase = p;
    if (io.tty) draw(line(p), false);
    else draw(`${p.name}: started`, false);
  };
  const end = (): void => {
    if (phase) draw(line(phase), true);
    phase = undefined;
  };

  return {
    on(event) {
      if (event.phase === 'observe' && event.state === 'started') {
        read = { reads: 0, rows: 0, requests: 0 };
        begin({ name: 'observe', startedAt: now(), counts: () => readCounts(read), done: () => read.rows });
      } else if (event.phase === 'observe' && event.state === 'progress') {
        read = { reads: event.reads, rows: event.rows, requests: event.requests };
        this.tick();
      } else if (event.phase === 'observe') end();
      else if (event.phase === 'plan') {
        const p = event.plan;
        draw(`${paint('1;36', 'plan')}: ${p.subjects.length} rows, ${p.changes.length} changes${p.summary.blockedRemovals > 0 ? `, ${p.summary.blockedRemovals} held back` : ''}`, true);
      } else if (event.phase === 'apply') {
        const { plan } = event;
        results = event.results;
        if (event.state === 'started') begin({ name: 'apply', startedAt: now(), counts: () => applyCounts(plan, results, paint), done: () => results.length });
        else if (event.state === 'finished') end();
        else this.tick();
      } else if (event.phase === 'status' && event.state === 'started') {
        const writes = event.writes;
        begin({ name: 'status writes', startedAt: now(), counts: () => `${writes} row(s) to update`, done: () => 0 });
      } else if (event.phase === 'status') end();
    },
    tick() {
      if (!phase) return;
      if (io.tty) draw(line(phase), false);
      else if (now() - lastPlain >= every) draw(line(phase), false);
    },
    stop() {
      if (live) terminal?.clear();
      live = false;
      phase = undefined;
    },
  };
}
