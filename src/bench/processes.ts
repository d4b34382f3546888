import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/** The simulators in a child process (src/bench/fixture-child.ts), knowing the parcels in `parcelsFile`. */
export async function startFixtureProcess(parcelsFile?: string): Promise<Child & { url: string; env: Record<string, string> }> {
  const child = spawnTs('src/bench/fixture-child.ts', [], { ...process.env, ...(parcelsFile ? { BENCH_PARCELS: parcelsFile } : {}) });
  const { url, env } = await firstJsonLine<{ url: string; env: Record<string, string> }>(child);
  return { ...child, url, env };
}
