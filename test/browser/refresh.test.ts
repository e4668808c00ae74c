/**
 * Auto-refresh of `/` in headless Chromium against the static server, which lets
 * the test swap or break current.json. The page runs on Playwright's clock: a
 * 30 s period passes when the test says so, and "no request" means none after
 * minutes of page time, not after a wall-clock sleep. The server sends
 * `max-age=600`, so updates are only seen because the island revalidates
 * (`cache: 'no-cache'`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { snapshotBody } from '../../src/site/api.ts';
import { rowIds, startSite, type SiteUnderTest } from '../support/site-browser.ts';

const CURRENT = '/v1/models/current.json';
/** The island's default period. */
const PERIOD_MS = 30_000;
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

/** Lets one refresh period pass in the page and waits for the request it makes to be answered. */
async function nextPoll(page: Page): Promise<void> {
  const before = polls();
  await page.clock.runFor(PERIOD_MS + 500);
  await expect.poll(polls, { timeout: 5000 }).toBe(before + 1);
}

/** Lets `ms` of page time pass and checks that no request was made meanwhile. */
async function noPollFor(page: Page, ms: number): Promise<void> {
  const before = polls();
  await page.clock.runFor(ms);
  // Give a request that would have started a moment to reach the server.
  await page.waitForTimeout(200);
  expect(polls()).toBe(before);
}

const timerText = (page: Page) => page.locator('[role="timer"]').innerText();

/** Waits until the countdown runs again after a pause: React re-renders, then starts the timer in an effect. */
async function countingAgain(page: Page): Promise<void> {
  await expect.poll(() => timerText(page), { timeout: 5000 }).toMatch(/^Next update in \d+ s$/);
  // The effect runs after the render that shows the text; a moment of real time lets it start its interval.
  await page.waitForTimeout(100);
}

describe('auto-refresh', () => {
  it('counts down the 30 s, then picks up a new epoch and new numbers', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('', { clock: true });
    expect(await timerText(page)).toMatch(/^Next update in (30|29) s$/);
    await page.clock.runFor(10_000);
    await expect.poll(() => timerText(page)).toMatch(/^Next update in (20|19) s$/);
    await nextPoll(page);

    // What the site serves as current.json: the snapshot with each model's URLs.
    const snap = structuredClone(snapshotBody(t.site.home.snapshot, t.site.links));
    const next = { ...snap, epoch_id: snap.epoch_id + 1, fetched_at: '2030-01-01T00:00:00.000Z' };
    next.models = next.models.map((m, i) => (i === 0 ? { ...m, total_weight: m.total_weight + 1_234_567, effective_weight: (m.effective_weight ?? 0) + 7_654_321 } : m));
    t.server.override(CURRENT, { body: JSON.stringify(next) });

    await nextPoll(page);
    await expect.poll(() => page.locator('h1').innerText()).toContain(`Epoch ${next.epoch_id}`);
    // The announcement is set in an effect after the new table renders.
    await expect.poll(() => page.locator('[role="status"][aria-live="polite"]').last().textContent()).toContain(`New epoch ${next.epoch_id}`);
    expect((await rowIds(page))[0]).toBe(next.models[0]!.id);
    const firstRow = await page.locator('.models-table tbody tr').first().innerText();
    expect(firstRow).toContain(next.models[0]!.total_weight.toLocaleString('en-US'));
    expect(firstRow).toContain(next.models[0]!.effective_weight!.toLocaleString('en-US'));

    // A failing refresh keeps the table and says since when the data is stale.
    t.server.override(CURRENT, { status: 500 });
    await nextPoll(page);
    await expect.poll(() => page.locator('.stale-notice').count()).toBe(1);
    expect(await page.locator('.stale-notice').innerText()).toMatch(/Stale since \d\d:\d\d:\d\d UTC.*HTTP 500/s);
    expect(await page.locator('h1').innerText()).toContain(`Epoch ${next.epoch_id}`);
    // It keeps retrying, and a body that is not a snapshot is a failure too.
    t.server.override(CURRENT, { body: '<html>oops</html>', contentType: 'text/html' });
    await nextPoll(page);
    await expect.poll(() => page.locator('.stale-notice').textContent()).toContain('not JSON');

    // Recovery clears the notice; unchanged data is then revalidated with 304s.
    t.server.override(CURRENT, { body: JSON.stringify(next) });
    await nextPoll(page);
    await expect.poll(() => page.locator('.stale-notice').count()).toBe(0);
    const from = t.server.log.length;
    await nextPoll(page);
    await nextPoll(page);
    const later = t.server.log.slice(from).filter((r) => r.path === CURRENT);
    expect(later.every((r) => r.conditional && r.status === 304)).toBe(true);
  });

  it('pauses and resumes with the control', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('', { clock: true });
    await nextPoll(page);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Pause' }).count()).resolves.toBe(0);
    expect(await timerText(page)).toMatch(/paused/i);
    await noPollFor(page, 5 * PERIOD_MS);
    await page.getByRole('button', { name: 'Resume' }).click();
    await nextPoll(page);
  });

  it('does not poll while the dialog is open or the tab is hidden', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('', { clock: true });
    await nextPoll(page);

    await page.locator('.models-table tbody a[data-model-id]').first().click();
    await page.waitForSelector('dialog[open]');
    await noPollFor(page, 5 * PERIOD_MS);
    await page.keyboard.press('Escape');
    await countingAgain(page);
    await nextPoll(page);

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await noPollFor(page, 5 * PERIOD_MS);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await countingAgain(page);
    await nextPoll(page);
  });

  it('does not poll on past epochs', async () => {
    const past = [...t.site.snapshots.keys()].find((id) => id !== t.site.home.snapshot.epoch_id)!;
    const page = await t.open(`epochs/${past}/`, { clock: true });
    await noPollFor(page, 5 * PERIOD_MS);
    expect(await page.locator('[role="timer"]').count()).toBe(0);
  });

  it('takes a shorter period from ?refresh= (seconds)', async () => {
    t.server.override(CURRENT, null);
    const page = await t.open('?refresh=5', { clock: true });
    const before = polls();
    await page.clock.runFor(5500);
    await expect.poll(polls, { timeout: 5000 }).toBe(before + 1);
  });
});
