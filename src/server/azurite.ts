/**
 * Azurite's blob service as a child process, for `serve` and the tests: on 127.0.0.1, a free port
 * (it prints the one it got), a temporary folder, no telemetry, and --skipApiVersionCheck because
 * @azure/storage-blob sends a newer API version than Azurite 3.35 knows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The storage emulator's well-known development account (documented by Microsoft, not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** AzureWebJobsStorage for this Azurite (explicit BlobEndpoint). */
  connectionString: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

function azuriteBlobMain(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
    return join(dirname(pkg), 'dist', 'src', 'blob', 'main.js');
  } catch {
    throw new Error('Azurite is not installed: run `npm install` (azurite is a dev dependency of vendor-reconciler).');
  }
}

export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<RunningAzurite> {
  const location = mkdtempSync(join(tmpdir(), 'vendor-reconciler-azurite-'));
  const child = spawn(
    process.execPath,
    [azuriteBlobMain(), '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--silent', '--disableTelemetry', '--skipApiVersionCheck'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A process that exits without stopping Azurite (an uncaught error) still takes it down.
  const killOnExit = (): void => void child.kill();
  process.once('exit', killOnExit);
  const cleanup = (): void => {
    process.removeListener('exit', killOnExit);
    rmSync(location, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await listeningPort(child, options.timeoutMs ?? 20_000);
  } catch (err) {
    child.kill();
    cleanup();
    throw err;
  }
  const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobEndpoint};`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      cleanup();
    },
  };
}

/** Azurite prints "Azurite Blob service successfully listens on http://127.0.0.1:PORT". */
function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /successfully listens on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m?.[1]) {
        done();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`Azurite exited (code ${code}) before it listened:\n${output}`));
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining its output so a chatty Azurite never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const fail = (err: Error): void => {
      done();
      reject(err);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
