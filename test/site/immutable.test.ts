/**
 * Finished epochs never change (docs/pages.md): the `site` project's build (the
 * sample chain with epoch C current) against a build after one more epoch
 * started, made the way the scheduled rebuild makes it: the same cache, a warm
 * data step against the chain at C + 1, a new site build at the same base path.
 * Every finished epoch's snapshot, page, JSON and CSV must be byte-identical,
 * and what does change must not depend on how many epochs there are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSite } from '../../scripts/site-build.ts';
import { readSiteData } from '../../src/site/load.ts';
import { walk } from '../deploy/link-check.ts';
import { sampleChainData } from '../support/sample-data.ts';

const dataDir = inject('dataDir');
const distDir = inject('distDir');
const basePath = inject('basePath');
const before = readSiteData(dataDir, basePath);
const current = before.currentEpoch;

/** The files of one epoch in a build (`dist/`-relative) and in its data folder. */
const distFilesOf = (n: number) => [`epochs/${n}/index.html`, `v1/models/epochs/${n}.json`, `v1/models/epochs/${n}.csv`, `v1/models/epochs/${n}.hosts.csv`];

describe('a new epoch', () => {
  let tmp: string;
  let nextData: string;
  let nextDist: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-immutable-'));
    // The global setup ran the data step in dataDir's parent (data/ and .cache/): continue from a copy of both.
    fs.cpSync(path.dirname(dataDir), tmp, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}site${path.sep}`) && !src.endsWith(`${path.sep}site`),
    });
    nextData = await sampleChainData(tmp, { currentEpoch: current + 1 });
    nextDist = path.join(tmp, 'next-dist');
    const result = await buildSite({
      dataDir: nextData,
      outDir: nextDist,
      basePath,
    });
    if (result.status !== 0) throw new Error(`build at epoch ${current + 1} failed (exit ${result.status}):\n${result.output.slice(-6000)}`);
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is the next build’s current epoch', () => {
    expect(readSiteData(nextData, basePath).currentEpoch).toBe(current + 1);
  });

  it('leaves every finished epoch’s snapshot, page, JSON and CSV byte-identical', () => {
    const finished = before.epochs.filter((e) => e.epoch_id < current);
    expect(finished.length).toBeGreaterThan(30);
    let compared = 0;
    for (const entry of finished) {
      const files = entry.available ? distFilesOf(entry.epoch_id) : [`epochs/${entry.epoch_id}/index.html`];
      for (const f of files) {
        const a = fs.readFileSync(path.join(distDir, f));
        const b = fs.readFileSync(path.join(nextDist, f));
        expect(a.equals(b), `${f} changed`).toBe(true);
        compared++;
      }
      if (entry.available) {
        const snapshot = `epochs/${entry.epoch_id}.json`;
        expect(fs.readFileSync(path.join(dataDir, snapshot)).equals(fs.readFileSync(path.join(nextData, snapshot))), `data/${snapshot} changed`).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('changes only pages and files meant to change, a set that does not grow with the epochs', () => {
    const oldFiles = new Set(walk(distDir));
    const changed = walk(nextDist).filter((f) => !oldFiles.has(f) || !fs.readFileSync(path.join(distDir, f)).equals(fs.readFileSync(path.join(nextDist, f))));
    // Pagefind's hashed index files are new names whenever any indexed page changes: not epoch files.
    const epochOf = (f: string) => /^(?:epochs\/(\d+)\/|v1\/models\/epochs\/(\d+)\.)/.exec(f);
    const ids = new Set(
      changed.flatMap((f) => {
        const m = epochOf(f);
        return m ? [Number(m[1] ?? m[2])] : [];
      }),
    );
    // The epoch that was current (it finished) and the new current one; nothing older.
    expect([...ids].sort((a, b) => a - b)).toEqual([current, current + 1]);
    // Blocks of epoch lists change only while they hold an unfinished epoch.
    const blockOf = (f: string) => /(?:^|\/)(?:epochs\/range|epochs)\/(\d+)-(\d+)\/index\.html$/.exec(f);
    const blocks = changed.filter((f) => blockOf(f));
    for (const f of blocks) {
      const [start, end] = blockOf(f)!.slice(1).map(Number) as [number, number];
      expect(end >= current && start <= current + 1, `${f} changed`).toBe(true);
    }
    expect(blocks).toContain(`epochs/range/${Math.floor(current / 100) * 100}-${Math.floor(current / 100) * 100 + 99}/index.html`);
    // Model pages and JSON change (they list the newest epoch): one of each per model, not per epoch.
    const models = changed.filter((f) => !blockOf(f) && (f.startsWith('models/') || /^v1\/models\/(?!epochs[./])/.test(f)) && f !== 'v1/models/current.json');
    expect(models.length).toBeLessThanOrEqual(2 * before.models.length + 1);
    // Besides those: the pages and files meant to change, a fixed set.
    const others = changed.filter((f) => !epochOf(f) && !blockOf(f) && !models.includes(f) && !f.startsWith('pagefind/'));
    const live = new Set(['_headers', '404.html', 'index.html', 'epochs/index.html', 'search/index.html', 'v1/models/current.json', 'v1/models/epochs.json']);
    expect(others.filter((f) => !live.has(f))).toEqual([]);
    expect(others).toContain('index.html');
  });

  it('gives a finished page its own snapshot’s fetch time and the epochs page as its list', () => {
    const n = current - 2;
    const html = fs.readFileSync(path.join(nextDist, `epochs/${n}/index.html`), 'utf8');
    const snapshot = before.snapshots.get(n)!;
    expect(html).toContain(`datetime="${snapshot.fetched_at}"`);
    const next = readSiteData(nextData, basePath);
    expect(next.index.fetched_at).not.toBe(snapshot.fetched_at);
    expect(html).not.toContain(`datetime="${next.index.fetched_at}"`);
    expect(html).toContain(`href="${basePath}epochs/${n + 1}/" rel="next"`);
    expect(html).toContain(`href="${basePath}epochs/"`);
  });
});
