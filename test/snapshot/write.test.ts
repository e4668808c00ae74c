import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregateEpoch } from '../../src/aggregate/epoch.ts';
import { buildIndex, writeSnapshots } from '../../src/snapshot/write.ts';
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

const write = (snaps: EpochSnapshot[], unavailable = [{ epoch_id: 1, available: false as const, reason: 'pruned' }]) =>
  writeSnapshots(dir, buildIndex('sample', '2025-12-09T16:09:40.538Z', snaps.at(-1)!.epoch_id, snaps, unavailable), snaps);

describe('writeSnapshots', () => {
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
  });

  it('writes nothing when a snapshot is invalid', () => {
    write([snap(2, 20)]);
    const before = fs.readFileSync(path.join(dir, 'index.json'), 'utf8');
    const bad = { ...snap(3, 30, true), epoch_id: -1 };
    expect(() => write([snap(2, 21), bad])).toThrow();
    expect(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')).toBe(before);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'epochs/2.json'), 'utf8')).totals.model_weight).toBe(20);
  });
});
