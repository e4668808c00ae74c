/**
 * Serving the sample chain's build (the `site` project's, at `/gonka-models/`):
 * a second build of the same data at the domain root links as well and gives
 * every content-hashed name the same bytes (what `immutable` promises), and in
 * headless Chromium the island's refresh of an unchanged current.json costs a
 * 304 without a body. The fixture's build needs neither again: these hold for
 * any data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSite } from '../../scripts/site-build.ts';
import { launchChromium } from '../../scripts/preview/chromium.ts';
import { startStaticServer } from '../../scripts/preview/static-server.ts';
import { CACHE_CONTROL } from '../../src/site/cache-headers.ts';
import { readSiteData } from '../../src/site/load.ts';
import { readBuild, type Build } from './built-site.ts';
import { matchingRules } from './host-rules.ts';

const dataDir = inject('dataDir');
const site = readSiteData(dataDir);
const here = readBuild(inject('distDir'), inject('basePath'));

describe('across two builds of the same data', () => {
  let tmp: string;
  let other: Build;
  beforeAll(async () => {
    // The same data once more, at the other base: what a project site and a domain root serve.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-deploy-'));
    const base = here.base === '/' ? '/gonka-models/' : '/';
    const dist = path.join(tmp, 'dist');
    const result = await buildSite({ dataDir, outDir: dist, basePath: base });
    if (result.status !== 0) throw new Error(`build for ${base} failed (exit ${result.status}):\n${result.output.slice(-6000)}`);
    other = readBuild(dist, base);
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('has no broken link at the other base either', () => {
    expect(other.links.problems).toEqual([]);
  });

  it('gives a content-hashed name the same bytes in both (what `immutable` promises)', () => {
    const immutable = (b: Build, file: string) => matchingRules(b.rules, b.base + file, 'cloudflare')[0]?.headers['cache-control'] === CACHE_CONTROL.immutable;
    const shared = here.files.filter((f) => immutable(here, f) && other.files.includes(f) && immutable(other, f));
    expect(shared.length).toBeGreaterThan(10);
    for (const f of shared) expect(fs.readFileSync(path.join(here.dist, f)).equals(fs.readFileSync(path.join(other.dist, f))), f).toBe(true);
    // And a bundle whose bytes depend on the base path got a different name.
    const baseDependent = here.files.filter((f) => f.startsWith('_astro/') && !other.files.includes(f));
    expect(baseDependent.length).toBeGreaterThan(0);
  });
});

describe('conditional requests in Chromium', () => {
  it('revalidates an unchanged current.json with a 304 and no body', async () => {
    const { dist, base } = here;
    const server = await startStaticServer(dist, base);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      // Per request: the status on the wire (ExtraInfo: 304 for a revalidation, where the page sees
      // the cached 200) and the bytes received for it.
      const wireStatus = new Map<string, number>();
      const responses = new Map<string, { url: string; bytes?: number }>();
      cdp.on('Network.responseReceivedExtraInfo', (e) => wireStatus.set(e.requestId, e.statusCode));
      cdp.on('Network.responseReceived', (e) => responses.set(e.requestId, { url: e.response.url }));
      cdp.on('Network.loadingFinished', (e) => {
        const r = responses.get(e.requestId);
        if (r) r.bytes = e.encodedDataLength;
      });
      await page.goto(`${server.url}?refresh=0.3`);
      const polls = () => server.log.filter((r) => r.path === '/v1/models/current.json');
      const until = Date.now() + 15_000;
      const currentIds = () => [...responses.entries()].filter(([, r]) => r.url.endsWith('/v1/models/current.json')).map(([id]) => id);
      const settled = () => currentIds().every((id) => wireStatus.has(id) && responses.get(id)!.bytes !== undefined);
      while ((polls().length < 4 || currentIds().length < 4 || !settled()) && Date.now() < until) await page.waitForTimeout(100);

      const seen = polls();
      expect(seen.length).toBeGreaterThanOrEqual(4);
      // The first fetch may fill the cache; every later one is a revalidation answered 304.
      const later = seen.slice(1);
      expect(later.every((r) => r.conditional && r.status === 304), JSON.stringify(later)).toBe(true);
      // As Chromium saw them: after the first, 304s of a few hundred bytes of headers, no body.
      // The first answer carries the body, gzip-encoded as a static host sends it.
      const size = gzipSync(fs.readFileSync(path.join(dist, 'v1/models/current.json'))).length;
      const wire = [...responses.entries()]
        .filter(([, r]) => r.url.endsWith('/v1/models/current.json') && r.bytes !== undefined)
        .map(([id, r]) => ({ status: wireStatus.get(id), bytes: r.bytes! }));
      expect(wire[0]).toEqual({ status: 200, bytes: expect.any(Number) });
      expect(wire[0]!.bytes).toBeGreaterThan(size / 2);
      const notModified = wire.slice(1);
      expect(notModified.length).toBeGreaterThanOrEqual(2);
      for (const r of notModified) {
        expect(r.status).toBe(304);
        expect(r.bytes).toBeLessThan(1000);
      }
      // The page kept its data: the island read the cached body, no stale notice.
      expect(await page.locator('.stale-notice').count()).toBe(0);
      expect(await page.locator('h1').innerText()).toContain(`Epoch ${site.home.snapshot.epoch_id}`);
      await context.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
