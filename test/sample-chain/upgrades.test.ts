/**
 * The sample chain across mainnet's 2025-11 → 2026 upgrades: one block of
 * tests per upgrade checking the served bodies before and after it, then the
 * routes added on the way (registry pagination, applied plans, prices and
 * capacity, the dapi's stats). Schemas of the new routes are local (the
 * client's schemas may not have them yet).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSampleChain, sampleUpgradeHeight, type SampleChain } from '../../scripts/sample-chain/index.ts';
import {
  INF,
  KIMI,
  MINIMAX,
  QWEN3_235B,
  QWEN3_32B,
  b64,
  enc,
  epochWindow,
  get,
  group,
  modelPoc,
  num,
  ok,
  participantsOf,
  registry,
  registryIds,
  scaleFloor,
  statsMap,
  sumPoc,
  type Json,
} from './helpers.ts';

const chain = createSampleChain();
const H = (v: string) => sampleUpgradeHeight(v);
const PLAN = '/chain-api/cosmos/upgrade/v1beta1/applied_plan';

const u64 = z.string().regex(/^\d+$/);
const decimal = z.object({ value: z.string().regex(/^-?\d+$/), exponent: z.number().int() }).strict();
const excludedSchema = z
  .object({
    items: z.array(
      z
        .object({
          address: z.string().regex(/^gonka1/),
          epoch_index: u64,
          reason: z.enum(['failed_confirmation_poc', 'consecutive_failures', 'downtime', 'statistical_invalidations']),
          exclusion_block_height: u64,
        })
        .strict(),
    ),
  })
  .strict();
const summarySchema = z
  .object({
    epochPerformanceSummary: z.array(
      z
        .object({
          burned_coins: u64,
          claimed: z.boolean(),
          earned_coins: u64,
          epoch_index: u64,
          inference_count: u64,
          invalidated_inferences: u64,
          missed_requests: u64,
          participant_id: z.string().regex(/^gonka1/),
          rewarded_coins: u64,
          validated_inferences: u64,
        })
        .strict(),
    ),
  })
  .strict();
const dapiStatsSchema = z
  .object({ stats_models: z.array(z.object({ model: z.string(), ai_tokens: z.number().int(), inferences: z.number().int() }).strict()) })
  .strict();

const excluded = (c: SampleChain, n: number, h?: number) => excludedSchema.parse(ok(c, `${INF}/excluded_participants/${n}`, h)).items;
const summaries = (c: SampleChain, n: number, h?: number) => summarySchema.parse(ok(c, `${INF}/epoch_performance_summary/${n}`, h)).epochPerformanceSummary;
const pocParams = (c: SampleChain, h: number) => ok(c, `${INF}/params`, h).params.poc_params;
const dapi = (c: SampleChain, f: number, t: number) => dapiStatsSchema.parse(ok(c, `/v1/stats/models?time_from=${f}&time_to=${t}`)).stats_models;
const chainStats = (c: SampleChain, f: number, t: number) => statsMap(ok(c, `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`));
const applied = (c: SampleChain, v: string, h?: number) => ok(c, `${PLAN}/${v}`, h).height as string;

/** Median over a genesis-era host set of Σ poc_weight(n) / Σ poc_weight(n−1) per ML node id (same hardware, new PoC). */
function pocRatio(n: number): number {
  const byNode = (e: number) => {
    const m = new Map<string, number>();
    for (const p of participantsOf(chain, e)) for (const g of p.ml_nodes ?? []) for (const x of g.ml_nodes) m.set(`${p.index}/${x.node_id}`, num(x.poc_weight));
    return m;
  };
  const a = byNode(n - 1);
  const b = byNode(n);
  const ratios = [...b].filter(([k]) => a.has(k)).map(([k, v]) => v / a.get(k)!);
  ratios.sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)]!;
}

describe('v0.2.5 (epoch 22): excluded participants from 23, confirmation weights', () => {
  it('applied_plan is 0 before the upgrade height and the height after', () => {
    expect(applied(chain, 'v0.2.5', H('v0.2.5') - 1)).toBe('0');
    expect(applied(chain, 'v0.2.5', H('v0.2.5'))).toBe(String(H('v0.2.5')));
  });

  it('lists no exclusions before epoch 23, then 2–4 % of the hosts per epoch at heights inside the epoch', () => {
    for (const n of [2, 12, 22]) expect(excluded(chain, n)).toEqual([]);
    const reasons = new Map<string, number>();
    for (let n = 23; n < 44; n++) {
      const items = excluded(chain, n);
      const hosts = participantsOf(chain, n).length;
      expect(items.length / hosts, `epoch ${n}`).toBeGreaterThanOrEqual(0.015);
      expect(items.length / hosts, `epoch ${n}`).toBeLessThanOrEqual(0.045);
      for (const x of items) {
        expect(x.epoch_index).toBe(String(n));
        expect(num(x.exclusion_block_height)).toBeGreaterThanOrEqual(chain.epochStartHeight(n));
        expect(num(x.exclusion_block_height)).toBeLessThan(chain.epochStartHeight(n + 1));
        reasons.set(x.reason, (reasons.get(x.reason) ?? 0) + 1);
      }
      expect(new Set(items.map((x) => x.address)).size).toBe(items.length);
    }
    const total = [...reasons.values()].reduce((a, b) => a + b, 0);
    expect(reasons.get('failed_confirmation_poc')! / total).toBeGreaterThan(0.5);
    for (const r of ['consecutive_failures', 'downtime', 'statistical_invalidations']) expect(reasons.get(r), r).toBeGreaterThan(0);
  });

  it('the current epoch’s list grows with the state height; /v1 shows the latest list with numbers', () => {
    const n = 44;
    const all = excluded(chain, n);
    expect(all.length).toBeGreaterThan(0);
    const mid = Math.min(...all.map((x) => num(x.exclusion_block_height)));
    expect(excluded(chain, n, mid - 1).length).toBeLessThan(all.length);
    expect(excluded(chain, n, mid).length).toBeGreaterThan(0);
    for (const e of [23, 30, 44]) {
      const body = ok(chain, `/v1/epochs/${e}/participants`);
      expect(body.excluded_participants).toEqual(
        excluded(chain, e).map((x) => ({ address: x.address, reason: x.reason, exclusion_block_height: num(x.exclusion_block_height) })),
      );
    }
    expect(ok(chain, '/v1/epochs/22/participants').excluded_participants).toEqual([]);
    // A chain whose current epoch is 23 lists only what happened before its latest block.
    const young = createSampleChain({ currentEpoch: 23 });
    const listed = excluded(young, 23);
    for (const x of listed) expect(num(x.exclusion_block_height)).toBeLessThanOrEqual(young.latestHeight);
    expect(listed.length).toBeLessThanOrEqual(excluded(chain, 23).length);
    expect(excluded(chain, 45)).toEqual([]);
  });

  it('excluded hosts stay in participants and in every group with unchanged weight', () => {
    const n = 40;
    const items = excluded(chain, n);
    const ps = new Map(participantsOf(chain, n).map((p) => [p.index, p]));
    const root = new Map(group(chain, n).validation_weights.map((v: Json) => [v.member_address, v]));
    for (const x of items) {
      const p = ps.get(x.address);
      expect(p, x.address).toBeDefined();
      if (p.seed) expect((root.get(x.address) as Json).weight).toBe(String(p.weight ?? 0));
      for (const m of p.models ?? []) {
        const v = group(chain, n, m).validation_weights.find((w: Json) => w.member_address === x.address);
        if (p.seed) expect(num(v.weight)).toBe(modelPoc(p, m));
      }
    }
  });

  it('confirmation_weight is "0" before epoch 23 and ≤ weight (mostly equal) from it', () => {
    for (const v of group(chain, 22).validation_weights) expect(v.confirmation_weight).toBe('0');
    const vw = group(chain, 23).validation_weights as Json[];
    for (const v of vw) expect(num(v.confirmation_weight)).toBeLessThanOrEqual(num(v.weight));
    const equal = vw.filter((v) => v.confirmation_weight === v.weight).length;
    expect(equal / vw.length).toBeGreaterThan(0.5);
    expect(equal).toBeLessThan(vw.length);
  });
});

describe('v0.2.6 (epoch 24): performance summaries from 25, global factor 2.5', () => {
  it('serves one summary per participant of finished epochs formed from 25, none for older ones or the current one', () => {
    expect(summaries(chain, 24)).toEqual([]);
    expect(summaries(chain, 10)).toEqual([]);
    expect(summaries(chain, 44)).toEqual([]);
    for (const n of [25, 33, 40]) {
      const rows = summaries(chain, n);
      const ps = participantsOf(chain, n);
      expect(rows.map((r) => r.participant_id).sort()).toEqual(ps.map((p) => p.index).sort());
      // Σ inference_count = the epoch's classic requests.
      expect(rows.reduce((a, r) => a + num(r.inference_count), 0)).toBe(num(group(chain, n).number_of_requests));
      const out = new Set(excluded(chain, n).map((x) => x.address));
      const weight = new Map(ps.map((p) => [p.index, num(p.weight ?? 0)]));
      for (const r of rows) {
        expect(r.epoch_index).toBe(String(n));
        expect(num(r.validated_inferences)).toBeLessThanOrEqual(num(r.inference_count));
        expect(num(r.missed_requests)).toBeLessThan(30);
        if (out.has(r.participant_id)) expect([r.rewarded_coins, r.claimed]).toEqual(['0', false]);
        else if (weight.get(r.participant_id)! > 0) {
          expect(num(r.rewarded_coins)).toBeGreaterThanOrEqual(1e10);
          expect(num(r.rewarded_coins)).toBeLessThanOrEqual(1e12);
          expect(r.claimed).toBe(true);
        }
      }
    }
  });

  it('a summary appears once its epoch is over', () => {
    const end = chain.epochStartHeight(26);
    expect(summaries(chain, 25, end - 1)).toEqual([]);
    expect(summaries(chain, 25, end)).toEqual(summaries(chain, 25));
  });

  it('poc_weight carries the global factor 2.5 in epochs formed from 25; params name it', () => {
    expect(pocRatio(24)).toBeGreaterThan(0.9);
    expect(pocRatio(24)).toBeLessThan(1.1);
    expect(pocRatio(25)).toBeGreaterThan(2.3);
    expect(pocRatio(25)).toBeLessThan(2.7);
    expect(pocParams(chain, H('v0.2.6') - 1).weight_scale_factor).toBeNull();
    expect(pocParams(chain, H('v0.2.6')).weight_scale_factor).toEqual({ exponent: -1, value: '25' });
    expect(chain.features.globalFactors[0]).toEqual({ fromEpoch: 25, factor: 2.5 });
  });
});

describe('v0.2.8 (epoch 25)', () => {
  it('is only visible as an applied plan', () => {
    expect(applied(chain, 'v0.2.8', H('v0.2.8') - 1)).toBe('0');
    expect(applied(chain, 'v0.2.8')).toBe(String(H('v0.2.8')));
    expect(ok(chain, `${INF}/params`, H('v0.2.8') - 1)).toEqual(ok(chain, `${INF}/params`, H('v0.2.8')));
  });
});

describe('v0.2.9 (epoch 27): registry cut to Qwen3-235B, global factor 0.262, ~2.5 s blocks', () => {
  it('deletes every governance model but Qwen3-235B at the upgrade height', () => {
    const before = registryIds(chain, H('v0.2.9') - 1);
    expect(before).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct', QWEN3_235B, QWEN3_32B, 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16']);
    expect(registryIds(chain, H('v0.2.9'))).toEqual([QWEN3_235B]);
    expect(registryIds(chain, H('v0.2.9') + 1)).toEqual([QWEN3_235B]);
  });

  it('epoch 27’s sub-groups still hold the deleted models, epoch 28’s do not', () => {
    const s27 = group(chain, 27).sub_group_models as string[];
    expect(s27).toContain(QWEN3_32B);
    expect(s27).toContain('Qwen/QwQ-32B');
    expect(group(chain, 27, QWEN3_32B).model_snapshot.id).toBe(QWEN3_32B);
    expect(group(chain, 28).sub_group_models).toEqual([QWEN3_235B]);
    expect(get(chain, `${INF}/epoch_group_data/28?model_id=${enc(QWEN3_32B)}`).status).toBe(404);
  });

  it('blocks come ~2.5 s apart from the upgrade height', () => {
    const h = H('v0.2.9');
    const span = (a: number, b: number) => (chain.blockTimeMs(b) - chain.blockTimeMs(a)) / (b - a);
    expect(span(h - 1001, h - 1)).toBeGreaterThan(6000);
    expect(span(h - 1001, h - 1)).toBeLessThan(6040);
    expect(span(h, h + 1000)).toBeGreaterThan(2480);
    expect(span(h, h + 1000)).toBeLessThan(2520);
    expect(chain.blockTimeMs(h) - chain.blockTimeMs(h - 1)).toBeGreaterThan(5000);
  });

  it('poc_weight carries 0.262 in epochs formed from 28', () => {
    expect(pocRatio(28)).toBeGreaterThan((0.262 / 2.5) * 0.9);
    expect(pocRatio(28)).toBeLessThan((0.262 / 2.5) * 1.1);
    expect(pocParams(chain, H('v0.2.9')).weight_scale_factor).toEqual({ exponent: -3, value: '262' });
  });
});

describe('v0.2.10 (epoch 29): global factor 0.3593', () => {
  it('poc_weight carries 0.3593 in epochs formed from 30; params name it', () => {
    expect(pocParams(chain, H('v0.2.10') - 1).weight_scale_factor).toEqual({ exponent: -3, value: '262' });
    expect(pocParams(chain, H('v0.2.10')).weight_scale_factor).toEqual({ exponent: -4, value: '3593' });
    expect(pocRatio(30)).toBeGreaterThan((0.3593 / 0.262) * 0.9);
    expect(pocRatio(30)).toBeLessThan((0.3593 / 0.262) * 1.1);
  });
});

describe('v0.2.11 (epoch 31): chain stats frozen, dapi stats start', () => {
  const h = H('v0.2.11');
  const t = (x: number) => chain.blockTimeMs(x);

  it('models_stats_by_time: a window after the upgrade is empty, one before is not, frozen numbers are additive', () => {
    expect(ok(chain, `${INF}/models_stats_by_time?time_from=${t(h)}&time_to=${t(h + 5000)}`)).toEqual({ stats_models: [] });
    expect(ok(chain, `${INF}/models_stats_by_time?time_from=${t(chain.latestHeight - 1000)}&time_to=${chain.nowMs}`)).toEqual({ stats_models: [] });
    const before = chainStats(chain, t(h - 5000), t(h - 1));
    expect(before.get(QWEN3_235B)!.inferences).toBeGreaterThan(0);
    const across = chainStats(chain, t(h - 5000), t(h + 5000));
    expect(across).toEqual(before);
    const a = chainStats(chain, t(h - 5000), t(h - 2001));
    const b = chainStats(chain, t(h - 2000), t(h + 5000));
    for (const [m, w] of across) expect((a.get(m)?.inferences ?? 0) + (b.get(m)?.inferences ?? 0), m).toBe(w.inferences);
    // The last block written is the one before the upgrade height.
    const last = chainStats(chain, t(h - 1), t(h - 1));
    const served = new Map([...last].map(([m, v]) => [m, v.inferences]));
    const want = new Map([QWEN3_235B, QWEN3_32B].map((m) => [m, chain.blockInference(h - 1, m).classic.inferences] as const).filter(([, n]) => n > 0));
    expect(want.size).toBeGreaterThan(0);
    expect(served).toEqual(want);
  });

  it('/v1/stats/models counts classic inference from the upgrade height on only', () => {
    expect(dapi(chain, t(h - 5000), t(h - 1))).toEqual([]);
    const after = dapi(chain, t(h), t(h + 5000));
    expect(after.length).toBeGreaterThan(0);
    expect(dapi(chain, t(h - 5000), t(h + 5000))).toEqual(after);
    // Exactly the classic usage of those blocks.
    let inf = 0;
    for (let x = h; x <= h + 5000; x++) inf += chain.blockInference(x, QWEN3_235B).classic.inferences;
    expect(after.find((s) => s.model === QWEN3_235B)!.inferences).toBe(inf);
  });

  it('applied_plan names the height', () => {
    expect(applied(chain, 'v0.2.11')).toBe(String(h));
    expect(chain.features.chainStatsFrozenFrom).toBe(h);
  });
});

describe('v0.2.12 (epoch 33): per-model PoC, raw poc_weight, Kimi-K2.6, devshards', () => {
  const h = H('v0.2.12');

  it('params switch from the singular PoC model to poc_params.models at the upgrade height', () => {
    const before = pocParams(chain, h - 1);
    expect(before).toMatchObject({ model_id: QWEN3_235B, seq_len: '1024', models: [], weight_scale_factor: { exponent: -4, value: '3593' } });
    expect(before.stat_test).not.toBeNull();
    const after = pocParams(chain, h);
    expect(after).toMatchObject({ model_id: '', seq_len: '0', stat_test: null, weight_scale_factor: null, model_params: null });
    expect(after.models).toEqual([
      {
        model_id: QWEN3_235B,
        penalty_start_epoch: '0',
        seq_len: '1024',
        stat_test: { dist_threshold: { exponent: -1, value: '2' }, p_mismatch: { exponent: -1, value: '1' }, p_value_threshold: { exponent: -2, value: '5' } },
        weight_scale_factor: { exponent: -4, value: '3593' },
      },
      {
        model_id: KIMI,
        penalty_start_epoch: '36',
        seq_len: '1024',
        stat_test: { dist_threshold: { exponent: -1, value: '4' }, p_mismatch: { exponent: -1, value: '1' }, p_value_threshold: { exponent: -2, value: '5' } },
        weight_scale_factor: { exponent: -16, value: '12620856201975851' },
      },
    ]);
    const p = ok(chain, `${INF}/params`).params;
    expect(Object.keys(p).sort()).toEqual([
      'bandwidth_limits_params',
      'bitcoin_reward_params',
      'collateral_params',
      'confirmation_poc_params',
      'delegation_params',
      'developer_access_params',
      'devshard_escrow_params',
      'dynamic_pricing_params',
      'epoch_params',
      'fee_params',
      'genesis_guardian_params',
      'participant_access_params',
      'poc_params',
      'tokenomics_params',
      'transfer_agent_access_params',
      'validation_params',
    ]);
    expect(p.delegation_params.initial_model_id).toBe(QWEN3_235B);
    expect(p.epoch_params).toMatchObject({ epoch_length: '15391', poc_stage_duration: '60', poc_validation_duration: '480', set_new_validators_delay: '120' });
    expect(ok(chain, `${INF}/params`, chain.lowestHeight).params.epoch_params.epoch_length).toBe('17280');
  });

  it('registers Kimi-K2.6 with its real parameters and deletes the re-registered Qwen3-32B-FP8', () => {
    expect(registryIds(chain, h - 1)).toEqual([QWEN3_235B, QWEN3_32B]);
    const after = registry(chain, h).models;
    expect(after.map((m) => m.id)).toEqual([QWEN3_235B, KIMI]);
    expect(after.find((m) => m.id === KIMI)).toEqual({
      proposed_by: 'gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33',
      id: KIMI,
      units_of_compute_per_token: '10000',
      context_window: '0',
      quantization: '',
      coins_per_input_token: '0',
      coins_per_output_token: '0',
      hf_repo: KIMI,
      hf_commit: '5a49d036ab7472b7d5912ded487150ec1358c11d',
      model_args: ['--max-model-len', '240000', '--tool-call-parser', 'kimi_k2', '--reasoning-parser', 'kimi_k2'],
      v_ram: '720',
      throughput_per_nonce: '1500',
      validation_threshold: { value: '920', exponent: -3 },
    });
    expect(group(chain, 33).sub_group_models).toContain(QWEN3_32B);
    expect(group(chain, 34).sub_group_models).toEqual([QWEN3_235B, KIMI]);
  });

  it('poc_weight is raw from epoch 34; sub-group weight = Σ poc_weight, voting_power = floor(factor × raw)', () => {
    expect(pocRatio(34)).toBeGreaterThan((1 / 0.3593) * 0.9);
    expect(pocRatio(34)).toBeLessThan((1 / 0.3593) * 1.1);
    const q = group(chain, 34, QWEN3_235B);
    for (const v of q.validation_weights) {
      expect(num(v.weight)).toBe(sumPoc(v.ml_nodes));
      expect(num(v.voting_power)).toBe(scaleFloor({ value: '3593', exponent: -4 }, num(v.weight)));
      expect(num(v.confirmation_weight)).toBeLessThanOrEqual(num(v.voting_power));
    }
    expect(group(chain, 34).validation_weights.every((v: Json) => v.voting_power === '0')).toBe(true);
    // Before 34 a sub-group member carried its whole weight and no voting power.
    const s33 = group(chain, 33, QWEN3_235B).validation_weights as Json[];
    expect(s33.every((v) => v.voting_power === '0')).toBe(true);
    expect(s33.some((v) => num(v.weight) !== sumPoc(v.ml_nodes))).toBe(true);
  });

  it('Kimi: sub-group empty in 34–35, hosted but not eligible in 36–37, eligible from 38', () => {
    for (const n of [34, 35]) {
      const k = group(chain, n, KIMI);
      expect([k.validation_weights, k.member_seed_signatures, k.total_weight]).toEqual([[], [], '0']);
      expect(k.model_snapshot.id).toBe(KIMI);
    }
    for (const n of [36, 37]) {
      const k = group(chain, n, KIMI);
      expect(k.validation_weights.length).toBeGreaterThan(0);
      expect(k.validation_weights.every((v: Json) => v.voting_power === '0' && v.confirmation_weight === '0')).toBe(true);
      for (const p of participantsOf(chain, n)) expect((p.voting_powers ?? []).map((v: Json) => v.model_id)).not.toContain(KIMI);
    }
    const k38 = group(chain, 38, KIMI);
    for (const v of k38.validation_weights) {
      expect(num(v.voting_power)).toBe(scaleFloor({ value: '12620856201975851', exponent: -16 }, num(v.weight)));
      expect(num(v.voting_power)).toBeGreaterThan(num(v.weight));
    }
    const p38 = participantsOf(chain, 38).filter((p) => (p.models ?? []).includes(KIMI));
    expect(p38.every((p) => (p.voting_powers ?? []).some((v: Json) => v.model_id === KIMI))).toBe(true);
  });

  it('devshard inference begins: about 60 % of inference stays classic, and only that is counted', () => {
    const share = (from: number, to: number) => {
      let all = 0;
      let classic = 0;
      for (let x = from; x <= to; x++) {
        const u = chain.blockInference(x, QWEN3_235B);
        all += u.total.inferences;
        classic += u.classic.inferences;
      }
      return { all, classic };
    };
    const before = share(h - 3000, h - 1);
    expect(before.classic).toBe(before.all);
    const after = share(h, h + 3000);
    expect(after.classic / after.all).toBeGreaterThan(0.55);
    expect(after.classic / after.all).toBeLessThan(0.65);
    const dapiCount = dapi(chain, chain.blockTimeMs(h), chain.blockTimeMs(h + 3000)).find((s) => s.model === QWEN3_235B)!.inferences;
    expect(dapiCount).toBe(after.classic);
    expect(chain.features.inference).toEqual({ devshardFrom: h, classicShare: 0.6, classicEndsAt: H('v0.2.14') });
  });
});

describe('v0.2.13 (epoch 38): confirmation_weight_scales, Kimi 0.78, MiniMax-M2.7', () => {
  const h = H('v0.2.13');

  it('poc_params.models: Kimi 1.2620856201975851 before, 0.78 after; MiniMax added with its real config', () => {
    const kimi = (x: number) => pocParams(chain, x).models.find((m: Json) => m.model_id === KIMI).weight_scale_factor;
    expect(kimi(h - 1)).toEqual({ exponent: -16, value: '12620856201975851' });
    expect(kimi(h)).toEqual({ exponent: -2, value: '78' });
    expect(pocParams(chain, h - 1).models.map((m: Json) => m.model_id)).toEqual([QWEN3_235B, KIMI]);
    expect(pocParams(chain, h).models.find((m: Json) => m.model_id === MINIMAX)).toEqual({
      model_id: MINIMAX,
      penalty_start_epoch: '41',
      seq_len: '1024',
      stat_test: { dist_threshold: { exponent: -2, value: '75' }, p_mismatch: { exponent: -1, value: '1' }, p_value_threshold: { exponent: -2, value: '5' } },
      weight_scale_factor: { exponent: -4, value: '3024' },
    });
  });

  it('registers MiniMax-M2.7 with the upgrade handler’s parameters', () => {
    expect(registryIds(chain, h - 1)).not.toContain(MINIMAX);
    const m = registry(chain, h).models.find((x) => x.id === MINIMAX);
    expect(m).toMatchObject({
      proposed_by: 'gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33',
      units_of_compute_per_token: '10000',
      hf_commit: 'd494266a4affc0d2995ba1fa35c8481cbd84294b',
      v_ram: '320',
      throughput_per_nonce: '5000',
      validation_threshold: { value: '922', exponent: -3 },
    });
    expect(m.model_args).toContain('minimax_m2_append_think');
  });

  it('confirmation_weight_scales: [] up to epoch 38, the eligible models and their factors from 39', () => {
    for (const n of [2, 30, 34, 38]) expect(group(chain, n).confirmation_weight_scales).toEqual([]);
    expect(group(chain, 39).confirmation_weight_scales).toEqual([
      { model_id: QWEN3_235B, weight_scale_factor: { value: '3593', exponent: -4 } },
      { model_id: KIMI, weight_scale_factor: { value: '78', exponent: -2 } },
    ]);
    const s41 = group(chain, 41).confirmation_weight_scales as Json[];
    expect(s41.map((s) => s.model_id)).toEqual([MINIMAX, QWEN3_235B, KIMI]);
    expect(s41[0].weight_scale_factor).toEqual(decimalOf('3024', -4));
    for (const n of [39, 41, 44]) {
      for (const s of group(chain, n).confirmation_weight_scales as Json[]) {
        decimal.parse(s.weight_scale_factor);
        for (const v of group(chain, n, s.model_id).validation_weights) {
          expect(num(v.voting_power)).toBe(scaleFloor(s.weight_scale_factor, sumPoc(v.ml_nodes)));
        }
      }
    }
  });

  it('MiniMax: sub-group empty in 39, hosted but not eligible in 40, eligible from 41', () => {
    expect(get(chain, `${INF}/epoch_group_data/38?model_id=${enc(MINIMAX)}`).status).toBe(404);
    expect(group(chain, 39, MINIMAX).validation_weights).toEqual([]);
    const m40 = group(chain, 40, MINIMAX).validation_weights as Json[];
    expect(m40.length).toBeGreaterThan(0);
    expect(m40.every((v) => v.voting_power === '0')).toBe(true);
    const m41 = group(chain, 41, MINIMAX).validation_weights as Json[];
    expect(m41.length).toBeGreaterThan(0);
    expect(m41.every((v) => num(v.voting_power) > 0)).toBe(true);
  });
});

const decimalOf = (value: string, exponent: number) => ({ value, exponent });

describe('v0.2.14 (epoch 41): classic inference ends', () => {
  const h = H('v0.2.14');

  it('number_of_requests stops growing: epochs formed after stay 0, epoch 41 stops at the upgrade height', () => {
    const req = (n: number, at?: number) => num(group(chain, n, '', at).number_of_requests);
    expect(req(40)).toBeGreaterThan(0);
    expect(req(41)).toBeGreaterThan(0);
    expect(req(41)).toBeLessThan(req(40));
    expect(req(41, h - 1)).toBeLessThanOrEqual(req(41));
    expect(req(41, h + 2000)).toBe(req(41));
    for (const n of [42, 43, 44]) expect(req(n), `epoch ${n}`).toBe(0);
    expect(num(group(chain, 43).previous_epoch_requests)).toBe(0);
    expect(num(group(chain, 42).previous_epoch_requests)).toBe(req(41));
    // Inference goes on, all of it devshard.
    const u = chain.blockInference(h + 10, QWEN3_235B);
    expect(u.classic.inferences).toBe(0);
    let served = 0;
    for (let x = h; x < h + 200; x++) served += chain.blockInference(x, QWEN3_235B).total.inferences;
    expect(served).toBeGreaterThan(0);
  });

  it('the dapi counts nothing after it, performance summaries count no inference', () => {
    expect(dapi(chain, chain.blockTimeMs(h), chain.nowMs)).toEqual([]);
    expect(dapi(chain, chain.blockTimeMs(h - 3000), chain.blockTimeMs(h - 1)).length).toBeGreaterThan(0);
    expect(ok(chain, '/v1/stats/models')).toEqual({ stats_models: [] });
    for (const n of [42, 43]) {
      const rows = summaries(chain, n);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.inference_count === '0' && r.earned_coins === '0')).toBe(true);
    }
    expect(summaries(chain, 41).some((r) => num(r.inference_count) > 0)).toBe(true);
  });
});

describe('models_all pagination', () => {
  it('pages hold at most registryPageSize models; next_key walks the whole registry in id order; total on the first page', () => {
    for (const h of [chain.lowestHeight, H('v0.2.9') - 1, H('v0.2.13'), chain.latestHeight]) {
      const { models, pages } = registry(chain, h);
      const single = ok(createSampleChain({ registryPageSize: 100 }), `${INF}/models_all`, h);
      expect(models).toEqual(single.model);
      expect(single.pagination).toEqual({ next_key: null, total: String(models.length) });
      const ids = models.map((m) => m.id);
      expect(ids).toEqual([...ids].sort());
      for (const p of pages) expect(p.model.length).toBeLessThanOrEqual(2);
      expect(pages[0].pagination.total).toBe(String(models.length));
      for (const p of pages.slice(1)) expect(p.pagination.total).toBe('0');
      expect(pages.at(-1).pagination.next_key).toBeNull();
      pages.slice(0, -1).forEach((p, i) => expect(p.pagination.next_key).toBe(b64(pages[i + 1].model[0].id)));
    }
    expect(registry(chain, H('v0.2.9') - 1).pages).toHaveLength(3);
  });

  it('honours pagination.limit below the cap and ignores count_total', () => {
    const one = ok(chain, `${INF}/models_all?pagination.limit=1&pagination.count_total=true`);
    expect(one.model).toHaveLength(1);
    expect(one.pagination.next_key).toBe(b64(QWEN3_235B));
    expect(ok(chain, `${INF}/models_all?pagination.limit=50`).model).toHaveLength(2);
    const rest = ok(chain, `${INF}/models_all?pagination.key=${enc(b64(KIMI))}`);
    expect(rest).toEqual({ model: [registry(chain).models[2]], pagination: { next_key: null, total: '0' } });
    // URL-safe base64 is accepted too.
    const urlSafe = b64(QWEN3_235B).replace(/\+/g, '-').replace(/\//g, '_');
    expect(ok(chain, `${INF}/models_all?pagination.key=${urlSafe}`).model[0].id).toBe(QWEN3_235B);
  });

  it('a key that is not base64 or names no model → 400 code 3', () => {
    for (const key of ['%21%21', 'abc', enc(b64('no/such-model')), enc(b64('Qwen/QwQ-32B'))]) {
      const r = get(chain, `${INF}/models_all?pagination.key=${key}`);
      expect(r.status, key).toBe(400);
      expect(r.json()).toMatchObject({ code: 3, details: [] });
      expect(typeof r.json().message).toBe('string');
    }
    expect(get(chain, `${INF}/models_all?pagination.limit=x`).status).toBe(400);
  });
});

describe('applied_plan', () => {
  it('names every upgrade’s height on the default chain and "0" for unknown names', () => {
    for (const u of chain.features.upgrades) expect(applied(chain, u.version)).toBe(String(u.height));
    for (const v of ['v0.2.7', 'v0.2.15', 'nope', 'v0.2.5 ']) expect(applied(chain, enc(v))).toBe('0');
    expect(Object.keys(ok(chain, `${PLAN}/v0.2.5`))).toEqual(['height']);
  });

  it('answers "0" on a chain that has not reached the upgrade yet', () => {
    const short = createSampleChain({ currentEpoch: 30 });
    expect(applied(short, 'v0.2.10')).toBe(String(H('v0.2.10')));
    for (const v of ['v0.2.11', 'v0.2.12', 'v0.2.13', 'v0.2.14']) expect(applied(short, v)).toBe('0');
    expect(get(short, `${PLAN}/v0.2.5`, short.latestHeight + 1).status).toBe(500);
  });
});

describe('prices and capacity', () => {
  const priceUrl = (id: string) => `${INF}/model_per_token_price/${enc(id)}`;
  const capUrl = (id: string) => `${INF}/model_capacity/${enc(id)}`;

  it('all_model_per_token_prices lists the current sub-group models in a random-looking order; single prices agree', () => {
    const orders = new Set<string>();
    for (const h of [chain.latestHeight, chain.latestHeight - 1, chain.latestHeight - 2, chain.latestHeight - 3, chain.latestHeight - 4]) {
      const body = ok(chain, `${INF}/all_model_per_token_prices`, h);
      const ids = body.model_prices.map((p: Json) => p.model_id);
      expect([...ids].sort()).toEqual([MINIMAX, QWEN3_235B, KIMI].sort());
      orders.add(ids.join());
      for (const p of body.model_prices) {
        expect(p.price).toMatch(/^\d+$/);
        expect(ok(chain, priceUrl(p.model_id), h)).toEqual({ price: p.price, found: true });
      }
    }
    expect(orders.size).toBeGreaterThan(1);
    const e20 = ok(chain, `${INF}/all_model_per_token_prices`, chain.epochStartHeight(20) + 10).model_prices.map((p: Json) => p.model_id);
    expect(new Set(e20)).toEqual(new Set(group(chain, 20).sub_group_models));
  });

  it('prices sit around 100 ngonka per token, vary by epoch and model, drift a little per block', () => {
    const prices: number[] = [];
    for (let n = 3; n <= 44; n++) {
      for (const p of ok(chain, `${INF}/all_model_per_token_prices`, chain.epochStartHeight(n) + 500).model_prices) prices.push(num(p.price));
    }
    const mean = prices.reduce((a, b) => a + b, 0) / prices.length;
    expect(mean).toBeGreaterThan(80);
    expect(mean).toBeLessThan(120);
    expect(Math.min(...prices)).toBeGreaterThanOrEqual(1);
    expect(new Set(prices).size).toBeGreaterThan(20);
    const at = (x: number) => num(ok(chain, priceUrl(QWEN3_235B), x).price);
    const h = chain.latestHeight - 5000;
    expect(Math.abs(at(h + 1) - at(h))).toBeLessThanOrEqual(1);
    const drift = [0, 300, 600, 900, 1200].map((d) => at(h + d));
    expect(new Set(drift).size).toBeGreaterThan(1);
    expect(Math.max(...drift) / Math.min(...drift)).toBeLessThan(1.12);
  });

  it('capacity is the model’s Σ poc_weight in the epoch’s sub-group, 1000 without members', () => {
    const ps = participantsOf(chain, 44).filter((p) => p.seed);
    for (const m of [QWEN3_235B, KIMI, MINIMAX]) {
      const want = ps.reduce((a, p) => a + modelPoc(p, m), 0);
      expect(ok(chain, capUrl(m))).toEqual({ capacity: String(want), found: true });
      expect(num(group(chain, 44, m).total_weight)).toBe(want);
    }
    // Kimi's sub-group is empty in 34–35.
    expect(ok(chain, capUrl(KIMI), chain.epochStartHeight(34) + 100)).toEqual({ capacity: '1000', found: true });
  });

  it('an encoded id works, a raw slash → 501, an unknown model → found false', () => {
    expect(ok(chain, `${INF}/model_per_token_price/Qwen%2FQwen3-235B-A22B-Instruct-2507-FP8`).found).toBe(true);
    expect(ok(chain, `${INF}/model_capacity/moonshotai%2fKimi-K2.6`).found).toBe(true);
    for (const u of [`${INF}/model_per_token_price/${QWEN3_235B}`, `${INF}/model_capacity/${KIMI}`]) {
      const r = get(chain, u);
      expect(r.status, u).toBe(501);
      expect(r.body).toBe('{"code":12,"message":"Not Implemented","details":[]}');
    }
    expect(ok(chain, priceUrl('no/such-model'))).toEqual({ price: '0', found: false });
    expect(ok(chain, capUrl('no/such-model'))).toEqual({ capacity: '0', found: false });
    // Deleted models have no price any more.
    expect(ok(chain, priceUrl(QWEN3_32B))).toEqual({ price: '0', found: false });
    expect(ok(chain, priceUrl(QWEN3_32B), chain.epochStartHeight(26))).toMatchObject({ found: true });
  });
});

describe('/v1/stats/models (dapi)', () => {
  const t = (c: SampleChain, x: number) => c.blockTimeMs(x);

  it('answers numbers, sorted by model, for windows of classic inference since v0.2.11', () => {
    const body = ok(chain, `/v1/stats/models?time_from=${t(chain, H('v0.2.11'))}&time_to=${t(chain, H('v0.2.14'))}`);
    const rows = dapiStatsSchema.parse(body).stats_models;
    expect(rows.map((r) => r.model)).toEqual([MINIMAX, QWEN3_235B, QWEN3_32B, KIMI]);
    for (const r of rows) {
      expect(r.inferences).toBeGreaterThan(0);
      expect(r.ai_tokens).toBeGreaterThan(r.inferences);
    }
    // Same windows as the frozen chain route has before the freeze: additive, inclusive bounds.
    const [a, b] = epochWindow(chain, 35);
    const mid = a + 3_600_000;
    const whole = dapi(chain, a, b);
    const left = new Map(dapi(chain, a, mid).map((r) => [r.model, r.inferences]));
    const right = new Map(dapi(chain, mid + 1, b).map((r) => [r.model, r.inferences]));
    for (const r of whole) expect((left.get(r.model) ?? 0) + (right.get(r.model) ?? 0)).toBe(r.inferences);
  });

  it('only keeps 30 days before the node’s clock', () => {
    const from = t(chain, H('v0.2.11'));
    const to = t(chain, H('v0.2.14'));
    const full = dapi(chain, from, to);
    // 110: the whole window is older than 30 days by that chain's clock.
    const far = createSampleChain({ currentEpoch: 110 });
    expect(far.nowMs - to).toBeGreaterThan(30 * 86_400_000);
    expect(dapi(far, from, to)).toEqual([]);
    // 105: the retention cut falls inside the window; what is kept is exactly the younger part.
    const mid = createSampleChain({ currentEpoch: 105 });
    const cut = mid.nowMs - 30 * 86_400_000;
    expect(cut).toBeGreaterThan(from);
    expect(cut).toBeLessThan(to);
    const kept = dapi(mid, from, to);
    expect(kept).toEqual(dapi(chain, cut, to));
    const q = (rows: { model: string; inferences: number }[]) => rows.find((r) => r.model === QWEN3_235B)?.inferences ?? 0;
    expect(q(kept)).toBeGreaterThan(0);
    expect(q(kept)).toBeLessThan(q(full));
  });

  it('defaults to the last 24 h of the node’s clock', () => {
    const c = createSampleChain({ currentEpoch: 36, maxHosts: 60 });
    const body = get(c, '/v1/stats/models').body;
    expect(body).toBe(get(c, `/v1/stats/models?time_from=${c.nowMs - 86_400_000}&time_to=${c.nowMs}`).body);
    expect(get(c, `/v1/stats/models?time_to=${c.nowMs}`).body).toBe(body);
    expect(JSON.parse(body).stats_models.length).toBeGreaterThan(0);
  });

  it('400 on bad input (checked first), 500 when stats storage is disabled', () => {
    const bad = [
      ['time_from=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
      [`time_from=${chain.nowMs}&time_to=${chain.nowMs - 1}`, 'time_to must be >= time_from'],
      [`time_from=${chain.nowMs + 1}`, 'time_to must be >= time_from'],
      ['time_from=5&time_to=10', 'time_to and time_from must be in milliseconds'],
      ['time_to=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ];
    for (const [q, why] of bad) {
      for (const storage of [true, false]) {
        const r = get(chain, `/v1/stats/models?${q}`, undefined, { statsStorage: storage });
        expect(r.status, q).toBe(400);
        expect(r.json(), q).toEqual({ error: `code=400, message=invalid time period: ${why}` });
      }
    }
    const off = get(chain, '/v1/stats/models', undefined, { statsStorage: false });
    expect(off.status).toBe(500);
    expect(off.body).toBe('{"error":"stats storage is disabled"}');
    // The height header means nothing to the dapi.
    expect(get(chain, '/v1/stats/models', H('v0.2.12')).body).toBe(get(chain, '/v1/stats/models').body);
  });
});

describe('participants excluded_participants and voting_powers keep /v1 conventions', () => {
  it('omits voting_powers before 34 and for hosts without eligible models', () => {
    const kimiOnly = participantsOf(chain, 36).filter((p) => JSON.stringify(p.models) === JSON.stringify([KIMI]));
    for (const p of kimiOnly) {
      expect(p.voting_powers).toBeUndefined();
      expect(p.weight).toBeUndefined();
    }
    expect(participantsOf(chain, 33).some((p) => 'voting_powers' in p)).toBe(false);
    expect(participantsOf(chain, 35).filter((p) => p.voting_powers).length).toBeGreaterThan(100);
  });
});
