import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.ts';

/** File-system errors that say PARCELBOT_DATA_DIR cannot hold parcelbot's files, in words. */
const UNUSABLE: Record<string, string> = {
  ENOTDIR: 'is not a directory (a file stands at that path or above it)',
  EEXIST: 'is not a directory (a file stands at that path or above it)',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  EROFS: 'is on a read-only file system',
};

/**
 * `sub` under the data dir (the embedded store's, a private Redis's), made if missing. A data dir
 * that cannot hold it is a bad setting (exit 2) named as such, not a raw ENOTDIR from mkdir.
 */
export async function dataSubdir(dataDir: string, sub: string): Promise<string> {
  const root = path.resolve(dataDir);
  const dir = path.join(root, sub);
  try {
    await mkdir(dir, { recursive: true });
    // Both: the lock and pid files sit in the data dir itself, beside the subdirectory.
    await Promise.all([access(root, constants.W_OK), access(dir, constants.W_OK)]);
  } catch (error) {
    // Node's recursive mkdir reports a directory it could not make on a read-only file system as
    // ENOENT: the nearest directory that exists says why.
    const problem = UNUSABLE[(error as NodeJS.ErrnoException).code ?? ''] ?? UNUSABLE[(await unwritableAncestor(root)) ?? ''];
    if (!problem) throw error;
    throw new ConfigError(`PARCELBOT_DATA_DIR: ${root} ${problem}: point it at a directory this user can create or write`);
  }
  return dir;
}

/** Why the nearest existing directory at or above `dir` cannot be written to (an error code), or undefined if it can. */
async function unwritableAncestor(dir: string): Promise<string | undefined> {
  try {
    await access(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' && path.dirname(dir) !== dir ? unwritableAncestor(path.dirname(dir)) : code;
  }
}
