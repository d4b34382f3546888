import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reachablePostgres } from './chaos-world.ts';
import { formatFigures } from './figures.ts';
import { runChaos, SHORT_RUN } from './run-chaos.ts';

// The CI version of `npm run chaos` (src/chaos/run-chaos.ts): 600 parcels, two worker SIGKILLs, a
// Redis restart and a scheduler restart under simulator faults, then every guarantee checked.
// It needs PostgreSQL (several processes share the store) and redis-server on PATH.

const postgres = await reachablePostgres().then(
  () => undefined,
  (error: Error) => error.message,
);
const redisServer = spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not on PATH';
const missing = postgres ?? redisServer;
if (missing) process.stderr.write(`chaos.test.ts skipped: ${missing}\n`);

describe.skipIf(missing !== undefined)('the short chaos run', () => {
  it('loses nothing, does nothing twice, explains every failure and leaves nothing stuck', { timeout: 400_000 }, async () => {
    const result = await runChaos(SHORT_RUN);
    expect(result.breaches.map((figure) => figure.breach), formatFigures(result.figures)).toEqual([]);
    const figure = (name: string) => result.figures.find((candidate) => candidate.name === name)?.value;
    // The chaos happened: the run is not a quiet one that passes by doing nothing.
    expect(figure('worker SIGKILLs (restarted)')).toMatch(/^worker-[ab], worker-[ab]$/);
    expect(figure('Redis restarts / scheduler restarts')).toBe('1 / 1');
    expect(figure('parcels imported')).toBe(600);
    expect(Number(figure('follow-ups proposed'))).toBeGreaterThan(300);
  });
});
