import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, messages } from '@electric-sql/pglite';
import { dataSubdir } from '../infra/data-dir.ts';
import { type Database, type Row, type Sql, TYPE_PARSERS } from './database.ts';
import { StoreBusyError } from './store-busy-error.ts';
import { storeCall } from './store-error.ts';

/** Opens PGlite in `dataDir` (`memory://` for a throw-away store) with the given search_path. */
export async function openPgliteDatabase(dataDir: string, schema: string): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const dir = inMemory ? undefined : await dataSubdir(dataDir, 'pglite');
  const releaseLock = dir ? await takeLock(dir) : async () => {};
  const pg = await PGlite.create(dir, { parsers: TYPE_PARSERS });
  await pg.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
  let queue: Promise<unknown> = Promise.resolve();

  // PGlite's errors carry the statement's parameters: they leave as StoreErrors, without them.
  const sqlOf = (target: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await storeCall(() => target.query<R>(text, params as unknown[]), messages.DatabaseError)).rows;
    },
    async exec(text: string) {
      await storeCall(() => target.exec(text), messages.DatabaseError);
    },
  });
  const direct = sqlOf(pg);

  return {
    kind: 'pglite',
    ...direct,
    transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      // PGlite has one connection: transactions run one after the other.
      const next = queue.then(() => storeCall(() => pg.transaction((tx) => work(sqlOf(tx))), messages.DatabaseError));
      queue = next.catch(() => {});
      return next;
    },
    async close() {
      // Idempotent: the app and its owner may both close it.
      if (pg.closed) return;
      await pg.close();
      await releaseLock();
    },
  };
}

async function takeLock(dir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dir, '..', 'pglite.pid');
  const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (holder && holder !== process.pid && isAlive(holder)) throw new StoreBusyError(path.dirname(dir), holder);
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
