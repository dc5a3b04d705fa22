import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB work is CPU-bound; two cores here.
    testTimeout: 30_000,
    env: { TZ: 'UTC' },
    // One root for every file the tests write, scanned for the sentinel SMTP password at the end.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/sentinel-reporter.ts'],
  },
});
