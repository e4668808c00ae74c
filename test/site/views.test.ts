/**
 * The derived views of src/site/history.ts on the fixture (epoch 103 without data,
 * 104 without usage) and on hand-edited copies of it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSiteData } from '../../src/site/load.ts';
import {
  GAP_NO_DATA,
  GAP_NOT_LISTED,
  GAP_NO_USAGE,
  buildTimeline,
  epochTrends,
  modelChartDomain,
  modelSeries,
  networkSeries,
  summariseModel,
} from '../../src/site/history.ts';
import type { EpochSnapshot } from '../../src/snapshot/schema.ts';

const site = readSiteData(path.resolve('test/fixtures/site-basic/data'));
const BIG = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
const KIMI = 'moonshotai/Kimi-K2.6';
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
  it('compare each epoch with the previous one with data; the oldest has none', () => {
    expect([...site.diffs.keys()].sort()).toEqual([105, 106]);
    const d106 = site.diffs.get(106)!;
    expect(d106.previousEpochId).toBe(105);
    expect(d106.deltas.find((d) => d.id === BIG)).toMatchObject({ weightDelta: 431907 - 418377, hostsDelta: 1, isNew: false });
    expect(d106.deltas.find((d) => d.id === 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16')).toMatchObject({ weightDelta: 2210, weightDeltaPct: null, isNew: true });
    expect(d106.added).toContain('RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16');
  });
});

describe('model summary', () => {
  it('gives the hosted span, the peak (first epoch reaching it) and the parameter changes', () => {
    const big = site.modelsById.get(BIG)!;
    expect(big.summary).toMatchObject({ firstHosted: 104, lastHosted: 106, hostedEpochs: 3, peak: { epochId: 106, weight: 431907 } });
    const row = (epochId: number, weight: number, hosts: number) => ({
      epochId,
      usageUnavailable: null,
      row: { ...big.latest, total_weight: weight, participant_count: hosts },
    });
    const s = summariseModel(BIG, [row(3, 0, 0), row(1, 5, 1), row(2, 9, 2), row(4, 9, 1), row(5, 0, 0)], []);
    expect(s).toEqual({ firstHosted: 1, lastHosted: 4, hostedEpochs: 3, peak: { epochId: 2, weight: 9 }, paramChanges: [] });
    expect(summariseModel(BIG, [row(1, 0, 0)], []).peak).toBeNull();
  });
});

describe('chart series', () => {
  it('span a model from its first listing, reaching back over epochs without data, with gaps and reasons', () => {
    expect(modelChartDomain(site.timeline, 104).map((t) => t.epochId)).toEqual([103, 104, 105, 106]);
    expect(modelChartDomain(site.timeline, 105).map((t) => t.epochId)).toEqual([105, 106]);
    const big = site.modelsById.get(BIG)!;
    const s = modelSeries(site.timeline, big.epochs, big.firstEpoch);
    expect(s.epochs.map((e) => e.epochId)).toEqual([103, 104, 105, 106]);
    expect(s.weight.values).toEqual([null, 402118, 418377, 431907]);
    expect(s.weight.notes).toEqual([GAP_NO_DATA, null, null, null]);
    expect(s.inferences.values).toEqual([null, null, 1873204, 912044]);
    expect(s.inferences.notes).toEqual([GAP_NO_DATA, GAP_NO_USAGE, null, null]);
    expect(s.aiTokens.values[2]).toBe('98123456789012');
    const passwd = site.modelsById.get(PASSWD)!;
    const p = modelSeries(site.timeline, passwd.epochs, passwd.firstEpoch);
    expect(p.hosts.values).toEqual([1, null]);
    expect(p.hosts.notes).toEqual([null, GAP_NOT_LISTED]);
  });

  it('chart the network totals over every epoch', () => {
    const n = networkSeries(site.timeline);
    expect(n.epochs.map((e) => e.epochId)).toEqual([103, 104, 105, 106]);
    expect(n.weight.values[0]).toBeNull();
    expect(n.hosts.values.slice(1)).toEqual([104, 105, 106].map((id) => site.snapshots.get(id)!.totals.hosts));
    expect(n.models.notes[0]).toBe(GAP_NO_DATA);
  });
});

describe('table trends', () => {
  it('give each row its change and a sparkline path; none for the oldest epoch', () => {
    const t = epochTrends(site.timeline, site.diffs, 106);
    expect(t).toMatchObject({ epochId: 106, previousEpochId: 105, sparkEpochs: 4 });
    expect(t.rows.map((r) => r.id)).toEqual(site.snapshots.get(106)!.models.map((m) => m.id));
    const kimi = t.rows.find((r) => r.id === KIMI)!;
    expect(kimi).toMatchObject({ weightDelta: 24016 - 8120, hostsDelta: 1, isNew: false });
    // Kimi: no data in 103, not listed in 104, then 105 and 106: one segment over the last two.
    expect(kimi.spark.match(/M/g)).toHaveLength(1);
    expect(kimi.spark).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
    const first = epochTrends(site.timeline, site.diffs, 104);
    expect(first.previousEpochId).toBeNull();
    expect(first.rows.every((r) => r.weightDelta === null && r.hostsDelta === null && !r.isNew)).toBe(true);
    expect(() => epochTrends(site.timeline, site.diffs, 103)).toThrow(/no snapshot/);
  });

  it('span at most 14 epochs', () => {
    const snap = site.snapshots.get(106)!;
    const many = Array.from({ length: 20 }, (_, i) => ({ epoch_id: i + 1, available: true as const, is_current: i === 19, height: i, start_time: null, end_time: null, total_weight: 1, hosts: 1, models: 1, file: `epochs/${i + 1}.json` }));
    const snaps = new Map<number, EpochSnapshot>(many.map((e) => [e.epoch_id, { ...snap, epoch_id: e.epoch_id }]));
    const t = epochTrends(buildTimeline(many, snaps), new Map(), 20);
    expect(t.sparkEpochs).toBe(14);
  });
});
