/**
 * Shared setup of the browser tests: the built site (from the `site` project's
 * global setup) served by the static server at its base path, and one headless
 * Chromium per test file.
 */
import { inject } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { readSiteData, type SiteData } from '../../src/site/load.ts';
import { launchChromium } from './browser.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

export interface SiteUnderTest {
  server: StaticServer;
  browser: Browser;
  site: SiteData;
  basePath: string;
  /** Absolute URL of a path below the base (`''` = home). */
  url(rel?: string): string;
  /** A fresh page (own context) at `rel`, after the island hydrated when there is one. */
  open(rel?: string, options?: BrowserContextOptions & { hydrate?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the server and the browser for the built site. */
export async function startSite(): Promise<SiteUnderTest> {
  const basePath = inject('basePath');
  const server = await startStaticServer(inject('distDir'), basePath);
  const browser = await launchChromium();
  const site = readSiteData(inject('dataDir'));
  const url = (rel = '') => new URL(rel, server.url).href;
  return {
    server,
    browser,
    site,
    basePath,
    url,
    async open(rel = '', { hydrate = true, ...options } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      const page = await context.newPage();
      page.on('pageerror', (err) => {
        throw err;
      });
      await page.goto(url(rel));
      if (hydrate && options.javaScriptEnabled !== false && (await page.locator('astro-island').count()) > 0) {
        await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
      }
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The model ids of the table rows, in order. */
export async function rowIds(page: Page): Promise<string[]> {
  return page.locator('.models-table tbody a[data-model-id]').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.modelId!));
}

/** Link path of a model page below the base (`models/<encoded slug>/`). */
export { encodedModelSlug } from '../../src/site/urls.ts';
