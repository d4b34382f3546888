import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'robots/**/*.test.ts', 'fixtures/**/*.test.ts', 'bin/**/*.test.ts'],
    // Integration tests talk to a real Redis, a real store and spawned processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
