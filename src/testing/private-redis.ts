import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { answersPing } from '../infra/redis.ts';

/**
 * A redis-server of our own on a free port, for what must not touch the machine's Redis: restarting
 * it under running workers, reading its memory. It persists as production Redis under BullMQ
 * should (append-only file, `noeviction`), so a restart keeps every job.
 */
export interface PrivateRedis {
  url: string;
  /** Stops it (SHUTDOWN: the append-only file is flushed), leaves it down `downMs`, starts it again on the same port and files. */
  restart(downMs?: number): Promise<void>;
  /** `used_memory` of INFO memory, in bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super('redis-server is not on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)');
    this.name = 'RedisServerMissingError';
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parcelbot-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log')];
  let child = await launch(args, url);
  // A test or a run that ends without stop() must not leave a redis-server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const withClient = async <T>(work: (client: Redis) => Promise<T>): Promise<T> => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    try {
      return await work(client);
    } finally {
      client.disconnect();
    }
  };
  return {
    url,
    async restart(downMs = 1000) {
      await stopChild(child);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch(args, url);
    },
    usedMemory: () => withClient(async (client) => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? Number.NaN)),
    async stop() {
      process.off('exit', killOnExit);
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Long enough for a restart to load a large append-only file on a busy machine (PING answers LOADING meanwhile). */
const START_ATTEMPTS = 1200;

async function launch(args: readonly string[], url: string): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const missing = new Promise<never>((_, reject) => child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new RedisServerMissingError() : error)));
  missing.catch(() => {});
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    if (await Promise.race([answersPing(url), missing])) return child;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  const log = await readFile(args[args.indexOf('--logfile') + 1] ?? '', 'utf8').catch(() => '');
  throw new Error(`redis-server did not start on ${url}; its log ends with:\n${log.trim().split('\n').slice(-5).join('\n')}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGTERM is redis-server's SHUTDOWN: it flushes the append-only file, then exits.
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
