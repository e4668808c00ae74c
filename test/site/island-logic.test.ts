import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, nextSort, sortModels } from '../../src/island/ModelsTable.tsx';
import { SnapshotShapeError, toEpochData, type ModelRow } from '../../src/island/snapshot.ts';
import { refreshPeriodFromUrl } from '../../src/island/useAutoRefresh.ts';

const snapshot = JSON.parse(fs.readFileSync('test/fixtures/site-basic/data/epochs/105.json', 'utf8'));
const rows: ModelRow[] = toEpochData(snapshot).models;

describe('sorting', () => {
  it('defaults to weight, heaviest first', () => {
    const sorted = sortModels(rows, DEFAULT_SORT).map((m) => m.total_weight);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
  });

  it('compares token counts beyond 2^53 exactly', () => {
    const a = { ...rows[0]!, id: 'a', ai_tokens: '9007199254740993' };
    const b = { ...rows[0]!, id: 'b', ai_tokens: '9007199254740992' };
    expect(sortModels([b, a], { key: 'ai_tokens', dir: 'descending' }).map((m) => m.id)).toEqual(['a', 'b']);
    expect(sortModels([a, b], { key: 'ai_tokens', dir: 'ascending' }).map((m) => m.id)).toEqual(['b', 'a']);
  });

  it('puts rows without usage last in both directions', () => {
    const none = { ...rows[0]!, id: 'none', inferences: null, ai_tokens: null };
    for (const dir of ['ascending', 'descending'] as const) {
      expect(sortModels([none, ...rows], { key: 'inferences', dir }).at(-1)!.id).toBe('none');
    }
  });

  it('sorts by weight change, rows without a change last in both directions', () => {
    const trend = (id: string, weightDelta: number | null) => ({ id, weightDelta, weightDeltaPct: null, hostsDelta: null, isNew: false, spark: '' });
    const trends = new Map([rows[0]!, rows[1]!, rows[2]!].map((r, i) => [r.id, trend(r.id, [5, -20, null][i]!)]));
    const three = rows.slice(0, 3);
    expect(sortModels(three, { key: 'weight_delta', dir: 'descending' }, trends).map((m) => m.id)).toEqual([rows[0]!.id, rows[1]!.id, rows[2]!.id]);
    expect(sortModels(three, { key: 'weight_delta', dir: 'ascending' }, trends).map((m) => m.id)).toEqual([rows[1]!.id, rows[0]!.id, rows[2]!.id]);
    // Without trends (after a refresh brought a newer epoch) every row lacks a change: by id.
    expect(sortModels(three, { key: 'weight_delta', dir: 'descending' }).map((m) => m.id)).toEqual(three.map((m) => m.id).sort());
  });

  it('flips the active column and starts others high-first (ids A→Z)', () => {
    expect(nextSort(DEFAULT_SORT, 'total_weight')).toEqual({ key: 'total_weight', dir: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'participant_count')).toEqual({ key: 'participant_count', dir: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'id')).toEqual({ key: 'id', dir: 'ascending' });
  });
});

describe('toEpochData', () => {
  it('projects a snapshot onto what the island shows', () => {
    const data = toEpochData(snapshot);
    expect(data.epoch_id).toBe(105);
    expect(data.models).toHaveLength(snapshot.models.length);
    expect(data.window?.start_time).toBe(snapshot.window.start_time);
    expect(data).not.toHaveProperty('stats');
  });

  it('names the field of a malformed body', () => {
    const bad = structuredClone(snapshot);
    bad.models[1].total_weight = '68911';
    expect(() => toEpochData(bad)).toThrow(SnapshotShapeError);
    expect(() => toEpochData(bad)).toThrow(/^models\[1\]\.total_weight: expected a count/);
    expect(() => toEpochData({ ...snapshot, models: null })).toThrow(/^models: expected a list/);
    expect(() => toEpochData('<html>')).toThrow(/^snapshot: expected an object/);
  });
});

describe('refreshPeriodFromUrl', () => {
  it('reads ?refresh=<seconds> within bounds, else the default', () => {
    expect(refreshPeriodFromUrl('')).toBe(30_000);
    expect(refreshPeriodFromUrl('?refresh=2')).toBe(2000);
    expect(refreshPeriodFromUrl('?model=x&refresh=0.5')).toBe(500);
    expect(refreshPeriodFromUrl('?refresh=0.1')).toBe(30_000);
    expect(refreshPeriodFromUrl('?refresh=-3')).toBe(30_000);
    expect(refreshPeriodFromUrl('?refresh=abc')).toBe(30_000);
  });
});
