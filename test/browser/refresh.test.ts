/**
 * Auto-refresh of `/` in headless Chromium against the static server, which lets
 * the test swap or break current.json. `?refresh=0.5` shortens the 30 s period.
 * The server sends `max-age=600`, so updates are only seen because the island
 * revalidates (`cache: 'no-cache'`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rowIds, startSite, type SiteUnderTest } from '../support/site-browser.ts';

const CURRENT = '/v1/models/current.json';
let t: SiteUnderTest;
beforeAll(async () => {
  t = await startSite();
});
afterAll(async () => {
  await t?.close();
});
// A page left open by a failed test would keep polling and skew the next test's counts.
afterEach(async () => {
  await Promise.all(t.browser.contexts().map((c) => c.close()));
});

const polls = () => t.server.log.filter((r) => r.path === CURRENT).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until current.json has been requested `more` more times. */
async function waitForPolls(more: number, timeoutMs = 8000) {
  const target = polls() + more;
  const until = Date.now() + timeoutMs;
  while (polls() < target) {
    if (Date.now() > until) throw new Error(`expected ${more} more requests for ${CURRENT}`);
    await sleep(50);
  }
}

async function timerText(page: Page) {
  return page.locator('[role="timer"]').innerText();
}

describe('auto-refresh', () => {
  it('shows a countdown and picks up a new epoch and new numbers', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('?refresh=0.5');
    expect(await timerText(page)).toMatch(/Next update in \d+ s|Updating/);
    await waitForPolls(1);

    const snap = structuredClone(t.site.home.snapshot);
    const next = { ...snap, epoch_id: snap.epoch_id + 1, fetched_at: new Date().toISOString() };
    next.models = next.models.map((m, i) => (i === 0 ? { ...m, total_weight: m.total_weight + 1_234_567, effective_weight: (m.effective_weight ?? 0) + 7_654_321 } : m));
    t.server.override(CURRENT, { body: JSON.stringify(next) });

    await page.waitForFunction((id) => document.querySelector('h1')?.textContent?.includes(`Epoch ${id}`), next.epoch_id, { timeout: 8000 });
    // The announcement is set in an effect after the new table renders: wait for it.
    await expect
      .poll(() => page.locator('[role="status"][aria-live="polite"]').last().textContent(), { timeout: 8000 })
      .toContain(`New epoch ${next.epoch_id}`);
    expect((await rowIds(page))[0]).toBe(next.models[0]!.id);
    const firstRow = await page.locator('.models-table tbody tr').first().innerText();
    expect(firstRow).toContain(next.models[0]!.total_weight.toLocaleString('en-US'));
    expect(firstRow).toContain(next.models[0]!.effective_weight!.toLocaleString('en-US'));

    // A failing refresh keeps the table and says since when the data is stale.
    t.server.override(CURRENT, { status: 500 });
    await page.waitForSelector('.stale-notice', { timeout: 8000 });
    expect(await page.locator('.stale-notice').innerText()).toMatch(/Stale since \d\d:\d\d:\d\d UTC.*HTTP 500/s);
    expect(await page.locator('h1').innerText()).toContain(`Epoch ${next.epoch_id}`);
    // It keeps retrying, and a body that is not a snapshot is a failure too.
    t.server.override(CURRENT, { body: '<html>oops</html>', contentType: 'text/html' });
    await page.waitForFunction(() => document.querySelector('.stale-notice')?.textContent?.includes('not JSON'), null, { timeout: 8000 });

    // Recovery clears the notice; unchanged data is then revalidated with 304s.
    t.server.override(CURRENT, { body: JSON.stringify(next) });
    await page.waitForSelector('.stale-notice', { state: 'detached', timeout: 8000 });
    const from = t.server.log.length;
    await waitForPolls(3);
    const later = t.server.log.slice(from).filter((r) => r.path === CURRENT);
    expect(later.some((r) => r.conditional && r.status === 304)).toBe(true);
    await page.context().close();
  });

  it('pauses and resumes with the control', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('?refresh=0.5');
    await waitForPolls(1);
    const pause = page.getByRole('button', { name: 'Pause' });
    await pause.click();
    await expect(page.getByRole('button', { name: 'Pause' }).count()).resolves.toBe(0);
    expect(await timerText(page)).toMatch(/paused/i);
    const before = polls();
    await sleep(1500);
    expect(polls()).toBe(before);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitForPolls(1);
    await page.context().close();
  });

  it('does not poll while the dialog is open or the tab is hidden', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('?refresh=0.5');
    await waitForPolls(1);

    await page.locator('.models-table tbody a[data-model-id]').first().click();
    await page.waitForSelector('dialog[open]');
    await sleep(300); // let a request already in flight finish
    let before = polls();
    await sleep(1500);
    expect(polls()).toBe(before);
    await page.keyboard.press('Escape');
    await waitForPolls(1);

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sleep(300);
    before = polls();
    await sleep(1500);
    expect(polls()).toBe(before);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitForPolls(1);
    await page.context().close();
  });

  it('does not poll on past epochs', async () => {
    const past = [...t.site.snapshots.keys()].find((id) => id !== t.site.home.snapshot.epoch_id)!;
    const page = await t.open(`epochs/${past}/?refresh=0.5`);
    const before = polls();
    await sleep(1500);
    expect(polls()).toBe(before);
    expect(await page.locator('[role="timer"]').count()).toBe(0);
    await page.context().close();
  });
});
