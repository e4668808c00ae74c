/**
 * Deploying the built site: the bundled sample chain's data built twice, for a
 * GitHub Pages project site (BASE_PATH `/gonka-models/`) and for a domain root
 * (`/`), and for each build
 * - every internal link, asset, island module, script import, hard-coded fetch
 *   path and Pagefind result resolves to a file in dist/ (link-check.ts);
 * - the generated `_headers` gives no URL two Cache-Control rules on Netlify or
 *   Cloudflare, marks only content-hashed names immutable, and gives the live
 *   URLs a short lifetime;
 * and, in headless Chromium, the island's refresh of an unchanged current.json
 * costs a 304 without a body.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../scripts/site-build.ts';
import { CACHE_CONTROL } from '../../src/site/cache-headers.ts';
import { readSiteData, type SiteData } from '../../src/site/load.ts';
import { launchChromium } from '../support/browser.ts';
import { sampleChainData } from '../support/sample-data.ts';
import { startStaticServer } from '../support/static-server.ts';
import { HOSTS, matchingRules, parseHeadersFile, type Host, type ParsedRule } from './host-rules.ts';
import { checkSite, walk, type CheckResult } from './link-check.ts';

interface Build {
  base: string;
  dist: string;
  files: string[];
  links: CheckResult;
  rules: ParsedRule[];
}

const BASES = ['/gonka-models/', '/'] as const;
let tmp: string;
let site: SiteData;
const builds = new Map<string, Build>();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-deploy-'));
  const dataDir = await sampleChainData(tmp);
  site = readSiteData(dataDir);
  for (const base of BASES) {
    const dist = path.join(tmp, base === '/' ? 'root' : 'sub', 'dist');
    const result = buildSite({ dataDir, outDir: dist, basePath: base });
    if (result.status !== 0) throw new Error(`build for ${base} failed (exit ${result.status}):\n${result.output.slice(-6000)}`);
    builds.set(base, {
      base,
      dist,
      files: walk(dist),
      links: checkSite(dist, base),
      rules: parseHeadersFile(fs.readFileSync(path.join(dist, '_headers'), 'utf8')),
    });
  }
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (base: string) => builds.get(base)!;

describe.each(BASES)('the site built for %s', (base) => {
  it('has no broken internal link, asset, import or fetch path', () => {
    const { links } = get(base);
    expect(links.problems).toEqual([]);
    // The checker saw the whole site: every page, the island modules, the URL helpers, Pagefind.
    const { files } = get(base);
    const pages = files.filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));
    expect(links.counts.html).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(site.epochs.length + site.models.length);
    expect(links.counts.internal).toBeGreaterThan(50 * links.counts.html);
    expect(links.counts.jsImport).toBeGreaterThan(0);
    expect(links.counts.jsPath).toBeGreaterThan(5);
    expect(links.counts.pagefindResult).toBe(files.filter((f) => f.startsWith('pagefind/fragment/')).length);
    expect(links.counts.pagefindResult).toBeGreaterThanOrEqual(site.epochs.length + site.models.length);
  });

  it('links out only to well-formed https URLs (Hugging Face)', () => {
    const { links } = get(base);
    expect(links.external.length).toBeGreaterThan(0);
    for (const url of links.external) expect(url).toMatch(/^https:\/\/huggingface\.co\/[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*(\/tree\/[0-9a-f]{40})?$/);
  });

  it('points the island and the search page at files that exist under the base', () => {
    const { dist } = get(base);
    const home = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    // The island builds its fetch URL from the base it is given as a prop.
    expect(home).toContain(`&quot;base&quot;:[0,&quot;${base}&quot;]`);
    expect(fs.existsSync(path.join(dist, 'v1/models/current.json'))).toBe(true);
    const search = fs.readFileSync(path.join(dist, 'search/index.html'), 'utf8');
    expect(search).toContain(`data-pagefind-base="${base}pagefind/"`);
  });

  it('writes _headers with every rule under the base path and at most one Cache-Control per URL', () => {
    const { rules, files } = get(base);
    expect(rules.length).toBeGreaterThan(15);
    for (const rule of rules) {
      expect(rule.path.startsWith(base), rule.path).toBe(true);
      expect(Object.values(CACHE_CONTROL)).toContain(rule.headers['cache-control']);
    }
    for (const url of servedUrls(base, files)) {
      for (const host of Object.keys(HOSTS) as Host[]) {
        const hits = matchingRules(rules, url, host);
        expect(hits.length, `${host}: ${url} matches ${hits.map((r) => r.path).join(', ')}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('marks immutable only names that carry a content hash, and gives the live URLs a short lifetime', () => {
    const { rules, files } = get(base);
    const tier = (url: string, host: Host = 'cloudflare') => matchingRules(rules, url, host)[0]?.headers['cache-control'] ?? null;
    let immutable = 0;
    for (const file of files) {
      if (tier(base + file) !== CACHE_CONTROL.immutable) continue;
      immutable++;
      expect(path.posix.basename(file), file).toMatch(/[._][A-Za-z0-9_-]{7,}\.[a-z_]+$/);
    }
    expect(immutable).toBeGreaterThan(10);
    const current = site.currentEpoch;
    for (const url of ['', 'epochs/', `epochs/${current}/`, 'v1/models/current.json', 'v1/models/epochs.json', `v1/models/epochs/${current}.json`, `v1/models/epochs/${current}.hosts.csv`]) {
      for (const host of Object.keys(HOSTS) as Host[]) expect(tier(base + url, host), `${host} ${url}`).toBe(CACHE_CONTROL.live);
    }
    const finished = site.epochs.find((e) => e.available && e.epoch_id >= 20 && e.epoch_id < current && !String(current).startsWith(String(e.epoch_id)))!;
    expect(tier(`${base}v1/models/epochs/${finished.epoch_id}.json`)).toBe(CACHE_CONTROL.settledData);
    expect(files).toContain(`v1/models/epochs/${finished.epoch_id}.hosts.csv`);
    expect(tier(`${base}v1/models/epochs/${finished.epoch_id}.hosts.csv`)).toBe(CACHE_CONTROL.settledData);
    expect(tier(`${base}epochs/${finished.epoch_id}/`)).toBe(CACHE_CONTROL.settledPage);
  });
});

describe('across the two builds', () => {
  it('gives a content-hashed name the same bytes in both (what `immutable` promises)', () => {
    const a = get('/gonka-models/');
    const b = get('/');
    const immutable = (build: Build, file: string) =>
      matchingRules(build.rules, build.base + file, 'cloudflare')[0]?.headers['cache-control'] === CACHE_CONTROL.immutable;
    const shared = a.files.filter((f) => immutable(a, f) && b.files.includes(f) && immutable(b, f));
    expect(shared.length).toBeGreaterThan(10);
    for (const f of shared) expect(fs.readFileSync(path.join(a.dist, f)).equals(fs.readFileSync(path.join(b.dist, f))), f).toBe(true);
    // And a bundle whose bytes depend on the base path got a different name.
    const baseDependent = a.files.filter((f) => f.startsWith('_astro/') && !b.files.includes(f));
    expect(baseDependent.length).toBeGreaterThan(0);
  });
});

describe('conditional requests in Chromium', () => {
  it('revalidates an unchanged current.json with a 304 and no body', async () => {
    const { dist, base } = get('/gonka-models/');
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
      const size = fs.statSync(path.join(dist, 'v1/models/current.json')).size;
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

/** The URLs a static host serves `files` at: folders with their slash, plus every file by name. */
function servedUrls(base: string, files: string[]): string[] {
  const enc = (rel: string) => rel.split('/').map(encodeURIComponent).join('/');
  return files.flatMap((f) => {
    const urls = [base + enc(f)];
    if (f === 'index.html') urls.push(base);
    else if (f.endsWith('/index.html')) urls.push(base + enc(f.slice(0, -'index.html'.length)));
    return urls;
  });
}
