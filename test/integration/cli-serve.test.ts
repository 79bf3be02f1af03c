/**
 * `vendor-reconciler serve` when its port is taken (issue 16: `serve` errors advised opening an
 * issue): the command says which port, why, and what to do, and exits 1, instead of an "unexpected
 * error". Spawned with --demo (the simulated tenant, no settings needed) against a port this test holds.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portRefused } from '../../src/cli/serve.js';

const ROOT = resolve(import.meta.dirname, '../..');
let holder: Server;
let port: number;
beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  port = (holder.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => holder.close(() => r())));

describe('serve on a port in use', () => {
  it('exit 1 with the port, the reason and what to do; never "open an issue"', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['bin/vendor-reconciler.mjs', 'serve', '--demo', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `vendor-reconciler serve: port ${port} on 127.0.0.1 is already in use by another program.\nWhat to do: stop that program (an earlier serve?), or choose another port with --port N; --port 0 picks a free one.\n`,
    );
  });

  it('a port the user may not have, too; any other error is left to the caller', () => {
    expect(portRefused(Object.assign(new Error('x'), { code: 'EACCES' }), 80)).toBe('vendor-reconciler serve: this user may not listen on port 80.\nWhat to do: choose a port above 1023 with --port N; --port 0 picks a free one.\n');
    expect(portRefused(new Error('other'), 80)).toBeUndefined();
  });
});
