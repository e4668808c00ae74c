/**
 * Shared setup of the browser tests: the built site (from the `site` project's
 * global setup) served by the static server at its base path, and one headless
 * Chromium per test file.
 */
import { inject } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { readSiteData, type SiteData } from '../../src/site/load.ts';
import { launchChromium } from '../../scripts/preview/chromium.ts';
import { startStaticServer, type StaticServer } from '../../scripts/preview/static-server.ts';

/** How `open()` sets up a page: context options, plus whether to wait for hydration and run on Playwright's clock. */
export type OpenOptions = BrowserContextOptions & { hydrate?: boolean; clock?: boolean };

export interface SiteUnderTest {
  server: StaticServer;
  browser: Browser;
  site: SiteData;
  basePath: string;
  /** Absolute URL of a path below the base (`''` = home). */
  url(rel?: string): string;
  /** A model's page below the base (`models/<encoded slug>/`), as the site links it. */
  modelPage(id: string): string;
  /**
   * A fresh page (own context) at `rel`, after the island hydrated when there is one;
   * `page.close()` closes its context too. With `clock`, the page runs on Playwright's
   * clock from the start: time (timers, Date) moves only when the test says so
   * (`page.clock.runFor`).
   */
  open(rel?: string, options?: OpenOptions): Promise<Page>;
  /**
   * Navigates an open page to `rel` and waits for the island as `open()` does: what a
   * test visiting several pages in turn uses, since a new page costs Chromium about a
   * CPU-second and a navigation half that.
   */
  visit(page: Page, rel: string, options?: { hydrate?: boolean }): Promise<void>;
  /**
   * The file's reusable page (default viewport, JavaScript on), navigated to `rel` and
   * hydrated: a fresh document for tests that do not need a fresh browser page. Leave
   * it open; `close()` closes it.
   */
  shared(rel?: string): Promise<Page>;
  close(): Promise<void>;
}

const VIEWPORT = { width: 1280, height: 900 };

/** Starts the server and the browser for the built site. */
export async function startSite(): Promise<SiteUnderTest> {
  const basePath = inject('basePath');
  const server = await startStaticServer(inject('distDir'), basePath);
  const browser = await launchChromium();
  const site = readSiteData(inject('dataDir'), basePath);
  const url = (rel = '') => new URL(rel, server.url).href;
  const onClock = new WeakSet<Page>();
  let reusable: Page | undefined;
  async function visit(page: Page, rel: string, hydrate: boolean) {
    await page.goto(url(rel));
    if (hydrate && (await page.locator('astro-island').count()) > 0) {
      if (onClock.has(page)) {
        // `client:idle` waits for an idle callback, which the installed clock holds until time moves.
        for (let i = 0; i < 100 && (await page.locator('astro-island[ssr]').count()) > 0; i++) await page.clock.runFor(100);
      }
      await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
    }
  }
  async function open(rel = '', { hydrate = true, clock = false, ...options }: OpenOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, ...options });
    const page = await context.newPage();
    // Its context goes with it; when the browser is already closing, so is the context.
    page.once('close', () => context.close().catch(() => {}));
    page.on('pageerror', (err) => {
      throw err;
    });
    if (clock) {
      await page.clock.install();
      onClock.add(page);
    }
    await visit(page, rel, hydrate && options.javaScriptEnabled !== false);
    return page;
  }
  return {
    server,
    browser,
    site,
    basePath,
    url,
    modelPage: (id) => site.links.page(id).slice(basePath.length),
    open,
    visit: (page, rel, { hydrate = true } = {}) => visit(page, rel, hydrate),
    async shared(rel = '') {
      if (!reusable || reusable.isClosed()) reusable = await open(rel);
      else await visit(reusable, rel, true);
      return reusable;
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

