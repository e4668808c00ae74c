import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregateEpoch } from '../../src/aggregate/epoch.ts';
import { applyStaged, buildIndex, indexEntry, recoverStaged, SnapshotStage } from '../../src/snapshot/write.ts';
import { stageSnapshots } from '../support/stage.ts';
import { SCHEMA_VERSION, type EpochSnapshot } from '../../src/snapshot/schema.ts';
import { epochInput } from '../support/epoch-input.ts';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-data-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function snap(epochId: number, weight: number, isCurrent = false): EpochSnapshot {
  return aggregateEpoch(
    epochInput({
      epochId,
      isCurrent,
      participants: [{ index: 'h', weight, inference_url: '', models: ['m/a'], ml_nodes: [{ ml_nodes: [{ node_id: 'n', poc_weight: weight, timeslot_allocation: [] }] }], seed: null }],
    }),
  );
}

const indexOf = (snaps: EpochSnapshot[], unavailable = [{ epoch_id: 1, available: false as const, reason: 'pruned' }]) =>
  buildIndex('sample', '2025-12-09T16:09:40.538Z', snaps.at(-1)!.epoch_id, [...snaps.map(indexEntry), ...unavailable]);
/** Stages and applies at once, as a run does once its cache is committed (inode 1 here: nothing checks it). */
const write = (snaps: EpochSnapshot[]) => {
  const staged = stageSnapshots(dir, indexOf(snaps), snaps, 1);
  applyStaged(dir, staged.dir);
  return staged.result;
};
const staging = () => fs.readdirSync(dir).filter((n) => n.startsWith('.staged-'));

describe('SnapshotStage and applyStaged', () => {
  it('writes 2-space JSON with a trailing newline and an ascending index', () => {
    const r = write([snap(3, 30, true), snap(2, 20)]);
    expect(r.written.sort()).toEqual(['epochs/2.json', 'epochs/3.json', 'index.json']);
    const text = fs.readFileSync(path.join(dir, 'epochs/2.json'), 'utf8');
    expect(text.startsWith(`{\n  "schema_version": ${SCHEMA_VERSION},\n  "source": "sample",`)).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    expect(index.epochs.map((e: { epoch_id: number }) => e.epoch_id)).toEqual([1, 2, 3]);
    expect(index.epochs[2]).toMatchObject({ available: true, is_current: true, total_weight: 30, file: 'epochs/3.json' });
  });

  it('leaves unchanged files alone and rewrites only what changed', () => {
    write([snap(2, 20), snap(3, 30, true)]);
    const f2 = path.join(dir, 'epochs/2.json');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(f2, old, old);
    const r = write([snap(2, 20), snap(3, 31, true)]);
    expect(r.written).toEqual(['epochs/3.json', 'index.json']);
    expect(r.unchanged).toBe(1);
    expect(fs.statSync(f2).mtime.getTime()).toBe(old.getTime());
  });

  it('removes epoch files the index no longer names, and leaves no temp files', () => {
    write([snap(2, 20), snap(3, 30, true)]);
    const r = write([snap(3, 30, true)]);
    expect(r.removed).toEqual(['epochs/2.json']);
    expect(fs.readdirSync(path.join(dir, 'epochs'))).toEqual(['3.json']);
    expect(staging()).toEqual([]);
  });

  it('changes nothing in the data folder until the staged change is applied', () => {
    write([snap(2, 20), snap(3, 30, true)]);
    const before = fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8');
    const staged = stageSnapshots(dir, indexOf([snap(3, 31, true)]), [snap(3, 31, true)], 1);
    expect(fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(dir, 'epochs/2.json'))).toBe(true);
    applyStaged(dir, staged.dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8')).totals.model_weight).toBe(31);
    expect(fs.existsSync(path.join(dir, 'epochs/2.json'))).toBe(false);
  });

  it('writes nothing when a snapshot is invalid', () => {
    write([snap(2, 20)]);
    const before = fs.readFileSync(path.join(dir, 'index.json'), 'utf8');
    const bad = { ...snap(3, 30, true), epoch_id: -1 };
    expect(() => write([snap(2, 21), bad])).toThrow();
    expect(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')).toBe(before);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/2.json'), 'utf8')).totals.model_weight).toBe(20);
    expect(staging()).toEqual([]);
  });
});

describe('SnapshotStage', () => {
  it('drops what it staged for an epoch the index does not list, and refuses an index naming an epoch it never staged', () => {
    write([snap(3, 30, true)]);
    const stage = SnapshotStage.open(dir);
    stage.add(snap(2, 20)); // e.g. older than a pruned epoch: left out of the index
    stage.add(snap(3, 31, true));
    const r = stage.finish(indexOf([snap(3, 31, true)]), 1);
    expect(r.result.written).toEqual(['epochs/3.json', 'index.json']);
    applyStaged(dir, r.dir);
    expect(fs.readdirSync(path.join(dir, 'epochs'))).toEqual(['3.json']);

    const partial = SnapshotStage.open(dir);
    partial.add(snap(3, 32, true));
    expect(() => partial.finish(indexOf([snap(2, 20), snap(3, 32, true)]), 1)).toThrow('the index lists epoch 2, but its snapshot was not staged');
    partial.discard();
    expect(staging()).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8')).totals.model_weight).toBe(31);
  });
});

describe('recoverStaged', () => {
  it('applies a change whose cache file is the one in place, and drops one whose cache never came', () => {
    write([snap(2, 20), snap(3, 30, true)]);
    stageSnapshots(dir, indexOf([snap(2, 20), snap(3, 32, true)]), [snap(2, 20), snap(3, 32, true)], 4242);
    expect(recoverStaged(dir, 9999)).toEqual({ applied: 0, dropped: 1 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8')).totals.model_weight).toBe(30);

    stageSnapshots(dir, indexOf([snap(2, 20), snap(3, 33, true)]), [snap(2, 20), snap(3, 33, true)], 4242);
    expect(recoverStaged(dir, 4242)).toEqual({ applied: 1, dropped: 0 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/3.json'), 'utf8')).totals.model_weight).toBe(33);
    expect(staging()).toEqual([]);
  });

  it('drops a change killed while staging (no manifest yet) and one when there is no cache at all', () => {
    fs.mkdirSync(path.join(dir, '.staged-1', 'epochs'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.staged-1', 'epochs', '9.json'), '{');
    stageSnapshots(dir, indexOf([snap(2, 20)]), [snap(2, 20)], 7);
    expect(recoverStaged(dir, null)).toEqual({ applied: 0, dropped: 2 });
    expect(fs.existsSync(path.join(dir, 'epochs/9.json'))).toBe(false);
    expect(staging()).toEqual([]);
  });
});
