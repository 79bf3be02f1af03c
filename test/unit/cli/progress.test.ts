/**
 * The progress renderer (src/cli/progress.ts) with a fake clock: the live line on a terminal
 * (redrawn in place, its final counts kept), plain periodic lines off it, and colour only when
 * wanted (a terminal without NO_COLOR).
 */
import { describe, expect, it } from 'vitest';
import { colorWanted, createProgress } from '../../../src/cli/progress.js';
import { change, planOf, result } from './plan-fixture.js';

const changes = [change(1, 'user.invite'), change(1, 'contact.anchor'), change(2, 'user.invite'), change(2, 'contact.anchor')];
const plan = planOf(changes);

function run(tty: boolean, color = false): { out: () => string; step: (ms: number) => void; progress: ReturnType<typeof createProgress> } {
  let out = '';
  let t = 0;
  const progress = createProgress({ write: (s) => void (out += s), tty, color, now: () => t, intervalMs: 10_000 });
  return { out: () => out, step: (ms) => void (t += ms), progress };
}

/** log-update's erase of the previous one-line frame: erase line, up one, erase line, column 1. */
const ERASE_PREVIOUS = '\u001b[2K\u001b[1A\u001b[2K\u001b[G';
// eslint-disable-next-line no-control-regex -- the terminal's control sequences are what is removed
const frames = (text: string): string[] => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n');

describe('progress on stderr', () => {
  it('off a terminal: a plain line when a phase starts and ends, and one every interval while it runs; no control sequence', () => {
    const { out, step, progress } = run(false);
    progress.on({ phase: 'observe', state: 'started' });
    step(4000);
    progress.tick(); // not due yet
    step(7000);
    progress.tick();
    progress.on({ phase: 'observe', state: 'finished' });
    progress.on({ phase: 'plan', state: 'finished', plan });
    progress.on({ phase: 'apply', state: 'started', plan, results: [] });
    step(2000);
    progress.on({ phase: 'apply', state: 'progress', plan, results: [result(changes[0]!, 'applied'), result(changes[1]!, 'failed')] });
    step(10_000);
    progress.tick();
    progress.on({ phase: 'apply', state: 'finished', plan, results: changes.map((c) => result(c, 'applied')) });
    progress.on({ phase: 'status', state: 'started', writes: 2 });
    progress.on({ phase: 'status', state: 'finished', writes: 2 });
    progress.stop();
    expect(out()).toBe(
      [
        'observe: started',
        'observe: reading the tenant, 11 s',
        'observe: reading the tenant, 11 s',
        'plan: 2 rows, 4 changes',
        'apply: started',
        'apply: 2/4 changes (graph 1/2, dataverse 1/2), 1 failed, 0.2/s, 12 s',
        'apply: 4/4 changes (graph 2/2, dataverse 2/2), 0.3/s, 12 s',
        'status writes: started',
        'status writes: 2 row(s) to update, 0.0 s',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal: one line redrawn in place (log-update erases the previous frame), kept when its phase ends', () => {
    const { out, step, progress } = run(true);
    progress.on({ phase: 'apply', state: 'started', plan, results: [] });
    step(2000);
    progress.on({ phase: 'apply', state: 'progress', plan, results: [result(changes[0]!, 'applied'), result(changes[1]!, 'applied')] });
    step(500);
    progress.tick();
    progress.on({ phase: 'apply', state: 'finished', plan, results: changes.map((c) => result(c, 'applied')) });
    // The frames, as the terminal shows them one after the other; each redraw first erases the last.
    expect(frames(out())).toEqual([
      'apply: 0/4 changes (graph 0/2, dataverse 0/2), 0.0 s',
      'apply: 2/4 changes (graph 1/2, dataverse 1/2), 1.0/s, 2.0 s',
      'apply: 2/4 changes (graph 1/2, dataverse 1/2), 0.8/s, 2.5 s',
      'apply: 4/4 changes (graph 2/2, dataverse 2/2), 1.6/s, 2.5 s',
      '',
    ]);
    expect(out().split(ERASE_PREVIOUS)).toHaveLength(4);
    // The next phase starts below the kept line: nothing erases it.
    const before = out().length;
    progress.on({ phase: 'status', state: 'started', writes: 1 });
    expect(out().slice(before)).not.toContain(ERASE_PREVIOUS);
  });

  it('observe: the rows and reads come in as they are read, with the rows per second', () => {
    const { out, step, progress } = run(false);
    progress.on({ phase: 'observe', state: 'started' });
    step(2000);
    progress.on({ phase: 'observe', state: 'progress', reads: 3, rows: 1200, requests: 2 });
    progress.on({ phase: 'observe', state: 'finished' });
    expect(out().split('\n')).toEqual(['observe: started', 'observe: 1,200 rows from 3 reads, 2 look-ups, 600/s, 2.0 s', '']);
  });

  it('stop() erases a live line that is still drawn, so the report or summary starts clean', () => {
    const { out, progress } = run(true);
    progress.on({ phase: 'observe', state: 'started' });
    const drawn = out().length;
    progress.stop();
    expect(frames(out())).toEqual(['observe: reading the tenant, 0.0 s', '']);
    expect(out().slice(drawn)).toContain(ERASE_PREVIOUS);
  });

  it('colour: phase names and failures, only when asked for', () => {
    const { out, progress } = run(true, true);
    progress.on({ phase: 'apply', state: 'started', plan, results: [] });
    progress.on({ phase: 'apply', state: 'progress', plan, results: [result(changes[0]!, 'failed')] });
    expect(out()).toContain('\u001b[1;36mapply\u001b[0m: ');
    expect(out()).toContain('\u001b[31m1 failed\u001b[0m');
  });

  it('colour is wanted on a terminal unless NO_COLOR is set (and not empty); never off a terminal', () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted(false, {})).toBe(false);
  });
});
