import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cache, CacheBusyError } from '../../src/cache/store.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-cache-'));
  file = path.join(dir, 'chain.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const hash = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('Cache on SQLite', () => {
  it('keeps committed values across runs, in a real SQLite file', async () => {
    const c1 = await Cache.open(file);
    await c1.set('raw:participants:5', { fetchedAt: 'x', value: { n: 5 } });
    await c1.set(`k:${'z'.repeat(10_000)}`, 'long keys are hashed');
    await c1.commit();
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');

    const c2 = await Cache.open(file);
    expect(await c2.get('raw:participants:5')).toEqual({ fetchedAt: 'x', value: { n: 5 } });
    expect(await c2.get(`k:${'z'.repeat(10_000)}`)).toBe('long keys are hashed');
    expect(await c2.get('missing')).toBeUndefined();
    await c2.discard();
  });

  it('leaves the file byte-identical when a run is discarded', async () => {
    const c1 = await Cache.open(file);
    await c1.set('a', 1);
    await c1.commit();
    const before = hash(file);

    const c2 = await Cache.open(file);
    await c2.set('b', 2);
    await c2.set('a', 99);
    await c2.discard();
    expect(hash(file)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['chain.sqlite']);
  });

  it('refuses a second run while the first holds the lock, and takes over a stale lock', async () => {
    const c1 = await Cache.open(file);
    await expect(Cache.open(file)).rejects.toBeInstanceOf(CacheBusyError);
    await c1.commit();

    fs.writeFileSync(`${file}.lock`, '999999999'); // a pid that does not exist: a killed run
    const c3 = await Cache.open(file);
    await c3.discard();
  });

  it('moves a corrupt cache file aside with a warning and starts afresh', async () => {
    fs.writeFileSync(file, 'this is not a database'.repeat(100));
    const c = await Cache.open(file);
    expect(c.warning).toMatch(/not a readable SQLite database/);
    expect(await c.get('a')).toBeUndefined();
    await c.set('a', 1);
    await c.commit();
    const names = fs.readdirSync(dir).sort();
    expect(names[0]).toBe('chain.sqlite');
    expect(names[1]).toMatch(/^chain\.sqlite\.corrupt-/);
    const again = await Cache.open(file);
    expect(await again.get('a')).toBe(1);
    await again.discard();
  });

  it('expires entries stored with a ttl', async () => {
    const c = await Cache.open(file);
    await c.set('short', 'v', 30);
    await c.set('long', 'v');
    await new Promise((r) => setTimeout(r, 60));
    expect(await c.get('short')).toBeUndefined();
    expect(await c.get('long')).toBe('v');
    await c.discard();
  });
});
