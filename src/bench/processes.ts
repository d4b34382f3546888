import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A TypeScript entry point of this repository in a new Node process, stderr passed through on failure only. */
export function spawnTs(entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code && code !== 0 && signal === null) process.stderr.write(`${entry} exited ${code}: ${stderr}\n`);
  });
  return {
    process: child,
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The lines a child prints on stdout, each parsed as JSON, in order. */
export function jsonLines<T>(child: Child): AsyncIterator<T> {
  const lines = createInterface({ input: child.process.stdout! })[Symbol.asyncIterator]();
  return {
    next: async () => {
      const line = await lines.next();
      return line.done ? { done: true, value: undefined } : { done: false, value: JSON.parse(line.value) as T };
    },
  };
}

/** The first line a child prints on stdout, parsed as JSON. */
export function firstJsonLine<T>(child: Child, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.process.stdout! });
    const timer = setTimeout(() => reject(new Error('the child printed nothing in time')), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
    child.process.once('exit', (code) => reject(new Error(`the child exited (${code}) before printing`)));
  });
}

/** Peak resident memory of a process (VmHWM), in MiB; Linux only. */
export async function peakRssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? undefined : Math.round(Number(kib) / 1024);
}

/** The CPUs a process may run on, as Linux lists them (`0-1`); undefined once it has exited. */
export async function allowedCpus(pid: number): Promise<string | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return /Cpus_allowed_list:\s+(\S+)/.exec(status)?.[1];
}

/** The simulators in a child process (src/bench/fixture-child.ts), knowing the parcels in `parcelsFile`. */
export async function startFixtureProcess(parcelsFile?: string): Promise<Child & { url: string; env: Record<string, string> }> {
  const child = spawnTs('src/bench/fixture-child.ts', [], { ...process.env, ...(parcelsFile ? { BENCH_PARCELS: parcelsFile } : {}) });
  const { url, env } = await firstJsonLine<{ url: string; env: Record<string, string> }>(child);
  return { ...child, url, env };
}

/** CPU time (user + system) a process has used so far, in milliseconds; Linux only. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  // A process that has exited since it was listed used nothing more.
  return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : 0;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** The pids of the processes whose command is `name` (the PostgreSQL server and its backends). */
export async function pidsNamed(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) pids.push(Number(entry));
  }
  return pids;
}

/**
 * A process's proportional share of memory now (PSS), in MiB; 0 once it has exited. Summed over
 * a browser's processes, PSS counts their shared pages once, where RSS would count them in each.
 */
export async function pssMiB(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
}

/** Every process descended from `pid` (a worker's browser and its renderers). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) if (ppid === parent) found.push(child), visit(child);
  };
  visit(pid);
  return found;
}
