import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochIndexSchema } from '../../src/snapshot/schema.ts';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-cli-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run data`'s script as a child process with a clean environment. */
async function data(env: Record<string, string>) {
  const { GONKA_API_URLS: _, ...parent } = process.env;
  try {
    const r = await exec(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/data.ts')], {
      cwd: dir,
      env: { ...parent, ...env },
    });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run data', () => {
  it('builds from the bundled sample chain, says so, and is byte-stable on a second run', async () => {
    const first = await data({});
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/SAMPLE DATA: GONKA_API_URLS is not set/);
    expect(first.stdout).toMatch(/current epoch 44; 43 epochs available/);
    expect(first.stdout).toMatch(/in 43\/43 epochs/);
    // The sample crosses the upgrades that decide usage; the first node's usage store is off, the second's on.
    expect(first.stdout).toMatch(/upgrades: v0\.2\.11 at [\d,]+, v0\.2\.12 at [\d,]+, v0\.2\.14 at [\d,]+/);
    expect(first.stdout).toMatch(/usage: 10 epochs from node stats, 29 from chain stats, 4 unavailable/);
    const index = epochIndexSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'data/index.json'), 'utf8')));
    expect(index.source).toBe('sample');
    expect(fs.existsSync(path.join(dir, '.cache/sample-chain.sqlite'))).toBe(true);

    const second = await data({});
    expect(second.code).toBe(0);
    // The current epoch only: participants, status, its root group, exclusions and performance,
    // two registry pages, prices and its three models' capacity (classic inference has ended: no usage query).
    expect(second.stdout).toMatch(/requests 11,/);
    expect(second.stdout).toMatch(/data: 0 written, 44 unchanged, 0 removed/);
  });

  it('exits non-zero naming node, request and cause when no node answers', async () => {
    const r = await data({ GONKA_API_URLS: 'http://127.0.0.1:9', GONKA_TIMEOUT_MS: '300', GONKA_DATA_DIR: 'real-data', GONKA_CACHE_PATH: 'real.sqlite' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the cache and data\/ are unchanged/);
    expect(r.stderr).toMatch(/GET \/v1\/epochs\/current\/participants failed on every node/);
    expect(r.stderr).toMatch(/http:\/\/127\.0\.0\.1:9: connection failed \(ECONNREFUSED\)/);
    expect(fs.existsSync(path.join(dir, 'real-data'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'real.sqlite'))).toBe(false);
  });

  it('rejects a bad setting with the variable named', async () => {
    const r = await data({ GONKA_CONCURRENCY: 'many' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GONKA_CONCURRENCY="many"/);
  });
});
