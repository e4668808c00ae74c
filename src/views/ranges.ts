/**
 * Long lists split for reading: the newest entries for the page that lists them
 * first, and the rest in fixed blocks of epoch ids (0–99, 100–199, …). A block's
 * bounds never move as epochs are added, so its URL always names the same
 * epochs and only the newest block grows. Pure: `/epochs/` and the model pages
 * (src/site/routes.ts) take their pages from here.
 */

/** How many of the newest entries a list page shows before pointing to the blocks. */
export const RECENT_ROWS = 50;
/** Epoch ids per block. */
export const RANGE_SIZE = 100;

/** One block of epoch ids, `start`–`end` inclusive, and the entries in it, newest first. */
export interface EpochRange<T> {
  start: number;
  end: number;
  entries: T[];
}

/** The block of `RANGE_SIZE` ids that holds `epochId`. */
export function rangeOf(epochId: number): { start: number; end: number } {
  const start = Math.floor(epochId / RANGE_SIZE) * RANGE_SIZE;
  return { start, end: start + RANGE_SIZE - 1 };
}

/**
 * `entries` split for reading: the newest `RECENT_ROWS` (`recent`), every
 * non-empty block, newest block first (`ranges`), and whether the recent rows
 * leave some out (`split`: only then do pages point to the blocks). The blocks
 * exist at any depth, so a block's URL never comes and goes. Entries come in
 * any order; each list is newest first.
 */
export function splitByEpoch<T>(entries: readonly T[], epochOf: (entry: T) => number): { recent: T[]; ranges: EpochRange<T>[]; split: boolean } {
  const newestFirst = [...entries].sort((a, b) => epochOf(b) - epochOf(a));
  const recent = newestFirst.slice(0, RECENT_ROWS);
  const ranges: EpochRange<T>[] = [];
  for (const entry of newestFirst) {
    const { start, end } = rangeOf(epochOf(entry));
    const last = ranges[ranges.length - 1];
    if (last && last.start === start) last.entries.push(entry);
    else ranges.push({ start, end, entries: [entry] });
  }
  return { recent, ranges, split: recent.length < newestFirst.length };
}

/** The URL segment of a block, `<start>-<end>`. */
export function rangeSegment(range: { start: number; end: number }): string {
  return `${range.start}-${range.end}`;
}
