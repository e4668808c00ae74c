/**
 * Usage the nodes have forgotten stays on the site: a finished window's answer,
 * once fetched, is kept in the cache for good, and no later run asks again
 * (docs/chain-api.md, "Usage": the nodes' store keeps 30 days).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE_UNAVAILABLE } from '../../src/aggregate/usage.ts';
import { Cache } from '../../src/cache/store.ts';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline, snapshotKey } from '../../src/pipeline/run.ts';
import { epochSnapshotSchema, type EpochSnapshot } from '../../src/snapshot/schema.ts';
import { createSampleChain, startFakeNode, type FakeNode, type SampleChain } from '../../scripts/sample-chain/index.ts';

/** An epoch after v0.2.11 (sample epoch 31), whose window only the nodes' store counts. */
const EPOCH = 32;
/** Sample epochs from 28 on last ~10.7 h: at epoch 100 the window of 32 is more than 30 days old. */
const LATER = 100;

let dir: string;
beforeAll(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-retention-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(chain: SampleChain, sub: string): Promise<{ node: FakeNode; epoch: EpochSnapshot }> {
  const node = await startFakeNode(chain);
  try {
    const config = readPipelineConfig({ GONKA_API_URLS: node.url, GONKA_FIRST_EPOCH: String(EPOCH), GONKA_CACHE_PATH: path.join(dir, `${sub}.sqlite`) }, path.join(dir, sub));
    await runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
    const epoch = epochSnapshotSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, sub, 'data', 'epochs', `${EPOCH}.json`), 'utf8')));
    return { node, epoch };
  } finally {
    await node.close();
  }
}

const statsFor = (node: FakeNode, s: EpochSnapshot) =>
  node.requests.filter((r) => r.path === '/v1/stats/models' && r.query === `time_from=${s.window!.time_from_ms}&time_to=${s.window!.time_to_ms}`);

describe('usage after the nodes’ retention has passed', () => {
  it('is kept from the first fetch, recomputed from the cached answer without asking again', async () => {
    const first = await run(createSampleChain({ currentEpoch: 40, maxHosts: 40 }), 'kept');
    expect(first.epoch.usage_source).toBe('dapi_stats');
    const figures = first.epoch.models.map((m) => [m.id, m.inferences, m.ai_tokens]);
    expect(figures.some(([, inf]) => typeof inf === 'number' && inf > 0)).toBe(true);
    expect(statsFor(first.node, first.epoch)).toHaveLength(1);

    // As a schema bump would: drop the derived snapshot, so the epoch is rebuilt from the raw answers kept.
    const cache = await Cache.open(path.join(dir, 'kept.sqlite'));
    expect(await cache.delete(snapshotKey(EPOCH))).toBe(true);
    await cache.commit();

    const later = createSampleChain({ currentEpoch: LATER, maxHosts: 40 });
    const second = await run(later, 'kept');
    expect(statsFor(second.node, second.epoch)).toHaveLength(0);
    expect(second.epoch.usage_source).toBe('dapi_stats');
    expect(second.epoch.models.map((m) => [m.id, m.inferences, m.ai_tokens])).toEqual(figures);

    // Without that cache the same node no longer has the window: unknown, with the reason, not 0.
    const fresh = await run(later, 'fresh');
    expect(fresh.epoch.usage_source).toBeNull();
    expect(fresh.epoch.usage_unavailable).toBe(USAGE_UNAVAILABLE.retention);
    expect(fresh.epoch.models.every((m) => m.inferences === null && m.ai_tokens === null)).toBe(true);
  }, 120_000);
});
