import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['rules/**/*.test.ts', 'test/**/*.test.ts'],
    // Two forks on a 2-core machine (vitest's default is cores - 1 = one): the CLI and Action tests
    // wait on child processes, and a second worker runs the in-process tests meanwhile.
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    // The CLI and parity tests parse every fixture with two ESLint versions; the default 5 s is tight on 2 cores.
    testTimeout: 30_000,
  },
});
