/**
 * First paint on a slow link: `/` loaded cold in headless Chromium over a
 * Fast-3G-like connection (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up)
 * with the CPU slowed 4×, served gzip-encoded as a CDN would. What it reports:
 * when the HTML had arrived (the navigation's `responseEnd`), the first
 * contentful paint, and when the models table's top row was first on screen
 * (Element Timing: the presentation time of the frame that painted its model
 * name), with the ratio of the last to the first; the same for the floor, a
 * page holding nothing but a one-row table, loaded the same way in turn with
 * `/`, which is what this browser on this machine needs to show any table row;
 * and where the renderer's time went (Chromium's own counters: style, layout,
 * script, tasks) with the size of what it had to render.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../preview/chromium.ts';
import { startStaticServer } from '../preview/static-server.ts';

/** The link and CPU the measurement emulates. */
export const SLOW_LINK = { latencyMs: 150, downBitsPerSecond: 1_600_000, upBitsPerSecond: 750_000, cpuSlowdown: 4 } as const;

/** One cold load of a page. */
export interface PaintRun {
  /** ms from navigation start: the HTML's first and last byte, first contentful paint, the top model row on screen. */
  htmlStartMs: number;
  htmlEndMs: number;
  fcpMs: number;
  topRowMs: number;
  /** topRowMs / htmlEndMs: 1 would be showing the row the moment the HTML is in. */
  ratio: number;
}

/** What the renderer worked on and for how long (Chromium's Performance domain, ms, slowed CPU). */
export interface RenderCost {
  domNodes: number;
  svgElements: number;
  htmlBytesGzip: number;
  cssBytesGzip: number;
  /** Stylesheets the page requested besides the HTML: each one blocks rendering until it has arrived. */
  blockingRequests: number;
  styleMs: number;
  layoutMs: number;
  scriptMs: number;
  taskMs: number;
}

export interface PaintFigures {
  link: typeof SLOW_LINK;
  /** Loads of `/`. */
  runs: PaintRun[];
  /** Loads of the one-row page, each just before the load of `/` with the same index. */
  floor: PaintRun[];
  cost: RenderCost;
}

/** Where the one-row page is served, beside the site. */
const FLOOR_PATH = '/bench-floor.html';

// The least a page can be and still show the top row: no stylesheet, no script, one cell
// with a model name in it. Its paint time is what the browser costs, whatever the page.
const FLOOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><table class="models-table"><tbody><tr><th scope="row"><a href="/">Qwen/Qwen3-235B-A22B-Instruct-2507-FP8</a></th><td>512,905</td></tr></tbody></table></body></html>
`;

// Before any page script. Element Timing reports when an element's text was first
// presented on screen, but only for elements carrying the attribute: the observer
// tags the top row's model cell as the parser inserts it, before any frame can paint it.
const MARK_TOP_ROW = String.raw`
  window.__topRow = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.identifier === 'top-model-row' && window.__topRow === null) window.__topRow = e.renderTime || e.loadTime;
  }).observe({ type: 'element', buffered: true });
  const tagger = new MutationObserver(() => {
    const cell = document.querySelector('.models-table tbody tr:first-child > th');
    if (!cell) return;
    cell.setAttribute('elementtiming', 'top-model-row');
    tagger.disconnect();
  });
  tagger.observe(document, { childList: true, subtree: true });
`;

async function emulateSlowLink(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: SLOW_LINK.latencyMs,
    downloadThroughput: SLOW_LINK.downBitsPerSecond / 8,
    uploadThroughput: SLOW_LINK.upBitsPerSecond / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_LINK.cpuSlowdown });
  await cdp.send('Performance.enable');
}

/** Loads `url` cold (a fresh context, no cache) over the slow link; `onLoaded` sees the page before it closes. */
async function loadOnce(browser: Browser, url: string, onLoaded?: (page: Page, cdp: CDPSession) => Promise<void>): Promise<PaintRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript(MARK_TOP_ROW);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await emulateSlowLink(cdp);
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page
      .waitForFunction(() => (window as unknown as { __topRow: number | null }).__topRow !== null, undefined, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`first paint: ${url} never reported its top model row on screen (no Element Timing entry within 60 s)`);
      });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        htmlStartMs: nav.responseStart,
        htmlEndMs: nav.responseEnd,
        fcpMs: fcp ? fcp.startTime : NaN,
        topRowMs: (window as unknown as { __topRow: number }).__topRow,
      };
    });
    await onLoaded?.(page, cdp);
    return { ...t, ratio: t.topRowMs / t.htmlEndMs };
  } finally {
    await context.close();
  }
}

/** What a load of `/` cost the renderer, from Chromium's counters, the document and the resource timings. */
async function renderCost(page: Page, cdp: CDPSession): Promise<RenderCost> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
  const doc = await page.evaluate(() => ({
    domNodes: document.getElementsByTagName('*').length,
    svgElements: document.querySelectorAll('svg *').length,
    resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .concat(performance.getEntriesByType('navigation') as PerformanceNavigationTiming[])
      .map((r) => ({ name: r.name, type: r.initiatorType, transfer: r.encodedBodySize })),
  }));
  const stylesheets = doc.resources.filter((r) => r.name.endsWith('.css'));
  return {
    domNodes: doc.domNodes,
    svgElements: doc.svgElements,
    htmlBytesGzip: doc.resources.find((r) => r.type === 'navigation')?.transfer ?? 0,
    cssBytesGzip: stylesheets.reduce((a, r) => a + r.transfer, 0),
    blockingRequests: stylesheets.length,
    styleMs: m('RecalcStyleDuration'),
    layoutMs: m('LayoutDuration'),
    scriptMs: m('ScriptDuration'),
    taskMs: m('TaskDuration'),
  };
}

/** Loads the one-row page and then `/` of the built site, `runs` times each, every load cold, and measures them. */
export async function measureFirstPaint(distDir: string, runs = 5): Promise<PaintFigures> {
  const server = await startStaticServer(distDir, '/');
  server.override(FLOOR_PATH, { body: FLOOR_PAGE });
  const browser = await launchChromium();
  const home: PaintRun[] = [];
  const floor: PaintRun[] = [];
  let cost: RenderCost | null = null;
  try {
    for (let i = 0; i < runs; i++) {
      // In turn, so that a busy moment on a shared machine weighs on both alike.
      floor.push(await loadOnce(browser, new URL(FLOOR_PATH.slice(1), server.url).href));
      home.push(
        await loadOnce(browser, server.url, async (page, cdp) => {
          cost ??= await renderCost(page, cdp);
        }),
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { link: SLOW_LINK, runs: home, floor, cost: cost! };
}
