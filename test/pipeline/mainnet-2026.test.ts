/**
 * The data step against the real mainnet recordings of epochs 250 and 253
 * (test/fixtures/mainnet-2026), served by a loopback node. The expected figures
 * were computed by hand from the recorded files (docs/chain-api.md, "Weight"):
 *
 *   raw(h)  = Σ poc_weight of h's ML nodes in the model's sub-group
 *   eff(h)  = floor(factor × raw(h)) when the model counts (a member has voting power)
 *   factors = params.poc_params.models (no confirmation_weight_scales before v0.2.13):
 *             Qwen 3593e-4, Kimi 12620856201975851e-16
 *
 * Epoch 250: Qwen raw 2 209 056 over 70 hosts / 292 ML nodes → eff 793 673; Kimi's
 *   group is empty (not counted). 17 hosts excluded (all Qwen hosts), raw 225 666.
 * Epoch 253: Qwen raw 2 183 266 (56 hosts, 272 nodes) → eff 784 419;
 *   Kimi raw 49 861 (9 hosts, 10 nodes) → eff 62 926. Total eff 847 345, so
 *   Kimi's share is 62 926 / 847 345 = 0.074263 (raw share only 49 861 / 2 233 127 = 0.022328).
 *   2 Qwen hosts excluded, raw 7 918.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline, type RunSummary } from '../../src/pipeline/run.ts';
import { USAGE_UNAVAILABLE } from '../../src/aggregate/usage.ts';
import { epochSnapshotSchema, type EpochSnapshot } from '../../src/snapshot/schema.ts';
import { KIMI, QWEN, recordedGroup, startRecordedNode, type RecordedNodeOptions } from '../support/recorded-node.ts';
import type { ScriptedServer } from '../support/scripted-server.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-mainnet-2026-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let run = 0;
async function runAgainst(opts: RecordedNodeOptions = {}): Promise<{ dir: string; summary: RunSummary; node: ScriptedServer; epoch(n: number): EpochSnapshot }> {
  const node = await startRecordedNode(opts);
  const dir = path.join(tmp, `run-${++run}`);
  try {
    const config = readPipelineConfig({ GONKA_API_URLS: node.url, GONKA_FIRST_EPOCH: '250', GONKA_ATTEMPTS: '1' }, dir);
    const summary = await runPipeline({ config, source: config.apiUrls, now: () => new Date('2026-05-15T11:10:00Z') });
    const epoch = (n: number) => epochSnapshotSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'data', 'epochs', `${n}.json`), 'utf8')));
    return { dir, summary, node, epoch };
  } finally {
    await node.close();
  }
}

const row = (s: EpochSnapshot, id: string) => {
  const r = s.models.find((m) => m.id === id);
  if (!r) throw new Error(`no row for ${id} in epoch ${s.epoch_id}`);
  return r;
};

describe('the data step on the recorded mainnet epochs 250 and 253', () => {
  let result: Awaited<ReturnType<typeof runAgainst>>;
  beforeAll(async () => {
    result = await runAgainst();
  });

  it('writes both recorded epochs; the unrecorded ones are listed unavailable', () => {
    expect(result.summary.currentEpoch).toBe(253);
    expect(result.summary.available).toBe(2);
    expect(result.summary.unavailable.map((u) => u.epochId)).toEqual([251, 252]);
    expect(result.summary.upgrades).toEqual({ 'v0.2.11': 3_600_000, 'v0.2.12': 3_834_323, 'v0.2.14': 0 });
  });

  it('epoch 253: raw and effective weight per model and the shares on effective weight, as computed by hand', () => {
    const s = result.epoch(253);
    const qwen = row(s, QWEN);
    const kimi = row(s, KIMI);
    expect([qwen.total_weight, qwen.effective_weight, qwen.participant_count, qwen.ml_nodes]).toEqual([2_183_266, 784_419, 56, 272]);
    expect([kimi.total_weight, kimi.effective_weight, kimi.participant_count, kimi.ml_nodes]).toEqual([49_861, 62_926, 9, 10]);
    expect(s.totals.model_weight).toBe(2_233_127);
    expect(s.totals.effective_weight).toBe(847_345);
    expect(qwen.share).toBe(0.925737);
    expect(kimi.share).toBe(0.074263);
    expect(kimi.raw_share).toBe(0.022328);
    expect(kimi.share! / kimi.raw_share).toBeGreaterThan(3);
    expect(qwen.weight_scale).toEqual({ factor: { value: '3593', exponent: -4 }, source: 'params_at_formation', height: 3905558, eligible: true });
    expect(kimi.weight_scale).toEqual({ factor: { value: '12620856201975851', exponent: -16 }, source: 'params_at_formation', height: 3905558, eligible: true });
    // The default order is by effective weight.
    expect(s.models.map((m) => m.id)).toEqual([QWEN, KIMI]);
  });

  it('every host of a model has floor(factor × raw) as its effective weight, summing to the model’s', () => {
    const kimi = row(result.epoch(253), KIMI);
    for (const h of kimi.hosts) expect(h.effective_weight).toBe(Number((BigInt(h.weight) * 12620856201975851n) / 10n ** 16n));
    expect(kimi.hosts.reduce((a, h) => a + h.effective_weight!, 0)).toBe(kimi.effective_weight);
    // The first Kimi member of the recording: one ML node of 5 182 → floor(5182 × 1.2620856201975851) = 6540.
    const first = kimi.hosts.find((h) => h.address === 'gonka15munkmx6x7k6rqqeexjet4556p7at39ks9qgr5')!;
    expect([first.weight, first.effective_weight]).toEqual([5182, 6540]);
  });

  it('epoch 250: Kimi’s empty group does not count; Qwen has all the effective weight', () => {
    const s = result.epoch(250);
    const qwen = row(s, QWEN);
    const kimi = row(s, KIMI);
    expect([qwen.total_weight, qwen.effective_weight, qwen.participant_count, qwen.ml_nodes]).toEqual([2_209_056, 793_673, 70, 292]);
    expect([kimi.total_weight, kimi.effective_weight, kimi.participant_count]).toEqual([0, 0, 0]);
    expect(kimi.weight_scale.eligible).toBe(false);
    expect([qwen.share, kimi.share]).toEqual([1, 0]);
    // The epoch's end comes from the root group (epoch 251 is not recorded).
    expect(s.end_height).toBe(3874895);
  });

  it('keeps excluded hosts counted, flagged with the chain’s reason, and lists the exclusions', () => {
    const s250 = result.epoch(250);
    expect(s250.excluded_participants).toHaveLength(17);
    expect(s250.totals.excluded_hosts).toBe(17);
    const qwen = row(s250, QWEN);
    expect([qwen.excluded_hosts, qwen.excluded_weight]).toEqual([17, 225_666]);
    const reasons = new Set(s250.excluded_participants.map((e) => e.reason));
    expect(reasons).toEqual(new Set(['failed_confirmation_poc', 'consecutive_failures']));
    const flagged = qwen.hosts.find((h) => h.address === 'gonka1y4kyhqy022gt4kklxxflgqkutnx96ssww66zg6')!;
    expect(flagged.excluded).toEqual({ reason: 'failed_confirmation_poc', exclusion_block_height: 3861649 });
    expect(flagged.performance?.rewarded_coins).toBe('0');
    const s253 = row(result.epoch(253), QWEN);
    expect([s253.excluded_hosts, s253.excluded_weight]).toEqual([2, 7_918]);
  });

  it('records the chain’s own counters and each host’s inferences, misses and reward', () => {
    expect(result.epoch(250).chain_counters).toEqual({ requests: '6702', inferences: '6851', missed_requests: '44' });
    expect(result.epoch(253).chain_counters).toEqual({ requests: '0', inferences: '195087', missed_requests: '371' });
    const host = row(result.epoch(250), QWEN).hosts.find((h) => h.address === 'gonka1qwfrtz9c7kcrfkrrlne2pkcye74mj6ce33xdkl');
    expect(host?.performance).toEqual({ inference_count: '5', missed_requests: '0', rewarded_coins: '213033773002' });
  });

  it('has Kimi’s registry parameters as recorded, through a registry served one model per page', () => {
    const kimi = row(result.epoch(253), KIMI);
    const recorded = recordedGroup(253, KIMI).epoch_group_data.model_snapshot;
    expect(kimi.registry_status).toBe('listed');
    expect(kimi.hf_commit).toBe(recorded.hf_commit);
    expect(kimi.model_args).toEqual(recorded.model_args);
    expect([kimi.v_ram, kimi.throughput_per_nonce, kimi.units_of_compute_per_token]).toEqual(['720', '1500', '10000']);
    expect(kimi.validation_threshold).toEqual({ value: '920', exponent: -3 });
    expect([kimi.context_window, kimi.quantization, kimi.coins_per_input_token, kimi.coins_per_output_token]).toEqual(['0', '', '0', '0']);
    expect(kimi.context_length).toEqual({ tokens: '240000', source: 'max_model_len' });
    const registryPages = result.node.requests.filter((r) => r.path.endsWith('/models_all'));
    expect(registryPages.some((r) => r.query.get('pagination.key') !== null)).toBe(true);
  });

  it('says why usage is unknown instead of showing 0: the chain froze its stats and the node’s store is off', () => {
    for (const n of [250, 253]) {
      const s = result.epoch(n);
      expect(s.usage_source).toBeNull();
      expect(s.usage_unavailable).toBe(USAGE_UNAVAILABLE.storeDisabled);
      for (const m of s.models) expect([m.inferences, m.ai_tokens]).toEqual([null, null]);
    }
    // Windows after v0.2.11 are not asked of the chain's frozen route at all.
    expect(result.node.requests.some((r) => r.path.endsWith('/models_stats_by_time'))).toBe(false);
  });

  it('says a price and a capacity are not published when no node serves them', () => {
    const kimi = row(result.epoch(253), KIMI);
    expect(kimi.price.ngonka_per_token).toBeNull();
    expect(kimi.price.unavailable).toMatch(/^Not published/);
    expect(kimi.capacity).toEqual({ value: null, unavailable: expect.stringMatching(/^Not published/) });
  });

  it('uses the node’s usage store where it has the window, and does not take its silence for zero when the chain counted requests', async () => {
    const withStore = await runAgainst({ dapiStats: { stats_models: [{ model: QWEN, ai_tokens: 9_000_000_000_123, inferences: 6702 }] } });
    const s250 = withStore.epoch(250);
    expect([s250.usage_source, s250.usage_scope]).toEqual(['dapi_stats', 'classic_only']);
    expect([row(s250, QWEN).inferences, row(s250, QWEN).ai_tokens]).toEqual([6702, '9000000000123']);
    // Kimi has no entry: with devshards uncounted that is not 0.
    expect(row(s250, KIMI).inferences).toBeNull();

    const silent = await runAgainst({ dapiStats: { stats_models: [] } });
    expect(silent.epoch(250).usage_unavailable).toBe(USAGE_UNAVAILABLE.nodeMissed('6702'));
    // Epoch 253's root counted no request, so an empty store answer there is a real 0 for classic inference.
    expect(silent.epoch(253).usage_source).toBe('dapi_stats');
  });
});

describe('bad input from the recorded node', () => {
  it('refuses a scale factor sent as a JSON number beyond 2^53, naming the URL and the field, instead of rounding it', async () => {
    const bad = await runAgainst({
      edit: (p, body) => {
        if (!p.endsWith('/params')) return body;
        // 12620856201975851 as a number: JSON.parse would round it to …852.
        return JSON.parse(JSON.stringify(body).replace('"12620856201975851"', '12620856201975851'));
      },
    });
    const kimi = row(bad.epoch(253), KIMI);
    expect(kimi.effective_weight).toBeNull();
    expect(kimi.weight_scale.source).toBe('unknown');
    expect(row(bad.epoch(253), QWEN).share).toBeNull();
    const warning = bad.summary.warnings.find((w) => w.includes('/params'));
    expect(warning).toMatch(/weight_scale_factor\.value/);
    expect(warning).toMatch(/cannot be read exactly/);
  });

  it('stops on a registry page key that does not advance, instead of looping', async () => {
    const node = await startRecordedNode({
      edit: (p, body) => (p.endsWith('/models_all') ? { ...body, pagination: { next_key: Buffer.from(QWEN).toString('base64'), total: '2' } } : body),
    });
    try {
      const config = readPipelineConfig({ GONKA_API_URLS: node.url, GONKA_FIRST_EPOCH: '253', GONKA_ATTEMPTS: '1' }, path.join(tmp, 'loop'));
      await expect(runPipeline({ config, source: config.apiUrls })).rejects.toThrow(/models_all: page \d+ gave the next key .* again without advancing/);
      expect(fs.existsSync(path.join(tmp, 'loop', 'data', 'index.json'))).toBe(false);
    } finally {
      await node.close();
    }
  });
});
