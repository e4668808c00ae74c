/**
 * The epoch views in headless Chromium: the static table without JavaScript,
 * sorting, the model dialog (click, keyboard, Escape, X, backdrop), deep links
 * including the old tracker's form, and the epoch selector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rowIds, startSite, type SiteUnderTest } from '../support/site-browser.ts';

let t: SiteUnderTest;
beforeAll(async () => {
  t = await startSite();
});
afterAll(async () => {
  await t?.close();
});

/** The table's default order: effective weight, the most first, unknown last, then id. */
const byWeight = (models: Array<{ id: string; effective_weight: number | null }>) =>
  [...models].sort((a, b) => (b.effective_weight ?? -1) - (a.effective_weight ?? -1) || (a.id < b.id ? -1 : 1)).map((m) => m.id);

/** The open dialog's title text, or null when closed. */
async function dialogTitle(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const d = document.querySelector('dialog');
    return d?.open ? (d.querySelector('h2')?.textContent ?? '') : null;
  });
}

/** An older available epoch and a model in it that the current epoch does not have, or any of its models. */
function olderEpochAndModel() {
  const current = t.site.home.snapshot;
  const older = [...t.site.snapshots.values()].filter((s) => s.epoch_id !== current.epoch_id).sort((a, b) => b.epoch_id - a.epoch_id);
  const epoch = older.find((s) => s.models.some((m) => !current.models.some((c) => c.id === m.id))) ?? older[0]!;
  const model = epoch.models.find((m) => !current.models.some((c) => c.id === m.id)) ?? epoch.models[0]!;
  return { epoch, model };
}

describe('without JavaScript', () => {
  it('shows the table, links rows to model pages and keeps selector links working', async () => {
    const page = await t.open('', { javaScriptEnabled: false });
    const expected = byWeight(t.site.home.snapshot.models);
    expect(await rowIds(page)).toEqual(expected);
    await expect(page.locator('.models-table tbody tr').first().isVisible()).resolves.toBe(true);
    // The live-refresh controls need JS and are hidden without it.
    await expect(page.locator('.refresh').isVisible()).resolves.toBe(false);

    const first = page.locator('.models-table tbody a[data-model-id]').first();
    expect(await first.getAttribute('href')).toBe(`${t.basePath}${t.modelPage(expected[0]!)}`);
    await first.click();
    await page.waitForURL((u) => u.pathname.includes('/models/'));
    expect(await page.locator('h1').innerText()).toBe(expected[0]);

    // The selector's list needs JS; without it, its panel links to the epochs page.
    await page.goto(t.url());
    await page.locator('.epoch-picker summary').click();
    expect(await page.locator('.epoch-picker__list a').count()).toBe(0);
    await page.locator('.epoch-picker__panel a', { hasText: 'the epochs page' }).click();
    await page.waitForURL(t.url('epochs/'));
    expect(await page.locator('h1').innerText()).toContain('Epochs');
    await page.close();
  });
});

describe('table', () => {
  it('hydrates without changing the markup or shifting the layout', async () => {
    const staticPage = await t.open('', { javaScriptEnabled: false });
    const before = await staticPage.locator('.epoch-view').innerHTML();
    await staticPage.close();

    const page = await t.open('');
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          // Give layout-shift entries a frame to be recorded.
          requestAnimationFrame(() => requestAnimationFrame(resolve));
        }),
    );
    const cls = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean }>) if (!e.hadRecentInput) total += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(total), 200);
        }),
    );
    expect(cls).toBeLessThan(0.01);
    // Same table rows and cells as the static HTML (the timer text is the only live part).
    const after = await page.locator('.epoch-view').innerHTML();
    const table = (h: string) => h.slice(h.indexOf('<table'), h.indexOf('</table>'));
    expect(table(after)).toBe(table(before));
    await page.close();
  });

  it('sorts by every column with header buttons and aria-sort', async () => {
    const page = await t.shared('');
    // Exact names: "Effective weight" is also part of the Δ and Share buttons' names.
    const header = (name: string) => page.locator('.models-table thead th', { has: page.getByRole('button', { name, exact: true }) });
    expect(await header('Effective weight').getAttribute('aria-sort')).toBe('descending');

    await page.getByRole('button', { name: 'Hosts' }).click();
    expect(await header('Hosts').getAttribute('aria-sort')).toBe('descending');
    expect(await header('Effective weight').getAttribute('aria-sort')).toBeNull();
    // The Hosts column by its header (columns move as the table grows); a cell is the count, then its change.
    const column = 1 + (await page.locator('.models-table thead th').evaluateAll((ths) => ths.findIndex((th) => /^Hosts/.test(th.textContent!.trim()))));
    expect(column).toBeGreaterThan(1);
    const hosts = async () =>
      page
        .locator(`.models-table tbody tr > :nth-child(${column})`)
        .evaluateAll((tds) => tds.map((td) => Number.parseInt(td.firstChild!.textContent!.replace(/,/g, ''), 10)));
    const desc = await hosts();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));

    await page.getByRole('button', { name: 'Hosts' }).click();
    expect(await header('Hosts').getAttribute('aria-sort')).toBe('ascending');
    const asc = await hosts();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    await page.getByRole('button', { name: 'Model ID' }).click();
    const ids = await rowIds(page);
    expect(ids).toEqual([...ids].sort());

    // Raw PoC weight sorts apart from effective weight; unknown effective weights stay last either way.
    await page.getByRole('button', { name: 'Raw PoC weight', exact: true }).click();
    expect(await header('Raw PoC weight').getAttribute('aria-sort')).toBe('descending');
    const raw = new Map(t.site.home.snapshot.models.map((m) => [m.id, m.total_weight]));
    const byRaw = (await rowIds(page)).map((id) => raw.get(id)!);
    expect(byRaw).toEqual([...byRaw].sort((a, b) => b - a));
    for (const dir of ['ascending', 'descending']) {
      if ((await header('Effective weight').getAttribute('aria-sort')) !== dir) await page.getByRole('button', { name: 'Effective weight', exact: true }).click();
      if ((await header('Effective weight').getAttribute('aria-sort')) !== dir) await page.getByRole('button', { name: 'Effective weight', exact: true }).click();
      const eff = new Map(t.site.home.snapshot.models.map((m) => [m.id, m.effective_weight]));
      const values = (await rowIds(page)).map((id) => eff.get(id)!);
      const known = values.filter((v) => v !== null);
      expect(values.slice(0, known.length)).toEqual(known);
      expect(known).toEqual([...known].sort((a, b) => (dir === 'ascending' ? a! - b! : b! - a!)));
    }
  });

  it('on a 390 px phone: tables become cards, nothing scrolls sideways with every <details> open, and the dialog fits', async () => {
    const past = [...t.site.snapshots.keys()].find((id) => id !== t.site.home.snapshot.epoch_id)!;
    const wide: string[] = [];
    const page = await t.open('', { viewport: { width: 390, height: 844 } });
    for (const rel of ['', `epochs/${past}/`, 'epochs/', 'models/', t.modelPage(t.site.models[0]!.id), 'search/?q=qwen']) {
      await t.visit(page, rel);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
      const found = await page.evaluate(() => {
        const out: string[] = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > doc.clientWidth) out.push(`the page: ${doc.scrollWidth}px > ${doc.clientWidth}px`);
        for (const el of document.querySelectorAll<HTMLElement>('body *')) {
          if (!['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) continue;
          if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('aria-label') ?? ''}: ${el.scrollWidth}px > ${el.clientWidth}px`);
        }
        return out;
      });
      wide.push(...found.map((f) => `/${rel}: ${f}`));
    }
    expect(wide).toEqual([]);

    // The models table is a list of cards: the model on top, its figures below it, each with its label.
    await t.visit(page, '');
    const row = page.locator('.models-table tbody tr').first();
    const model = await row.locator('th').boundingBox();
    const effective = row.locator('td[data-label="Effective weight"]');
    const cell = await effective.boundingBox();
    expect(cell!.y).toBeGreaterThanOrEqual(model!.y + model!.height - 1);
    expect(cell!.width).toBeGreaterThan(300);
    expect(await effective.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Effective weight"');
    for (const label of ['Share', 'Hosts', 'Inferences', 'Trend']) expect(await row.locator(`td[data-label="${label}"]`).isVisible(), label).toBe(true);
    // Sorting stays available as a row of buttons above the cards.
    expect(await page.locator('.models-table thead button.sort:visible').count()).toBeGreaterThan(4);

    // The dialog fits the screen.
    await row.locator('td').first().click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    await page.close();
  });
});

describe('model dialog', () => {
  it('opens on click, shows the details, follows the URL and closes on Escape with focus back on the row', async () => {
    const page = await t.shared('');
    const top = byWeight(t.site.home.snapshot.models)[0]!;
    const row = t.site.home.snapshot.models.find((m) => m.id === top)!;
    await page.locator(`.models-table tbody tr`).first().locator('td').first().click();
    expect(await dialogTitle(page)).toBe(top);
    const dialog = page.locator('dialog[open]');
    const shown = await dialog.innerText();
    expect(shown).toContain(row.total_weight.toLocaleString('en-US'));
    if (row.effective_weight !== null) expect(shown).toContain(row.effective_weight.toLocaleString('en-US'));
    expect(shown).toMatch(/Weight scale factor/i);
    expect(shown).toMatch(/Price/i);
    if (row.hf_repo) expect(await dialog.getByRole('link', { name: row.hf_repo }).getAttribute('href')).toBe(`https://huggingface.co/${row.hf_repo}`);
    expect(await dialog.getByRole('link', { name: /Model page/ }).getAttribute('href')).toBe(`${t.basePath}${t.modelPage(top)}`);
    expect(new URL(page.url()).searchParams.get('model')).toBe(top);

    await page.keyboard.press('Escape');
    expect(await dialogTitle(page)).toBeNull();
    // Focus returns in the dialog's close handler, a moment after it closes.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.modelId)).toBe(top);
    expect(new URL(page.url()).searchParams.has('model')).toBe(false);
  });

  it('is reachable and openable by keyboard, and closes on the X button', async () => {
    const page = await t.shared('');
    let focused: string | undefined;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.modelId);
    }
    expect(focused, 'a model link should be reachable with Tab').toBeDefined();
    await page.keyboard.press('Enter');
    expect(await dialogTitle(page)).toBe(focused);
    expect(page.url()).not.toContain('/models/'); // opened the dialog instead of navigating
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await dialogTitle(page)).toBeNull();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.modelId)).toBe(focused);
  });

  it('closes on a click on the backdrop', async () => {
    const page = await t.shared('');
    await page.locator('.models-table tbody a[data-model-id]').nth(1).click();
    expect(await dialogTitle(page)).not.toBeNull();
    await page.mouse.click(5, 5);
    expect(await dialogTitle(page)).toBeNull();
  });
});

describe('deep links', () => {
  it('opens ?model=<id> on / and on an epoch page', async () => {
    const id = t.site.home.snapshot.models[0]!.id;
    const home = await t.shared(`?model=${encodeURIComponent(id)}`);
    await home.waitForSelector('dialog[open]');
    expect(await dialogTitle(home)).toBe(id);

    const { epoch, model } = olderEpochAndModel();
    const page = await t.shared(`epochs/${epoch.epoch_id}/?model=${encodeURIComponent(model.id)}`);
    await page.waitForSelector('dialog[open]');
    expect(await dialogTitle(page)).toBe(model.id);
    expect(await page.locator('dialog[open]').textContent()).toContain(`Model in epoch ${epoch.epoch_id}`);
  });

  it('shows a message for an unknown model id', async () => {
    const page = await t.shared(`?model=${encodeURIComponent('no-such/model')}`);
    await page.waitForSelector('dialog[open]');
    expect(await dialogTitle(page)).toBe('Model not found');
    expect(await page.locator('dialog[open]').innerText()).toContain('no-such/model');
  });

  it("lands the old tracker's ?page=models&epoch=X&model=Y on the same view", async () => {
    const { epoch, model } = olderEpochAndModel();
    const page = await t.shared(`?page=models&epoch=${epoch.epoch_id}&model=${encodeURIComponent(model.id)}`);
    await page.waitForURL((u) => u.pathname.endsWith(`/epochs/${epoch.epoch_id}/`));
    await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
    await page.waitForSelector('dialog[open]');
    expect(await dialogTitle(page)).toBe(model.id);

    const current = t.site.home.snapshot;
    const same = await t.shared(`?page=models&epoch=${current.epoch_id}&model=${encodeURIComponent(current.models[0]!.id)}`);
    await same.waitForSelector('dialog[open]');
    expect(new URL(same.url()).pathname).toBe(t.basePath);
    expect(new URL(same.url()).searchParams.get('page')).toBeNull();
    expect(await dialogTitle(same)).toBe(current.models[0]!.id);
  });
});

describe('epoch selector', () => {
  it('lists every epoch from epochs.json when opened and navigates by keyboard, current epoch to /', async () => {
    const { epoch } = olderEpochAndModel();
    const page = await t.shared(`epochs/${epoch.epoch_id}/`);
    const links = page.locator('.epoch-picker__list a');
    // The page names only its neighbours: the list is filled on first opening.
    expect(await links.count()).toBe(0);

    await page.locator('.epoch-picker summary').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('.epoch-picker details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.locator('.epoch-picker__list a').first().waitFor();
    expect(await links.count()).toBe(t.site.epochs.length);
    const currentLink = page.locator('.epoch-picker__list a.is-current');
    expect(await currentLink.count()).toBe(1);
    expect((await currentLink.textContent())!.trim()).toMatch(new RegExp(`^${t.site.currentEpoch}\\b`));
    expect(await currentLink.getAttribute('href')).toBe(t.basePath);
    const shown = page.locator('.epoch-picker__list a[aria-current="page"]');
    expect(await shown.getAttribute('href')).toBe(`${t.basePath}epochs/${epoch.epoch_id}/`);
    const unavailable = t.site.epochs.filter((e) => !e.available).length;
    expect(await page.locator('.epoch-picker__list a.is-unavailable').count()).toBe(unavailable);
    await page.keyboard.press('Escape');
    expect(await page.locator('.epoch-picker details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);

    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // the link to the epochs page
    await page.keyboard.press('Tab'); // the list's first link: the newest epoch, i.e. the current one
    await page.keyboard.press('Enter');
    await page.waitForURL(t.url());
    expect(await page.locator('h1').first().innerText()).toContain(`Epoch ${t.site.home.snapshot.epoch_id}`);
  });

  it('has previous/next links', async () => {
    const page = await t.shared('');
    const prev = page.locator('.epoch-picker a[rel="prev"]');
    const ids = t.site.epochs.map((e) => e.epoch_id);
    const before = ids[ids.indexOf(t.site.currentEpoch) - 1]!;
    expect(await prev.getAttribute('href')).toBe(`${t.basePath}epochs/${before}/`);
    await prev.click();
    await page.waitForURL(t.url(`epochs/${before}/`));
  });
});
