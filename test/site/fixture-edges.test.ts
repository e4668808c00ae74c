/**
 * The hand-written fixture's schema 3 edge cases, by name (`site-fixture` project
 * only, see vitest.config.ts): current epoch 106, a pruned 103, removed,
 * unregistered and not-counted models, excluded hosts, prices published and not,
 * unknown scale factors, usage from the nodes' store and usage unavailable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readSiteData } from '../../src/site/load.ts';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';
import { parse } from 'csv-parse/sync';
import { all, one, section, text } from '../support/site-html.ts';

/** A CSV download as rows of fields, read by a standard RFC 4180 parser. */
const parseCsv = (text: string): string[][] => parse(text);

const dist = inject('distDir');
const dataDir = inject('dataDir');
const base = inject('basePath');
const site = readSiteData(dataDir);

const file = (...parts: string[]) => path.join(dist, ...parts);
const readJson = (...parts: string[]): unknown => JSON.parse(fs.readFileSync(file(...parts), 'utf8'));
const html = (...parts: string[]) => fs.readFileSync(file(...parts, 'index.html'), 'utf8');


const BIG = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
const B32 = 'Qwen/Qwen3-32B-FP8';
const QWQ = 'Qwen/QwQ-32B';
const RH = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
const modelHtml = (id: string) => html('models', ...modelSlug(id).split('/'));
/** A CSV download as records by header. */
const csvRecords = (...parts: string[]) => {
  const [header, ...rows] = parseCsv(fs.readFileSync(file(...parts), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

it('runs on the fixture', () => {
  expect([site.currentEpoch, site.modelsById.has('../../etc/passwd')]).toEqual([106, true]);
});

describe("the fixture's edge cases", () => {
  it('badge the removed, unregistered and not-counted models in the table, with excluded hosts as a note', () => {
    const table = one(html(), 'table.models-table');
    const row = (id: string) => {
      const found = all(table, '[data-model-id]').find((a) => a.getAttribute('data-model-id') === id)?.closest('tr');
      expect(found, id).toBeTruthy();
      return found!;
    };
    expect(text(row(QWQ))).toContain('removed from registry');
    expect(text(row('moonshotai/Kimi-K2.6'))).toContain('not in registry');
    expect(text(row(RH))).toContain('not counted: its weight does not count toward consensus in this epoch');
    expect(text(row(RH))).toMatch(/not counted.* 0 2,210 /);
    expect(text(row(B32))).toContain('166,270 66,508');
    expect(text(row(B32))).toContain('5 1 excluded');
  });

  it('show "–" with a reason for an unknown factor, total and shares in epoch 104, never 0', () => {
    const page = html('epochs', '104');
    expect(text(page)).toContain('Effective weight – (weight scale factor unknown) Raw PoC weight 495,752');
    const table = text(one(page, 'table.models-table'));
    expect(table).toContain('Qwen/QwQ-32B – (weight scale factor unknown) 20,544');
    expect(table.match(/– \(total effective weight unknown\)/g)).toHaveLength(2);
    expect(text(page)).toContain('Requests – (not published) Inferences – (not published) Missed requests – (not published)');
    expect(text(page)).toContain('The chain stopped counting usage in v0.2.11, and no node we asked runs the optional usage store.');
    expect(page).not.toContain('id="excluded-heading"');
    // /epochs/ shows the unknown total as "–" too.
    const epochs = html('epochs');
    const row104 = all(epochs, 'tr a[href]').find((a) => a.getAttribute('href') === `${base}epochs/104/`)?.closest('tr');
    expect(row104, 'epoch 104 in /epochs/').toBeTruthy();
    expect(text(row104!)).toContain('– (a model\'s weight scale factor is unknown) 495,752 27 3');
  });

  it('name the node stats route and the classic-only scope in 106, chain stats in 105', () => {
    expect(text(html())).toContain('Usage from node stats route Classic inference only: devshard sessions are not counted by any public route.');
    expect(text(html('epochs', '105'))).toContain('Usage from chain stats Data fetched');
  });

  it('list the excluded hosts of 106, hostile reason escaped, with the models they back', () => {
    const sec = section(html(), 'excluded-heading');
    expect(text(sec)).toContain('The chain excluded 4 hosts from epoch 106.');
    expect(text(sec)).toContain('gonka1fixture"><img src=x onerror=alert(1)>?a=1&b=/../#x consecutive_failures"><img src=y onerror=alert(5)> 1,649,000');
    expect(sec).not.toContain('<img');
    expect(text(sec)).toContain(`${B32}: 1 of 5 hosts excluded (11,084 raw weight)`);
    expect(text(sec)).toContain(`${RH}: 1 of 1 host excluded (2,210 raw weight)`);
  });

  it("flag excluded hosts in the hosts lists and give the chain's counters, rewards in exact GNK", () => {
    const hosts = section(modelHtml(BIG), 'hosts-heading');
    expect(text(hosts)).toContain('gonka1fixture00005qqqqqqqqqqqqqqqqqqqq excluded: downtime (excluded at block 1,648,000)');
    expect(hosts).toContain('title="Excluded at block 1,648,000"');
    // The top host's reward, 18446744073709551615 ngonka, beyond 2^53.
    expect(text(hosts)).toContain('34,559 34,559 8.00% 103,677 0 18,446,744,073.709551615');
    expect(text(section(modelHtml(RH), 'hosts-heading'))).toContain('excluded: consecutive_failures"><img src=y onerror=alert(5)>');
    expect(modelHtml(RH)).not.toContain('<img src=y');
    // 104: the chain published no per-host counters.
    const groups = section(html('epochs', '104'), 'hosts-heading');
    expect(text(groups)).toContain('– (not published by the chain)');
    expect(text(groups)).not.toContain('excluded:');
  });

  it('show scale factor, context length, price and capacity on the model pages', () => {
    const b32 = text(section(modelHtml(B32), 'latest-heading'));
    expect(b32).toContain('Weight scale factor 2.5 frozen when the epoch formed Counts toward consensus yes');
    expect(b32).toContain('Context length 32,768 tokens from context_window');
    expect(b32).toContain('Price 1 GNK per 1M tokens 1,000 ngonka per token');
    expect(b32).toContain('Capacity Not published The chain keeps no capacity for this model at this height.');
    const big = text(section(modelHtml(BIG), 'latest-heading'));
    expect(big).toContain('Context length 240,000 tokens from --max-model-len');
    expect(big).toContain('Price 0.25 GNK per 1M tokens 250 ngonka per token');
    expect(big).toContain('Capacity 1,500,000');
    expect(text(section(modelHtml(RH), 'latest-heading'))).toMatch(/In epoch 106 \(current\) not counted/);
    const params = text(section(modelHtml(B32), 'params-heading'));
    expect(params).toContain('Context window 32,768 tokens Quantization fp8 Coins per input token 120 Coins per output token not set');
    expect(text(section(modelHtml(BIG), 'params-heading'))).toContain('Context window not set Quantization not set');
    // The later-state factor of 104 is only on 104's rows: the JSON keeps it.
    const body = readJson('v1/models', 'Qwen', 'Qwen3-32B-FP8.json') as { epochs: Array<{ epoch_id: number; model: { weight_scale: unknown } }> };
    expect(body.epochs.find((e) => e.epoch_id === 104)!.model.weight_scale).toEqual({ factor: { value: '25', exponent: -1 }, source: 'params_later_state', height: 1650000, eligible: true });
  });

  it('chart the price with a gap where it was not published', () => {
    const svg = one(modelHtml(BIG), 'svg[data-chart="chart-price"]');
    expect(all(svg, 'circle.chart__dot[data-epoch]').map((c) => Number(c.getAttribute('data-epoch')))).toEqual([105, 106]);
    expect(svg.textContent).toContain('Epoch 104 · 2025-12-07 — GNK per 1M tokens: – (price not published)');
    expect(svg.textContent).toContain('GNK per 1M tokens: 0.25');
    // Fractional ticks, not a 0–1 axis of counts.
    expect(all(svg, 'text[x="2"]').map((t) => t.textContent)).toEqual(['0.1', '0.2', '0.3']);
  });

  it('mark the models that left the registry', () => {
    expect(text(modelHtml(QWQ))).toContain('Removed from the registry during epoch 106');
    expect(text(modelHtml('../../etc/passwd'))).toContain('Removed from the registry before epoch 106');
    expect(text(modelHtml(BIG))).not.toContain('Removed from the registry');
    const models = text(html('models'));
    expect(models).toContain(`${QWQ} removed from registry during epoch 106`);
    expect(models).toContain('../../etc/passwd removed from registry before epoch 106');
    const body = readJson('v1/models', 'Qwen', 'QwQ-32B.json') as { removed_from_registry: unknown };
    expect(body.removed_from_registry).toEqual({ epoch_id: 106, during_epoch: true });
  });

  it('write the schema 3 columns in the CSV downloads', () => {
    const e106 = csvRecords('v1/models/epochs', '106.csv');
    const b32 = e106.find((r) => r.model_id === B32)!;
    expect(b32).toMatchObject({
      total_weight: '66508',
      effective_weight: '166270',
      share: '0.261488',
      raw_share: '0.122513',
      weight_scale_factor: '2.5',
      weight_scale_source: 'confirmation_weight_scales',
      counted: 'true',
      excluded_hosts: '1',
      excluded_weight: '11084',
      registry_status: 'listed',
      context_length: '32768',
      context_length_source: 'context_window',
      price_ngonka_per_token: '1000',
      price_gnk_per_million_tokens: '1',
      capacity: '',
      usage_source: 'dapi_stats',
      usage_scope: 'classic_only',
      effective_weight_delta: String(166270 - 172277),
    });
    expect(e106.find((r) => r.model_id === RH)).toMatchObject({ counted: 'false', effective_weight: '0', share: '0', new_model: 'true' });
    expect(e106.find((r) => r.model_id === QWQ)).toMatchObject({ registry_status: 'removed', in_registry: 'false' });
    expect(e106.find((r) => r.model_id === 'moonshotai/Kimi-K2.6')).toMatchObject({ weight_scale_factor: '1', registry_status: 'unregistered' });
    const e104 = csvRecords('v1/models/epochs', '104.csv');
    expect(e104.find((r) => r.model_id === QWQ)).toMatchObject({ effective_weight: '', share: '', weight_scale_factor: '', weight_scale_source: 'unknown', counted: '', usage_source: '', usage_scope: '' });
    expect(e104.find((r) => r.model_id === B32)).toMatchObject({ weight_scale_source: 'params_later_state', context_length_source: 'context_window', price_gnk_per_million_tokens: '' });
    expect(csvRecords('v1/models/epochs', '105.csv').find((r) => r.model_id === QWQ)).toMatchObject({ effective_weight_delta: '', effective_weight_delta_pct: '' });

    const hosts = csvRecords('v1/models/epochs', '106.hosts.csv');
    expect(hosts).toHaveLength(35);
    expect(hosts.filter((r) => r.excluded === 'true').map((r) => [r.model_id, r.exclusion_reason, r.exclusion_block_height])).toEqual([
      [BIG, 'downtime', '1648000'],
      [B32, 'failed_confirmation_poc', '1643100'],
      [RH, 'consecutive_failures"><img src=y onerror=alert(5)>', '1649000'],
    ]);
    expect(hosts[0]).toMatchObject({ address: 'gonka1fixture00000qqqqqqqqqqqqqqqqqqqq', weight: '34559', effective_weight: '34559', rewarded_coins: '18446744073709551615' });
    expect(hosts.find((r) => r.model_id === B32)).toMatchObject({ weight: '22172', effective_weight: '55430' });
    expect(csvRecords('v1/models/epochs', '104.hosts.csv').every((r) => r.inference_count === '' && r.rewarded_coins === '' && r.excluded === 'false')).toBe(true);
  });
});
