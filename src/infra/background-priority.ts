import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The background's niceness: the lowest CPU priority. On a machine shared with agents' workers,
 * the API, PostgreSQL or Redis, a sweep then takes only the CPU they leave, so a look-up's few
 * milliseconds of work never wait behind a sweep's; on a machine of its own it loses nothing.
 */
export const BACKGROUND_NICENESS = 19;

/**
 * Lowers this process to the background's CPU priority (raising one's own niceness needs no
 * privilege), every thread of it: Linux keeps a niceness per thread, and V8's garbage-collector
 * and compiler threads, started with the process, would otherwise keep the default and run about
 * a third of a worker's CPU at full priority. Threads started later inherit it.
 */
export function lowerCpuPriority(): void {
  setPriority(BACKGROUND_NICENESS);
  for (const thread of threadIds()) {
    try {
      setPriority(thread, BACKGROUND_NICENESS);
    } catch {
      // The thread ended since it was listed.
    }
  }
}

/** This process's threads (Linux); none elsewhere, where niceness is the whole process's. */
function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
}
