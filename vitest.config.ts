import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real loopback servers, SQLite files, Astro builds and Chromium.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
