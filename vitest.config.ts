import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB work is CPU-bound; two cores here.
    testTimeout: 30_000,
    env: { TZ: 'UTC' },
  },
});
