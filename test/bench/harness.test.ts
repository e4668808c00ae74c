/**
 * The benchmark harness end to end on a tiny chain (`npm run bench -- --quick`
 * with 6 epochs × 12 hosts, no latency): every figure is in the results file,
 * a warm rebuild asks only for the new epoch and the current one, and the site
 * built after it changes no finished epoch's file. No timing is asserted: the
 * figures are measured, not judged, here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../scripts/bench/results.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the project on purpose: astro keeps a build's prerender bundle beside an out
// folder under the working directory, but shares one folder for out folders elsewhere.
const work = path.join(ROOT, 'bench/out', `test-${process.pid}`);
const resultsFile = path.join(work, 'results.md');

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every row the figures table must have (label prefixes). */
const FIGURES = [
  'Cold data step (wall, median)',
  'Cold data step CPU (median)',
  'Cold data step peak RSS (median)',
  'Cold requests in flight (mean)',
  'Cold requests',
  'Download floor (wall, median)',
  'Cold / floor',
  'Warm rebuild, 1 new epoch (wall, median)',
  'Warm rebuild peak RSS (median)',
  'Warm requests',
  'astro build, 4 epochs (wall, median)',
  'astro build, 6 epochs (wall, median)',
  'astro build growth',
  'Pagefind (wall, median)',
  'dist/ size',
  '`/` HTML (gzip)',
  '`/` CSS (gzip)',
  '`/` JS (gzip)',
  '`/epochs/5/` HTML (gzip)',
  '`/epochs/5/` CSS (gzip)',
  '`/epochs/5/` JS (gzip)',
  'Layout shift at hydration (CLS)',
  'Layout shift during refreshes (CLS)',
  'Refreshes of unchanged current.json',
  'Files changed by one new epoch',
  'First paint of `/`, top model row (median)',
  'Floor: a one-row page, same link and CPU (median)',
  'Renderer work for `/` (slowed CPU)',
];

describe('npm run bench --quick on a tiny chain', () => {
  it('writes every figure and finds the warm rebuild minimal', { timeout: 300_000 }, () => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
    const res = spawnSync(
      path.join(ROOT, 'node_modules/.bin/node'),
      [
        '--import',
        path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'),
        path.join(ROOT, 'scripts/bench/cli.ts'),
        '--quick',
        '--epochs', '6',
        '--hosts', '12',
        '--latency', '0',
        '--sizes', '4,6',
        '--work', work,
        '--out', resultsFile,
      ],
      { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
    );
    expect(res.status, `${res.stdout}\n${res.stderr}`.slice(-6000)).toBe(0);

    const md = fs.readFileSync(resultsFile, 'utf8');
    expect(md).toMatch(/Machine: \d+ cores .*, [\d.]+ GB memory/);
    const section = (title: string) => md.split(`## ${title}\n`)[1]?.split('\n## ')[0] ?? '';
    const tableRows = (text: string) =>
      new Map(
        text
          .split('\n')
          .filter((l) => l.startsWith('| '))
          .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()))
          .map((cells) => [cells[0]!, cells.slice(1)] as const),
      );
    const rows = tableRows(section('Figures'));
    const params = tableRows(md.split('## Figures')[0]!);
    for (const figure of FIGURES) {
      const cells = rows.get(figure);
      expect(cells, `row "${figure}"`).toBeDefined();
      expect(cells![0], `value of "${figure}"`).toMatch(/\d/);
      expect(cells![0]).not.toMatch(/NaN|undefined|Infinity/);
    }
    for (const param of ['epochs (current epoch)', 'latency per request', 'concurrency (GONKA_CONCURRENCY, floor)', 'gzip level']) {
      expect(params.get(param)?.[0], param).toMatch(/\d/);
    }
    const targets = tableRows(section('Targets'));
    expect(targets.size).toBeGreaterThanOrEqual(9 + 1); // the header row too
    for (const [name, cells] of targets) if (name !== 'target' && name !== '---') expect(cells[2], name).toMatch(/^(yes|\*\*no\*\*)$/);

    const results = JSON.parse(fs.readFileSync(resultsFile.replace(/\.md$/, '.json'), 'utf8')) as BenchResults;
    // The warm rebuild (one new epoch) asks for exactly the minimum and nothing about cached epochs.
    expect(results.warm.requests).toEqual(results.warm.minimal);
    expect(results.warm.finishedEpochRequests).toBe(0);
    expect(results.warm.requests.participants).toBe(1);
    expect(results.targets.find((t) => t.name === 'Warm rebuild requests')?.met).toBe(true);
    // The cold run fetched every epoch's participants (epoch 1 answers "pruned").
    expect(results.cold.requests.participants).toBe(6);
    expect(results.floor.requests).toBe(results.cold.totalRequests);
    expect(results.builds.map((b) => b.epochs)).toEqual([4, 6]);
    expect(results.builds.every((b) => b.pages > 0)).toBe(true);
    expect(results.wire.homeTableRows).toBe(results.wire.homeModels);
    expect(results.browser.refresh.refreshes.length).toBeGreaterThanOrEqual(2);
    // One new epoch: no finished epoch's page or file changed; the epoch that finished and the new one did.
    expect(results.newEpoch.kinds['finished epoch page'].files).toBe(0);
    expect(results.newEpoch.kinds['finished epoch file'].files).toBe(0);
    expect(results.newEpoch.kinds['current and new epoch'].files).toBeGreaterThanOrEqual(5);
    expect(results.newEpoch.filesAfter).toBeGreaterThan(results.newEpoch.filesBefore);
    expect(results.targets.find((t) => t.name === 'Files changed by one new epoch')?.met).toBe(true);
    // Page weights and heights, and a first paint after the HTML arrived.
    expect(results.pages.map((p) => p.page)).toEqual(expect.arrayContaining(['/', '/epochs/5/', '/epochs/', '/epochs/range/0-99/', '/models/']));
    for (const p of results.pages) expect(p.desktopPx, p.page).toBeGreaterThan(500);
    // The top row is on screen after the HTML arrived, for `/` and the one-row floor page alike.
    expect(results.paint.runs).toHaveLength(1);
    expect(results.paint.floor).toHaveLength(1);
    for (const run of [...results.paint.runs, ...results.paint.floor]) {
      expect(run.htmlEndMs).toBeGreaterThan(0);
      expect(run.topRowMs).toBeGreaterThan(run.htmlEndMs);
    }
  });
});
