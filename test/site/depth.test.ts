/**
 * The site at depth: the sample chain with 160 epochs (12 hosts each, so the
 * build stays quick) through the real data step and a real build. Long lists
 * split into the newest rows and blocks of 100 epoch numbers (src/views/ranges.ts),
 * every block page links and lists exactly its epochs, and no row is lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../scripts/site-build.ts';
import { readSiteData, type SiteData } from '../../src/site/load.ts';
import { RECENT_ROWS, rangeOf } from '../../src/views/ranges.ts';
import { checkSite } from '../deploy/link-check.ts';
import { sampleChainData } from '../support/sample-data.ts';
import { all, dom, text } from '../support/site-html.ts';

const CURRENT = 160;
const BASE = '/';

let tmp: string;
let dist: string;
let site: SiteData;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-depth-'));
  await sampleChainData(tmp, { currentEpoch: CURRENT, maxHosts: 12 });
  dist = path.join(tmp, 'dist');
  const result = await buildSite({ dataDir: path.join(tmp, 'data'), outDir: dist, basePath: BASE });
  if (result.status !== 0) throw new Error(`build failed (exit ${result.status}):\n${result.output.slice(-6000)}`);
  site = readSiteData(path.join(tmp, 'data'), BASE);
}, 300_000);
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const page = (rel: string) => dom(fs.readFileSync(path.join(dist, rel, 'index.html'), 'utf8'));
/** The epoch numbers in the first column of the table inside `root`. */
const rowEpochs = (doc: ReturnType<typeof dom>, selector: string) => all(doc, `${selector} tbody th[scope="row"] a`).map((a) => Number(text(a)));
const rangeLinks = (doc: ReturnType<typeof dom>) => all(doc, '.range-nav a').map((a) => a.getAttribute('href')!);

describe('a build at 160 epochs', () => {
  it('has no broken link', () => {
    expect(checkSite(dist, BASE).problems).toEqual([]);
  });

  it('lists the newest epochs on /epochs/ and every epoch once across its blocks', () => {
    expect(site.epochs.length).toBeGreaterThan(RECENT_ROWS + 100);
    const ids = site.epochs.map((e) => e.epoch_id).sort((a, b) => b - a);
    const epochsPage = page('epochs');
    expect(rowEpochs(epochsPage, 'section[aria-labelledby="epochs-heading"]')).toEqual(ids.slice(0, RECENT_ROWS));
    const blocks = rangeLinks(epochsPage).slice(1);
    expect(blocks).toEqual(['/epochs/range/100-199/', '/epochs/range/0-99/']);
    const listed = blocks.flatMap((href) => {
      const doc = page(href.slice(1, -1));
      const shown = rowEpochs(doc, '.data-table');
      const [start, end] = /(\d+)-(\d+)/.exec(href)!.slice(1).map(Number);
      for (const n of shown) expect(rangeOf(n), `${n} on ${href}`).toEqual({ start, end });
      expect(all(doc, '.range-nav a[aria-current="page"]').map((a) => a.getAttribute('href'))).toEqual([href]);
      return shown;
    });
    expect(listed).toEqual(ids);
  });

  it('shows a model’s newest epochs on its page and the rest on its blocks', () => {
    const model = site.models.find((m) => m.epochs.length > RECENT_ROWS + 20)!;
    expect(model).toBeDefined();
    const rel = model.pageUrl.slice(1, -1);
    const doc = page(rel);
    const table = 'section[aria-labelledby="history-heading"]';
    const ids = model.epochs.map((e) => e.epochId);
    expect(rowEpochs(doc, table)).toEqual(ids.slice(0, RECENT_ROWS));
    const blocks = rangeLinks(doc).slice(1);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.every((href) => href.startsWith(`${model.pageUrl}epochs/`))).toBe(true);
    const listed = blocks.flatMap((href) => rowEpochs(page(href.slice(1, -1)), '.data-table'));
    expect(listed).toEqual(ids);
  });
});
