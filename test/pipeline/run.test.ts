import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline, snapshotKey } from '../../src/pipeline/run.ts';
import { epochIndexSchema, epochSnapshotSchema } from '../../src/snapshot/schema.ts';
import { createSampleChain, startFakeNode, type FakeNode } from '../../scripts/sample-chain/index.ts';
import { startProxy } from '../support/scripted-server.ts';
import { USAGE_UNAVAILABLE } from '../../src/aggregate/usage.ts';
import { Cache } from '../../src/cache/store.ts';
import { stageSnapshots } from '../support/stage.ts';
import { hashes } from '../support/hashes.ts';

let dir: string;
const nodes: FakeNode[] = [];
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-run-'))));
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function node(currentEpoch: number) {
  const chain = createSampleChain({ currentEpoch, maxHosts: 60 });
  const n = await startFakeNode(chain);
  nodes.push(n);
  return { chain, node: n };
}

function run(urls: string[], nowMs: number, env: Record<string, string> = {}, sub = '') {
  const config = readPipelineConfig({ GONKA_API_URLS: urls.join(','), GONKA_ATTEMPTS: '1', ...env }, path.join(dir, sub));
  return runPipeline({ config, source: 'sample', now: () => new Date(nowMs) });
}

const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
/** Epoch ids named by a request (participants, groups, exclusions and performance summaries). */
const epochsIn = (reqs: FakeNode['requests']) =>
  reqs.flatMap((r) => {
    const m = /\/v1\/epochs\/(\d+)\/participants|(?:epoch_group_data|excluded_participants|epoch_performance_summary)\/(\d+)/.exec(r.path);
    return m ? [Number(m[1] ?? m[2])] : [];
  });

const INF = '/chain-api/productscience/inference/inference';
/**
 * What a warm run asks about the current epoch 8 of a short chain (no upgrade
 * applied yet, two genesis models): the epoch's own changing parts, the latest
 * registry, prices and capacities, usage so far, and the upgrade heights still 0.
 */
const WARM_PATHS = [
  '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.11',
  '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.12',
  '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.14',
  `${INF}/all_model_per_token_prices`,
  `${INF}/epoch_group_data/8`,
  `${INF}/epoch_performance_summary/8`,
  `${INF}/excluded_participants/8`,
  `${INF}/model_capacity/Qwen%2FQwQ-32B`,
  `${INF}/model_capacity/Qwen%2FQwen2.5-7B-Instruct`,
  `${INF}/models_all`,
  `${INF}/models_stats_by_time`,
  '/chain-rpc/status',
  '/v1/epochs/current/participants',
];

describe('runPipeline against the sample chain', () => {
  it('writes a valid snapshot per epoch and an index, recording the pruned epoch as unavailable', async () => {
    const { chain, node: n } = await node(8);
    const s = await run([n.url], chain.nowMs);
    const data = path.join(dir, 'data');
    const index = epochIndexSchema.parse(readJson(path.join(data, 'index.json')));
    expect(index.current_epoch).toBe(8);
    expect(index.epochs.map((e) => e.epoch_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const first = index.epochs[0]!;
    expect(first.available).toBe(false);
    expect(first.available === false && first.reason).toMatch(/not available, lowest height/);
    for (const e of index.epochs.slice(1)) {
      expect(e.available).toBe(true);
      const snap = epochSnapshotSchema.parse(readJson(path.join(data, `epochs/${e.epoch_id}.json`)));
      expect(snap.is_current).toBe(e.epoch_id === 8);
      expect(snap.source).toBe('sample');
      expect(snap.checks.poc_weight_balanced).toBe(true);
      expect(snap.window).not.toBeNull();
      expect(snap.window!.time_from_ms).toBeLessThan(snap.window!.time_to_ms);
      expect(snap.models.some((m) => m.participant_count > 0)).toBe(true);
    }
    // Windows tile time: each finished epoch ends on the block before the next one starts.
    const snaps = index.epochs.slice(1).map((e) => readJson(path.join(data, `epochs/${e.epoch_id}.json`)));
    for (let i = 0; i + 1 < snaps.length; i++) expect(snaps[i].end_height).toBe(snaps[i + 1].start_height - 1);
    expect(s.unavailable).toEqual([{ epochId: 1, reason: expect.stringContaining('lowest height') }]);
    expect(s.computed).toBe(7);
  });

  it('makes no request for finished epochs on a warm run and writes byte-identical data', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs);
    const before = hashes(path.join(dir, 'data'));
    n.resetRequests();

    const s = await run([n.url], chain.nowMs);
    // Only the current epoch's own changing parts: its root group, exclusions and performance.
    expect(new Set(epochsIn(n.requests))).toEqual(new Set([8]));
    expect(n.requests.map((r) => r.path).sort()).toEqual(WARM_PATHS);
    expect(n.requests.find((r) => r.path.endsWith('models_all'))?.heightHeader).toBeUndefined();
    expect(s.fromCache).toBe(6);
    expect(hashes(path.join(dir, 'data'))).toEqual(before);
  });

  it('fetches only the newly finished epoch and the current one after the chain moves on', async () => {
    const a = await node(8);
    await run([a.node.url], a.chain.nowMs);
    const b = await node(9);
    const s = await run([b.node.url], b.chain.nowMs);
    // Epoch 8's participant set and sub-groups were kept when it was current; its root group,
    // exclusions and performance are read once more, now final. Nothing older is asked.
    expect(new Set(epochsIn(b.node.requests))).toEqual(new Set([8, 9]));
    expect(b.node.requests.some((r) => r.path === '/v1/epochs/8/participants')).toBe(false);
    const blocks = b.node.requests.filter((r) => r.path === '/chain-rpc/block').map((r) => r.query);
    expect(blocks).toHaveLength(2); // end of 8, start of 9
    expect(s.computed).toBe(2);
    const index = readJson(path.join(dir, 'data/index.json'));
    expect(index.current_epoch).toBe(9);
    expect(readJson(path.join(dir, 'data/epochs/8.json')).is_current).toBe(false);
  });

  it('recomputes from cached raw answers, without requests for finished epochs, when the snapshot version changes', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs);
    const before = hashes(path.join(dir, 'data'));
    // What a version bump does: no snapshot of the new version is cached yet.
    const cache = await Cache.open(path.join(dir, '.cache/chain.sqlite'));
    const deleted = (await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((k) => cache.delete(snapshotKey(k))))).filter(Boolean).length;
    await cache.commit();
    expect(deleted).toBe(6); // epochs 2–7: 1 is pruned, 8 is current
    n.resetRequests();

    const s = await run([n.url], chain.nowMs);
    expect(n.requests.map((r) => r.path).sort()).toEqual(WARM_PATHS);
    expect(s.computed).toBe(7);
    expect(hashes(path.join(dir, 'data'))).toEqual(before);
  });

  it('gives byte-identical data from two independent cold runs', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs, {}, 'one');
    await run([n.url], chain.nowMs, {}, 'two');
    const one = hashes(path.join(dir, 'one/data'));
    expect(Object.keys(one)).toHaveLength(8);
    expect(hashes(path.join(dir, 'two/data'))).toEqual(one);
  });

  it('fails without touching cache or data when no node can give the current epoch', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs);
    const before = { data: hashes(path.join(dir, 'data')), cache: hashes(path.join(dir, '.cache')) };
    await n.close();
    nodes.splice(nodes.indexOf(n), 1);
    await expect(run([n.url], chain.nowMs, { GONKA_TIMEOUT_MS: '500' })).rejects.toThrow(/\/v1\/epochs\/current\/participants|\/chain-rpc\/status/);
    expect(hashes(path.join(dir, 'data'))).toEqual(before.data);
    expect(hashes(path.join(dir, '.cache'))).toEqual(before.cache);
  });

  it('honours GONKA_FIRST_EPOCH and fails over to a second node', async () => {
    const { chain, node: n } = await node(8);
    const dead = 'http://127.0.0.1:9'; // discard port: refused
    const s = await run([dead, n.url], chain.nowMs, { GONKA_FIRST_EPOCH: '5' });
    const index = readJson(path.join(dir, 'data/index.json'));
    expect(index.epochs.map((e: { epoch_id: number }) => e.epoch_id)).toEqual([5, 6, 7, 8]);
    expect(s.nodeFailures[dead]).toBeGreaterThan(0);
  });

  it('records an epoch whose PoC failed as unavailable, keeps its neighbours, and does not ask again', async () => {
    const { chain, node: n } = await node(8);
    const failed = { status: 404, body: { error: 'No active participants found for the specified epoch. Looks like PoC failed!' } };
    const proxy = await startProxy(n.url, (r) => (r.path === '/v1/epochs/5/participants' ? failed : null));
    try {
      const s = await run([proxy.url], chain.nowMs);
      const index = readJson(path.join(dir, 'data/index.json'));
      expect(index.epochs.find((e: { epoch_id: number }) => e.epoch_id === 5)).toEqual({
        epoch_id: 5,
        available: false,
        reason: expect.stringContaining('Looks like PoC failed'),
      });
      expect(s.unavailable.map((u) => u.epochId)).toEqual([1, 5]);
      // Epoch 4 learns where it ends from its root group's last block instead.
      const e4 = readJson(path.join(dir, 'data/epochs/4.json'));
      expect(e4.window.end_height).toBe(chain.epochHeights(5).effective - 1);
      expect(e4.usage_source).toBe('chain_stats');
      expect(readJson(path.join(dir, 'data/epochs/6.json')).window).not.toBeNull();

      proxy.requests.length = 0;
      await run([proxy.url], chain.nowMs);
      expect(proxy.requests.some((r) => r.path === '/v1/epochs/5/participants')).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('with every node’s usage store off, says so, keeps the epochs a while and does not ask again on the next run', async () => {
    const chain = createSampleChain({ currentEpoch: 33, maxHosts: 40 });
    const off = await startFakeNode(chain, { statsStorage: false });
    nodes.push(off);
    await run([off.url], chain.nowMs, { GONKA_FIRST_EPOCH: '30' });
    const e32 = readJson(path.join(dir, 'data/epochs/32.json'));
    expect(e32.usage_source).toBeNull();
    expect(e32.usage_unavailable).toBe(USAGE_UNAVAILABLE.storeDisabled);
    // Epoch 30 ended before v0.2.11 (sample epoch 31): the chain's own stats still count it.
    expect(readJson(path.join(dir, 'data/epochs/30.json')).usage_source).toBe('chain_stats');
    const before = hashes(path.join(dir, 'data'));

    off.resetRequests();
    const s = await run([off.url], chain.nowMs, { GONKA_FIRST_EPOCH: '30' });
    // Only the current epoch's window is asked again; the finished ones come from the cache.
    expect(off.requests.filter((r) => r.path === '/v1/stats/models')).toHaveLength(1);
    expect(s.fromCache).toBe(3);
    expect(hashes(path.join(dir, 'data'))).toEqual(before);
  });

  it('leaves the cache file byte-identical on a warm run that learns nothing new', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs);
    const before = hashes(path.join(dir, '.cache'));
    await run([n.url], chain.nowMs);
    expect(hashes(path.join(dir, '.cache'))).toEqual(before);
  });

  it('finishes the data write of a run killed after its cache commit, and drops one killed before it', async () => {
    const { chain, node: n } = await node(8);
    await run([n.url], chain.nowMs);
    const data = path.join(dir, 'data');
    const index = epochIndexSchema.parse(readJson(path.join(data, 'index.json')));
    const snaps = index.epochs.flatMap((e) => (e.available ? [epochSnapshotSchema.parse(readJson(path.join(data, e.file)))] : []));
    const cachePath = path.join(dir, '.cache/chain.sqlite');

    // Killed before committing: its staged change names a cache file that never came into place.
    let cache = await Cache.open(cachePath);
    stageSnapshots(data, { ...index, fetched_at: '2030-01-01T00:00:00.000Z' }, snaps, await cache.seal());
    await cache.discard();
    let s = await run([n.url], chain.nowMs);
    expect(s.warnings).toContain(`${data}: dropped the staged data of a run that never committed its cache`);

    // Killed after committing: the next run moves the staged files into place before it starts.
    cache = await Cache.open(cachePath);
    stageSnapshots(data, { ...index, fetched_at: '2030-01-01T00:00:00.000Z' }, snaps, await cache.seal());
    await cache.commit();
    s = await run([n.url], chain.nowMs);
    expect(s.warnings).toContain(`${data}: finished the data write of an interrupted run`);
    expect(fs.readdirSync(data).filter((f) => f.startsWith('.staged-'))).toEqual([]);
  });
});
