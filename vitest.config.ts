import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'robots/**/*.test.ts', 'fixtures/**/*.test.ts', 'bin/**/*.test.ts'],
    // Integration tests talk to a real Redis, a real store and spawned processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of a test file's time is spent waiting for spawned processes, Redis and timers: two files at
    // a time keep two cores busy (Vitest's default, one less than the cores, runs one at a time on
    // two; measured, the PostgreSQL pass took 344 s instead of 470 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
