import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB work is CPU-bound; two cores here. Many files wait rather than compute (SMTP, child
    // processes, Chromium, npm pack), and vitest's default of one worker on two cores left a
    // core idle: three workers take the suite from about 480 s to 350 s here.
    maxWorkers: 3,
    testTimeout: 30_000,
    env: { TZ: 'UTC' },
    // One root for every file the tests write, scanned for the sentinel SMTP password at the end.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/sentinel-reporter.ts'],
  },
});
