/**
 * Vitest global setup of the site projects: builds the site once per run, so every
 * build and browser test shares one dist/: the sample chain's under a base path
 * (links must honour it), the fixture's at the root. The `site` project builds from data the pipeline
 * fetches from the bundled sample chain; `site-fixture` from the hand-written
 * fixture with edge cases the sample chain lacks (hostile strings, a model
 * missing from the registry, an epoch without usage). SITE_TEST_DATA_DIR
 * overrides both.
 * SITE_TEST_DIST points at an existing build instead (then SITE_TEST_BASE_PATH
 * must match how it was built).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite } from '../../scripts/site-build.ts';
import { sampleChainData } from './sample-data.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built site (the folder served at `basePath`). */
    distDir: string;
    /** The data folder the site was built from. */
    dataDir: string;
    /** The base path the site was built for, `/…/`. */
    basePath: string;
  }
}

export default async function setup(project: TestProject) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-site-test-'));
  const dataDir = process.env.SITE_TEST_DATA_DIR
    ? path.resolve(process.env.SITE_TEST_DATA_DIR)
    : project.name === 'site-fixture'
      ? path.resolve('test/fixtures/site-basic/data')
      : await sampleChainData(tmp);
  // The sample at a GitHub Pages project sub-path, the fixture at a domain root: links are checked at both.
  const basePath = process.env.SITE_TEST_BASE_PATH ?? (project.name === 'site-fixture' ? '/' : '/gonka-models/');
  let distDir = process.env.SITE_TEST_DIST ? path.resolve(process.env.SITE_TEST_DIST) : '';
  if (!distDir) {
    distDir = path.join(tmp, 'site', 'dist'); // alone in its folder, so a test can see nothing is written beside it
    const result = await buildSite({ dataDir, outDir: distDir, basePath });
    if (result.status !== 0) {
      throw new Error(`site build failed (exit ${result.status}):\n${result.output.slice(-8000)}`);
    }
  }
  project.provide('distDir', distDir);
  project.provide('dataDir', dataDir);
  project.provide('basePath', basePath);
  return () => fs.rmSync(tmp, { recursive: true, force: true });
}
