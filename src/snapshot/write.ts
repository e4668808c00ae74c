/**
 * Deterministic writing of snapshots under `data/`: 2-space JSON in schema key
 * order, unchanged files left alone, and a change applied in two steps so that
 * it lands together with the cache. A `SnapshotStage` writes the changed
 * files, one snapshot at a time, into `data/.staged-<pid>/`, then a manifest
 * naming the cache file that must be committed for them to count;
 * `applyStaged` moves them into place (the index last, so a reader never sees
 * an index pointing at a missing file). A run that dies after committing the
 * cache but before applying is completed by the next run's `recoverStaged`; one
 * that dies before committing leaves a manifest that names a cache file that
 * never came into place (or no manifest at all), and it is dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  SCHEMA_VERSION,
  epochIndexSchema,
  epochSnapshotSchema,
  type EpochIndex,
  type EpochIndexEntry,
  type EpochSnapshot,
  type Source,
} from './schema.ts';

/** Files written, left as they were, and removed. */
export interface WriteResult {
  written: string[];
  unchanged: number;
  removed: string[];
}

/** The relative path of an epoch's snapshot under the data folder. */
export const epochFile = (epochId: number) => `epochs/${epochId}.json`;

/** The one JSON serialisation of the project: 2 spaces, trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A snapshot's line in the epoch index. */
export function indexEntry(s: EpochSnapshot): EpochIndexEntry {
  return {
    epoch_id: s.epoch_id,
    available: true,
    is_current: s.is_current,
    height: s.height,
    start_time: s.window?.start_time ?? null,
    end_time: s.window?.end_time ?? null,
    total_weight: s.totals.model_weight,
    effective_weight: s.totals.effective_weight,
    hosts: s.totals.hosts,
    models: s.totals.models_hosted,
    file: epochFile(s.epoch_id),
  };
}

/** Builds the epoch index from its entries (available and unavailable), ascending by epoch. */
export function buildIndex(source: Source, fetchedAt: string, currentEpoch: number, entries: EpochIndexEntry[]): EpochIndex {
  return epochIndexSchema.parse({
    schema_version: SCHEMA_VERSION,
    source,
    fetched_at: fetchedAt,
    current_epoch: currentEpoch,
    stale: null,
    epochs: [...entries].sort((a, b) => a.epoch_id - b.epoch_id),
  });
}

/** What a staged change needs to come into place: the cache file it belongs to, and what it writes and removes. */
interface Manifest {
  /** Inode of the cache file that, once renamed into place, makes this change count. */
  cacheInode: number;
  /** Relative paths staged, the index last. */
  files: string[];
  remove: string[];
}

/** A change staged in the data folder, ready to apply once the cache is committed. */
export interface StagedWrite {
  dir: string;
  result: WriteResult;
}

const STAGED_PREFIX = '.staged-';
const MANIFEST = 'manifest.json';

function unchanged(file: string, content: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === content;
  } catch {
    return false; // missing: write it
  }
}

/**
 * A change staged one snapshot at a time, so that a run holds no snapshot (nor its
 * text) longer than it takes to write it: `add` validates a snapshot and stages it
 * unless `data/` already holds it byte for byte; `finish` stages the index and the
 * manifest. Nothing in `dataDir` itself changes; a failure calls `discard`.
 */
export class SnapshotStage {
  /** Epochs staged, by id, with their relative paths. */
  private readonly staged = new Map<number, string>();
  /** Epochs `data/` already holds as they are. */
  private readonly same = new Set<number>();

  private constructor(
    private readonly dataDir: string,
    /** The staging folder, inside `dataDir`. */
    readonly dir: string,
  ) {}

  /** Starts a change in `dataDir` (replacing one this process left). */
  static open(dataDir: string): SnapshotStage {
    fs.mkdirSync(path.join(dataDir, 'epochs'), { recursive: true });
    const dir = path.join(dataDir, `${STAGED_PREFIX}${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'epochs'), { recursive: true });
    return new SnapshotStage(dataDir, dir);
  }

  /** Validates and stages one snapshot; returns its index entry. */
  add(snapshot: EpochSnapshot): EpochIndexEntry {
    // parse() for the schema's key order, and so that an invalid snapshot stages nothing.
    const content = toJson(epochSnapshotSchema.parse(snapshot));
    const rel = epochFile(snapshot.epoch_id);
    if (unchanged(path.join(this.dataDir, rel), content)) this.same.add(snapshot.epoch_id);
    else {
      fs.writeFileSync(path.join(this.dir, rel), content);
      this.staged.set(snapshot.epoch_id, rel);
    }
    return indexEntry(snapshot);
  }

  /**
   * Stages the index and the manifest, which names the cache file that must be
   * committed for the change to count (src/cache/store.ts `Cache.seal`). Snapshots
   * staged for epochs the index does not list are dropped; every epoch it lists as
   * available must have been added.
   */
  finish(index: EpochIndex, cacheInode: number): StagedWrite {
    const indexJson = toJson(epochIndexSchema.parse(index));
    const available = new Set(index.epochs.filter((e) => e.available).map((e) => e.epoch_id));
    for (const k of available) if (!this.staged.has(k) && !this.same.has(k)) throw new Error(`the index lists epoch ${k}, but its snapshot was not staged`);
    for (const [k, rel] of this.staged) {
      if (available.has(k)) continue;
      fs.rmSync(path.join(this.dir, rel), { force: true });
      this.staged.delete(k);
    }
    const result: WriteResult = {
      written: [...this.staged].sort(([a], [b]) => a - b).map(([, rel]) => rel),
      unchanged: [...this.same].filter((k) => available.has(k)).length,
      removed: [],
    };
    if (unchanged(path.join(this.dataDir, 'index.json'), indexJson)) result.unchanged++;
    else {
      fs.writeFileSync(path.join(this.dir, 'index.json'), indexJson);
      result.written.push('index.json');
    }
    const keep = new Set([...available].map((k) => path.basename(epochFile(k))));
    for (const name of fs.readdirSync(path.join(this.dataDir, 'epochs'))) {
      if (/^\d+\.json$/.test(name) && !keep.has(name)) result.removed.push(`epochs/${name}`);
    }
    const manifest: Manifest = { cacheInode, files: result.written, remove: result.removed };
    fs.writeFileSync(path.join(this.dir, MANIFEST), toJson(manifest));
    return { dir: this.dir, result };
  }

  /** Drops the change. */
  discard(): void {
    discardStaged(this.dir);
  }
}

/** Moves a staged change into place (each file by rename, the index last), removes what it removes, and drops the stage. */
export function applyStaged(dataDir: string, stagedDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(stagedDir, MANIFEST), 'utf8')) as Manifest;
  // Idempotent: a file already moved by an interrupted apply is simply not there any more.
  for (const rel of manifest.files) {
    const from = path.join(stagedDir, rel);
    if (fs.existsSync(from)) fs.renameSync(from, path.join(dataDir, rel));
  }
  for (const rel of manifest.remove) fs.rmSync(path.join(dataDir, rel), { force: true });
  fs.rmSync(stagedDir, { recursive: true, force: true });
}

/** Drops a staged change (its cache was not committed). */
export function discardStaged(stagedDir: string): void {
  fs.rmSync(stagedDir, { recursive: true, force: true });
}

/**
 * Finishes or drops changes a killed run left in `dataDir`: a change whose cache
 * file is the one in place (`cacheInode`, null when there is none) is applied,
 * any other is dropped. Call while holding the cache lock.
 */
export function recoverStaged(dataDir: string, cacheInode: number | null): { applied: number; dropped: number } {
  const out = { applied: 0, dropped: 0 };
  if (!fs.existsSync(dataDir)) return out;
  for (const name of fs.readdirSync(dataDir)) {
    if (!name.startsWith(STAGED_PREFIX)) continue;
    const dir = path.join(dataDir, name);
    let manifest: Manifest | null = null;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    } catch {
      // killed while staging: no manifest yet, so no cache was committed for it
    }
    if (manifest && cacheInode !== null && manifest.cacheInode === cacheInode) {
      applyStaged(dataDir, dir);
      out.applied++;
    } else {
      discardStaged(dir);
      out.dropped++;
    }
  }
  return out;
}
