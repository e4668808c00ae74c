import { describe, expect, it } from 'vitest';
import {
  bandCenter,
  bandTicks,
  chartViews,
  epochTickIndices,
  MAX_BANDS,
  type ChartValue,
  linePath,
  niceStep,
  pct,
  plotNumber,
  seriesMax,
  sparklinePath,
  valueTicks,
  yPixel,
} from '../../src/display/chart-layout.ts';

describe('value scale', () => {
  it('picks round steps (1, 2, 2.5, 5 × 10^k) and never fractional ones for counts', () => {
    expect(niceStep(1_758_751)).toBe(500_000);
    expect(niceStep(321)).toBe(100);
    expect(niceStep(6)).toBe(2);
    expect(niceStep(3)).toBe(1);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(0)).toBe(1);
    expect(niceStep(958_826)).toBe(250_000);
  });

  it('ticks from 0 to the first step at or above the maximum', () => {
    expect(valueTicks(1_758_751)).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(valueTicks(300)).toEqual([0, 100, 200, 300]);
    expect(valueTicks(6)).toEqual([0, 2, 4, 6]);
    expect(valueTicks(0)).toEqual([0, 1]);
    expect(valueTicks(958_826)).toEqual([0, 250_000, 500_000, 750_000, 1_000_000]);
    // Token counts beyond 2^53 still get a scale (plotted approximately).
    const big = valueTicks(Number('18446744073709551999'));
    expect(big[0]).toBe(0);
    expect(big.at(-1)!).toBeGreaterThanOrEqual(1.8e19);
  });

  it('allows fractional steps for decimal data such as prices', () => {
    expect(valueTicks(0.25, 4, false)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(valueTicks(1.5, 4, false)).toEqual([0, 0.5, 1, 1.5]);
    expect(valueTicks(0.003, 4, false)).toEqual([0, 0.001, 0.002, 0.003]);
    expect(niceStep(1.5, 4, false)).toBe(0.5);
    // Counts keep whole steps.
    expect(valueTicks(1.5)).toEqual([0, 1, 2]);
  });

  it('maps values to pixel rows, 0 at the bottom, the top tick at the top', () => {
    expect(yPixel(0, 100, 10, 110)).toBe(110);
    expect(yPixel(100, 100, 10, 110)).toBe(10);
    expect(yPixel(50, 100, 10, 110)).toBe(60);
    expect(yPixel(5, 0, 10, 110)).toBe(110);
  });

  it('reads decimal strings as numbers for plotting and skips gaps', () => {
    expect(plotNumber('41022019377')).toBe(41022019377);
    expect(plotNumber(null)).toBeNull();
    expect(seriesMax([[1, null, 3], ['7', null]])).toBe(7);
    expect(seriesMax([[null]])).toBe(0);
  });
});

describe('x axis', () => {
  it('puts one band per epoch and points in the middle of theirs', () => {
    expect(bandCenter(0, 4)).toBe(0.125);
    expect(bandCenter(3, 4)).toBe(0.875);
    expect(pct(0.125)).toBe('12.5%');
    expect(pct(1 / 3)).toBe('33.333%');
  });

  it('labels every epoch when few, else round epoch numbers, at most maxTicks', () => {
    expect(epochTickIndices([4, 5, 6])).toEqual([0, 1, 2]);
    const ids = Array.from({ length: 36 }, (_, i) => i + 1);
    expect(epochTickIndices(ids).map((i) => ids[i])).toEqual([10, 20, 30]);
    expect(epochTickIndices(ids, 8).map((i) => ids[i])).toEqual([5, 10, 15, 20, 25, 30, 35]);
    expect(epochTickIndices(ids, 2).map((i) => ids[i])).toEqual([20]);
    const late = Array.from({ length: 120 }, (_, i) => i + 100);
    expect(epochTickIndices(late).map((i) => late[i])).toEqual([100, 120, 140, 160, 180, 200]);
    expect(epochTickIndices([])).toEqual([]);
  });
});

describe('paths', () => {
  it('breaks the line at gaps and draws a lone point as a dot', () => {
    const pts = [{ x: 0, y: 10 }, { x: 0.25, y: 20 }, null, { x: 0.75, y: 5 }, null];
    expect(linePath(pts, 100)).toBe('M0 10L25 20M75 5h0');
    expect(linePath([null, null], 100)).toBe('');
    expect(linePath([{ x: 0.5, y: 1 }], 1000)).toBe('M500 1h0');
  });

  it('scales a sparkline from 0 to its largest value, with gaps', () => {
    const d = sparklinePath([0, 50, null, 100], 64, 18);
    expect(d).toMatch(/^M1\.5 16\.5L/); // 0 sits on the bottom edge (inset by the stroke)
    expect(d).toContain('M62.5 1.5h0'); // the largest value at the top, alone after the gap
    expect(sparklinePath([null, null])).toBe('');
    expect(sparklinePath([null, 5])).toBe(''); // one point shows no trend
    expect(sparklinePath([0, 0])).toBe('M1.5 16.5L62.5 16.5');
  });
});

describe('chartViews', () => {
  const epochsOf = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ epochId: from + i, date: null }));
  const seriesOf = (values: ChartValue[]) => ({ label: 'v', values, notes: values.map((v) => (v === null ? 'no data' : null)) });

  it('offers only "all" up to 30 epochs, then the last 30 first', () => {
    expect(chartViews(epochsOf(1, 30), [seriesOf(Array(30).fill(1))]).map((v) => v.key)).toEqual(['all']);
    const views = chartViews(epochsOf(1, 44), [seriesOf(Array(44).fill(1))]);
    expect(views.map((v) => [v.key, v.label, v.epochs.length])).toEqual([
      ['last-30', 'Last 30', 30],
      ['all', 'All 44', 44],
    ]);
    expect(views[0]!.epochs[0]!.epochId).toBe(15);
  });

  it('groups "all" into at most MAX_BANDS bands counted back from the newest, whatever the depth', () => {
    for (const n of [91, 460, 1000]) {
      const values = Array.from({ length: n }, (_, i) => i + 1);
      const views = chartViews(epochsOf(1, n), [seriesOf(values)]);
      expect(views.map((v) => v.key)).toEqual(['last-30', 'last-90', 'all']);
      const all = views[2]!;
      expect(all.epochs.length).toBeLessThanOrEqual(MAX_BANDS);
      expect(all.perBand).toBe(Math.ceil(n / MAX_BANDS));
      // The newest band ends at the newest epoch and is full; bands tile the epochs without overlap.
      expect(all.lastEpochIds.at(-1)).toBe(n);
      expect(all.lastEpochIds.at(-1)! - all.epochs.at(-1)!.epochId + 1).toBe(all.perBand);
      for (let i = 1; i < all.epochs.length; i++) expect(all.epochs[i]!.epochId).toBe(all.lastEpochIds[i - 1]! + 1);
      expect(all.epochs[0]!.epochId).toBe(1);
      // A line shows each band's last value, and says from which epoch.
      expect(all.series[0]!.values.at(-1)).toBe(n);
      expect(all.sourceEpochIds[0]!.at(-1)).toBe(n);
    }
  });

  it('averages bars per epoch over the known values of a band, exactly beyond 2^53, and keeps gaps as gaps', () => {
    const big = '9007199254740993';
    const values: ChartValue[] = Array.from({ length: 182 }, (_, i) => (i < 2 ? null : i === 180 ? big : i === 181 ? '9007199254740995' : 10));
    const all = chartViews(epochsOf(1, 182), [seriesOf(values)], 'bar').at(-1)!;
    expect(all.perBand).toBe(3);
    // The newest band: epochs 180–182, values 10, 2^53+1, 2^53+3 → exact mean.
    expect(all.series[0]!.values.at(-1)).toBe(((10n + 9007199254740993n + 9007199254740995n + 1n) / 3n).toString());
    // The oldest band (epochs 1–2, both unknown) is a gap with the epochs' reason.
    expect(all.epochs[0]!.epochId).toBe(1);
    expect(all.series[0]!.values[0]).toBeNull();
    expect(all.series[0]!.notes[0]).toBe('no data');
  });
});

describe('bandTicks', () => {
  it('labels round epochs inside grouped bands with the round epoch itself', () => {
    const firsts = Array.from({ length: 84 }, (_, i) => 5 + i * 12);
    const lasts = firsts.map((f) => f + 11);
    const ticks = bandTicks(firsts, lasts);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) {
      expect(t.epochId % 100).toBe(0);
      expect(t.epochId).toBeGreaterThanOrEqual(firsts[t.index]!);
      expect(t.epochId).toBeLessThanOrEqual(lasts[t.index]!);
    }
  });
});
