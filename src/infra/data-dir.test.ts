import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { dataSubdir } from './data-dir.ts';

// A data dir on a read-only file system (a volume mounted read-only, a full root fs remounted):
// a real one, a tmpfs mounted read-only, which needs root; elsewhere these tests are skipped.

/** Mounts a read-only tmpfs holding `pglite/` at a new directory; undefined where this user cannot mount. */
function readOnlyMount(): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'parcelbot-ro-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    mkdirSync(path.join(dir, 'pglite'));
    execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const readOnly = readOnlyMount();

describe.skipIf(!readOnly)('a data dir on a read-only file system', () => {
  const root = readOnly ?? '';
  beforeAll(() => {
    expect(() => mkdirSync(path.join(root, 'probe'))).toThrow(/EROFS/);
  });
  afterAll(() => {
    execFileSync('umount', [root]);
    rmSync(root, { recursive: true, force: true });
  });

  const refusal = `PARCELBOT_DATA_DIR: ${root} is on a read-only file system: point it at a directory this user can create or write`;

  it('is a bad setting named in one line when the store would be made there', async () => {
    const error = await dataSubdir(root, 'redis').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(refusal);
  });

  it('is the same for a data dir to be made below it', async () => {
    const below = path.join(root, 'parcelbot', 'data');
    await expect(dataSubdir(below, 'pglite')).rejects.toThrow(`PARCELBOT_DATA_DIR: ${below} is on a read-only file system: point it at a directory this user can create or write`);
  });

  it('is the same when the store is already there but could not be written', async () => {
    await expect(dataSubdir(root, 'pglite')).rejects.toThrow(refusal);
  });
});
