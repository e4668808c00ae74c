/**
 * What only a browser can tell: layout shift while the island hydrates, and
 * what the island's refresh of an unchanged `current.json` costs. Headless
 * Chromium (Debian's, through playwright-core) against the built site served
 * by the tests' static server, which answers ETag revalidations with 304.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../preview/chromium.ts';
import { startStaticServer, type StaticServer } from '../preview/static-server.ts';

const CURRENT = '/v1/models/current.json';
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

/** One layout-shift entry: when (ms from navigation), how much, which elements moved where. */
export interface ShiftEntry {
  at: number;
  value: number;
  sources: string[];
}

/** Layout shift of one page visit. */
export interface ShiftFigures {
  page: string;
  viewport: string;
  /** Σ layout-shift values without recent input. */
  cls: number;
  shifts: number;
  /** ms from navigation start to the island's hydration. */
  hydratedAtMs: number;
  entries: ShiftEntry[];
}

/** How the island's refreshes of current.json went, as the server saw them. */
export interface RefreshFigures {
  refreshes: { status: number; conditional: boolean; bodyBytes: number }[];
  /** The file's size: what a refresh without revalidation would transfer. */
  fileBytes: number;
}

export interface BrowserFigures {
  /** Load and hydration (default refresh period, so no refresh happens): `/` and an epoch page. */
  hydration: ShiftFigures[];
  /** `/?refresh=1` through `refreshes` polls: shifts after hydration, caused by the refresh bar. */
  refreshShifts: ShiftFigures[];
  refresh: RefreshFigures;
}

// Installed before any page script: records every layout shift from navigation on,
// with the moved elements, so a shift can be traced to its cause.
const OBSERVE_SHIFTS = String.raw`
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const sources = (e.sources || []).map((s) => {
        const n = s.node;
        const name = !n ? '?' : n.nodeType === 1 ? n.tagName.toLowerCase() + (n.className ? '.' + String(n.className).trim().split(/\s+/).join('.') : '') : '#text';
        const r = (x) => Math.round(x.x) + ',' + Math.round(x.y) + ' ' + Math.round(x.width) + 'x' + Math.round(x.height);
        return name + ' ' + r(s.previousRect) + ' -> ' + r(s.currentRect);
      });
      window.__shifts.push({ value: e.value, recent: e.hadRecentInput, at: Math.round(e.startTime), sources });
    }
  }).observe({ type: 'layout-shift', buffered: true });
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function openHydrated(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<{ page: Page; hydratedAtMs: number }> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(OBSERVE_SHIFTS);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('astro-island:not([ssr])', { state: 'attached', timeout: 30_000 });
  const hydratedAtMs = await page.evaluate(() => performance.now());
  return { page, hydratedAtMs };
}

/** Shifts recorded so far, those starting at or after `sinceMs` only. */
async function shiftsOf(page: Page, label: string, viewport: { width: number; height: number }, hydratedAtMs: number, sinceMs = 0): Promise<ShiftFigures> {
  type Entry = ShiftEntry & { recent: boolean };
  const all = await page.evaluate(() => (window as unknown as { __shifts: Entry[] }).__shifts);
  const counted = all.filter((e) => !e.recent && e.at >= sinceMs);
  return {
    page: label,
    viewport: `${viewport.width}x${viewport.height}`,
    cls: counted.reduce((s, e) => s + e.value, 0),
    shifts: counted.length,
    hydratedAtMs: Math.round(hydratedAtMs),
    entries: counted.map(({ at, value, sources }) => ({ at, value, sources })),
  };
}

/**
 * Visits `/` and `epochPage` on a desktop and a phone viewport: shifts through
 * hydration, then `/?refresh=1` through `refreshes` polls for the refresh's
 * transfers (as the server answered them) and the shifts it causes.
 */
export async function measureInBrowser(distDir: string, epochPage: string, refreshes = 3): Promise<BrowserFigures> {
  const server: StaticServer = await startStaticServer(distDir, '/');
  const browser = await launchChromium();
  const at = (rel: string) => new URL(rel.replace(/^\//, ''), server.url).href;
  try {
    const hydration: ShiftFigures[] = [];
    const refreshShifts: ShiftFigures[] = [];
    let refresh: RefreshFigures | null = null;
    for (const viewport of VIEWPORTS) {
      for (const page of ['/', epochPage]) {
        const v = await openHydrated(browser, at(page), viewport);
        await sleep(1000); // anything hydration moves lands well within a second
        hydration.push(await shiftsOf(v.page, page, viewport, v.hydratedAtMs));
        await v.page.context().close();
      }

      const from = server.log.length;
      const polls = () => server.log.slice(from).filter((r) => r.path === CURRENT);
      const home = await openHydrated(browser, at('/?refresh=1'), viewport);
      await waitFor(() => polls().length >= refreshes, 30_000, `${refreshes} refreshes of ${CURRENT}`);
      await sleep(500); // let the re-render after the last poll land
      refreshShifts.push(await shiftsOf(home.page, '/?refresh=1', viewport, home.hydratedAtMs, home.hydratedAtMs));
      if (!refresh) {
        const fileBytes = fs.statSync(path.join(distDir, CURRENT)).size;
        refresh = {
          fileBytes,
          refreshes: polls()
            .slice(0, refreshes)
            .map((r) => ({ status: r.status, conditional: r.conditional, bodyBytes: r.status === 200 ? fileBytes : 0 })),
        };
      }
      await home.page.context().close();
    }
    return { hydration, refreshShifts, refresh: refresh! };
  } finally {
    await browser.close();
    await server.close();
  }
}
