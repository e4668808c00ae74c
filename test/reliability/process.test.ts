/**
 * Whole-process behaviour of the data step: killed at random points it leaves
 * nothing that a rerun cannot complete to the same bytes, and a run never uses
 * a cache another process holds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../../src/cache/store.ts';
import { hashes } from '../support/hashes.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-proc-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the data step as one process (node with the tsx loader, so a signal reaches the run itself). */
function start(cwd: string) {
  fs.mkdirSync(cwd, { recursive: true });
  const { GONKA_API_URLS: _, ...inherited } = process.env;
  // The bundled sample chain from epoch 34 on: a run of a second or two, so a kill lands in every phase.
  const env = { ...inherited, GONKA_FIRST_EPOCH: '34' };
  const child = spawn(path.join(root, 'node_modules/.bin/node'), ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'scripts/data.ts')], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

describe('the data step as a process', () => {
  let reference: Record<string, string>;

  beforeAll(async () => {
    const r = await start(path.join(dir, 'ref')).done;
    expect(r.code, r.out).toBe(0);
    reference = hashes(path.join(dir, 'ref/data'));
    expect(Object.keys(reference).length).toBeGreaterThan(10);
  });

  // Fixed "random" points spread over start-up, fetching, cache commit and writing. The runs
  // are independent processes in folders of their own, so they go at once.
  it.concurrent.each([150, 500, 900, 1300, 1700, 2100])('killed with SIGKILL after %i ms, a rerun gives the same data/', async (ms) => {
    const cwd = path.join(dir, `kill-${ms}`);
    const run = start(cwd);
    await new Promise((r) => setTimeout(r, ms));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);

    const again = await start(cwd).done;
    expect(again.code, again.out).toBe(0);
    expect(hashes(path.join(cwd, 'data'))).toEqual(reference);
    // No lock, working copy or staged data is left behind.
    expect(fs.readdirSync(path.join(cwd, '.cache'))).toEqual(['sample-chain.sqlite']);
    expect(fs.readdirSync(path.join(cwd, 'data')).filter((f) => f.startsWith('.staged-'))).toEqual([]);
  });

  it('refuses to run while another process holds the cache, says so, and touches nothing', async () => {
    const cwd = path.join(dir, 'busy');
    fs.cpSync(path.join(dir, 'ref'), cwd, { recursive: true }); // a finished run's data/ and cache
    const before = { data: hashes(path.join(cwd, 'data')), cache: hashes(path.join(cwd, '.cache')) };
    // This test process takes the lock, as a run in progress would, for as long as it likes.
    const held = await Cache.open(path.join(cwd, '.cache/sample-chain.sqlite'));
    try {
      const second = await start(cwd).done;
      expect(second.code).toBe(1);
      expect(second.out).toContain(`another run (pid ${process.pid}) is using the cache`);
      expect(second.out).toMatch(/the cache and data\/ are unchanged/);
    } finally {
      await held.discard();
    }
    expect(hashes(path.join(cwd, 'data'))).toEqual(before.data);
    expect(hashes(path.join(cwd, '.cache'))).toEqual(before.cache);
    // Released, the next run goes ahead.
    expect((await start(cwd).done).code).toBe(0);
  });
});
