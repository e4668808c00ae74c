/**
 * The island's components rendered to HTML without a browser (as the build does):
 * the models table's columns, badges and "–" cells, the epoch header's totals,
 * chain counters and usage line, and the details list's weight scale, registry,
 * context, price and capacity fields, on the fixture and on edited rows.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EpochHeader } from '../../src/ui/EpochHeader.tsx';
import { CLASSIC_ONLY, missingUsageReason } from '../../src/ui/Missing.tsx';
import { ModelDetails, describeWeightScale, weightScaleFactor, type DetailSection } from '../../src/ui/ModelDetails.tsx';
import { COLUMNS, DEFAULT_SORT, ModelsTable } from '../../src/ui/ModelsTable.tsx';
import { toEpochData, type EpochData, type ModelRow } from '../../src/ui/epoch-data.ts';
import type { RowTrend } from '../../src/display/trends.ts';
import { createUrls } from '../../src/display/paths.ts';
import { snapshotBody } from '../../src/site/api.ts';
import { readSiteData } from '../../src/site/load.ts';
import { all, text } from '../support/site-html.ts';

const fixture = readSiteData('test/fixtures/site-basic/data', '/gm/');
/** An epoch of the fixture as the island gets it: the served body, projected. */
const read = (n: number): EpochData => toEpochData(snapshotBody(fixture.snapshots.get(n)!, fixture.links));
const e104 = read(104);
const e105 = read(105);
const e106 = read(106);
const urls = createUrls('/gm/');
const rowOf = (data: EpochData, id: string) => data.models.find((m) => m.id === id)!;

function table(data: EpochData, trends: RowTrend[] | null = null) {
  return renderToStaticMarkup(
    createElement(ModelsTable, {
      models: data.models,
      sort: DEFAULT_SORT,
      onSort: () => {},
      usageUnavailable: data.usage_unavailable,
      caption: `Models in epoch ${data.epoch_id}`,
      trends: trends && new Map(trends.map((t) => [t.id, t])),
    }),
  );
}

/** The cells of the row of `id` as visible text (header cell first). */
function cells(html: string, id: string): string[] {
  // Compared as attribute values, not in a selector: ids hold quotes and other characters CSS would need escaped.
  const link = all(html, '[data-model-id]').find((el) => el.getAttribute('data-model-id') === id);
  expect(link, id).toBeTruthy();
  return all(link!.closest('tr')!, 'th, td').map(text);
}

const details = (row: ModelRow, sections: DetailSection[], usage: string | null = null) =>
  text(renderToStaticMarkup(createElement(ModelDetails, { row, epochId: 106, usageUnavailable: usage, sections })));

describe('the models table', () => {
  it('has the columns in order, effective weight sorted descending', () => {
    const html = table(e106);
    expect(COLUMNS.map((c) => c.label)).toEqual(['Model ID', 'Effective weight', 'Raw PoC weight', 'Δ', 'Trend', 'Share', 'Hosts', 'ML nodes', 'Inferences', 'AI tokens']);
    const heads = all(html, 'th[scope="col"]').map(text);
    // The sort icon follows each label (no space in the text: it is a separate, hidden span); Δ and Share have fuller names for screen readers.
    expect(heads).toEqual([
      'Model ID↕',
      'Effective weight▼',
      'Raw PoC weight↕',
      'ΔΔ effective weight↕',
      'Trend',
      'ShareShare of effective weight↕',
      'Hosts↕',
      'ML nodes↕',
      'Inferences↕',
      'AI tokens↕',
    ]);
    expect(html).toMatch(/<th scope="col" class="num" aria-sort="descending"><button type="button" class="sort">Effective weight/);
    expect(html).toContain('sorted by Effective weight, descending');
  });

  it('shows effective and raw weight, the effective share, and the excluded hosts as a note', () => {
    const c = cells(table(e106), 'Qwen/Qwen3-32B-FP8');
    expect(c.slice(1, 3)).toEqual(['166,270', '66,508']);
    expect(c[5]).toBe('26.15%');
    expect(c[6]).toBe('5 1 excluded');
    // Hosts without exclusions get no note.
    expect(cells(table(e106), 'moonshotai/Kimi-K2.6')[6]).toBe('2');
  });

  it('badges models removed from the registry, outside it, and hosted without counting; none for listed ones', () => {
    const html = table(e106);
    expect(cells(html, 'Qwen/QwQ-32B')[0]).toBe('Qwen/QwQ-32B removed from registry');
    expect(cells(html, 'moonshotai/Kimi-K2.6')[0]).toBe('moonshotai/Kimi-K2.6 not in registry');
    expect(cells(html, 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16')[0]).toBe(
      'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16 not counted: its weight does not count toward consensus in this epoch',
    );
    expect(html).toContain('title="Its weight does not count toward consensus in this epoch"');
    expect(cells(html, 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8')[0]).toBe('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8');
    // A model that does not count but has no weight needs no badge.
    const empty = { ...rowOf(e106, 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16'), total_weight: 0 };
    expect(cells(table({ ...e106, models: [empty] }), empty.id)[0]).toBe(empty.id);
  });

  it('shows "–" with the reason for an unknown effective weight and share, never 0', () => {
    const html = table(e104);
    const c = cells(html, 'Qwen/QwQ-32B');
    expect(c[1]).toBe('– (weight scale factor unknown)');
    expect(c[5]).toBe('– (weight scale factor unknown)');
    // Known effective weight, but the epoch's total is unknown: its share is unknown too.
    expect(cells(html, 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8')[5]).toBe('– (total effective weight unknown)');
    expect(html).not.toContain('share__bar');
    // Usage is unavailable in 104: "–" with the epoch's sentence as the tooltip.
    expect(c[8]).toBe('– (usage unavailable)');
    expect(html).toContain(`title="Usage unavailable: ${e104.usage_unavailable}"`);
  });

  it('shows the effective weight change, or why there is none', () => {
    const ids = e105.models.map((m) => m.id);
    const html = table(e105, [
      { id: ids[0]!, weightDelta: 16259, weightDeltaPct: 4.04, deltaUnknown: false, hostsDelta: 2, isNew: false, spark: 'M1 1L2 2' },
      { id: ids[2]!, weightDelta: null, weightDeltaPct: null, deltaUnknown: true, hostsDelta: 0, isNew: false, spark: '' },
    ]);
    expect(cells(html, ids[0]!)[3]).toBe('+16,259+4.04%');
    expect(cells(html, ids[2]!)[3]).toBe('– (effective weight unknown in this or the previous epoch)');
    expect(cells(html, ids[1]!)[3]).toBe('– (no earlier epoch)');
  });
});

describe('the epoch header', () => {
  const header = (data: EpochData) => renderToStaticMarkup(createElement(EpochHeader, { data, urls }));

  it('shows effective and raw PoC weight, hosts with the excluded ones, and the downloads with the hosts CSV', () => {
    const t = text(header(e106));
    expect(t).toContain('Effective weight 635,861');
    expect(t).toContain('Raw PoC weight 545,959 3,094 unassigned');
    expect(t).toContain('Hosts 31 4 excluded by the chain');
    expect(header(e106)).toContain('href="/gm/v1/models/epochs/106.hosts.csv"');
    expect(text(header(e105))).toMatch(/Hosts 30 ML nodes/);
    expect(text(header(e104))).toContain('Effective weight – (weight scale factor unknown)');
  });

  it("shows the chain's own counters over all models, '–' with 'not published' when null", () => {
    expect(text(header(e106))).toContain('Counted by the chain itself, over all models: Requests 1,120,000 Inferences 1,114,408 Missed requests 5,592');
    expect(text(header(e104))).toContain('Requests – (not published) Inferences – (not published) Missed requests – (not published)');
  });

  it('names the usage source and scope, and shows the unavailable sentence verbatim', () => {
    const h106 = text(header(e106));
    expect(h106).toContain(`Usage from node stats route ${CLASSIC_ONLY}`);
    expect(h106).not.toContain('notice');
    expect(text(header(e105))).toContain('Usage from chain stats Data fetched');
    expect(text(header(e105))).not.toContain(CLASSIC_ONLY);
    const h104 = header(e104);
    expect(text(h104)).toContain('Usage from no source');
    expect(h104).toContain(`<p class="notice notice--warn" data-usage-unavailable="">${e104.usage_unavailable}</p>`);
    expect(header(e106)).not.toContain('data-usage-unavailable');
  });

  it('explains a "–" in classic-only figures as no classic inference counted, not as usage unavailable', () => {
    expect(missingUsageReason(null, 'classic_only')).toBe(`No classic inference was counted for this model. ${CLASSIC_ONLY}`);
    expect(missingUsageReason(e104.usage_unavailable, null)).toBe(e104.usage_unavailable);
    expect(missingUsageReason(null, 'all')).toBeNull();
  });
});

describe('the details list', () => {
  const big = rowOf(e106, 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8');
  const b32 = rowOf(e106, 'Qwen/Qwen3-32B-FP8');

  it('shows the weight scale factor exactly, where it was read, and whether it counts', () => {
    expect(details(b32, ['epoch'])).toContain('Weight scale factor 2.5 frozen when the epoch formed Counts toward consensus yes');
    const later = rowOf(e104, 'Qwen/Qwen3-32B-FP8');
    expect(details(later, ['epoch'])).toContain("Weight scale factor 2.5 a later state at height 1,650,000, may differ from the epoch's");
    const unknown = rowOf(e104, 'Qwen/QwQ-32B');
    expect(details(unknown, ['epoch'])).toContain('Weight scale factor – (could not be read) unknown Counts toward consensus – (unknown)');
    const rh = rowOf(e106, 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16');
    expect(details(rh, ['epoch'])).toContain('Counts toward consensus no Its weight does not count toward consensus in this epoch');
    const formation = rowOf(e105, '../../etc/passwd');
    expect(details(formation, ['epoch'])).toContain('Weight scale factor 0.5 chain params at height 1,626,451');
    const before = { ...big, weight_scale: { factor: null, source: 'before_per_model_scaling' as const, height: null, eligible: true } };
    expect(details(before, ['epoch'])).toContain('Weight scale factor 1 factor 1: epoch formed before per-model scaling');
    expect(weightScaleFactor({ factor: { value: '125', exponent: -3 }, source: 'confirmation_weight_scales', height: null, eligible: true })).toBe('0.125');
    expect(weightScaleFactor({ factor: null, source: 'confirmation_weight_scales', height: null, eligible: true })).toBe('1');
    expect(weightScaleFactor(unknown.weight_scale)).toBeNull();
    expect(describeWeightScale({ factor: null, source: 'params_at_formation', height: null, eligible: true })).toBe('chain params');
  });

  it('shows excluded hosts with their raw weight, and the registry status', () => {
    expect(details(b32, ['epoch'])).toContain('Excluded hosts 1 host 11,084 raw weight Registry status in the registry');
    expect(details(rowOf(e105, 'Qwen/Qwen3-32B-FP8'), ['epoch'])).toContain('Excluded hosts none');
    expect(details(rowOf(e106, 'Qwen/QwQ-32B'), ['epoch'])).toContain('Registry status removed from the registry during this epoch');
    expect(details(rowOf(e106, 'moonshotai/Kimi-K2.6'), ['epoch'])).toContain('Registry status not in the registry (not a governance model)');
  });

  it('shows the context length with its source, the price in GNK per 1M tokens with ngonka per token, and the capacity', () => {
    const t = details(big, ['epoch']);
    expect(t).toContain('Context length 240,000 tokens from --max-model-len');
    expect(t).toContain('Price 0.25 GNK per 1M tokens 250 ngonka per token');
    expect(t).toContain('Capacity 1,500,000');
    const t32 = details(b32, ['epoch']);
    expect(t32).toContain('Context length 32,768 tokens from context_window');
    expect(t32).toContain('Price 1 GNK per 1M tokens 1,000 ngonka per token');
    expect(t32).toContain('Capacity Not published The chain keeps no capacity for this model at this height.');
    const kimi = details(rowOf(e106, 'moonshotai/Kimi-K2.6'), ['epoch']);
    expect(kimi).toContain('Context length – (neither context_window nor --max-model-len gives one)');
    expect(kimi).toContain('Price Not published No price is set for this model at this height.');
  });

  it('shows registry fields sent as "0" or "" as "not set", and "–" outside the registry', () => {
    const t = details(big, ['registry']);
    expect(t).toContain('Context window not set Quantization not set Coins per input token not set Coins per output token not set');
    expect(details(b32, ['registry'])).toContain('Context window 32,768 tokens Quantization fp8 Coins per input token 120 Coins per output token not set');
    expect(details(rowOf(e106, 'moonshotai/Kimi-K2.6'), ['registry'])).toContain(
      'Context window – (not in the registry) Quantization – (not in the registry) Coins per input token – (not in the registry)',
    );
  });

  it('shows the figures in the dialog: effective and raw weight, both shares, hosts with the excluded ones', () => {
    const t = details(b32, ['figures']);
    expect(t).toContain('Effective weight 166,270 Raw PoC weight 66,508 Share 26.15% of effective weight; raw 12.25% Hosts 5 1 excluded by the chain');
    expect(t).not.toContain('Weight scale factor');
    const none = details(rowOf(e104, 'Qwen/QwQ-32B'), ['figures'], e104.usage_unavailable);
    expect(none).toContain('Effective weight – (weight scale factor unknown)');
    expect(none).toContain('Share – (effective weight unknown)');
    expect(none).toContain('Inferences – (usage unavailable)');
  });

  it('escapes chain strings', () => {
    const hostile = { ...b32, quantization: '<img src=q onerror=alert(1)>' };
    const html = renderToStaticMarkup(createElement(ModelDetails, { row: hostile, epochId: 1, usageUnavailable: null, sections: ['registry'] }));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=q onerror=alert(1)&gt;');
  });
});
