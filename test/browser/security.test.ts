/**
 * The Content-Security-Policy in every page: only the site's own scripts run
 * (plus Astro's hashed inline ones), and the island and Pagefind still work under it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startSite, type SiteUnderTest } from '../support/site-browser.ts';

let t: SiteUnderTest;
/** One context for the file's pages, recording every CSP violation a page reports. */
let watched: BrowserContext;
beforeAll(async () => {
  t = await startSite();
  watched = await t.browser.newContext();
  await watched.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});
afterAll(async () => {
  await t?.close();
});

/** Opens `rel` recording every CSP violation the page reports. */
async function openWatched(rel: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await watched.newPage();
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.goto(t.url(rel));
  if ((await page.locator('astro-island').count()) > 0) await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
  return {
    page,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...console],
  };
}

describe('Content-Security-Policy', () => {
  it('is set on every page type and reports no violation while the island and search work', async () => {
    const past = [...t.site.snapshots.keys()].find((id) => id !== t.site.home.snapshot.epoch_id)!;
    const model = t.site.models[0]!;
    const { page, violations } = await openWatched('');
    for (const rel of ['', `epochs/${past}/`, t.modelPage(model.id), 'epochs/', 'models/']) {
      if (rel) await t.visit(page, rel);
      const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
      expect(csp, rel).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(await violations(), rel).toEqual([]);
    }

    // The island is alive under the policy: a row opens the dialog.
    await t.visit(page, '');
    await page.locator('.models-table tbody a[data-model-id]').first().click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(1);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('lets Pagefind search run (its WebAssembly included)', async () => {
    const model = t.site.models[0]!;
    const word = model.id.split('/').at(-1)!.split('-')[0]!;
    const { page, violations } = await openWatched(`search/?q=${encodeURIComponent(word)}`);
    await expect.poll(() => page.locator('main a[href*="/models/"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('blocks an injected inline script', async () => {
    const { page, violations } = await openWatched('');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = true';
      document.head.append(s);
    });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    await expect.poll(violations).toContainEqual(expect.stringMatching(/script-src/));
    await page.close();
  });
});
