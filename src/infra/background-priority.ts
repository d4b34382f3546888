import { setPriority } from 'node:os';

/**
 * The background's niceness: the lowest CPU priority. On a machine shared with agents' workers,
 * the API, PostgreSQL or Redis, a sweep then takes only the CPU they leave, so a look-up's few
 * milliseconds of work never wait behind a sweep's; on a machine of its own it loses nothing.
 */
export const BACKGROUND_NICENESS = 19;

/** Lowers this process to the background's CPU priority (raising one's own niceness needs no privilege). */
export function lowerCpuPriority(): void {
  setPriority(BACKGROUND_NICENESS);
}
