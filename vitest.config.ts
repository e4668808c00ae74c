import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable result file to print its "N passed, N failed" line.
const resultsFile = process.env.GONKA_TEST_RESULTS;

// The site's build and browser tests share one site build per project, made once per
// run by the project's global setup (only when one of its tests is selected).
// Build checks that hold for any data run on both site projects; the others on one.
const bothSites = ['test/site/build.test.ts', 'test/site/history.test.ts', 'test/deploy/links.test.ts'];
const sampleSite = [...bothSites, 'test/site/sample-events.test.ts', 'test/site/sub-path.test.ts', 'test/site/immutable.test.ts', 'test/deploy/serving.test.ts', 'test/browser/**/*.test.ts'];
const fixtureSite = [...bothSites, 'test/site/host-links.test.ts', 'test/site/fixture-edges.test.ts'];
const siteTests = [...new Set([...sampleSite, ...fixtureSite])];

export default defineConfig({
  test: {
    // Tests start real loopback servers, SQLite files, Astro builds and Chromium; most of
    // their time is spent waiting on those, so two cores run more files at once than
    // vitest's default (cores − 1) would.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: resultsFile ? ['default', ['json', { outputFile: resultsFile }]] : ['default'],
    // Inline projects inherit the options above; together they cover test/**/*.test.ts.
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...siteTests],
        },
      },
      {
        test: {
          name: 'site',
          include: sampleSite,
          globalSetup: ['test/support/site-global-setup.ts'],
        },
      },
      {
        // The build checks again on the hand-written fixture's edge cases.
        test: {
          name: 'site-fixture',
          include: fixtureSite,
          globalSetup: ['test/support/site-global-setup.ts'],
        },
      },
    ],
  },
});
