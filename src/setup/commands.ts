/**
 * The entry functions of `vendor-reconciler doctor` and `vendor-reconciler setup`, for the command
 * line to call: an args object in; the text for stdout and stderr and the exit code out. They read
 * the settings from the environment (docs/configuration.md) and use the app's credential, like `plan`.
 *
 *   doctor [--format text|json]                 exit 0 ready, 1 something to fix (the checklist says what) or it could not run
 *   setup  [--apply] [--solution NAME] [--format text|json]
 *                                               exit 0 planned, or applied every column; 1 a column was refused or it could not run
 *
 * A usage error (an unknown format) exits 2 with the usage, as the CLI's other commands do (issue 16).
 * Error text passes terminalSafe(): a service's message can quote tenant data.
 */
import type { TokenCredential } from '@azure/identity';
import { createClients, createCredential } from '../clients/index.js';
import type { Env } from '../config-readers.js';
import { loadSettings } from '../families.js';
import { asReconcilerError } from '../model/errors.js';
import { escapeJsonText, terminalSafe } from '../report/terminal-safe.js';
import { renderChecklist } from './checklist.js';
import { runDoctor, type SetupClients } from './doctor.js';
import { renderSetup, runSetup } from './setup.js';

export const DOCTOR_USAGE = 'usage: vendor-reconciler doctor [--format text|json]\n';
export const SETUP_USAGE = 'usage: vendor-reconciler setup [--apply] [--solution NAME] [--format text|json]\n';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type OutputFormat = 'text' | 'json';

export interface DoctorArgs {
  format?: string;
}

export interface SetupArgs {
  /** Create the planned columns; without it setup only plans. */
  apply?: boolean;
  /** The unmanaged solution the columns join (MSCRM.SolutionUniqueName). */
  solution?: string;
  format?: string;
}

/** Where the commands get their settings and credential; tests give a simulator's. */
export interface CommandEnvironment {
  env?: Env;
  credential?: TokenCredential;
}

const usageError = (message: string, usage: string): CommandResult => ({ stdout: '', stderr: `vendor-reconciler: ${message}\n${usage}`, exitCode: 2 });

function formatOf(value: string | undefined): OutputFormat | null {
  return value === undefined || value === 'text' ? 'text' : value === 'json' ? 'json' : null;
}

function failure(err: unknown): CommandResult {
  const e = asReconcilerError(err);
  return { stdout: '', stderr: terminalSafe(`vendor-reconciler: ${e.code}: ${e.message}\nWhat to do: ${e.action}\n`), exitCode: 1 };
}

function connect(environment: CommandEnvironment): { settings: ReturnType<typeof loadSettings>; clients: SetupClients } {
  const env = environment.env ?? process.env;
  const settings = loadSettings(env);
  const credential = environment.credential ?? createCredential(env);
  return { settings, clients: { ...createClients(settings, credential), credential } };
}

export async function doctorCommand(args: DoctorArgs, environment: CommandEnvironment = {}): Promise<CommandResult> {
  const format = formatOf(args.format);
  if (format === null) return usageError(`--format must be text or json; got "${args.format}"`, DOCTOR_USAGE);
  try {
    const { settings, clients } = connect(environment);
    const list = await runDoctor(settings, clients);
    const stdout = format === 'json' ? `${escapeJsonText(JSON.stringify(list, null, 2))}\n` : terminalSafe(renderChecklist(list));
    return { stdout, stderr: '', exitCode: list.ok ? 0 : 1 };
  } catch (err) {
    return failure(err);
  }
}

export async function setupCommand(args: SetupArgs, environment: CommandEnvironment = {}): Promise<CommandResult> {
  const format = formatOf(args.format);
  if (format === null) return usageError(`--format must be text or json; got "${args.format}"`, SETUP_USAGE);
  if (args.solution !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(args.solution)) {
    return usageError(`--solution takes a solution's unique name (letters, digits, _); got "${args.solution}"`, SETUP_USAGE);
  }
  try {
    const { settings, clients } = connect(environment);
    const apply = args.apply === true;
    const outcome = await runSetup(settings, clients, { apply, ...(args.solution ? { solution: args.solution } : {}) });
    const stdout = format === 'json' ? `${escapeJsonText(JSON.stringify(outcome, null, 2))}\n` : terminalSafe(renderSetup(outcome, apply));
    return { stdout, stderr: '', exitCode: outcome.applied.every((r) => r.ok) ? 0 : 1 };
  } catch (err) {
    return failure(err);
  }
}
