/**
 * Pure layout for the server-rendered SVG charts and sparklines: value scales with
 * "nice" ticks, epoch ticks on the x axis, point positions and path building with
 * gaps. No DOM and no environment, so it is unit-tested directly and shared by the
 * chart component (build time) and the sparkline paths handed to the island.
 *
 * Geometry: the x axis is a row of equal bands, one per epoch; a point sits in the
 * middle of its band and a bar fills part of it. Horizontal positions are fractions
 * of the plot width (the chart renders them as percentages, so the SVG stretches to
 * any width while its text stays at its real size); vertical ones are pixels.
 */

/** A chart value: a count, or a decimal string for counts that can pass 2^53 (token counts). */
export type ChartValue = number | string | null;

/** One epoch on a chart's x axis. */
export interface ChartEpoch {
  epochId: number;
  /** The epoch's start (ISO), shown under the epoch number; null when unknown. */
  date: string | null;
}

/** One series of a chart, aligned with the chart's epochs. */
export interface ChartSeries {
  label: string;
  /** null = a gap (never drawn as 0). */
  values: ChartValue[];
  /** Why a value is missing (same index), shown on hover and in the data table. */
  notes: Array<string | null>;
}

/** The number a value is plotted at (decimal strings are approximated, which is fine for pixels). */
export function plotNumber(value: ChartValue): number | null {
  if (value === null) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The step of at most `count` + 1 round ticks (1, 2, 2.5 or 5 × 10^k) covering 0…max; whole above 1 for `integer` data. */
export function niceStep(max: number, count = 4, integer = true): number {
  if (!(max > 0)) return 1;
  const raw = max / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const step = m * mag;
    // Integer data never needs fractional ticks.
    if (step >= raw && (!integer || step >= 1 || max < 1)) return step;
  }
  return 10 * mag;
}

/**
 * Ticks from 0 to the first multiple of the step at or above `max` (at least [0, 1]
 * for integer data). `integer: false` (prices) allows fractional steps below 1.
 */
export function valueTicks(max: number, count = 4, integer = true): number[] {
  const step = integer ? Math.max(1, niceStep(max, count)) : niceStep(max, count, false);
  const top = max > 0 ? Math.ceil(max / step - 1e-9) * step : step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

/** Middle of band `i` of `n`, as a fraction of the plot width. */
export function bandCenter(i: number, n: number): number {
  return (i + 0.5) / n;
}

/** Left edge of band `i` of `n`, as a fraction of the plot width. */
export function bandStart(i: number, n: number): number {
  return i / n;
}

/** A fraction as an SVG percentage with three decimals (`0.5` → `50%`). */
export function pct(fraction: number): string {
  return `${Math.round(fraction * 1e5) / 1e3}%`;
}

/** Rounds a coordinate to two decimals for compact paths. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Maps a value in [0, max] to a pixel row between `bottom` (0) and `top` (max). */
export function yPixel(value: number, max: number, top: number, bottom: number): number {
  if (!(max > 0)) return bottom;
  return round2(bottom - (Math.min(value, max) / max) * (bottom - top));
}

/**
 * The epochs to label on the x axis: every epoch divisible by a round step
 * (1, 2, 5, 10, 20, 25, 50, …) chosen so at most `maxTicks` are labelled.
 * Returns indices into `epochIds` (ascending ids).
 */
export function epochTickIndices(epochIds: number[], maxTicks = 6): number[] {
  return bandTicks(epochIds, epochIds, maxTicks).map((t) => t.index);
}

/** A point of a line: x as a fraction of the width, y in pixels; null breaks the line. */
export type LinePoint = { x: number; y: number } | null;

/**
 * An SVG path through the points, with a new subpath after every gap, in a
 * coordinate space `width` wide (x fractions are scaled to it). A point with no
 * neighbour becomes a zero-length segment, drawn as a dot by a round line cap.
 */
export function linePath(points: LinePoint[], width: number): string {
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!p) continue;
    const x = round2(p.x * width);
    const prev = i > 0 ? points[i - 1] : null;
    const next = i < points.length - 1 ? points[i + 1] : null;
    if (!prev) {
      d += `M${x} ${p.y}`;
      if (!next) d += 'h0';
    } else {
      d += `L${x} ${p.y}`;
    }
  }
  return d;
}

/** Sparkline size in its own viewBox units (the island draws it at this size). */
export const SPARK_WIDTH = 64;
export const SPARK_HEIGHT = 18;

/**
 * A sparkline path for the values (oldest first; null = gap), scaled from 0 to the
 * largest value so the height reads as magnitude, not as noise. Empty when fewer
 * than two values are known: one point shows no trend.
 */
export function sparklinePath(values: ChartValue[], width = SPARK_WIDTH, height = SPARK_HEIGHT): string {
  const nums = values.map(plotNumber);
  if (nums.filter((v) => v !== null).length < 2) return '';
  const max = Math.max(0, ...nums.map((v) => v ?? 0));
  const pad = 1.5; // room for the stroke at the top and bottom
  const along = (i: number) => (values.length === 1 ? 0.5 : i / (values.length - 1));
  const points = nums.map((v, i) =>
    v === null ? null : { x: (pad + along(i) * (width - 2 * pad)) / width, y: yPixel(v, max, pad, height - pad) },
  );
  return linePath(points, width);
}

/** The largest plotted value among all series (0 when there is none). */
export function seriesMax(series: ChartValue[][]): number {
  let max = 0;
  for (const s of series) for (const v of s) {
    const n = plotNumber(v);
    if (n !== null && n > max) max = n;
  }
  return max;
}

/** Bands a chart view draws at most: the "all epochs" view groups consecutive epochs beyond this. */
export const MAX_BANDS = 90;
/** The recent ranges a chart offers before "all epochs", in epochs. */
export const RECENT_RANGES = [30, 90] as const;

/** One way of showing a chart: the last N epochs, or all of them (grouped when there are more than `MAX_BANDS`). */
export interface ChartView {
  /** `last-30`, `last-90` or `all`: unique within a chart. */
  key: string;
  /** The range switch's label. */
  label: string;
  /** Each band's first epoch (and its date). */
  epochs: ChartEpoch[];
  /** Each band's last epoch: the same as `epochs[i].epochId` unless epochs are grouped. */
  lastEpochIds: number[];
  /** Epochs per band: 1, or the group size of a grouped "all" view. */
  perBand: number;
  /**
   * The series per band. Grouped, a line shows the band's last known value
   * (`sourceEpochIds` says whose) and a bar the mean per epoch of its known values.
   */
  series: ChartSeries[];
  /** Per series and band, the epoch a grouped line value comes from (null: none, or not grouped). */
  sourceEpochIds: Array<Array<number | null>>;
}

/** The mean of known values, exact for decimal strings (token counts beyond 2^53), rounded to a whole number. */
function meanOf(values: Exclude<ChartValue, null>[]): ChartValue {
  if (values.length === 0) return null;
  if (values.some((v) => typeof v === 'string')) {
    const sum = values.reduce<bigint>((acc, v) => acc + BigInt(typeof v === 'string' ? v : Math.round(v)), 0n);
    const n = BigInt(values.length);
    return ((sum + n / 2n) / n).toString();
  }
  return Math.round((values as number[]).reduce((a, b) => a + b, 0) / values.length);
}

/** `epochs` and `series` as bands of `size` consecutive epochs, counted back from the newest (the oldest band may be shorter). */
function grouped(epochs: ChartEpoch[], series: ChartSeries[], kind: 'line' | 'bar', size: number): Omit<ChartView, 'key' | 'label'> {
  const n = epochs.length;
  const bounds: Array<[number, number]> = [];
  for (let end = n; end > 0; end -= size) bounds.unshift([Math.max(0, end - size), end]);
  const sourceEpochIds = series.map(() => [] as Array<number | null>);
  const out = series.map((s, k) => {
    const values: ChartValue[] = [];
    const notes: Array<string | null> = [];
    for (const [from, to] of bounds) {
      const idx = Array.from({ length: to - from }, (_, j) => from + j).filter((i) => s.values[i] !== null);
      if (idx.length === 0) {
        values.push(null);
        notes.push(s.notes[to - 1] ?? null);
        sourceEpochIds[k]!.push(null);
      } else if (kind === 'line') {
        const last = idx[idx.length - 1]!;
        values.push(s.values[last]!);
        notes.push(null);
        sourceEpochIds[k]!.push(epochs[last]!.epochId);
      } else {
        values.push(meanOf(idx.map((i) => s.values[i]!)));
        notes.push(null);
        sourceEpochIds[k]!.push(null);
      }
    }
    return { label: s.label, values, notes };
  });
  return {
    epochs: bounds.map(([from]) => epochs[from]!),
    lastEpochIds: bounds.map(([, to]) => epochs[to - 1]!.epochId),
    perBand: size,
    series: out,
    sourceEpochIds,
  };
}

/**
 * The views a chart offers, the default first: the last 30 and 90 epochs where
 * there are more, then all of them, grouped into at most `MAX_BANDS` bands. So
 * a chart's size is bounded at any depth and the recent epochs stay readable.
 */
export function chartViews(epochs: ChartEpoch[], series: ChartSeries[], kind: 'line' | 'bar' = 'line'): ChartView[] {
  const n = epochs.length;
  const plain = (from: number): Omit<ChartView, 'key' | 'label'> => ({
    epochs: epochs.slice(from),
    lastEpochIds: epochs.slice(from).map((e) => e.epochId),
    perBand: 1,
    series: series.map((s) => ({ label: s.label, values: s.values.slice(from), notes: s.notes.slice(from) })),
    sourceEpochIds: series.map(() => epochs.slice(from).map(() => null)),
  });
  const views: ChartView[] = RECENT_RANGES.filter((r) => n > r && r <= MAX_BANDS).map((r) => ({ key: `last-${r}`, label: `Last ${r}`, ...plain(n - r) }));
  const all = n > MAX_BANDS ? grouped(epochs, series, kind, Math.ceil(n / MAX_BANDS)) : plain(0);
  views.push({ key: 'all', label: `All ${n}`, ...all });
  return views;
}

/**
 * The bands to label on the x axis of a view: every band holding an epoch
 * divisible by a round step (1, 2, 5, 10, 20, 25, 50, …) chosen so at most
 * `maxTicks` are labelled, each with that epoch. Bands are `[firsts[i], lasts[i]]`,
 * ascending.
 */
export function bandTicks(firsts: number[], lasts: number[], maxTicks = 6): Array<{ index: number; epochId: number }> {
  if (firsts.length === 0) return [];
  if (firsts.length <= maxTicks && firsts.every((f, i) => f === lasts[i])) return firsts.map((epochId, index) => ({ index, epochId }));
  const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];
  for (const step of steps) {
    const picked = firsts.flatMap((first, index) => {
      const m = Math.ceil(first / step) * step;
      return m <= lasts[index]! ? [{ index, epochId: m }] : [];
    });
    if (picked.length <= maxTicks && picked.length > 0) return picked;
  }
  return [
    { index: 0, epochId: firsts[0]! },
    { index: firsts.length - 1, epochId: lasts[lasts.length - 1]! },
  ];
}
