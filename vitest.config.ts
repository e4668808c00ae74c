import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable result file to print its "N passed, N failed" line.
const resultsFile = process.env.GONKA_TEST_RESULTS;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real loopback servers, SQLite files, Astro builds and Chromium.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: resultsFile ? ['default', ['json', { outputFile: resultsFile }]] : ['default'],
  },
});
