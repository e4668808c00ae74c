/**
 * Deterministic writing of snapshots under `data/`: 2-space JSON in schema key
 * order, unchanged files left alone, and a change applied in two steps so that
 * it lands together with the cache. `stageSnapshots` writes the changed files
 * into `data/.staged-<pid>/` with a manifest naming the cache file that must be
 * committed for them to count; `applyStaged` moves them into place (the index
 * last, so a reader never sees an index pointing at a missing file). A run that
 * dies after committing the cache but before applying is completed by the next
 * run's `recoverStaged`; one that dies before committing leaves a manifest that
 * names a cache file that never came into place, and it is dropped.
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

/** Builds the epoch index from the available snapshots and the unavailable entries, ascending by epoch. */
export function buildIndex(
  source: Source,
  fetchedAt: string,
  currentEpoch: number,
  snapshots: EpochSnapshot[],
  unavailable: EpochIndexEntry[],
): EpochIndex {
  const available: EpochIndexEntry[] = snapshots.map((s) => ({
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
  }));
  return epochIndexSchema.parse({
    schema_version: SCHEMA_VERSION,
    source,
    fetched_at: fetchedAt,
    current_epoch: currentEpoch,
    stale: null,
    epochs: [...available, ...unavailable].sort((a, b) => a.epoch_id - b.epoch_id),
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
 * Stages every snapshot and the index that differ from what `dataDir` holds,
 * and the removal of epoch files the index no longer names. Nothing in
 * `dataDir` itself changes yet. `cacheInode` names the cache file this change
 * belongs to (src/cache/store.ts `Cache.seal`).
 */
export function stageSnapshots(dataDir: string, index: EpochIndex, snapshots: EpochSnapshot[], cacheInode: number): StagedWrite {
  // Validate everything before writing anything (a bad snapshot stages nothing), then
  // serialise one file at a time: all texts at once are ~60 MB at 400 epochs × 500 hosts.
  for (const s of snapshots) epochSnapshotSchema.parse(s);
  const indexJson = toJson(epochIndexSchema.parse(index));

  fs.mkdirSync(path.join(dataDir, 'epochs'), { recursive: true });
  const dir = path.join(dataDir, `${STAGED_PREFIX}${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'epochs'), { recursive: true });
  try {
    return stageInto(dir, dataDir, snapshots, indexJson, cacheInode);
  } catch (err) {
    discardStaged(dir);
    throw err;
  }
}

function stageInto(dir: string, dataDir: string, snapshots: EpochSnapshot[], indexJson: string, cacheInode: number): StagedWrite {
  const result: WriteResult = { written: [], unchanged: 0, removed: [] };
  const stage = (rel: string, content: string) => {
    if (unchanged(path.join(dataDir, rel), content)) result.unchanged++;
    else {
      fs.writeFileSync(path.join(dir, rel), content);
      result.written.push(rel);
    }
  };
  // parse() again for the schema's key order; the snapshot is known to be valid.
  for (const s of snapshots) stage(epochFile(s.epoch_id), toJson(epochSnapshotSchema.parse(s)));
  stage('index.json', indexJson);

  const keep = new Set(snapshots.map((s) => path.basename(epochFile(s.epoch_id))));
  for (const name of fs.readdirSync(path.join(dataDir, 'epochs'))) {
    if (/^\d+\.json$/.test(name) && !keep.has(name)) result.removed.push(`epochs/${name}`);
  }
  const manifest: Manifest = { cacheInode, files: result.written, remove: result.removed };
  fs.writeFileSync(path.join(dir, MANIFEST), toJson(manifest));
  return { dir, result };
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
