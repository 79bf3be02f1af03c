/**
 * The command line's grammar (commander): the subcommands, their options and what a usage error
 * looks like. What the commands do lives elsewhere (run-command.ts, serve.ts); they come in as
 * `actions`, so the grammar is tested as a unit without a tenant (test/unit/cli/program.test.ts).
 *
 * Habits of the tools admins know (Terraform, Azure CLI): `--help` on any command prints to stdout
 * and exits 0; `--version` prints the package's version; a usage error (unknown command or option,
 * malformed value) exits 2 with one line saying what is wrong and the usage, on stderr.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { ReportFormat } from '../report/index.js';
import { isGuid } from './scope.js';

export const FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'html', 'csv'];

/** Exit code of a usage error (Terraform, Azure CLI and POSIX utilities use 2 too). */
export const USAGE_EXIT = 2;

export interface ReportOptions {
  format: ReportFormat;
  out?: string;
  contact: string[];
  vendor?: string;
}

export interface PlanCommandOptions extends ReportOptions {
  detailedExitcode: boolean;
}

export interface ApplyCommandOptions extends ReportOptions {
  releaseRemovals: boolean;
  yes: boolean;
  plan?: string;
}

export interface ServeCommandOptions {
  port: number;
  demo: boolean;
}

export interface DoctorCommandOptions {
  format: 'text' | 'json';
}

export interface SetupCommandOptions extends DoctorCommandOptions {
  apply: boolean;
  solution?: string;
}

/** What each command does; each resolves to the command's exit code. */
export interface CliActions {
  plan(options: PlanCommandOptions): Promise<number>;
  apply(options: ApplyCommandOptions): Promise<number>;
  serve(options: ServeCommandOptions): Promise<number>;
  /** docs/setup.md: the read-only checklist of a tenant, and the columns setup creates. */
  doctor(options: DoctorCommandOptions): Promise<number>;
  setup(options: SetupCommandOptions): Promise<number>;
}

export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const processOutput: CliOutput = {
  writeOut: (t) => void process.stdout.write(t),
  writeErr: (t) => void process.stderr.write(t),
};

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function guid(flag: string): (value: string) => string {
  return (value) => {
    if (!isGuid(value)) throw new InvalidArgumentError(`${flag} takes a GUID such as d7fb2863-4d86-5346-91a7-58f877939fed; "${value}" is not one.`);
    return value.toLowerCase();
  };
}

const collectGuids = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), guid('--contact')(value)];

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError(`--port takes a port number from 0 to 65535 (0 picks a free one); "${value}" is not one.`);
  return n;
}

function solutionName(value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new InvalidArgumentError(`--solution takes a solution's unique name (letters, digits, _); "${value}" is not one.`);
  return value;
}

/** Options as commander hands them: flags not given are absent (their defaults are applied here, not shown in --help). */
type Parsed<T> = Partial<T>;

/** `--format` defaults to what the output file's name implies: `--out plan.json` writes JSON. */
function reportOf(o: Parsed<ReportOptions>): ReportOptions {
  return {
    format: o.format ?? (o.out?.toLowerCase().endsWith('.json') ? 'json' : 'text'),
    contact: o.contact ?? [],
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.vendor !== undefined ? { vendor: o.vendor } : {}),
  };
}

function reportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'the report format (default: json when --out ends in .json, else text)').choices(FORMATS))
    .option('--out <file>', 'write the report to FILE instead of stdout')
    .addOption(new Option('--contact <id>', 'limit the run to this contact (repeatable)').argParser(collectGuids))
    .addOption(new Option('--vendor <id>', "limit the run to this vendor account's contacts").argParser(guid('--vendor')));
}

/**
 * A usage error: one line with what is wrong, then the command's usage and where the options are
 * listed. Commander's own `error: ` prefix is replaced by the command's name, like every other error.
 */
function usageErrors(cmd: Command, out: CliOutput): Command {
  const path = cmd.parent ? `vendor-reconciler ${cmd.name()}` : 'vendor-reconciler';
  return cmd.configureOutput({
    writeOut: out.writeOut,
    writeErr: out.writeErr,
    outputError: (text, write) => {
      // Commander may add a hint on a line of its own ("Did you mean --contact?"): one line here.
      const line = text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
      write(`vendor-reconciler: ${line}\nusage: ${path} ${cmd.usage()}   ('${path} --help' lists the options)\n`);
    },
  });
}

export function buildProgram(actions: CliActions, out: CliOutput = processOutput): { program: Command; exitCode: () => number } {
  let code = 0;
  const program = new Command('vendor-reconciler')
    .description('Desired-state reconciler: Dataverse rows drive Entra guests, licences, groups and bookable resources.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .usage('<plan|apply|serve|doctor|setup> [options]')
    .helpCommand(false)
    .exitOverride();
  usageErrors(program, out);

  const plan = reportOptions(program.command('plan').description('show what a run would change and why (a dry run: no write)'))
    .option('--detailed-exitcode', 'exit 2 when changes are pending (0: nothing to change, 1: error)')
    .action(async (o: Parsed<PlanCommandOptions>) => void (code = await actions.plan({ ...reportOf(o), detailedExitcode: o.detailedExitcode === true })));

  const apply = reportOptions(program.command('apply').description('compute the plan and execute it'))
    .option('--release-removals', 'release the removals the threshold guard holds back')
    .option('-y, --yes', 'apply without asking for confirmation')
    .addOption(new Option('--plan <file>', 'apply exactly the plan saved by `plan --out FILE` (refused when the tenant changed since)').conflicts(['contact', 'vendor', 'releaseRemovals']))
    .action(async (o: Parsed<ApplyCommandOptions>) =>
      void (code = await actions.apply({ ...reportOf(o), releaseRemovals: o.releaseRemovals === true, yes: o.yes === true, ...(o.plan !== undefined ? { plan: o.plan } : {}) })));

  plan.addHelpText('after', '\nExit codes: 0 the plan was made; 1 error; with --detailed-exitcode, 2 changes are pending. docs/cli.md has more.');
  apply.addHelpText('after', "\nOn a terminal, apply shows the changes and asks before the first write; elsewhere it needs --yes (or --plan FILE).\nExit codes: 0 every change applied; 3 some rows ended in Error; 1 the run failed, stopped or was not confirmed.");

  const serve = program
    .command('serve')
    .description("serve the Function App's HTTP routes on 127.0.0.1")
    .option('--port <n>', 'the port (0 picks a free one)', port, 7071)
    .option('--demo', 'run against the simulated demo tenant')
    .action(async (o: Parsed<ServeCommandOptions>) => void (code = await actions.serve({ port: o.port ?? 7071, demo: o.demo === true })));

  const checkFormat = (): Option => new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text');
  const doctor = program
    .command('doctor')
    .description('check the tenant before the first run, read-only: credential, Graph roles, licence, group, columns, keys, change tracking, privileges')
    .addOption(checkFormat())
    .action(async (o: DoctorCommandOptions) => void (code = await actions.doctor({ format: o.format })));
  doctor.addHelpText('after', '\nExit codes: 0 ready; 1 something needs fixing (the checklist says what) or the check could not run. docs/setup.md has more.');

  const setup = program
    .command('setup')
    .description('create the Dataverse columns, choice values and keys the product needs (a plan unless --apply)')
    .option('--apply', 'create what the plan lists')
    .addOption(new Option('--solution <name>', "the unmanaged solution the new columns join (its unique name)").argParser(solutionName))
    .addOption(checkFormat())
    .action(async (o: Partial<SetupCommandOptions> & DoctorCommandOptions) =>
      void (code = await actions.setup({ format: o.format, apply: o.apply === true, ...(o.solution !== undefined ? { solution: o.solution } : {}) })));
  setup.addHelpText('after', '\nWithout --apply setup only reads and prints its plan. Exit codes: 0 planned, or created all; 1 something was refused. docs/setup.md has more.');

  for (const cmd of [plan, apply, serve, doctor, setup]) usageErrors(cmd.exitOverride(), out);
  return { program, exitCode: () => code };
}

/** Parses `argv` (the arguments after the command's name), runs the command, returns its exit code. */
export async function runCli(argv: string[], actions: CliActions, out: CliOutput = processOutput): Promise<number> {
  const { program, exitCode } = buildProgram(actions, out);
  if (argv.length === 0) {
    out.writeErr(`vendor-reconciler: a command is needed: plan, apply, serve, doctor or setup\nusage: vendor-reconciler ${program.usage()}   ('vendor-reconciler --help' lists them)\n`);
    return USAGE_EXIT;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // --help and --version exit 0; every other parser exit (a usage error, no command) is 2.
    return err.exitCode === 0 ? 0 : USAGE_EXIT;
  }
}
