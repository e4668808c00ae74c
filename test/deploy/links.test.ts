/**
 * Deploying the built site, on each site project's build (the sample chain's
 * data for a GitHub Pages project site, BASE_PATH `/gonka-models/`; the
 * fixture's for a domain root, `/`):
 * - every internal link, asset, island module, script import, hard-coded fetch
 *   path and Pagefind result resolves to a file in dist/ (link-check.ts);
 * - the generated `_headers` gives no URL two Cache-Control rules on Netlify or
 *   Cloudflare, marks only content-hashed names immutable, and gives the live
 *   URLs a short lifetime.
 * serving.test.ts checks a second build at the other base and conditional requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { CACHE_CONTROL } from '../../src/site/cache-headers.ts';
import { readSiteData, type SiteData } from '../../src/site/load.ts';
import { readBuild } from './built-site.ts';
import { HOSTS, matchingRules, type Host } from './host-rules.ts';

/** The build this project's global setup made: at a sub-path for the sample chain, at the root for the fixture. */
const site: SiteData = readSiteData(inject('dataDir'));
const here = readBuild(inject('distDir'), inject('basePath'));
const { base } = here;

describe(`the site built for ${base}`, () => {
  it('has no broken internal link, asset, import or fetch path', () => {
    const { links } = here;
    expect(links.problems).toEqual([]);
    // The checker saw the whole site: every page, the island modules, the URL helpers, Pagefind.
    const { files } = here;
    const pages = files.filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));
    expect(links.counts.html).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(site.epochs.length + site.models.length);
    expect(links.counts.internal).toBeGreaterThan(10 * links.counts.html);
    expect(links.counts.jsImport).toBeGreaterThan(0);
    expect(links.counts.jsPath).toBeGreaterThan(5);
    expect(links.counts.pagefindResult).toBe(files.filter((f) => f.startsWith('pagefind/fragment/')).length);
    expect(links.counts.pagefindResult).toBeGreaterThanOrEqual(site.epochs.length + site.models.length);
  });

  it('links out only to well-formed https URLs (Hugging Face)', () => {
    const { links } = here;
    expect(links.external.length).toBeGreaterThan(0);
    for (const url of links.external) expect(url).toMatch(/^https:\/\/huggingface\.co\/[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*(\/tree\/[0-9a-f]{40})?$/);
  });

  it('points the island and the search page at files that exist under the base', () => {
    const { dist } = here;
    const home = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    // The island builds its fetch URL from the base it is given as a prop.
    expect(home).toContain(`&quot;base&quot;:[0,&quot;${base}&quot;]`);
    expect(fs.existsSync(path.join(dist, 'v1/models/current.json'))).toBe(true);
    const search = fs.readFileSync(path.join(dist, 'search/index.html'), 'utf8');
    expect(search).toContain(`data-pagefind-base="${base}pagefind/"`);
  });

  it('writes _headers with every rule under the base path and at most one Cache-Control per URL', () => {
    const { rules, files } = here;
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
    const { rules, files } = here;
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
