/**
 * First paint on a slow link: `/` loaded cold in headless Chromium over a
 * Fast-3G-like connection (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up)
 * with the CPU slowed 4×, served gzip-encoded as a CDN would. What it reports:
 * when the HTML had arrived (the navigation's `responseEnd`), the first
 * contentful paint, and the frame that first painted the models table's top
 * row, with the ratio of the last to the first; and where the
 * renderer's time went (Chromium's own counters: style, layout, script, tasks)
 * with the size of what it had to render.
 */
import type { CDPSession } from 'playwright-core';
import { launchChromium } from '../preview/chromium.ts';
import { startStaticServer } from '../preview/static-server.ts';

/** The link and CPU the measurement emulates. */
export const SLOW_LINK = { latencyMs: 150, downBitsPerSecond: 1_600_000, upBitsPerSecond: 750_000, cpuSlowdown: 4 } as const;

/** One cold load of `/`. */
export interface PaintRun {
  /** ms from navigation start: the HTML's first and last byte, first contentful paint, the top model row painted. */
  htmlStartMs: number;
  htmlEndMs: number;
  fcpMs: number;
  topRowMs: number;
  /** topRowMs / htmlEndMs: 1 would be painting the moment the HTML is in. */
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
  runs: PaintRun[];
  cost: RenderCost;
}

// Before any page script: the frame in which the table's top model row is first
// rendered. A requestAnimationFrame callback runs just before the browser paints a
// frame, so the first one that finds the row laid out is the frame that paints it.
const MARK_TOP_ROW = String.raw`
  window.__topRow = null;
  const check = (now) => {
    const a = document.querySelector('.models-table tbody tr a');
    const box = a && a.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0 && getComputedStyle(a).visibility !== 'hidden') window.__topRow = now;
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
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

/** Loads `/` of the built site `runs` times, each cold, and measures it. */
export async function measureFirstPaint(distDir: string, runs = 3): Promise<PaintFigures> {
  const server = await startStaticServer(distDir, '/');
  const browser = await launchChromium();
  const results: PaintRun[] = [];
  let cost: RenderCost | null = null;
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(MARK_TOP_ROW);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await emulateSlowLink(cdp);
      const stylesheets: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'stylesheet') stylesheets.push(r.url());
      });
      await page.goto(server.url, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForFunction(() => (window as unknown as { __topRow: number | null }).__topRow !== null, undefined, { timeout: 60_000 });
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          htmlStartMs: nav.responseStart,
          htmlEndMs: nav.responseEnd,
          fcpMs: fcp ? fcp.startTime : NaN,
          topRowMs: (window as unknown as { __topRow: number }).__topRow,
          domNodes: document.getElementsByTagName('*').length,
          svgElements: document.querySelectorAll('svg *').length,
        };
      });
      results.push({ htmlStartMs: t.htmlStartMs, htmlEndMs: t.htmlEndMs, fcpMs: t.fcpMs, topRowMs: t.topRowMs, ratio: t.topRowMs / t.htmlEndMs });
      if (!cost) {
        const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
        const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
        const sizes = await page.evaluate(() =>
          (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).concat(performance.getEntriesByType('navigation') as PerformanceNavigationTiming[]).map((r) => ({
            name: r.name,
            type: r.initiatorType,
            transfer: r.encodedBodySize,
          })),
        );
        cost = {
          domNodes: t.domNodes,
          svgElements: t.svgElements,
          htmlBytesGzip: sizes.find((r) => r.type === 'navigation')?.transfer ?? 0,
          cssBytesGzip: sizes.filter((r) => r.name.endsWith('.css')).reduce((a, r) => a + r.transfer, 0),
          blockingRequests: stylesheets.length,
          styleMs: m('RecalcStyleDuration'),
          layoutMs: m('LayoutDuration'),
          scriptMs: m('ScriptDuration'),
          taskMs: m('TaskDuration'),
        };
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { link: SLOW_LINK, runs: results, cost: cost! };
}
