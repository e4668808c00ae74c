import { describe, expect, it } from 'vitest';
import { RANGE_SIZE, RECENT_ROWS, rangeOf, rangeSegment, splitByEpoch } from '../../src/views/ranges.ts';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('splitByEpoch', () => {
  it('keeps a short list whole, newest first, and still has its blocks', () => {
    const { recent, ranges, split } = splitByEpoch(ids(3, 3 + RECENT_ROWS - 1), (n) => n);
    expect(recent[0]).toBe(3 + RECENT_ROWS - 1);
    expect(recent).toHaveLength(RECENT_ROWS);
    expect(split).toBe(false);
    expect(ranges.map(rangeSegment)).toEqual(['0-99']);
    expect(ranges[0]!.entries).toEqual(recent);
  });

  it('splits a long list into the newest rows and fixed blocks of epoch ids that cover every entry once', () => {
    const all = ids(7, 460);
    const shuffled = [...all].sort((a, b) => ((a * 7919) % 463) - ((b * 7919) % 463));
    const { recent, ranges, split } = splitByEpoch(shuffled, (n) => n);
    expect(split).toBe(true);
    expect(recent).toEqual(ids(460 - RECENT_ROWS + 1, 460).reverse());
    expect(ranges.map(rangeSegment)).toEqual(['400-499', '300-399', '200-299', '100-199', '0-99']);
    expect(ranges[4]!.entries).toEqual(ids(7, 99).reverse());
    expect(ranges.flatMap((r) => r.entries).sort((a, b) => a - b)).toEqual(all);
    for (const r of ranges) for (const n of r.entries) expect(rangeOf(n)).toEqual({ start: r.start, end: r.end });
  });

  it('leaves out blocks with no entry (a model absent for a hundred epochs)', () => {
    const entries = [...ids(5, 40), ...ids(250, 300)].map((epoch) => ({ epoch }));
    const { ranges } = splitByEpoch(entries, (e) => e.epoch);
    expect(ranges.map(rangeSegment)).toEqual(['300-399', '200-299', '0-99']);
  });

  it('gives a block bounds that never move as epochs are added', () => {
    const before = splitByEpoch(ids(0, 250), (n) => n).ranges.map(rangeSegment);
    const after = splitByEpoch(ids(0, 251), (n) => n).ranges.map(rangeSegment);
    expect(after).toEqual(before);
    expect(rangeOf(RANGE_SIZE)).toEqual({ start: RANGE_SIZE, end: 2 * RANGE_SIZE - 1 });
  });
});
