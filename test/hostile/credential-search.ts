/**
 * Tools for the credential search (test/hostile/credentials.test.ts): the generated passwords and
 * the portal's invitation codes as the simulator recorded them, a telemetry sink and a copy of this
 * process's output (run-outputs.ts gathers a run's outputs with them), and a finder that sees a
 * credential through each report format's escaping.
 *
 * The escaping matters: a password has symbols (reconcilers/technicians/password.ts), and a leak
 * into Markdown would read `a\_b\[c`, into HTML `a&amp;b`, into JSON `a\/b` if a writer chose to;
 * a plain `includes` would miss those and the search would pass for the wrong reason. So every
 * output is also searched after undoing those escapes, and the test proves the finder on reports
 * that do carry a password, in all five formats.
 */
import type { DependencyRecord } from '../../src/telemetry/dependencies.js';
import type { TelemetrySink } from '../../src/telemetry/app-insights.js';
import type { RunningSim } from 'tenant-sim/testing';

/** Each user's passwordProfile.password from GET /_sim/state (simulator.md: only the admin state has it). */
export async function simPasswords(s: RunningSim): Promise<{ userPrincipalName: string; password: string }[]> {
  const state = (await s.admin('GET', '/state')).json as { graph: { users: { userPrincipalName: string; passwordProfile?: { password?: string } }[] } };
  return state.graph.users.flatMap((u) => (u.passwordProfile?.password ? [{ userPrincipalName: u.userPrincipalName, password: u.passwordProfile.password }] : []));
}

/**
 * Every invitation code the simulator holds (GET /_sim/state): the adx_invitationcode of each
 * adx_invitations row (no Web API read returns it: the product never selects it) and the code of each
 * email the Send Invitation workflow sent (portal.emails), by invitation id.
 */
export async function simInvitationCodes(s: RunningSim): Promise<{ rows: Map<string, string>; emails: Map<string, string> }> {
  const state = (await s.admin('GET', '/state')).json as {
    dataverse: { adx_invitations?: { adx_invitationid: string; adx_invitationcode?: string | null }[] };
    portal: { emails: { invitationId: string; code: string | null }[] };
  };
  const rows = new Map((state.dataverse.adx_invitations ?? []).flatMap((r) => (r.adx_invitationcode ? [[r.adx_invitationid, r.adx_invitationcode] as const] : [])));
  const emails = new Map(state.portal.emails.flatMap((e) => (e.code ? [[e.invitationId, e.code] as const] : [])));
  return { rows, emails };
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unHtml = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITY[name.toLowerCase()] ?? whole;
  });
/** Backslash escapes (Markdown's, JSON's `\/`, `\\`, `\uXXXX`) undone. */
const unBackslash = (text: string): string => text.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
const unCsv = (text: string): string => text.replace(/""/g, '"');

/** The readings of one output a password could hide in. */
function readings(text: string): string[] {
  return [text, unHtml(text), unBackslash(text), unHtml(unBackslash(text)), unBackslash(unHtml(text)), unCsv(text)];
}

/** The names of the outputs that carry `secret` in any reading. */
export function outputsHolding(secret: string, outputs: Record<string, string>): string[] {
  return Object.entries(outputs)
    .filter(([, text]) => readings(text).some((r) => r.includes(secret)))
    .map(([name]) => name);
}

/** A TelemetrySink that keeps every call as the SDK would serialise it (test/unit/telemetry/telemetry.test.ts does the same). */
export class CapturingSink implements TelemetrySink {
  readonly calls: { method: string; telemetry: unknown }[] = [];
  trackEvent(telemetry: unknown): void {
    this.calls.push({ method: 'trackEvent', telemetry });
  }
  trackException(telemetry: { exception: Error; properties?: Record<string, string> }): void {
    const { exception, properties } = telemetry;
    this.calls.push({ method: 'trackException', telemetry: { name: exception.name, message: exception.message, stack: exception.stack, properties } });
  }
  trackDependency(telemetry: DependencyRecord): void {
    this.calls.push({ method: 'trackDependency', telemetry });
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Copies what this process writes to stdout and stderr, and what it hands the console (the test
 * runner may route the console elsewhere), still passing it on, until `stop`.
 */
export function captureProcessOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleOriginals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]): void => {
      chunks.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
      consoleOriginals[i]!(...args);
    };
  });
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  return {
    text: () => chunks.join(''),
    stop: () => {
      streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
      methods.forEach((m, i) => (console[m] = consoleOriginals[i]!));
    },
  };
}
