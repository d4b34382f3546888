import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * BACKGROUND_CPUS: `auto` (every CPU this process may use but the last while agents look parcels
 * up, every one otherwise), `all`, or a CPU list
 * such as `0` or `0-2,5`, as Linux's taskset reads it.
 */
export const BACKGROUND_CPUS_PATTERN = /^(auto|all|\d+(-\d+)?(,\d+(-\d+)?)*)$/;

/** The CPUs are not this machine's, or the process cannot be confined to them. */
export class BackgroundCpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackgroundCpusError';
  }
}

/** Where background work runs: `whileAgents` while agents look parcels up, `otherwise` when they are away (one list for a fixed setting). */
export interface BackgroundCpus {
  whileAgents: string;
  otherwise: string;
}

/**
 * The background's CPUs for BACKGROUND_CPUS, checked, with every thread of this process (threads
 * started later inherit it) placed on `otherwise`; undefined when it runs on every CPU it may use
 * whatever happens. `auto` leaves the last CPU to agents only while they look parcels up
 * (src/jobs/agents-presence.ts): the caller moves the process between the two lists.
 *
 * Why a core of its own for the rest: niceness alone does not keep a look-up fast during a sweep.
 * PostgreSQL serves the sweep's statements and the look-up's alike, each of its sessions a
 * scheduling group of its own, so on busy cores a look-up's statements queue behind the sweep's.
 * With the background on all CPUs but one, that one stays free for agents' workers, the API,
 * PostgreSQL and Redis, and the sweep loses little: PostgreSQL, Redis and the carriers' answers
 * still use every core.
 */
export function takeBackgroundCpus(setting: string): BackgroundCpus | undefined {
  if (setting === 'all') return undefined;
  const allowed = allowedCpus();
  if (allowed === undefined) {
    if (setting === 'auto') return undefined;
    throw new BackgroundCpusError(`BACKGROUND_CPUS=${setting}: CPUs can be chosen on Linux only; set BACKGROUND_CPUS=all`);
  }
  const chosen = setting === 'auto' ? allowed.slice(0, -1) : cpusOf(setting);
  if (chosen.length === 0) return undefined;
  const outside = chosen.filter((cpu) => !allowed.includes(cpu));
  if (outside.length > 0) {
    throw new BackgroundCpusError(`BACKGROUND_CPUS=${setting}: CPU ${outside.join(', ')} is not among this process's CPUs (${allowed.join(',')}); choose among them, or set BACKGROUND_CPUS=all`);
  }
  if (chosen.length === allowed.length) return undefined;
  const cpus = { whileAgents: chosen.join(','), otherwise: (setting === 'auto' ? allowed : chosen).join(',') };
  // At start, even where it changes nothing (`auto`: every CPU), so that a missing taskset stops the process now rather than when agents come.
  try {
    execFileSync('taskset', tasksetArguments(cpus.otherwise), { stdio: 'ignore' });
  } catch {
    throw new BackgroundCpusError(`BACKGROUND_CPUS=${setting}: taskset (util-linux) could not place the process on CPUs ${cpus.otherwise}; install util-linux, or set BACKGROUND_CPUS=all`);
  }
  return cpus;
}

/**
 * Moves every thread of this process to the CPU lists it is given, one move after the other, so
 * that the last list asked for is the one that holds. A move does not stall the event loop.
 */
export function cpuMover(): (list: string) => Promise<void> {
  let last: Promise<unknown> = Promise.resolve();
  return (list) => {
    const move = last.catch(() => {}).then(() => execFileAsync('taskset', tasksetArguments(list)));
    last = move;
    return move.then(() => {});
  };
}

function tasksetArguments(list: string): string[] {
  return ['--all-tasks', '--cpu-list', '--pid', list, String(process.pid)];
}

/** The CPUs this process may run on (Linux), in order; undefined elsewhere. */
function allowedCpus(): number[] | undefined {
  try {
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return list === undefined ? undefined : cpusOf(list);
  } catch {
    return undefined;
  }
}

/** `0-2,5` -> [0, 1, 2, 5]. */
export function cpusOf(list: string): number[] {
  const cpus = new Set<number>();
  for (const range of list.split(',')) {
    const [first, last = first] = range.split('-').map(Number) as [number, number?];
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}
