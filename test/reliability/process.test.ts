/**
 * Whole-process behaviour of the data step: killed at random points it leaves
 * nothing that a rerun cannot complete to the same bytes, and two runs at once
 * never interleave.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashes } from '../support/hashes.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-proc-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the data step as one process (node with the tsx loader, so a signal reaches the run itself). */
function start(cwd: string) {
  fs.mkdirSync(cwd, { recursive: true });
  const { GONKA_API_URLS: _, ...env } = process.env;
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

  it('runs uninterrupted to a reference data/', async () => {
    const r = await start(path.join(dir, 'ref')).done;
    expect(r.code).toBe(0);
    reference = hashes(path.join(dir, 'ref/data'));
    expect(Object.keys(reference).length).toBeGreaterThan(30);
  });

  // Fixed "random" points spread over start-up, fetching, cache commit and writing.
  it.each([150, 700, 1200, 1700, 2200, 2800])('killed with SIGKILL after %i ms, a rerun gives the same data/', async (ms) => {
    const cwd = path.join(dir, `kill-${ms}`);
    const run = start(cwd);
    await new Promise((r) => setTimeout(r, ms));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);

    const again = await start(cwd).done;
    expect(again.code, again.out).toBe(0);
    expect(hashes(path.join(cwd, 'data'))).toEqual(reference);
    // No lock or working copy is left behind.
    expect(fs.readdirSync(path.join(cwd, '.cache'))).toEqual(['sample-chain.sqlite']);
  });

  it('lets only one of two simultaneous runs use the cache; the other exits with a clear message', async () => {
    const cwd = path.join(dir, 'twice');
    const first = start(cwd);
    await new Promise((r) => setTimeout(r, 900));
    const second = await start(cwd).done;
    const a = await first.done;
    expect(a.code, a.out).toBe(0);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/another run \(pid \d+\) is using the cache/);
    expect(second.out).toMatch(/the cache and data\/ are unchanged/);
    expect(hashes(path.join(cwd, 'data'))).toEqual(reference);
  });
});
