import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * BACKGROUND_CPUS: `auto` (every CPU this process may use but the last), `all`, or a CPU list
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

/**
 * Confines every thread of this process (threads started later inherit it) to the background's
 * CPUs, and returns the list applied; undefined when it runs on every CPU it may use.
 *
 * Why a core of its own for the rest: niceness alone does not keep a look-up fast during a sweep.
 * PostgreSQL serves the sweep's statements and the look-up's alike, each of its sessions a
 * scheduling group of its own, so on busy cores a look-up's statements queue behind the sweep's.
 * With the background on all CPUs but one, that one stays free for agents' workers, the API,
 * PostgreSQL and Redis, and the sweep loses little: PostgreSQL, Redis and the carriers' answers
 * still use every core.
 */
export function confineToBackgroundCpus(setting: string): string | undefined {
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
  const list = chosen.join(',');
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', list, String(process.pid)], { stdio: 'ignore' });
  } catch {
    throw new BackgroundCpusError(`BACKGROUND_CPUS=${setting}: taskset (util-linux) could not confine the process to CPUs ${list}; install util-linux, or set BACKGROUND_CPUS=all`);
  }
  return list;
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
