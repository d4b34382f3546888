import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/parcelbot.js');

/**
 * One long-running `parcelbot` command of the chaos run (a worker, the scheduler), its stderr in a
 * log file of its own. Each run is a process group of its own, so a kill takes what it started
 * along (the Chromium of the relay portal robot), as when a machine or a container dies.
 */
/** Every role started in this process: killed with it when it ends (see `killAllRoles`). */
const started = new Set<ChildProcess>();

/** SIGKILLs what is left of every role's process group: for an `exit` handler, synchronous. */
export function killAllRoles(): void {
  for (const child of started) signalGroup(child, 'SIGKILL');
}

export class Role {
  #child?: ChildProcess;
  #runs = 0;
  #stopping = false;
  /** Exits nobody asked for (a crash): code or signal, and the log to read. */
  readonly crashes: string[] = [];

  constructor(
    readonly name: string,
    private readonly args: readonly string[],
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  /** Starts it; resolves once it says it is working (its first line on stderr). */
  async start(): Promise<void> {
    this.#runs += 1;
    const log = createWriteStream(path.join(this.logDir, `${this.name}-${this.#runs}.log`));
    const child = spawn(process.execPath, [BIN, ...this.args], { cwd: ROOT, env: this.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    started.add(child);
    child.once('exit', () => started.delete(child));
    this.#stopping = false;
    child.once('exit', (code, signal) => {
      if (!this.#stopping) this.crashes.push(`${this.name} run ${this.#runs} exited (${code ?? signal}): ${log.path}`);
    });
    const ready = new Promise<void>((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        if (/^parcelbot (worker|scheduler): /m.test(seen)) {
          child.stderr?.off('data', onData);
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready: see ${log.path}`)));
    });
    child.stderr?.pipe(log);
    ready.catch(() => {});
    await ready;
  }

  /** SIGKILL to its whole process group, at once; resolves when it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || exited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.#stopping = true;
    signalGroup(child, 'SIGKILL');
    await gone;
  }

  /** SIGTERM (in-flight work finishes), then SIGKILL after `graceMs`; exit code, or null when killed. */
  async stop(graceMs = 30_000): Promise<number | null> {
    const child = this.#child;
    if (!child) return null;
    if (exited(child)) return child.exitCode;
    const gone = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.#stopping = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    const code = await gone;
    clearTimeout(timer);
    // What it started and left behind (a browser) goes with it.
    signalGroup(child, 'SIGKILL');
    return code;
  }

  get alive(): boolean {
    return this.#child !== undefined && !exited(this.#child);
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
