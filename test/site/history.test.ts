/**
 * History and insight in the built site, against numbers computed here, straight
 * from the data folder's JSON (not through the site's own helpers): the charts
 * (one point per epoch with a value, gaps elsewhere), the change columns and the
 * "what changed" section of every epoch page, the model pages' peak, hosted span,
 * parameter history and hosts, the per-epoch CSV (parsed back to the JSON's
 * numbers), the model JSON's history and the JSON Schema. Runs on the sample chain
 * (`site`) and on the fixture (`site-fixture`); the sample chain's scripted events
 * are checked by name in sample-events.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../src/site/csv.ts';
import { modelSlug } from '../../src/site/urls.ts';
import { decode, section, text } from '../support/site-html.ts';

const dist = inject('distDir');
const dataDir = inject('dataDir');
const base = inject('basePath');

// ---- The data, read directly -----------------------------------------------------------

interface Host {
  address: string;
  ml_nodes: number;
  weight: number;
  share: number;
}
interface Row {
  id: string;
  total_weight: number;
  participant_count: number;
  ml_nodes: number;
  share: number;
  in_registry: boolean;
  inferences: number | null;
  ai_tokens: string | null;
  concentration: { top1: number; top5: number; hhi: number };
  hosts: Host[];
  [field: string]: unknown;
}
interface Snap {
  epoch_id: number;
  window: { start_time: string } | null;
  totals: { poc_weight: number; hosts: number; models_hosted: number };
  models: Row[];
}

const index = JSON.parse(fs.readFileSync(path.join(dataDir, 'index.json'), 'utf8')) as {
  current_epoch: number;
  epochs: Array<{ epoch_id: number; available: boolean; file?: string }>;
};
const epochIds = index.epochs.map((e) => e.epoch_id).sort((a, b) => a - b);
const snaps = new Map<number, Snap>();
for (const e of index.epochs) if (e.available) snaps.set(e.epoch_id, JSON.parse(fs.readFileSync(path.join(dataDir, e.file!), 'utf8')));
const available = [...snaps.keys()].sort((a, b) => a - b);
const previousAvailable = (n: number) => available.filter((id) => id < n).at(-1);
const rowOf = (n: number, id: string) => snaps.get(n)?.models.find((m) => m.id === id);
const modelIds = [...new Set([...snaps.values()].flatMap((s) => s.models.map((m) => m.id)))];
const listedIn = (id: string) => available.filter((n) => rowOf(n, id));
/** Extra by-name checks of the sample chain's scripted events run only on its data. */
const SAMPLE = index.current_epoch === 36 && snaps.has(32) && modelIds.includes('moonshotai/Kimi-K2.6');
const TRACKED = ['hf_commit', 'v_ram', 'throughput_per_nonce', 'units_of_compute_per_token', 'model_args', 'validation_threshold'];

// ---- The built site ---------------------------------------------------------------------

const file = (...parts: string[]) => path.join(dist, ...parts);
const page = (rel: string) => fs.readFileSync(file(...rel.split('/').filter(Boolean), 'index.html'), 'utf8');
const modelPage = (id: string) => page(`models/${modelSlug(id)}`);
const epochPage = (n: number) => page(`epochs/${n}`);
const json = (rel: string): any => JSON.parse(fs.readFileSync(file(rel), 'utf8'));

const en = (n: number | string) => (typeof n === 'string' ? BigInt(n).toLocaleString('en-US') : n.toLocaleString('en-US'));
const signed = (d: number) => (d === 0 ? '0' : `${d > 0 ? '+' : '\u2212'}${Math.abs(d).toLocaleString('en-US')}`);

/** The chart `id` on a page: its epoch columns (with hover titles), dots and bars. */
function chart(html: string, id: string) {
  const start = html.indexOf(`data-chart="${id}"`);
  expect(start, `chart ${id}`).toBeGreaterThan(0);
  const body = html.slice(start, html.indexOf('<details class="chart__data"', start));
  const columns = [...body.matchAll(/<g class="chart__col( chart__col--gap)?" data-epoch="(\d+)"[^>]*>.*?<title>(.*?)<\/title><\/g>/gs)].map((m) => ({
    epoch: Number(m[2]),
    gap: m[1] !== undefined,
    title: decode(m[3]!),
  }));
  const marks = (tag: string) =>
    [...body.matchAll(new RegExp(`<${tag} class="chart__(?:dot|bar) [^"]*"[^>]*data-epoch="(\\d+)" data-series="(\\d+)"`, 'g'))].map((m) => ({
      epoch: Number(m[1]),
      series: Number(m[2]),
    }));
  return { columns, dots: marks('circle'), bars: marks('rect'), desc: text(body.match(/<desc[^>]*>(.*?)<\/desc>/s)?.[1] ?? '') };
}

/** The epochs a model's charts span: first listed epoch (back over epochs without data before it) to the newest. */
function modelDomain(id: string): number[] {
  let i = epochIds.indexOf(listedIn(id)[0]!);
  while (i > 0 && !snaps.has(epochIds[i - 1]!)) i--;
  return epochIds.slice(i);
}

/** The models table row of `id` on an epoch view. */
function tableRow(html: string, id: string): string {
  const table = html.slice(html.indexOf('models-table'), html.indexOf('</table>', html.indexOf('models-table')));
  const escaped = id.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const at = table.indexOf(`data-model-id="${escaped}"`);
  expect(at, `row of ${id}`).toBeGreaterThan(0);
  return table.slice(table.lastIndexOf('<tr', at), table.indexOf('</tr>', at));
}

/** Tracked-parameter changes of a model, computed independently: consecutive epochs where it has a registry row. */
function expectedParamChanges(id: string): Array<{ epoch: number; field: string }> {
  const out: Array<{ epoch: number; field: string }> = [];
  let prev: Row | undefined;
  for (const n of available) {
    const r = rowOf(n, id);
    if (!r || !r.in_registry) continue;
    if (prev) for (const f of TRACKED) if (JSON.stringify(prev[f]) !== JSON.stringify(r[f])) out.push({ epoch: n, field: f });
    prev = r;
  }
  return out;
}

/** A model's change in epoch n against the previous epoch with data. */
function expectedChange(n: number, id: string) {
  const p = previousAvailable(n);
  if (p === undefined) return null;
  const now = rowOf(n, id)!;
  const before = rowOf(p, id);
  const pw = before?.total_weight ?? 0;
  return {
    previous: p,
    weightDelta: now.total_weight - pw,
    weightDeltaPct: pw > 0 ? Math.round(((now.total_weight - pw) / pw) * 1e4) / 1e2 : null,
    hostsDelta: now.participant_count - (before?.participant_count ?? 0),
    isNew: before === undefined,
  };
}

// ---- Charts --------------------------------------------------------------------------------

describe('charts', () => {
  it("draw every model's weight, hosts and ML nodes with one point per epoch that lists it and gaps elsewhere", () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      const domain = modelDomain(id);
      const weight = chart(html, 'chart-weight');
      expect(weight.columns.map((c) => c.epoch), id).toEqual(domain);
      for (const c of weight.columns) {
        const row = rowOf(c.epoch, id);
        expect(c.gap, `${id} epoch ${c.epoch}`).toBe(!row);
        expect(c.title).toContain(`Epoch ${c.epoch}`);
        if (row) expect(c.title).toContain(`Total weight: ${en(row.total_weight)}`);
        else expect(c.title).toMatch(snaps.has(c.epoch) ? /not listed/ : /no data/);
      }
      expect(weight.dots.map((d) => d.epoch)).toEqual(domain.filter((n) => rowOf(n, id)));
      const hosts = chart(html, 'chart-hosts');
      const listed = domain.filter((n) => rowOf(n, id));
      expect(hosts.dots.filter((d) => d.series === 0).map((d) => d.epoch)).toEqual(listed);
      expect(hosts.dots.filter((d) => d.series === 1).map((d) => d.epoch)).toEqual(listed);
      for (const c of hosts.columns.filter((c) => !c.gap)) {
        const row = rowOf(c.epoch, id)!;
        expect(c.title).toContain(`Hosts: ${en(row.participant_count)}, ML nodes: ${en(row.ml_nodes)}`);
      }
    }
  });

  it('draw usage as bars only where it is known, never as 0 where it is unavailable', () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      const domain = modelDomain(id);
      for (const [chartId, field] of [
        ['chart-inferences', 'inferences'],
        ['chart-tokens', 'ai_tokens'],
      ] as const) {
        const c = chart(html, chartId);
        const known = domain.filter((n) => (rowOf(n, id)?.[field] ?? null) !== null);
        expect(c.bars.map((b) => b.epoch), `${id} ${chartId}`).toEqual(known);
        for (const col of c.columns) {
          const v = rowOf(col.epoch, id)?.[field] ?? null;
          expect(col.gap).toBe(v === null);
          if (v !== null) expect(col.title).toContain(en(v));
          else if (rowOf(col.epoch, id)) expect(col.title).toContain('usage unavailable');
        }
      }
    }
  });

  it('show epochs without data as gaps (the sample chain has pruned epoch 1)', () => {
    const unavailable = epochIds.filter((n) => !snaps.has(n));
    expect(unavailable.length).toBeGreaterThan(0);
    const net = chart(page('epochs'), 'net-weight');
    expect(net.columns.map((c) => c.epoch)).toEqual(epochIds);
    expect(net.columns.filter((c) => c.gap).map((c) => c.epoch)).toEqual(unavailable);
    expect(net.dots.map((d) => d.epoch)).toEqual(available);
    expect(net.desc).toContain(`No value for ${unavailable.length === 1 ? 'epoch' : 'epochs'} ${unavailable[0]}`);
    if (SAMPLE) {
      expect(unavailable).toEqual([1]);
      // The genesis models' charts reach back over the pruned epoch 1, shown as a gap.
      const qwq = chart(modelPage('Qwen/QwQ-32B'), 'chart-weight');
      expect(qwq.columns[0]).toMatchObject({ epoch: 1, gap: true });
      expect(qwq.dots[0]!.epoch).toBe(2);
      // Kimi's start at its first listing (27, registered without hosts): nothing before is unknown.
      expect(chart(modelPage('moonshotai/Kimi-K2.6'), 'chart-weight').columns[0]!.epoch).toBe(27);
    }
  });

  it('chart the network totals on /epochs/ with exact values on hover', () => {
    const html = page('epochs');
    for (const [id, value] of [
      ['net-weight', (s: Snap) => s.totals.poc_weight],
      ['net-hosts', (s: Snap) => s.totals.hosts],
      ['net-models', (s: Snap) => s.totals.models_hosted],
    ] as const) {
      const c = chart(html, id);
      for (const col of c.columns.filter((x) => !x.gap)) expect(col.title, `${id} ${col.epoch}`).toContain(`: ${en(value(snaps.get(col.epoch)!))}`);
    }
  });

  it('label axes with epochs and dates, and give each chart a name, a description and a data table', () => {
    const html = modelPage(modelIds[0]!);
    const svg = html.slice(html.indexOf('<svg class="chart__svg"'), html.indexOf('>', html.indexOf('<svg class="chart__svg"')) + 1);
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/aria-labelledby="chart-weight-t"/);
    expect(html).toMatch(/<title id="chart-weight-t">Total weight per epoch<\/title>/);
    expect(html).toMatch(/<text class="chart__date"[^>]*>[A-Z][a-z]{2} \d{1,2}<\/text>/);
    const tables = html.match(/<details class="chart__data">/g) ?? [];
    expect(tables.length).toBe(4);
  });
});

// ---- Epoch pages --------------------------------------------------------------------------

describe('epoch pages', () => {
  it("show each model's change against the previous epoch with data, and a sparkline", () => {
    for (const n of available) {
      const html = epochPage(n);
      for (const m of snaps.get(n)!.models) {
        const row = tableRow(html, m.id);
        const change = expectedChange(n, m.id);
        const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => text(c[1]!));
        // Cells: weight, Δ weight, trend, share, hosts (with its change), ML nodes, inferences, AI tokens.
        expect(cells[0]).toBe(en(m.total_weight));
        if (change === null) {
          expect(cells[1]).toBe('– (no earlier epoch)');
          continue;
        }
        const pct = change.isNew ? 'new' : change.weightDeltaPct !== null ? `${change.weightDeltaPct > 0 ? '+' : change.weightDeltaPct < 0 ? '\u2212' : ''}${Math.abs(change.weightDeltaPct).toFixed(2)}%` : change.weightDelta ? 'from 0' : '';
        expect(cells[1], `epoch ${n} ${m.id}`).toBe(`${signed(change.weightDelta)}${pct}`);
        expect(cells[4]).toBe(`${en(m.participant_count)}, change ${signed(change.hostsDelta)}`);
        // A sparkline over the last 14 epochs of the index when at least two of them have a value.
        const window = epochIds.slice(Math.max(0, epochIds.indexOf(n) - 13), epochIds.indexOf(n) + 1);
        const known = window.filter((e) => rowOf(e, m.id)).length;
        if (known >= 2) expect(row).toMatch(/<svg class="spark"[^>]*aria-hidden="true"/);
        else expect(row).not.toContain('class="spark"');
      }
      const prev = previousAvailable(n);
      expect(html).toContain(prev === undefined ? 'No earlier epoch with data to compare with.' : `Δ: change since epoch ${prev}.`);
    }
  });

  it('say what changed: models newly hosted, models that lost all hosts, parameter changes, biggest movers', () => {
    for (const n of available) {
      const html = epochPage(n);
      const changes = section(html, 'changes-heading');
      const prev = previousAvailable(n);
      if (prev === undefined) {
        expect(text(changes)).toContain('first epoch with data');
        continue;
      }
      const before = (id: string) => rowOf(prev, id)?.participant_count ?? 0;
      const models = snaps.get(n)!.models;
      const added = models.filter((m) => m.participant_count > 0 && before(m.id) === 0).map((m) => m.id);
      const lost = models.filter((m) => m.participant_count === 0 && before(m.id) > 0).map((m) => m.id);
      const box = (kind: string) => {
        const at = changes.indexOf(`data-change="${kind}"`);
        return at < 0 ? '' : changes.slice(at, changes.indexOf('</div>', at));
      };
      const linked = (h: string) => [...h.matchAll(/<a href="([^"]*)"/g)].map((a) => decodeURIComponent(decode(a[1]!)).slice(`${base}models/`.length, -1));
      expect(linked(box('added')), `epoch ${n} added`).toEqual(added.map(modelSlug));
      expect(linked(box('lost')), `epoch ${n} lost`).toEqual(lost.map(modelSlug));
      const expectedParams = models.flatMap((m) => {
        const p = rowOf(prev, m.id);
        if (!p || !p.in_registry || !m.in_registry) return [];
        return TRACKED.filter((f) => JSON.stringify(p[f]) !== JSON.stringify(m[f])).map((f) => `${modelSlug(m.id)} ${f}`);
      });
      const shownParams = [...changes.matchAll(/<tr data-field="([^"]+)" data-epoch="(\d+)">\s*<th[^>]*>\s*<a href="([^"]*)"/g)].map(
        (r) => `${decodeURIComponent(decode(r[3]!)).slice(`${base}models/`.length, -1)} ${r[1]}`,
      );
      expect(shownParams, `epoch ${n} parameter changes`).toEqual(expectedParams);
      // Movers: the largest absolute weight changes, at most five.
      const movers = [...box('movers').matchAll(/data-model-delta="(-?\d+)"/g)].map((m) => Math.abs(Number(m[1])));
      expect(movers).toEqual([...movers].sort((a, b) => b - a));
      expect(movers.length).toBe(Math.min(5, models.filter((m) => m.total_weight !== (rowOf(prev, m.id)?.total_weight ?? 0)).length));
    }
  });

  it('list the 10 largest hosts of each hosted model with its concentration figures', () => {
    for (const n of available) {
      const html = epochPage(n);
      const hosts = section(html, 'hosts-heading');
      const groups = hosts.split('<details class="host-group">').slice(1);
      const hosted = snaps.get(n)!.models.filter((x) => x.participant_count > 0);
      expect(groups.length, `epoch ${n}`).toBe(hosted.length);
      for (const [i, m] of hosted.entries()) {
        const group = groups[i]!.slice(0, groups[i]!.indexOf('</details>'));
        const summary = text(group.slice(0, group.indexOf('</summary>')));
        expect(summary.startsWith(m.id), `epoch ${n}: ${summary}`).toBe(true);
        expect(summary).toContain(`${en(m.participant_count)} host`);
        expect(summary).toContain(`largest ${(m.concentration.top1 * 100).toFixed(2)}%`);
        expect(summary).toContain(`top 5 ${(m.concentration.top5 * 100).toFixed(2)}%`);
        expect(summary).toContain(`HHI ${en(Math.round(m.concentration.hhi))}`);
        const rows = [...group.matchAll(/<th scope="row" class="mono host-address">(.*?)<\/th>/gs)].map((r) => text(r[1]!));
        expect(rows).toEqual(m.hosts.slice(0, 10).map((h) => h.address));
        if (m.hosts.length > 10) expect(text(group)).toContain(`${en(m.hosts.length - 10)} more host`);
      }
    }
  });

  it('link the JSON snapshot and the CSV table from every epoch view, / included', () => {
    for (const n of available) {
      const html = n === index.current_epoch ? page('') : epochPage(n);
      expect(html).toContain(`href="${base}v1/models/epochs/${n}.json"`);
      expect(html).toContain(`href="${base}v1/models/epochs/${n}.csv"`);
    }
  });
});

// ---- Model pages -----------------------------------------------------------------------

describe('model pages', () => {
  it('show first and last hosted epoch and the peak weight with its epoch', () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      const hosted = listedIn(id).filter((n) => rowOf(n, id)!.participant_count > 0);
      let peak: [number, number] | null = null;
      for (const n of listedIn(id)) {
        const w = rowOf(n, id)!.total_weight;
        if (w > 0 && (peak === null || w > peak[1])) peak = [n, w];
      }
      expect(html).toContain(`data-first-hosted="${hosted[0] ?? ''}"`);
      expect(html).toContain(`data-last-hosted="${hosted.at(-1) ?? ''}"`);
      expect(html).toContain(`data-peak-epoch="${peak?.[0] ?? ''}" data-peak-weight="${peak?.[1] ?? ''}"`);
      if (peak) expect(text(html)).toContain(`Peak weight ${en(peak[1])} in epoch ${peak[0]}`);
    }
    if (SAMPLE) {
      expect(modelPage('moonshotai/Kimi-K2.6')).toContain('data-first-hosted="28"');
      expect(modelPage('RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16')).toContain('data-last-hosted="29"');
    }
  });

  it('list every parameter change with the epoch where it took effect', () => {
    for (const id of modelIds) {
      const html = section(modelPage(id), 'param-history-heading');
      const shown = [...html.matchAll(/<tr data-field="([^"]+)" data-epoch="(\d+)">/g)].map((m) => ({ epoch: Number(m[2]), field: m[1] }));
      expect(shown, id).toEqual(expectedParamChanges(id));
    }
    if (SAMPLE) {
      const qwen = expectedParamChanges('Qwen/Qwen3-32B-FP8');
      expect(qwen).toEqual([
        { epoch: 32, field: 'hf_commit' },
        { epoch: 32, field: 'validation_threshold' },
      ]);
    }
  });

  it('list every host of the newest epoch with ML nodes, weight and share, and the concentration figures', () => {
    for (const id of modelIds) {
      const html = section(modelPage(id), 'hosts-heading');
      const newest = rowOf(listedIn(id).at(-1)!, id)!;
      const rows = [...html.matchAll(/<tr>\s*<td class="num muted">(\d+)<\/td>\s*<th scope="row" class="mono host-address">(.*?)<\/th>(.*?)<\/tr>/gs)];
      expect(rows.map((r) => text(r[2]!)), id).toEqual(newest.hosts.map((h) => h.address));
      rows.forEach((r, i) => {
        const h = newest.hosts[i]!;
        const cells = [...r[3]!.matchAll(/<td class="num">(.*?)<\/td>/gs)].map((c) => text(c[1]!));
        expect(cells.slice(0, 2)).toEqual([en(h.ml_nodes), en(h.weight)]);
      });
      if (newest.hosts.length) {
        expect(text(html)).toContain(`Largest host ${(newest.concentration.top1 * 100).toFixed(2)}%`);
        expect(text(html)).toContain(`HHI ${en(Math.round(newest.concentration.hhi))}`);
      } else expect(text(html)).toContain('No host backs this model');
    }
  });

  it('escape host addresses and link them only through HOST_URL_TEMPLATE (not configured here)', () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      expect(html).not.toContain('<img src=x');
      expect(html).not.toMatch(/host-address"><a /);
    }
  });
});

// ---- Downloads ------------------------------------------------------------------------------

describe('CSV downloads', () => {
  const COLUMNS = 'epoch_id,model_id,total_weight,share,hosts,ml_nodes,inferences,ai_tokens,weight_delta,weight_delta_pct,hosts_delta,previous_epoch_id,new_model,in_registry,top1_share,top5_share,hhi';

  it('parse back to the same numbers as the JSON, with changes against the previous epoch with data', () => {
    for (const n of available) {
      const raw = fs.readFileSync(file('v1/models/epochs', `${n}.csv`), 'utf8');
      expect(raw.endsWith('\r\n')).toBe(true);
      expect(raw.split('\r\n')[0]).toBe(COLUMNS);
      const [header, ...rows] = parseCsv(raw);
      const col = (r: string[], name: string) => r[header!.indexOf(name)]!;
      const body = json(`v1/models/epochs/${n}.json`) as Snap;
      expect(rows.length).toBe(body.models.length);
      body.models.forEach((m, i) => {
        const r = rows[i]!;
        expect(r.length).toBe(header!.length);
        const id = col(r, 'model_id');
        expect(/^[=+\-@\t\r]/.test(m.id) ? id === `'${m.id}` : id === m.id, `${n}: ${id}`).toBe(true);
        expect(Number(col(r, 'epoch_id'))).toBe(n);
        expect(Number(col(r, 'total_weight'))).toBe(m.total_weight);
        expect(Number(col(r, 'share'))).toBe(m.share);
        expect(Number(col(r, 'hosts'))).toBe(m.participant_count);
        expect(Number(col(r, 'ml_nodes'))).toBe(m.ml_nodes);
        expect(col(r, 'inferences')).toBe(m.inferences === null ? '' : String(m.inferences));
        expect(col(r, 'ai_tokens')).toBe(m.ai_tokens ?? ''); // exact, even beyond 2^53
        expect(col(r, 'in_registry')).toBe(String(m.in_registry));
        expect(Number(col(r, 'top1_share'))).toBe(m.concentration.top1);
        expect(Number(col(r, 'top5_share'))).toBe(m.concentration.top5);
        expect(Number(col(r, 'hhi'))).toBe(m.concentration.hhi);
        const change = expectedChange(n, m.id);
        if (change === null) {
          for (const c of ['weight_delta', 'weight_delta_pct', 'hosts_delta', 'previous_epoch_id', 'new_model']) expect(col(r, c)).toBe('');
        } else {
          expect(Number(col(r, 'weight_delta'))).toBe(change.weightDelta);
          expect(col(r, 'weight_delta_pct')).toBe(change.weightDeltaPct === null ? '' : String(change.weightDeltaPct));
          expect(Number(col(r, 'hosts_delta'))).toBe(change.hostsDelta);
          expect(Number(col(r, 'previous_epoch_id'))).toBe(change.previous);
          expect(col(r, 'new_model')).toBe(String(change.isNew));
        }
      });
    }
  });
});

describe('model JSON', () => {
  it('holds the full history: flat figures per epoch, changes, hosted span, peak and parameter changes', () => {
    for (const id of modelIds) {
      const body = json(`v1/models/${modelSlug(id)}.json`);
      const listed = listedIn(id);
      expect(body.epochs.map((e: { epoch_id: number }) => e.epoch_id)).toEqual([...listed].reverse());
      const hosted = listed.filter((n) => rowOf(n, id)!.participant_count > 0);
      expect(body.first_hosted_epoch).toBe(hosted[0] ?? null);
      expect(body.last_hosted_epoch).toBe(hosted.at(-1) ?? null);
      const maxW = Math.max(0, ...listed.map((n) => rowOf(n, id)!.total_weight));
      expect(body.peak).toEqual(maxW > 0 ? { epoch_id: listed.find((n) => rowOf(n, id)!.total_weight === maxW), weight: maxW } : null);
      expect(body.param_changes.map((c: { epoch_id: number; field: string }) => ({ epoch: c.epoch_id, field: c.field }))).toEqual(expectedParamChanges(id));
      for (const e of body.epochs) {
        const row = rowOf(e.epoch_id, id)!;
        expect([e.weight, e.hosts, e.ml_nodes, e.share, e.inferences, e.ai_tokens]).toEqual([
          row.total_weight,
          row.participant_count,
          row.ml_nodes,
          row.share,
          row.inferences,
          row.ai_tokens,
        ]);
        expect(e.csv_url).toBe(`${base}v1/models/epochs/${e.epoch_id}.csv`);
        const change = expectedChange(e.epoch_id, id);
        expect(e.change).toEqual(
          change && {
            previous_epoch_id: change.previous,
            weight_delta: change.weightDelta,
            weight_delta_pct: change.weightDeltaPct,
            hosts_delta: change.hostsDelta,
            is_new: change.isNew,
          },
        );
      }
    }
  });
});

describe('JSON Schema', () => {
  it('is served at /v1/models/schema.json and describes every field of the snapshots', () => {
    const schema = json('v1/models/schema.json');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    for (const n of available) {
      const body = json(`v1/models/epochs/${n}.json`);
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(body).sort());
      expect([...schema.required].sort()).toEqual(Object.keys(body).sort());
      const row = schema.properties.models.items;
      for (const m of body.models) expect(Object.keys(row.properties).sort()).toEqual(Object.keys(m).sort());
      expect(Object.keys(row.properties.hosts.items.properties).sort()).toEqual(['address', 'ml_nodes', 'share', 'weight']);
    }
  });
});

describe('size', () => {
  it('keeps / small: at most 25 KB gzip', () => {
    const sizes = Object.fromEntries(
      ['', `models/${modelSlug(modelIds[0]!)}`, 'epochs'].map((rel) => [`/${rel}`, gzipSync(page(rel), { level: 9 }).length]),
    );
    console.log(`gzip: ${Object.entries(sizes).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}`);
    expect(sizes['/']).toBeLessThanOrEqual(25 * 1024);
  });
});
