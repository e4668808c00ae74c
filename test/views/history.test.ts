/**
 * The derived views of src/views/history.ts and src/views/diffs.ts on the
 * fixture (epoch 103 without data, 104 without usage and with an unknown scale
 * factor, 105 and 106 with per-model scaling, exclusions, prices and a model
 * deleted from the registry) and on hand-edited copies of it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffEpochs } from '../../src/views/diffs.ts';
import { readSiteData, type ModelEpoch } from '../../src/site/load.ts';
import {
  GAP_NO_DATA,
  GAP_NO_FACTOR,
  GAP_NO_PRICE,
  GAP_NOT_LISTED,
  GAP_NO_USAGE,
  buildTimeline,
  epochTrends,
  modelChartDomain,
  modelSeries,
  networkSeries,
  registryRemoval,
  removalText,
  summariseModel,
} from '../../src/views/history.ts';
import type { EpochIndexEntry, EpochSnapshot, ModelRow } from '../../src/snapshot/schema.ts';

const site = readSiteData(path.resolve('test/fixtures/site-basic/data'));
const BIG = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
const B32 = 'Qwen/Qwen3-32B-FP8';
const QWQ = 'Qwen/QwQ-32B';
const KIMI = 'moonshotai/Kimi-K2.6';
const RH = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
const PASSWD = '../../etc/passwd';

describe('timeline', () => {
  it('has every epoch of the index, ascending, with start dates and reasons', () => {
    expect(site.timeline.map((t) => [t.epochId, t.available])).toEqual([
      [103, false],
      [104, true],
      [105, true],
      [106, true],
    ]);
    expect(site.timeline[0]!.reason).toMatch(/pruned/);
    expect(site.timeline[0]!.start).toBeNull();
    // 104 has no usage window: its start comes from the index.
    expect(site.timeline[1]!.start).toBe('2025-12-07T00:09:54Z');
    expect(site.timeline[3]!.start).toBe(site.snapshots.get(106)!.window!.start_time);
  });
});

describe('epoch diffs', () => {
  it('compare each epoch with the previous one with data, raw and effective weight; the oldest has none', () => {
    expect([...site.diffs.keys()].sort()).toEqual([105, 106]);
    const d106 = site.diffs.get(106)!;
    expect(d106.previousEpochId).toBe(105);
    expect(d106.deltas.find((d) => d.id === BIG)).toMatchObject({
      weightDelta: 431907 - 418377,
      effectiveWeight: 431907,
      effectiveDelta: 431907 - 418377,
      effectiveDeltaPct: 3.23,
      hostsDelta: 1,
      isNew: false,
    });
    // Factor 2.5: the effective change is 2.5 times the raw one (floored per host).
    expect(d106.deltas.find((d) => d.id === B32)).toMatchObject({ weightDelta: 66508 - 68911, effectiveDelta: 166270 - 172277 });
    // New in 106 and not counted: raw weight from 0, effective weight 0 → 0.
    expect(d106.deltas.find((d) => d.id === RH)).toMatchObject({ weightDelta: 2210, weightDeltaPct: null, effectiveDelta: 0, effectiveDeltaPct: null, isNew: true });
    expect(d106.added).toContain(RH);
    expect(d106.unknownMovers).toEqual([]);
  });

  it('leave an effective change unknown when a factor was unknown before, and rank movers by effective weight', () => {
    const d105 = site.diffs.get(105)!;
    expect(d105.deltas.find((d) => d.id === QWQ)).toMatchObject({ weightDelta: 19023 - 20544, effectiveWeight: 14266, effectiveDelta: null, effectiveDeltaPct: null });
    expect(d105.unknownMovers).toEqual([QWQ]);
    expect(d105.biggestMovers.map((d) => d.id)).toEqual([BIG, KIMI, B32, 'odd id/with spaces & "<b>"', PASSWD]);
    expect(d105.biggestMovers.map((d) => d.effectiveDelta)).toEqual([418377 - 402118, 8120, 172277 - 178150, 7, 6]);
  });

  it('rank movers by effective weight, not raw weight', () => {
    const s105 = site.snapshots.get(105)!;
    // Two models: A gains more raw weight, B more effective weight.
    const row = (id: string, raw: number, effective: number | null): ModelRow => ({ ...s105.models[0]!, id, total_weight: raw, effective_weight: effective });
    const before = { ...s105, epoch_id: 1, models: [row('a', 100, 100), row('b', 100, 100)] };
    const after = { ...s105, epoch_id: 2, models: [row('a', 150, 150), row('b', 120, 300), row('c', 5, null)] };
    const d = diffEpochs(before, after);
    expect(d.biggestMovers.map((m) => [m.id, m.weightDelta, m.effectiveDelta])).toEqual([
      ['b', 20, 200],
      ['a', 50, 50],
    ]);
    expect(d.deltas.find((m) => m.id === 'b')!.effectiveDeltaPct).toBe(200);
    // A new model with an unknown effective weight: its change is unknown, not counted from 0.
    expect(d.deltas.find((m) => m.id === 'c')).toMatchObject({ isNew: true, weightDelta: 5, effectiveDelta: null });
    expect(d.unknownMovers).toEqual(['c']);
  });
});

describe('model summary', () => {
  it('gives the hosted span, the raw and effective peaks (first epoch reaching them) and the parameter changes', () => {
    const big = site.modelsById.get(BIG)!;
    expect(big.summary).toMatchObject({
      firstHosted: 104,
      lastHosted: 106,
      hostedEpochs: 3,
      peak: { epochId: 106, weight: 431907 },
      peakEffective: { epochId: 106, weight: 431907 },
    });
    // QwQ: raw peak in 104, effective unknown there, so its effective peak is 105.
    expect(site.modelsById.get(QWQ)!.summary).toMatchObject({ peak: { epochId: 104, weight: 20544 }, peakEffective: { epochId: 105, weight: 14266 } });
    // Hosted but never counted: raw weight, no effective peak.
    expect(site.modelsById.get(RH)!.summary).toMatchObject({ peak: { epochId: 106, weight: 2210 }, peakEffective: null });
    const row = (epochId: number, weight: number, hosts: number) => ({
      epochId,
      usageUnavailable: null,
      row: { ...big.latest, total_weight: weight, effective_weight: weight * 2, participant_count: hosts },
    });
    const s = summariseModel(BIG, [row(3, 0, 0), row(1, 5, 1), row(2, 9, 2), row(4, 9, 1), row(5, 0, 0)], []);
    expect(s).toEqual({
      firstHosted: 1,
      lastHosted: 4,
      hostedEpochs: 3,
      peak: { epochId: 2, weight: 9 },
      peakEffective: { epochId: 2, weight: 18 },
      paramChanges: [],
    });
    expect(summariseModel(BIG, [row(1, 0, 0)], []).peak).toBeNull();
  });
});

describe('removal from the registry', () => {
  it('is the epoch whose row says removed, else the first epoch after its last listed row without it', () => {
    expect(site.modelsById.get(QWQ)!.removal).toEqual({ epochId: 106, during: true });
    // passwd is listed in 105 and gone from 106 (no row at all).
    expect(site.modelsById.get(PASSWD)!.removal).toEqual({ epochId: 106, during: false });
    expect(removalText({ epochId: 106, during: true })).toBe('during epoch 106');
    expect(removalText({ epochId: 106, during: false })).toBe('before epoch 106');
    // Listed now, or never registered: nothing.
    for (const id of [BIG, B32, RH, KIMI, 'odd id/with spaces & "<b>"']) expect(site.modelsById.get(id)!.removal, id).toBeNull();
  });

  it('follows the rows across epochs', () => {
    const base = site.modelsById.get(BIG)!.latest;
    const at = (epochId: number, status: ModelRow['registry_status']): ModelEpoch => ({
      epochId,
      isCurrent: false,
      height: 0,
      windowStart: null,
      windowEnd: null,
      usageUnavailable: null,
      usageMissing: null,
      row: { ...base, registry_status: status },
    });
    const all = [1, 2, 3, 4, 5];
    expect(registryRemoval([at(1, 'listed'), at(2, 'listed')], all)).toEqual({ epochId: 3, during: false });
    // Hosted after it left the registry: the row is "unregistered", the removal is still the first such epoch.
    expect(registryRemoval([at(1, 'listed'), at(2, 'unregistered'), at(3, 'unregistered')], all)).toEqual({ epochId: 2, during: false });
    expect(registryRemoval([at(1, 'listed'), at(2, 'listed'), at(3, 'removed'), at(4, 'unregistered')], all)).toEqual({ epochId: 3, during: true });
    // Removed, then proposed and listed again: in the registry now.
    expect(registryRemoval([at(1, 'listed'), at(2, 'removed'), at(4, 'listed'), at(5, 'listed')], all)).toBeNull();
    // Listed in the newest epoch with data (5 has no data): not removed.
    expect(registryRemoval([at(1, 'listed'), at(4, 'listed')], [1, 4])).toBeNull();
    expect(registryRemoval([at(1, 'unregistered'), at(2, 'unregistered')], all)).toBeNull();
    // Order of the rows does not matter.
    expect(registryRemoval([at(3, 'removed'), at(1, 'listed')], all)).toEqual({ epochId: 3, during: true });
  });
});

describe('chart series', () => {
  it('span a model from its first listing, reaching back over epochs without data, with gaps and reasons', () => {
    expect(modelChartDomain(site.timeline, 104).map((t) => t.epochId)).toEqual([103, 104, 105, 106]);
    expect(modelChartDomain(site.timeline, 105).map((t) => t.epochId)).toEqual([105, 106]);
    const big = site.modelsById.get(BIG)!;
    const s = modelSeries(site.timeline, big.epochs, big.firstEpoch);
    expect(s.epochs.map((e) => e.epochId)).toEqual([103, 104, 105, 106]);
    expect(s.effectiveWeight.values).toEqual([null, 402118, 418377, 431907]);
    expect(s.rawWeight.values).toEqual([null, 402118, 418377, 431907]);
    expect(s.rawWeight.notes).toEqual([GAP_NO_DATA, null, null, null]);
    expect(s.inferences.values).toEqual([null, null, 1873204, 912044]);
    expect(s.inferences.notes).toEqual([GAP_NO_DATA, GAP_NO_USAGE, null, null]);
    expect(s.aiTokens.values[2]).toBe('98123456789012');
    // The price: exact decimal strings where published, gaps (never 0) elsewhere.
    expect(s.price.values).toEqual([null, null, '0.2', '0.25']);
    expect(s.price.notes).toEqual([GAP_NO_DATA, GAP_NO_PRICE, null, null]);
    const passwd = site.modelsById.get(PASSWD)!;
    const p = modelSeries(site.timeline, passwd.epochs, passwd.firstEpoch);
    expect(p.hosts.values).toEqual([1, null]);
    expect(p.hosts.notes).toEqual([null, GAP_NOT_LISTED]);
  });

  it('chart an unknown effective weight as a gap with its reason, and effective weight apart from raw', () => {
    const qwq = site.modelsById.get(QWQ)!;
    const s = modelSeries(site.timeline, qwq.epochs, qwq.firstEpoch);
    expect(s.effectiveWeight.values).toEqual([null, null, 14266, 13668]);
    expect(s.effectiveWeight.notes).toEqual([GAP_NO_DATA, GAP_NO_FACTOR, null, null]);
    expect(s.rawWeight.values).toEqual([null, 20544, 19023, 18224]);
    expect(s.price.values).toEqual([null, null, null, null]);
    const b32 = site.modelsById.get(B32)!;
    expect(modelSeries(site.timeline, b32.epochs, b32.firstEpoch).effectiveWeight.values).toEqual([null, 178150, 172277, 166270]);
  });

  it('chart the network totals over every epoch, effective weight with raw beside it', () => {
    const n = networkSeries(site.timeline);
    expect(n.epochs.map((e) => e.epochId)).toEqual([103, 104, 105, 106]);
    expect(n.rawWeight.values).toEqual([null, 495752, 516660, 545959]);
    expect(n.effectiveWeight.values).toEqual([null, null, 613053, 635861]);
    expect(n.effectiveWeight.notes).toEqual([GAP_NO_DATA, GAP_NO_FACTOR, null, null]);
    expect(n.hosts.values.slice(1)).toEqual([104, 105, 106].map((id) => site.snapshots.get(id)!.totals.hosts));
    expect(n.models.notes[0]).toBe(GAP_NO_DATA);
  });
});

describe('table trends', () => {
  it('give each row its effective weight change and a sparkline path; none for the oldest epoch', () => {
    const t = epochTrends(site.timeline, site.diffs, 106);
    expect(t).toMatchObject({ epochId: 106, previousEpochId: 105, sparkEpochs: 4 });
    expect(t.rows.map((r) => r.id)).toEqual(site.snapshots.get(106)!.models.map((m) => m.id));
    const kimi = t.rows.find((r) => r.id === KIMI)!;
    expect(kimi).toMatchObject({ weightDelta: 24016 - 8120, hostsDelta: 1, isNew: false, deltaUnknown: false });
    // Kimi: no data in 103, not listed in 104, then 105 and 106: one segment over the last two.
    expect(kimi.spark.match(/M/g)).toHaveLength(1);
    expect(kimi.spark).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
    expect(t.rows.find((r) => r.id === B32)).toMatchObject({ weightDelta: 166270 - 172277, weightDeltaPct: -3.49 });
    // QwQ's effective weight is unknown in 104: one point drawn in 105 and 106 only.
    expect(t.rows.find((r) => r.id === QWQ)!.spark.match(/M/g)).toHaveLength(1);
    const t105 = epochTrends(site.timeline, site.diffs, 105);
    expect(t105.rows.find((r) => r.id === QWQ)).toMatchObject({ weightDelta: null, weightDeltaPct: null, deltaUnknown: true });
    // One known value (105) is no trend.
    expect(t105.rows.find((r) => r.id === QWQ)!.spark).toBe('');
    const first = epochTrends(site.timeline, site.diffs, 104);
    expect(first.previousEpochId).toBeNull();
    expect(first.rows.every((r) => r.weightDelta === null && r.hostsDelta === null && !r.isNew && !r.deltaUnknown)).toBe(true);
    expect(() => epochTrends(site.timeline, site.diffs, 103)).toThrow(/no snapshot/);
  });

  it('span at most 14 epochs', () => {
    const snap = site.snapshots.get(106)!;
    const many: EpochIndexEntry[] = Array.from({ length: 20 }, (_, i) => ({
      epoch_id: i + 1,
      available: true as const,
      is_current: i === 19,
      height: i,
      start_time: null,
      end_time: null,
      total_weight: 1,
      effective_weight: 1,
      hosts: 1,
      models: 1,
      file: `epochs/${i + 1}.json`,
    }));
    const snaps = new Map<number, EpochSnapshot>(many.map((e) => [e.epoch_id, { ...snap, epoch_id: e.epoch_id }]));
    const t = epochTrends(buildTimeline(many, snaps), new Map(), 20);
    expect(t.sparkEpochs).toBe(14);
  });
});
