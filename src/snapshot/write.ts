/**
 * Deterministic, atomic writing of snapshots under `data/`: 2-space JSON in
 * schema key order, each file written to a temp file and renamed, unchanged
 * files left alone, and the index written last so a reader never sees an index
 * that points at a missing file.
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

function writeIfChanged(file: string, content: string, result: WriteResult, rel: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === content) {
      result.unchanged++;
      return;
    }
  } catch {
    // missing: write it
  }
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
  result.written.push(rel);
}

/** Writes every snapshot, then the index, then removes epoch files the index no longer names. */
export function writeSnapshots(dataDir: string, index: EpochIndex, snapshots: EpochSnapshot[]): WriteResult {
  // Validate everything before touching the folder (a bad snapshot writes nothing),
  // then serialise one file at a time: all texts at once are ~60 MB at 400 epochs × 500 hosts.
  for (const s of snapshots) epochSnapshotSchema.parse(s);
  const indexJson = toJson(epochIndexSchema.parse(index));

  const result: WriteResult = { written: [], unchanged: 0, removed: [] };
  fs.mkdirSync(path.join(dataDir, 'epochs'), { recursive: true });
  for (const s of snapshots) {
    const rel = epochFile(s.epoch_id);
    // parse() again for the schema's key order; the snapshot is known to be valid.
    writeIfChanged(path.join(dataDir, rel), toJson(epochSnapshotSchema.parse(s)), result, rel);
  }
  writeIfChanged(path.join(dataDir, 'index.json'), indexJson, result, 'index.json');

  const keep = new Set(snapshots.map((s) => path.basename(epochFile(s.epoch_id))));
  for (const name of fs.readdirSync(path.join(dataDir, 'epochs'))) {
    if (/^\d+\.json$/.test(name) && !keep.has(name)) {
      fs.rmSync(path.join(dataDir, 'epochs', name));
      result.removed.push(`epochs/${name}`);
    }
  }
  return result;
}
