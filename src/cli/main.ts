import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config.ts';
import { ImportFileError } from '../import/read-shipment-file.ts';
import { RedisUnavailableError } from '../infra/redis.ts';
import { type App, createApp } from '../main.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { StoreBusyError } from '../store/pglite-database.ts';
import { EXIT, InputError } from './cli-error.ts';
import { codesCommand } from './commands/codes.ts';
import { demoCommand } from './commands/demo.ts';
import { detectCommand } from './commands/detect.ts';
import { hashPasswordCommand } from './commands/hash-password.ts';
import { importCommand } from './commands/import.ts';
import { portalCheckCommand } from './commands/portal-check.ts';
import { serveCommand } from './commands/serve.ts';
import { sweepCommand } from './commands/sweep.ts';
import { trackCommand } from './commands/track.ts';
import { workerCommand } from './commands/worker.ts';

const BAD_INPUT_ERRORS = [InputError, ConfigError, ImportFileError];

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a whole number above 0');
  return number;
}

/**
 * Runs a command with an app, and turns every failure into one line on stderr and an exit code.
 * A command a person waits on logs only errors unless LOG_LEVEL says otherwise: its stderr is
 * for the one line that says what went wrong. The worker, a service, logs at info.
 */
async function run(command: (app: App) => Promise<number>, { service = false } = {}): Promise<never> {
  let app: App | undefined;
  let code: number;
  try {
    app = await createApp({ env: service ? process.env : { LOG_LEVEL: 'error', ...process.env } });
    code = await command(app);
  } catch (error) {
    code = reportFailure(error);
  }
  await app?.close().catch(() => {});
  process.exit(code);
}

/** For commands that build their own app (the demo): the same one-line failures and exit codes. */
async function runStandalone(command: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await command();
  } catch (error) {
    code = reportFailure(error);
  }
  process.exit(code);
}

/** What goes after `parcelbot: `: one line, bounded, whatever the error carried (a pasted file, a payload). */
function oneLine(message: string, max = 500): string {
  const flat = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Commander quotes what was typed ('<value>'): a pasted megabyte is cut to its start. */
function usageLine(commanderMessage: string): string {
  const message = commanderMessage.replace(/^error: /, '').replace(/'([^'\r\n]{40})[^'\r\n]+'/g, "'$1…'");
  return `parcelbot: ${oneLine(message)} (run parcelbot --help for usage)\n`;
}

function reportFailure(error: unknown): number {
  const code = BAD_INPUT_ERRORS.some((type) => error instanceof type) ? EXIT.badInput : EXIT.failure;
  const known = code === EXIT.badInput || error instanceof StoreBusyError || error instanceof RedisUnavailableError;
  process.stderr.write(`parcelbot: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  if (!known && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error).stack}\n`);
  return code;
}

export function buildProgram(): Command {
  const program = new Command('parcelbot')
    .description('Robots that answer "where is my parcel?" and do the follow-ups nobody tracks.')
    // Usage errors are one line like every other failure: `parcelbot: <what> (run parcelbot --help for usage)`.
    .configureOutput({ outputError: (message, write) => write(usageLine(message)) })
    .exitOverride();

  program
    .command('track')
    .description("an agent's \"find my parcel\": the carrier's status, events, estimate and a suggested answer")
    .argument('<number>', 'the tracking number')
    .option('--carrier <id>', 'the carrier robot to ask (default: the first whose number format fits)')
    .option('--json', 'print one JSON object')
    .option('--wait <seconds>', 'how long to wait for the answer', positiveInteger, 120)
    .addHelpText('after', '\nExit codes: 0 found, 3 unknown to the carrier, 2 bad input, 1 any other failure.')
    .action((number: string, options) => run((app) => trackCommand(app, number, options)));

  program
    .command('detect')
    .description('list the carriers a tracking number can belong to, best first, with the format and its check digit')
    .argument('<number>', 'the tracking number')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExit codes: 0 a carrier fits, 2 no format fits or only with a wrong check digit.')
    .action((number: string, options) => runStandalone(async () => detectCommand(await RobotRegistry.load(), number, options)));

  program
    .command('codes')
    .description('carrier codes the status maps do not know yet, as robots met them (first seen, last seen, count)')
    .requiredOption('--unmapped', 'list the unmapped codes')
    .option('--carrier <id>', 'only this carrier')
    .option('--json', 'print a JSON array')
    .action((options) => run((app) => codesCommand(app, options)));

  program
    .command('import')
    .description('load shipments from a CSV or JSON file; bad rows are reported with their line and reason')
    .argument('<file>', 'a .csv or .json file')
    .option('--strict', 'import nothing if any row is bad')
    .option('--json', 'print the report as JSON')
    .action((file: string, options) => run((app) => importCommand(app, file, options)));

  program
    .command('sweep')
    .description('track every active shipment now and print a summary')
    .option('--json', 'print the summary as JSON')
    .action((options) => run((app) => sweepCommand(app, options)));

  program
    .command('worker')
    .description('work the track queues until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'jobs in parallel per carrier (default WORKER_CONCURRENCY)', positiveInteger)
    .action((options) => run((app) => workerCommand(app, options), { service: true }));

  program
    .command('serve')
    .description('the web app and the API (PORT, HOST) until SIGTERM/SIGINT')
    .option('--with-workers', 'also work the track queues in this process (one process for everything, e.g. on the embedded store)')
    .action((options) => run((app) => serveCommand(app, options), { service: true }));

  program
    .command('hash-password')
    .description('read a password on stdin and print its hash, for PARCELBOT_WEB_USERS (role:name:hash)')
    .action(() => runStandalone(() => hashPasswordCommand(process.stdin)));

  program
    .command('portal')
    .description('portal robots: check that a portal still has what its robot reads')
    .command('check')
    .description("log in to a portal robot's portal and check every selector it reads, one line each")
    .argument('<robot>', 'a portal robot, e.g. seller-portal')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExit codes: 0 every selector matches, 1 any is missing (or the check failed), 2 not a robot with a portal check.')
    .action((robot: string, options) => run((app) => portalCheckCommand(app, robot, options)));

  program
    .command('demo')
    .description('start the simulators and an embedded store, import ~50 demo parcels, sweep them and print a table')
    .action(() => runStandalone(() => demoCommand(process.env)));

  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander already printed help or the usage error.
  process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.badInput);
}
