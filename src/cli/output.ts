/**
 * How the commands end. On Linux and macOS a write to a pipe is asynchronous (Node.js docs, process,
 * "A note on process I/O"): Node hands the pipe what it takes at once (64 KiB on Linux) and queues the
 * rest. process.exit() right after a large write drops that queue, so
 * `vendor-reconciler plan --format json | jq` used to get a document cut at 64 KiB. Every command
 * (plan, apply, serve, the demo) now ends through exitWhenFlushed(): it sets process.exitCode, waits
 * until stdout and stderr have handed everything to the operating system, then exits. process.exit()
 * stays, after the flush, because a command may leave handles open (keep-alive sockets, Application
 * Insights timers) that would otherwise keep it running.
 *
 * A reader that goes away early (`… | head -1`) makes the next write fail with EPIPE; that is the
 * reader's choice, not an error of the command, so it ends quietly with its own exit code.
 */

type Output = NodeJS.WritableStream & { writableEnded?: boolean; destroyed?: boolean };

let guarded = false;

/** Installs the EPIPE handler on stdout and stderr once; other stream errors still surface. */
export function guardBrokenPipe(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** Resolves once everything written to the stream so far has reached the operating system. */
export function flushed(stream: Output): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) {
      resolve();
      return;
    }
    // Writes complete in order: the callback of an empty write runs after every earlier write's.
    // It also runs, with the error, when the reader has gone away; the EPIPE guard handles that.
    stream.write('', () => resolve());
  });
}

/** Ends the process with `code` once stdout and stderr are flushed. */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
