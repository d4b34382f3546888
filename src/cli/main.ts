import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, MAX_WORKER_CONCURRENCY } from '../config.ts';
import { BackgroundCpusError } from '../infra/background-cpus.ts';
import { ImportFileError } from '../import/read-shipment-file.ts';
import { RedisUnavailableError } from '../infra/redis.ts';
import { systemClock } from '../infra/clock.ts';
import type { App } from '../main.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { RulesFileError } from '../rules/rules-file-error.ts';
import { DatabaseUnavailableError } from '../store/database-unavailable-error.ts';
import { StoreBusyError } from '../store/store-busy-error.ts';
import { EXIT, InputError } from './cli-error.ts';

const BAD_INPUT_ERRORS = [InputError, ConfigError, BackgroundCpusError, ImportFileError, RulesFileError];

/**
 * An option's whole number from 1 to `max`. The bound keeps a typo out of what it feeds: Node's
 * timers hold at most 2^31-1 ms (a longer --wait times out at once), SQL's limit a bigint.
 */
function wholeNumberUpTo(max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return number;
  };
}

/** A day: an agent's look-up that waits longer has been forgotten by whoever asked. */
const MAX_WAIT_SECONDS = 86_400;
/** Years of nightly sweeps: more is a typo, and past a bigint PostgreSQL refuses the limit. */
const MAX_SWEEPS_LISTED = 10_000;

/**
 * A reader that goes away (`parcelbot sweeps | head -3`) is no failure: what is left to print is
 * dropped, and the command ends as it would have, its app closed (an import's committed rows stay
 * committed, a sweep is not left half done). Without a listener, EPIPE is an uncaught 'error'
 * event: a stack trace, exit 1 and the app never closed.
 */
function dropOutputWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
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
    app = await (await import('../main.ts')).createApp({ env: service ? process.env : { LOG_LEVEL: 'error', ...process.env } });
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
  const known = code === EXIT.badInput || [StoreBusyError, RedisUnavailableError, DatabaseUnavailableError].some((type) => error instanceof type);
  process.stderr.write(`parcelbot: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  if (!known && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error).stack}\n`);
  return code;
}

/**
 * Each command's module (and the app) is imported when that command runs, not at start: `--help`,
 * `detect` or `rules check` do not load the web server, the browser driver or the store.
 */
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
    .option('--wait <seconds>', 'how long to wait for the answer', wholeNumberUpTo(MAX_WAIT_SECONDS), 120)
    .option('--refresh', 'ask the carrier even when the stored answer is fresh (checked less than FRESH_FOR ago)')
    .addHelpText('after', '\nExit codes: 0 found, 3 unknown to the carrier, 2 bad input, 1 any other failure.')
    .action((number: string, options) => run(async (app) => (await import('./commands/track.ts')).trackCommand(app, number, options)));

  program
    .command('detect')
    .description('list the carriers a tracking number can belong to, best first, with the format and its check digit')
    .argument('<number>', 'the tracking number')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExit codes: 0 a carrier fits, 2 no format fits or only with a wrong check digit.')
    .action((number: string, options) => runStandalone(async () => (await import('./commands/detect.ts')).detectCommand(await RobotRegistry.load(), number, options)));

  program
    .command('codes')
    .description('carrier codes the status maps do not know yet, as robots met them (first seen, last seen, count)')
    .requiredOption('--unmapped', 'list the unmapped codes')
    .option('--carrier <id>', 'only this carrier')
    .option('--json', 'print a JSON array')
    .action((options) => run(async (app) => (await import('./commands/codes.ts')).codesCommand(app, options)));

  program
    .command('import')
    .description('load shipments from a CSV or JSON file; bad rows are reported with their line and reason')
    .argument('<file>', 'a .csv or .json file')
    .option('--strict', 'import nothing if any row is bad')
    .option('--json', 'print the report as JSON')
    .action((file: string, options) => run(async (app) => (await import('./commands/import.ts')).importCommand(app, file, options)));

  program
    .command('sweep')
    .description('check every shipment due now and print a summary; Ctrl-C interrupts it, --resume carries on')
    .option('--json', 'print the summary as JSON')
    .option('--resume [id]', 'resume an interrupted sweep (default: the newest one)')
    .addHelpText('after', '\nExit codes: 0 done, 1 interrupted or failed, 2 bad input (e.g. nothing to resume).')
    .action((options) => run(async (app) => (await import('./commands/sweep.ts')).sweepCommand(app, options)));

  program
    .command('sync')
    .description('read the marketplaces\' orders changed since the last sync into shipments and promises; bad orders are reported')
    .option('--source <source>', 'mirakl, amazon or all (the configured ones)', 'all')
    .option('--json', 'print the reports as a JSON array')
    .addHelpText('after', '\nExit codes: 0 synced, 2 not configured, 1 a sync failed or another was running.')
    .action((options) => run(async (app) => (await import('./commands/sync.ts')).syncCommand(app, options)));

  program
    .command('sweeps')
    .description('list the recorded sweeps, newest first: trigger, state and counts by outcome')
    .option('--json', 'print a JSON array')
    .option('--limit <n>', 'how many', wholeNumberUpTo(MAX_SWEEPS_LISTED), 50)
    .action((options) => run(async (app) => (await import('./commands/sweeps.ts')).sweepsCommand(app, options)));

  program
    .command('scheduler')
    .description('run the scheduled tasks (nightly sweep...) until SIGTERM/SIGINT; several can run, each tick runs once')
    .option('--work', 'also work the track queues, as parcelbot worker does (one process for everything on the embedded store)')
    .action((options) => run(async (app) => (await import('./commands/scheduler.ts')).schedulerCommand(app, options), { service: true }));

  program
    .command('worker')
    .description('work the track queues until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'jobs in parallel per carrier and lane (default WORKER_CONCURRENCY)', wholeNumberUpTo(MAX_WORKER_CONCURRENCY))
    .addOption(
      new Option('--lane <lane>', "what to work: agents' look-ups only, the background only (sweeps, scheduled checks, follow-ups; at a lower CPU priority), or all")
        .choices(['agents', 'background', 'all'])
        .default('all'),
    )
    .action((options) => run(async (app) => (await import('./commands/worker.ts')).workerCommand(app, options), { service: true }));

  const followups = program
    .command('followups')
    .description('follow-ups (reshipments, refunds, claims, e-mails, manager cases), due first: id, shipment, kind, state, due, rule, value')
    .option('--state <state>', 'only this state: proposed, awaiting_approval, running, done, failed or cancelled')
    .option('--json', 'print a JSON array')
    .action((options) => run(async (app) => (await import('./commands/followups.ts')).followupsCommand(app, options)));
  followups
    .command('approve')
    .description('approve a follow-up awaiting approval: it is queued for when it is due')
    .argument('<id>', 'the follow-up id (fu-...)')
    .addHelpText('after', '\nExit codes: 0 approved, 2 unknown id or not awaiting approval, 1 any other failure.')
    .action((id: string) => run(async (app) => (await import('./commands/followups.ts')).followupsApproveCommand(app, id)));
  followups
    .command('reject')
    .description('reject a follow-up that has not started: it is cancelled and never runs')
    .argument('<id>', 'the follow-up id (fu-...)')
    .option('--reason <text>', 'why, for the audit trail')
    .addHelpText('after', '\nExit codes: 0 rejected, 2 unknown id or already started, 1 any other failure.')
    .action((id: string, options) => run(async (app) => (await import('./commands/followups.ts')).followupsRejectCommand(app, id, options)));

  program
    .command('serve')
    .description('the web app and the API (PORT, HOST) until SIGTERM/SIGINT')
    .option('--with-workers', 'also work the track queues in this process (one process for everything, e.g. on the embedded store)')
    .action((options) => run(async (app) => (await import('./commands/serve.ts')).serveCommand(app, options), { service: true }));

  program
    .command('hash-password')
    .description('read a password (at a terminal: asked for, not shown; else stdin) and print its hash, for PARCELBOT_WEB_USERS (role:name:hash)')
    .action(() => runStandalone(async () => (await import('./commands/hash-password.ts')).hashPasswordCommand(process.stdin)));

  program
    .command('portal')
    .description('portal robots: check that a portal still has what its robot reads')
    .command('check')
    .description("log in to a portal robot's portal and check every selector it reads, one line each")
    .argument('<robot>', 'a portal robot, e.g. seller-portal')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExit codes: 0 every selector matches, 1 any is missing (or the check failed), 2 not a robot with a portal check.')
    .action((robot: string, options) => run(async (app) => (await import('./commands/portal-check.ts')).portalCheckCommand(app, robot, options)));

  const rules = program.command('rules').description('the rules file: check it, and explain what it decides for a shipment');
  rules
    .command('check')
    .description('check a rules file (default: PARCELBOT_RULES, else the default rules): ok, or every problem as file:line:col')
    .argument('[file]', 'a rules file (YAML)')
    .addHelpText('after', '\nExit codes: 0 the file is good, 2 it has problems (each printed on stdout).')
    .action((file: string | undefined) => runStandalone(async () => (await import('./commands/rules-check.ts')).rulesCheckCommand(await RobotRegistry.load(), process.env, file)));
  rules
    .command('explain')
    .description("a stored shipment's verdict and every rule: matched or not and why, and the decisions with their times")
    .argument('<number>', 'the tracking number')
    .option('--carrier <id>', 'the carrier, when the number is stored for several')
    .option('--at <time>', 'judge as of this ISO 8601 time (default: now)')
    .option('--trigger <trigger>', 'what made parcelbot look: lookup, check or sweep', 'check')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExit codes: 0 explained, 2 bad input or a number not in the store, 1 any other failure.')
    .action((number: string, options) => runStandalone(async () => (await import('./commands/rules-explain.ts')).rulesExplainCommand(await RobotRegistry.load(), process.env, systemClock, number, options)));

  program
    .command('demo')
    .description('start the simulators and an embedded store, import the demo parcels, sweep them and print a table')
    .action(() => runStandalone(async () => (await import('./commands/demo.ts')).demoCommand(process.env)));

  return program;
}

dropOutputWhenReaderLeaves(process.stdout);
dropOutputWhenReaderLeaves(process.stderr);
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander already printed help or the usage error.
  process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.badInput);
}
