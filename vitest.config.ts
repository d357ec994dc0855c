import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['rules/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // The CLI and parity tests parse every fixture with two ESLint versions; the default 5 s is tight on 2 cores.
    testTimeout: 30_000,
  },
});
