/**
 * The island's logic without a browser: sorting (effective weight first, unknown
 * figures last in both directions), the projection and structural check of a
 * fetched snapshot, and the refresh period from the URL.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, nextSort, sortModels } from '../../src/ui/ModelsTable.tsx';
import { SnapshotShapeError, toEpochData, type ModelRow } from '../../src/ui/epoch-data.ts';
import type { RowTrend } from '../../src/display/trends.ts';
import { refreshPeriodFromUrl } from '../../src/island/useAutoRefresh.ts';
import { snapshotBody } from '../../src/site/api.ts';
import { readSiteData } from '../../src/site/load.ts';

const fixture = readSiteData('test/fixtures/site-basic/data');
/** An epoch as `/v1/models/epochs/<N>.json` serves it: the snapshot with each model's URLs. */
const read = (n: number) => JSON.parse(JSON.stringify(snapshotBody(fixture.snapshots.get(n)!, fixture.links)));
const snapshot = read(105);
const rows: ModelRow[] = toEpochData(snapshot).models;
/** Epoch 104 has a model whose scale factor is unknown: its effective weight and every share are null. */
const rows104: ModelRow[] = toEpochData(read(104)).models;

const trend = (id: string, weightDelta: number | null, deltaUnknown = false): RowTrend => ({
  id,
  weightDelta,
  weightDeltaPct: null,
  deltaUnknown,
  hostsDelta: null,
  isNew: false,
  spark: '',
});

describe('sorting', () => {
  it('defaults to effective weight, the most first', () => {
    expect(DEFAULT_SORT).toEqual({ key: 'effective_weight', dir: 'descending' });
    const sorted = sortModels(rows, DEFAULT_SORT).map((m) => m.effective_weight!);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    // Not the raw order: passwd (raw 12, effective 6) sorts below odd id (raw 7, effective 7).
    const ids = sortModels(rows, DEFAULT_SORT).map((m) => m.id);
    expect(ids.indexOf('../../etc/passwd')).toBeGreaterThan(ids.indexOf('odd id/with spaces & "<b>"'));
    expect(sortModels(rows, { key: 'total_weight', dir: 'descending' }).map((m) => m.id).indexOf('../../etc/passwd')).toBeLessThan(
      sortModels(rows, { key: 'total_weight', dir: 'descending' }).map((m) => m.id).indexOf('odd id/with spaces & "<b>"'),
    );
  });

  it('puts an unknown effective weight and unknown shares last in both directions', () => {
    const unknown = rows104.find((m) => m.effective_weight === null)!;
    expect(unknown.id).toBe('Qwen/QwQ-32B');
    for (const dir of ['ascending', 'descending'] as const) {
      expect(sortModels(rows104, { key: 'effective_weight', dir }).at(-1)!.id).toBe('Qwen/QwQ-32B');
      const withShare = [{ ...rows[0]!, id: 'zz-known' }, ...rows104];
      expect(sortModels(withShare, { key: 'share', dir })[0]!.id).toBe('zz-known');
    }
    const asc = sortModels(rows104, { key: 'effective_weight', dir: 'ascending' }).map((m) => m.effective_weight);
    expect(asc).toEqual([71260 * 2.5, 402118, null]);
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
      expect(sortModels([none, ...rows], { key: 'ai_tokens', dir }).at(-1)!.id).toBe('none');
    }
  });

  it('sorts by the effective weight change, rows without one (none before, or unknown) last in both directions', () => {
    const four = rows.slice(0, 4);
    const trends = new Map([trend(four[0]!.id, 5), trend(four[1]!.id, -20), trend(four[2]!.id, null), trend(four[3]!.id, null, true)].map((t) => [t.id, t]));
    const ids = (dir: 'ascending' | 'descending') => sortModels(four, { key: 'weight_delta', dir }, trends).map((m) => m.id);
    const lastTwo = [four[2]!.id, four[3]!.id].sort();
    expect(ids('descending')).toEqual([four[0]!.id, four[1]!.id, ...lastTwo]);
    expect(ids('ascending')).toEqual([four[1]!.id, four[0]!.id, ...lastTwo]);
    // Without trends (after a refresh brought a newer epoch) every row lacks a change: by id.
    expect(sortModels(four, { key: 'weight_delta', dir: 'descending' }).map((m) => m.id)).toEqual(four.map((m) => m.id).sort());
  });

  it('flips the active column and starts others high-first (ids A→Z)', () => {
    expect(nextSort(DEFAULT_SORT, 'effective_weight')).toEqual({ key: 'effective_weight', dir: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'total_weight')).toEqual({ key: 'total_weight', dir: 'descending' });
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
    expect(data).not.toHaveProperty('excluded_participants');
    expect(data.models[0]).not.toHaveProperty('hosts');
    expect(data.models[0]).not.toHaveProperty('concentration');
  });

  it('keeps every schema 3 field the table, header and dialog show, exactly', () => {
    const s106 = read(106);
    const data = toEpochData(s106);
    expect(data.usage_source).toBe('dapi_stats');
    expect(data.usage_scope).toBe('classic_only');
    expect(data.chain_counters).toEqual(s106.chain_counters);
    expect(data.totals).toEqual({
      poc_weight: s106.totals.poc_weight,
      model_weight: s106.totals.model_weight,
      effective_weight: s106.totals.effective_weight,
      hosts: s106.totals.hosts,
      excluded_hosts: 4,
      ml_nodes: s106.totals.ml_nodes,
      models_hosted: s106.totals.models_hosted,
    });
    // A row is the snapshot row without its hosts and concentration, field for field.
    s106.models.forEach((m: Record<string, unknown>, i: number) => {
      const { hosts: _h, concentration: _c, ...rest } = m;
      expect(data.models[i]).toEqual(rest);
    });
    const d104 = toEpochData(read(104));
    expect(d104.chain_counters).toEqual({ requests: null, inferences: null, missed_requests: null });
    expect(d104.totals.effective_weight).toBeNull();
    expect(d104.usage_source).toBeNull();
    expect(d104.models.find((m) => m.id === 'Qwen/QwQ-32B')!.weight_scale).toEqual({ factor: null, source: 'unknown', height: null, eligible: null });
  });

  it('names the field of a malformed body', () => {
    const bad = structuredClone(snapshot);
    bad.models[1].total_weight = '68911';
    expect(() => toEpochData(bad)).toThrow(SnapshotShapeError);
    expect(() => toEpochData(bad)).toThrow(/^models\[1\]\.total_weight: expected a count/);
    expect(() => toEpochData({ ...snapshot, models: null })).toThrow(/^models: expected a list/);
    expect(() => toEpochData('<html>')).toThrow(/^snapshot: expected an object/);
  });

  it('takes model URLs only as root-relative paths, so a fetched body cannot send a link elsewhere', () => {
    expect(rows[0]!.page_url).toBe(fixture.links.page(rows[0]!.id));
    for (const url of ['javascript:alert(1)', '//evil.example/x', 'https://evil.example/', '']) {
      const bad = structuredClone(snapshot);
      bad.models[0].page_url = url;
      expect(() => toEpochData(bad), url).toThrow(/^models\[0\]\.page_url: expected a root-relative path/);
    }
  });

  it('checks the schema 3 fields too', () => {
    const edit = (change: (s: any) => void) => {
      const s = structuredClone(read(106));
      change(s);
      return () => toEpochData(s);
    };
    expect(edit((s) => (s.models[0].registry_status = 'gone'))).toThrow(/^models\[0\]\.registry_status: expected one of listed, removed, unregistered/);
    expect(edit((s) => (s.models[1].weight_scale.factor = { value: 2.5, exponent: 0 }))).toThrow(/^models\[1\]\.weight_scale\.factor\.value: expected an integer string/);
    expect(edit((s) => (s.models[0].weight_scale.source = 'guess'))).toThrow(/^models\[0\]\.weight_scale\.source: expected one of/);
    expect(edit((s) => (s.models[0].price.gnk_per_million_tokens = 0.25))).toThrow(/^models\[0\]\.price\.gnk_per_million_tokens: expected a decimal number string/);
    expect(edit((s) => (s.models[0].share = 1.5))).toThrow(/^models\[0\]\.share: expected a share/);
    expect(edit((s) => delete s.models[0].capacity)).toThrow(/^models\[0\]\.capacity: expected an object/);
    expect(edit((s) => (s.models[0].effective_weight = -1))).toThrow(/^models\[0\]\.effective_weight: expected a count/);
    expect(edit((s) => (s.usage_scope = 'devshards'))).toThrow(/^usage_scope: expected one of all, classic_only/);
    expect(edit((s) => (s.chain_counters.requests = 5))).toThrow(/^chain_counters\.requests: expected a decimal string/);
    expect(edit((s) => (s.totals.excluded_hosts = undefined))).toThrow(/^totals\.excluded_hosts: expected a count/);
    expect(edit((s) => (s.models[0].context_length.source = 'guess'))).toThrow(/^models\[0\]\.context_length\.source: expected one of/);
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
