/**
 * History views in headless Chromium: the model page and the epochs page show
 * their charts, figures and tables with no JavaScript at all (none is loaded),
 * an epoch's band answers hover with its values, and a chart's range switch
 * works by mouse and keyboard without any script.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type SiteUnderTest } from '../support/site-browser.ts';

let t: SiteUnderTest;
beforeAll(async () => {
  t = await startSite();
});
afterAll(async () => {
  await t?.close();
});

/** Scripts a page requests (none expected on the chart pages). */
async function scriptsOf(rel: string): Promise<string[]> {
  const context = await t.browser.newContext();
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (req) => {
    if (req.resourceType() === 'script') scripts.push(req.url());
  });
  await page.goto(t.url(rel), { waitUntil: 'networkidle' });
  const inline = await page.locator('script').count();
  await context.close();
  return inline ? [...scripts, `${inline} <script> element(s)`] : scripts;
}

describe('charts without JavaScript', () => {
  it('load no script at all on a model page and on /epochs/', async () => {
    const model = t.site.models[0]!;
    expect(await scriptsOf(t.modelPage(model.id))).toEqual([]);
    expect(await scriptsOf('epochs/')).toEqual([]);
  });

  it("show a model's weight, hosts and usage across epochs, who backs it and its history, with JavaScript off", async () => {
    const model = t.site.models[0]!;
    const page = await t.open(t.modelPage(model.id), { javaScriptEnabled: false });
    // One view of each chart is shown: effective and raw weight, hosts and ML nodes, inferences, AI tokens, price.
    const charts = page.locator('svg.chart__svg:visible');
    expect(await charts.count()).toBe(5);
    for (const box of await charts.evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect()))) {
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(150);
    }
    const listed = model.epochs.length;
    // In the view of all epochs: raw weight (series 1) in every epoch that lists the model, effective weight (series 0) where it is known.
    const all = (id: string) => `svg[data-chart="${id}"][data-range="all"]`;
    expect(await page.locator(`${all('chart-weight')} circle.chart__dot[data-series="1"]`).count()).toBe(listed);
    expect(await page.locator(`${all('chart-weight')} circle.chart__dot[data-series="0"]`).count()).toBe(model.epochs.filter((e) => e.row.effective_weight !== null).length);
    const priced = model.epochs.filter((e) => e.row.price.gnk_per_million_tokens !== null).length;
    expect(await page.locator(`${all('chart-price')} circle.chart__dot`).count()).toBe(priced);
    // The line is drawn (a path with at least one segment), inside the chart's box.
    expect(await page.locator(`${all('chart-weight')} path.chart__line--1`).getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+/);
    // Hovering an epoch's band highlights it; its <title> carries epoch, date and exact value.
    const newest = model.epochs[0]!;
    const band = page.locator(`svg[data-chart="chart-weight"]:visible g.chart__col[data-epoch="${newest.epochId}"]`);
    await band.locator('rect').hover({ force: true });
    expect(await band.locator('rect').evaluate((r) => getComputedStyle(r).fill)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await band.locator('title').textContent()).toContain(`Epoch ${newest.epochId}`);
    expect(await band.locator('title').textContent()).toContain(newest.row.total_weight.toLocaleString('en-US'));
    // Who backs it, and the parameter history, are plain HTML.
    expect(await page.locator('#hosts-heading').isVisible()).toBe(true);
    expect(await page.locator('#param-history-heading').isVisible()).toBe(true);
    expect(await page.locator('.hosts-table tbody tr').count()).toBe(newest.row.hosts.length);
    await page.close();
  });
});

describe('chart ranges without JavaScript', () => {
  it('show the recent epochs first and switch to all of them by mouse and by keyboard', async () => {
    const epochs = t.site.epochs.length;
    expect(epochs).toBeGreaterThan(30);
    const page = await t.open('epochs/', { javaScriptEnabled: false });
    const chart = page.locator('figure.chart[data-chart-id="net-weight"]');
    const shown = chart.locator('svg.chart__svg:visible');
    expect(await shown.count()).toBe(1);
    expect(await shown.getAttribute('data-range')).toBe('last-30');
    expect(await shown.locator('g.chart__col').count()).toBe(30);
    // Its name says the range; the newest epoch is the last band.
    expect(await shown.locator('title').first().textContent()).toBe('Effective and raw PoC weight, last 30 epochs');
    expect(await shown.locator('g.chart__col').last().getAttribute('data-epoch')).toBe(String(t.site.currentEpoch));

    await chart.locator('label', { hasText: `All ${epochs}` }).click();
    expect(await shown.getAttribute('data-range')).toBe('all');
    expect(await shown.locator('g.chart__col').count()).toBe(epochs);
    expect(await chart.locator('svg.chart__svg:visible').count()).toBe(1);

    // The checked range is a radio button: focus reaches it with Tab, arrow keys move between ranges.
    await chart.locator('input.chart__pick:checked').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await chart.locator('input.chart__pick:checked').getAttribute('value')).toBe('last-30');
    expect(await shown.getAttribute('data-range')).toBe('last-30');
    await page.close();
  });
});

describe('epoch pages', () => {
  it('open a model\'s largest hosts in place and link to their neighbours, without JavaScript', async () => {
    const past = [...t.site.snapshots.values()].find((s) => !s.is_current && s.models.some((m) => m.hosts.length))!;
    const page = await t.open(`epochs/${past.epoch_id}/`, { javaScriptEnabled: false });
    const group = page.locator('details.host-group').first();
    await group.locator('summary').click();
    const top = past.models.find((m) => m.hosts.length)!;
    expect(await group.locator('tbody tr').count()).toBe(Math.min(10, top.hosts.length));
    // The address, then the exclusion badge when the chain excluded the host.
    const first = await group.locator('tbody th').first().innerText();
    expect(first.startsWith(top.hosts[0]!.address)).toBe(true);
    expect(first.includes('excluded:')).toBe(top.hosts[0]!.excluded !== null);
    // A finished epoch's neighbours link to their own pages (the next one too when it is current).
    expect(await page.locator('.epoch-picker a[rel="next"]').getAttribute('href')).toBe(`${t.basePath}epochs/${past.epoch_id + 1}/`);
    expect(await page.locator('.epoch-picker a[rel="prev"]').getAttribute('href')).toBe(`${t.basePath}epochs/${past.epoch_id - 1}/`);
    await page.close();
  });
});
