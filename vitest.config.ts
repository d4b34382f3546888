import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'robots/**/*.test.ts', 'fixtures/**/*.test.ts', 'bin/**/*.test.ts'],
    // Integration tests talk to a real Redis, a real store and spawned processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each worker process keeps its modules from one test file to the next instead of importing the
    // app again for every file (about 4 s a file on this machine): the PGlite pass took 850 s instead
    // of 1,366 s. Safe here because no test mocks a module, stubs a global or changes process.env;
    // the app's module-level state is caches of pure functions, the test helpers' is set-up made to
    // be shared (one embedded PGlite, one template data directory for spawned commands).
    isolate: false,
    // Most of a test file's time is spent waiting for spawned processes, Redis and timers: two files at
    // a time keep two cores busy (Vitest's default, one less than the cores, runs one at a time on
    // two; measured, the PostgreSQL pass took 344 s instead of 470 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
