/**
 * History and insight in the built site, against numbers computed here, straight
 * from the data folder's JSON (not through the site's own helpers): the charts
 * (one point per epoch with a value, gaps elsewhere; effective weight with raw
 * beside it; the price), the change columns (of effective weight) and the "what
 * changed" section of every epoch page, the excluded hosts, the model pages' peak,
 * hosted span, parameter history and hosts (with the chain's per-host counters and
 * exclusions), the per-epoch models and hosts CSV (parsed back to the JSON's
 * numbers), the model JSON's history and the JSON Schema. Runs on the sample chain
 * (`site`) and on the fixture (`site-fixture`); the sample chain's scripted events
 * are checked by name in sample-events.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';
import { all, dom, one, section, text } from '../support/site-html.ts';

/** A CSV download as rows of fields, read by a standard RFC 4180 parser. */
const parseCsv = (text: string): string[][] => parse(text);

const dist = inject('distDir');
const dataDir = inject('dataDir');
const base = inject('basePath');

// ---- The data, read directly -----------------------------------------------------------

interface Host {
  address: string;
  ml_nodes: number;
  weight: number;
  effective_weight: number | null;
  share: number;
  excluded: { reason: string; exclusion_block_height: number } | null;
  performance: { inference_count: string; missed_requests: string; rewarded_coins: string } | null;
}
interface Row {
  id: string;
  total_weight: number;
  effective_weight: number | null;
  weight_scale: { factor: { value: string; exponent: number } | null; source: string; height: number | null; eligible: boolean | null };
  participant_count: number;
  ml_nodes: number;
  share: number | null;
  raw_share: number;
  excluded_hosts: number;
  excluded_weight: number;
  in_registry: boolean;
  registry_status: 'listed' | 'removed' | 'unregistered';
  context_length: { tokens: string | null; source: string | null };
  price: { ngonka_per_token: string | null; gnk_per_million_tokens: string | null; height: number | null; unavailable: string | null };
  capacity: { value: string | null; unavailable: string | null };
  inferences: number | null;
  ai_tokens: string | null;
  concentration: { top1: number; top5: number; hhi: number };
  hosts: Host[];
  [field: string]: unknown;
}
interface Snap {
  epoch_id: number;
  window: { start_time: string } | null;
  usage_source: string | null;
  usage_scope: string | null;
  excluded_participants: Array<{ address: string; reason: string; exclusion_block_height: number }>;
  totals: { poc_weight: number; effective_weight: number | null; hosts: number; excluded_hosts: number; models_hosted: number };
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
/** The default sample chain (docs/sample-chain.md, "Timeline"): current epoch 44, Kimi-K2.6 registered in 33. */
const SAMPLE = index.current_epoch === 44 && snaps.has(33) && modelIds.includes('moonshotai/Kimi-K2.6') && modelIds.includes('MiniMaxAI/MiniMax-M2.7');
const TRACKED = ['hf_commit', 'v_ram', 'throughput_per_nonce', 'units_of_compute_per_token', 'model_args', 'validation_threshold'];

// ---- The built site ---------------------------------------------------------------------

const file = (...parts: string[]) => path.join(dist, ...parts);
const page = (rel: string) => fs.readFileSync(file(...rel.split('/').filter(Boolean), 'index.html'), 'utf8');
const modelPage = (id: string) => page(`models/${modelSlug(id)}`);
const epochPage = (n: number) => page(`epochs/${n}`);
const json = (rel: string): any => JSON.parse(fs.readFileSync(file(rel), 'utf8'));

const en = (n: number | string) => (typeof n === 'string' ? BigInt(n).toLocaleString('en-US') : n.toLocaleString('en-US'));
const signed = (d: number) => (d === 0 ? '0' : `${d > 0 ? '+' : '\u2212'}${Math.abs(d).toLocaleString('en-US')}`);

/** The chart `id` on a page (HTML, or parsed once by a caller that reads several charts): its epoch columns (with hover titles), dots and bars. */
function chart(page: string | ParentNode, id: string) {
  // The view of all epochs: with the sample chain's depth, one band per epoch.
  const svg = one(page, `svg[data-chart="${id}"][data-range="all"]`, `chart ${id}`);
  const columns = all(svg, 'g.chart__col[data-epoch]').map((g) => ({
    epoch: Number(g.getAttribute('data-epoch')),
    gap: g.classList.contains('chart__col--gap'),
    title: one(g, ':scope > title', `title of ${id} column ${g.getAttribute('data-epoch')}`).textContent ?? '',
  }));
  // Every chart spans at least one epoch: no columns means the markup changed under these selectors.
  expect(columns.length, `columns of chart ${id}`).toBeGreaterThan(0);
  const marks = (tag: string) =>
    all(svg, `${tag}.chart__dot[data-epoch][data-series], ${tag}.chart__bar[data-epoch][data-series]`).map((m) => ({
      epoch: Number(m.getAttribute('data-epoch')),
      series: Number(m.getAttribute('data-series')),
    }));
  const desc = svg.querySelector('desc');
  return { columns, dots: marks('circle'), bars: marks('rect'), desc: desc ? text(desc) : '' };
}

/** The epochs a model's charts span: first listed epoch (back over epochs without data before it) to the newest. */
function modelDomain(id: string): number[] {
  let i = epochIds.indexOf(listedIn(id)[0]!);
  while (i > 0 && !snaps.has(epochIds[i - 1]!)) i--;
  return epochIds.slice(i);
}

/** The models table row of `id` on a parsed epoch view. */
function tableRow(page: ParentNode, id: string): Element {
  // Compared as attribute values, not in a selector: ids hold quotes and other characters CSS would need escaped.
  const link = all(page, 'table.models-table [data-model-id]').find((el) => el.getAttribute('data-model-id') === id);
  expect(link, `row of ${id}`).toBeTruthy();
  return link!.closest('tr')!;
}

/** A host cell's address, without the exclusion badge after it. */
function addressOf(th: Element): string {
  const cell = th.cloneNode(true) as Element;
  const badge = cell.querySelector(':scope > span[class^="badge"]');
  while (badge?.nextSibling) badge.nextSibling.remove();
  badge?.remove();
  return text(cell);
}

/** An exact decimal `{value, exponent}` as text, computed here: {"25", -1} → "2.5". */
function decimalOf(d: { value: string; exponent: number }): string {
  if (d.exponent >= 0) return BigInt(d.value + '0'.repeat(d.exponent)).toString();
  const digits = d.value.padStart(-d.exponent + 1, '0');
  const cut = digits.length + d.exponent;
  const frac = digits.slice(cut).replace(/0+$/, '');
  return `${BigInt(digits.slice(0, cut))}${frac ? `.${frac}` : ''}`;
}

/** An exact decimal string with its whole part grouped, as the pages show it. */
const grouped = (dec: string) => {
  const [whole, frac] = dec.split('.');
  return `${BigInt(whole!).toLocaleString('en-US')}${frac ? `.${frac}` : ''}`;
};

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

/** A model's change in epoch n against the previous epoch with data, raw and effective. */
function expectedChange(n: number, id: string) {
  const p = previousAvailable(n);
  if (p === undefined) return null;
  const now = rowOf(n, id)!;
  const before = rowOf(p, id);
  const pct = (a: number, b: number) => (b > 0 ? Math.round(((a - b) / b) * 1e4) / 1e2 : null);
  const pw = before?.total_weight ?? 0;
  // No previous row: the effective weight counts from 0 too; an unknown one leaves the change unknown.
  const pe = before ? before.effective_weight : 0;
  const effectiveDelta = now.effective_weight === null || pe === null ? null : now.effective_weight - pe;
  return {
    previous: p,
    weightDelta: now.total_weight - pw,
    weightDeltaPct: pct(now.total_weight, pw),
    effectiveDelta,
    effectiveDeltaPct: effectiveDelta === null || pe === null ? null : pct(now.effective_weight!, pe),
    hostsDelta: now.participant_count - (before?.participant_count ?? 0),
    isNew: before === undefined,
  };
}

/** The GNK text of an ngonka amount, computed here with BigInt: 10^9 ngonka = 1 GNK. */
function gnk(ngonka: string): string {
  const n = BigInt(ngonka);
  const frac = (n % 10n ** 9n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${(n / 10n ** 9n).toLocaleString('en-US')}${frac ? `.${frac}` : ''}`;
}

/** When a model left the registry, computed here: a `removed` row after its last `listed` one, else the next epoch with data. */
function expectedRemoval(id: string): { epoch: number; during: boolean } | null {
  const listed = listedIn(id);
  const lastListed = listed.filter((n) => rowOf(n, id)!.registry_status === 'listed').at(-1);
  const removed = listed.find((n) => (lastListed === undefined || n > lastListed) && rowOf(n, id)!.registry_status === 'removed');
  if (removed !== undefined) return { epoch: removed, during: true };
  if (lastListed === undefined) return null;
  const next = available.find((n) => n > lastListed);
  return next === undefined ? null : { epoch: next, during: false };
}

// ---- Charts --------------------------------------------------------------------------------

it('knows its data: the default sample chain or the fixture (so the by-name checks below cannot go quiet)', () => {
  expect(SAMPLE || (index.current_epoch === 106 && modelIds.includes('../../etc/passwd'))).toBe(true);
});

describe('charts', () => {
  it("draw every model's effective and raw weight, hosts and ML nodes with one point per epoch that lists it and gaps elsewhere", () => {
    for (const id of modelIds) {
      const doc = dom(modelPage(id));
      const domain = modelDomain(id);
      const weight = chart(doc, 'chart-weight');
      expect(weight.columns.map((c) => c.epoch), id).toEqual(domain);
      for (const c of weight.columns) {
        const row = rowOf(c.epoch, id);
        expect(c.gap, `${id} epoch ${c.epoch}`).toBe(!row);
        expect(c.title).toContain(`Epoch ${c.epoch}`);
        if (row) {
          expect(c.title).toContain(
            `Effective weight: ${row.effective_weight === null ? '– (weight scale factor unknown)' : en(row.effective_weight)}, Raw PoC weight: ${en(row.total_weight)}`,
          );
        } else expect(c.title).toMatch(snaps.has(c.epoch) ? /not listed/ : /no data/);
      }
      // Series 0 is effective weight (a gap where it is unknown), series 1 raw weight.
      expect(weight.dots.filter((d) => d.series === 1).map((d) => d.epoch)).toEqual(domain.filter((n) => rowOf(n, id)));
      expect(weight.dots.filter((d) => d.series === 0).map((d) => d.epoch)).toEqual(domain.filter((n) => (rowOf(n, id)?.effective_weight ?? null) !== null));
      const hosts = chart(doc, 'chart-hosts');
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
      const doc = dom(modelPage(id));
      const domain = modelDomain(id);
      for (const [chartId, field] of [
        ['chart-inferences', 'inferences'],
        ['chart-tokens', 'ai_tokens'],
      ] as const) {
        const c = chart(doc, chartId);
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

  it('draw the price in GNK per 1M tokens where the chain publishes one, gaps (never 0) elsewhere', () => {
    for (const id of modelIds) {
      const c = chart(modelPage(id), 'chart-price');
      const domain = modelDomain(id);
      expect(c.columns.map((x) => x.epoch)).toEqual(domain);
      const priced = domain.filter((n) => (rowOf(n, id)?.price.gnk_per_million_tokens ?? null) !== null);
      expect(c.dots.map((d) => d.epoch), id).toEqual(priced);
      for (const col of c.columns) {
        const row = rowOf(col.epoch, id);
        expect(col.gap).toBe(!priced.includes(col.epoch));
        if (row?.price.gnk_per_million_tokens) expect(col.title).toContain(`GNK per 1M tokens: ${grouped(row.price.gnk_per_million_tokens)}`);
        else if (row) expect(col.title).toContain('GNK per 1M tokens: – (price not published)');
      }
    }
  });

  it('show epochs without data as gaps (the sample chain has pruned epoch 1)', () => {
    const unavailable = epochIds.filter((n) => !snaps.has(n));
    expect(unavailable.length).toBeGreaterThan(0);
    const net = chart(page('epochs'), 'net-weight');
    expect(net.columns.map((c) => c.epoch)).toEqual(epochIds);
    expect(net.columns.filter((c) => c.gap).map((c) => c.epoch)).toEqual(unavailable);
    expect(net.dots.filter((d) => d.series === 1).map((d) => d.epoch)).toEqual(available);
    expect(net.dots.filter((d) => d.series === 0).map((d) => d.epoch)).toEqual(available.filter((n) => snaps.get(n)!.totals.effective_weight !== null));
    expect(net.desc).toContain(`No value for ${unavailable.length === 1 ? 'epoch' : 'epochs'} ${unavailable[0]}`);
    if (SAMPLE) {
      expect(unavailable).toEqual([1]);
      // The genesis models' charts reach back over the pruned epoch 1, shown as a gap.
      const qwq = chart(modelPage('Qwen/QwQ-32B'), 'chart-weight');
      expect(qwq.columns[0]).toMatchObject({ epoch: 1, gap: true });
      expect(qwq.dots.filter((d) => d.series === 1)[0]!.epoch).toBe(2);
      // Kimi's start at its first listing (33, registered without hosts): nothing before is unknown.
      expect(chart(modelPage('moonshotai/Kimi-K2.6'), 'chart-weight').columns[0]!.epoch).toBe(33);
      // Hosted from 36 but not counted before 38: effective weight 0 there, drawn as 0 (known), not as a gap.
      const kimi = chart(modelPage('moonshotai/Kimi-K2.6'), 'chart-weight');
      expect(kimi.columns.find((c) => c.epoch === 36)!.title).toContain('Effective weight: 0, Raw PoC weight:');
    }
  });

  it('chart the network totals on /epochs/ with exact values on hover', () => {
    const doc = dom(page('epochs'));
    for (const [id, value] of [
      ['net-weight', (s: Snap) => s.totals.poc_weight],
      ['net-hosts', (s: Snap) => s.totals.hosts],
      ['net-models', (s: Snap) => s.totals.models_hosted],
    ] as const) {
      if (id === 'net-weight') {
        for (const col of chart(doc, id).columns.filter((x) => !x.gap)) {
          const eff = snaps.get(col.epoch)!.totals.effective_weight;
          expect(col.title).toContain(`Effective weight: ${eff === null ? '– (weight scale factor unknown)' : en(eff)}, Raw PoC weight:`);
        }
      }
      const c = chart(doc, id);
      for (const col of c.columns.filter((x) => !x.gap)) expect(col.title, `${id} ${col.epoch}`).toContain(`: ${en(value(snaps.get(col.epoch)!))}`);
    }
  });

  it('label axes with epochs and dates, and give each view of a chart a name and a description', () => {
    const html = modelPage(modelIds[0]!);
    const svgs = all(html, 'svg[data-chart="chart-weight"]');
    for (const svg of svgs) {
      expect(svg.getAttribute('role')).toBe('img');
      const name = one(html, `#${svg.getAttribute('aria-labelledby')}`);
      expect(text(name)).toMatch(/^Effective and raw PoC weight, (last \d+ epochs|all \d+ epochs)$/);
      expect(text(one(html, `#${svg.getAttribute('aria-describedby')}`))).toMatch(/^Epochs \d+ to \d+\. .*The exact value of every epoch is in the table of its epochs below/);
    }
    expect(svgs.at(-1)!.getAttribute('data-range')).toBe('all');
    expect(html).toMatch(/<text class="chart__date"[^>]*>[A-Z][a-z]{2} \d{1,2}<\/text>/);
    // Five charts, each with a view per range and, when there is more than one, a radio button per view, the first checked.
    const figures = all(html, 'figure.chart');
    expect(figures.length).toBe(5);
    for (const figure of figures) {
      const views = all(figure, '.chart__view');
      const picks = all(figure, 'input.chart__pick');
      expect(picks.length).toBe(views.length > 1 ? views.length : 0);
      if (picks.length) expect(picks.map((p) => p.hasAttribute('checked'))).toEqual(picks.map((_, i) => i === 0));
    }
  });

  it('offer the last 30 epochs first where there are more, on /epochs/', () => {
    const views = all(page('epochs/'), 'figure.chart[data-chart-id="net-weight"] svg.chart__svg').map((s) => [s.getAttribute('data-range'), all(s, 'g.chart__col').length]);
    expect(views).toEqual([...(epochIds.length > 30 ? [['last-30', 30]] : []), ['all', epochIds.length]]);
  });
});

// ---- Epoch pages --------------------------------------------------------------------------

describe('epoch pages', () => {
  it("show each model's effective and raw weight, share, hosts, its effective weight change against the previous epoch with data, and a sparkline", () => {
    for (const n of available) {
      const html = epochPage(n);
      const doc = dom(html);
      for (const m of snaps.get(n)!.models) {
        const row = tableRow(doc, m.id);
        const change = expectedChange(n, m.id);
        const cells = all(row, 'td').map(text);
        // Cells: effective weight, raw weight, Δ, trend, share, hosts (excluded, change), ML nodes, inferences, AI tokens.
        expect(cells[0], `epoch ${n} ${m.id}`).toBe(m.effective_weight === null ? '– (weight scale factor unknown)' : en(m.effective_weight));
        expect(cells[1]).toBe(en(m.total_weight));
        expect(cells[4]).toEqual(m.share === null ? (m.effective_weight === null ? '– (weight scale factor unknown)' : '– (total effective weight unknown)') : expect.stringMatching(/%$/));
        const excluded = m.excluded_hosts > 0 ? ` ${en(m.excluded_hosts)} excluded` : '';
        if (change === null) {
          expect(cells[2]).toBe('– (no earlier epoch)');
          expect(cells[5]).toBe(`${en(m.participant_count)}${excluded}`);
          continue;
        }
        if (change.effectiveDelta === null) {
          expect(cells[2], `epoch ${n} ${m.id}`).toBe('– (effective weight unknown in this or the previous epoch)');
        } else {
          const p = change.effectiveDeltaPct;
          const pct = change.isNew ? 'new' : p !== null ? `${p > 0 ? '+' : p < 0 ? '\u2212' : ''}${Math.abs(p).toFixed(2)}%` : change.effectiveDelta ? 'from 0' : '';
          expect(cells[2], `epoch ${n} ${m.id}`).toBe(`${signed(change.effectiveDelta)}${pct}`);
        }
        expect(cells[5]).toBe(`${en(m.participant_count)}${excluded}, change ${signed(change.hostsDelta)}`);
        // A sparkline of effective weight over the last 14 epochs of the index when at least two of them have one.
        const window = epochIds.slice(Math.max(0, epochIds.indexOf(n) - 13), epochIds.indexOf(n) + 1);
        const known = window.filter((e) => (rowOf(e, m.id)?.effective_weight ?? null) !== null).length;
        if (known >= 2) expect(row.querySelector('svg.spark[aria-hidden="true"]'), `sparkline of ${m.id} in ${n}`).not.toBeNull();
        else expect(row.querySelector('.spark')).toBeNull();
        // Badges: out of the registry, or hosted weight that does not count.
        const head = text(one(row, 'th'));
        expect(head.includes('removed from registry'), `${n} ${m.id}`).toBe(m.registry_status === 'removed');
        expect(head.includes('not in registry')).toBe(m.registry_status === 'unregistered');
        expect(head.includes('not counted')).toBe(m.weight_scale.eligible === false && m.total_weight > 0);
      }
      const prev = previousAvailable(n);
      expect(html).toContain(prev === undefined ? 'No earlier epoch with data to compare with.' : `Δ: effective weight change since epoch ${prev}.`);
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
      const tree = dom(changes);
      // A box the page leaves out has nothing to list.
      const inBox = (kind: string, selector: string) => {
        const box = tree.querySelector(`[data-change="${kind}"]`);
        return box ? all(box, selector) : [];
      };
      const modelOf = (a: Element) => decodeURIComponent(a.getAttribute('href')!).slice(`${base}models/`.length, -1);
      const linked = (kind: string) => inBox(kind, 'a[href]').map(modelOf);
      expect(linked('added'), `epoch ${n} added`).toEqual(added.map(modelSlug));
      expect(linked('lost'), `epoch ${n} lost`).toEqual(lost.map(modelSlug));
      const expectedParams = models.flatMap((m) => {
        const p = rowOf(prev, m.id);
        if (!p || !p.in_registry || !m.in_registry) return [];
        return TRACKED.filter((f) => JSON.stringify(p[f]) !== JSON.stringify(m[f])).map((f) => `${modelSlug(m.id)} ${f}`);
      });
      const shownParams = all(tree, 'tr[data-field][data-epoch] > th:first-child > a[href]:first-child').map(
        (a) => `${modelOf(a)} ${a.closest('tr')!.getAttribute('data-field')}`,
      );
      expect(shownParams, `epoch ${n} parameter changes`).toEqual(expectedParams);
      // Movers: the largest absolute effective weight changes, at most five; unknown changes listed apart.
      const movers = inBox('movers', '[data-model-delta]').map((el) => Math.abs(Number(el.getAttribute('data-model-delta'))));
      expect(movers).toEqual([...movers].sort((a, b) => b - a));
      const known = models.map((m) => expectedChange(n, m.id)!.effectiveDelta).filter((d) => d !== null && d !== 0) as number[];
      expect(movers).toEqual(known.map(Math.abs).sort((a, b) => b - a).slice(0, 5));
      const unknown = models.filter((m) => expectedChange(n, m.id)!.effectiveDelta === null).map((m) => modelSlug(m.id));
      expect(linked('unknown'), `epoch ${n} unknown changes`).toEqual(unknown);
    }
  });

  it('list the 10 largest hosts of each hosted model with its concentration figures', () => {
    for (const n of available) {
      const html = epochPage(n);
      const hosts = section(html, 'hosts-heading');
      const groups = all(hosts, 'details.host-group');
      const hosted = snaps.get(n)!.models.filter((x) => x.participant_count > 0);
      expect(groups.length, `epoch ${n}`).toBe(hosted.length);
      for (const [i, m] of hosted.entries()) {
        const group = groups[i]!;
        const summary = text(one(group, ':scope > summary'));
        expect(summary.startsWith(m.id), `epoch ${n}: ${summary}`).toBe(true);
        expect(summary).toContain(`${en(m.participant_count)} host`);
        expect(summary).toContain(`largest ${(m.concentration.top1 * 100).toFixed(2)}%`);
        expect(summary).toContain(`top 5 ${(m.concentration.top5 * 100).toFixed(2)}%`);
        expect(summary).toContain(`HHI ${en(Math.round(m.concentration.hhi))}`);
        const rows = all(group, 'th.mono.host-address[scope="row"]').map(addressOf);
        expect(rows).toEqual(m.hosts.slice(0, 10).map((h) => h.address));
        if (m.excluded_hosts > 0) expect(summary).toContain(`, ${en(m.excluded_hosts)} excluded`);
        if (m.hosts.length > 10) expect(text(group)).toContain(`${en(m.hosts.length - 10)} more host`);
      }
    }
  });

  it('link the JSON snapshot, the CSV table and the hosts CSV from every epoch view, / included', () => {
    for (const n of available) {
      const html = n === index.current_epoch ? page('') : epochPage(n);
      expect(html).toContain(`href="${base}v1/models/epochs/${n}.json"`);
      expect(html).toContain(`href="${base}v1/models/epochs/${n}.csv"`);
      expect(html).toContain(`href="${base}v1/models/epochs/${n}.hosts.csv"`);
    }
  });

  it('list the hosts the chain excluded, with reason and block, and how many of each model they are', () => {
    for (const n of available) {
      const html = epochPage(n);
      const excluded = snaps.get(n)!.excluded_participants;
      if (excluded.length === 0) {
        expect(html).not.toContain('id="excluded-heading"');
        continue;
      }
      const sec = section(html, 'excluded-heading');
      // A row: the host cell first, then its reason, then its block.
      const rows = all(sec, 'tr > th.mono.host-address[scope="row"]:first-child + td.mono + td.num').map((block) => {
        const reason = block.previousElementSibling!;
        return [text(reason.previousElementSibling!), text(reason), text(block)];
      });
      expect(rows).toEqual(excluded.map((x) => [x.address, x.reason, en(x.exclusion_block_height)]));
      const perModel = all(sec, 'li[data-model-excluded]').map(text);
      expect(perModel).toEqual(
        snaps
          .get(n)!
          .models.filter((m) => m.excluded_hosts > 0)
          .map((m) => `${m.id}: ${en(m.excluded_hosts)} of ${en(m.participant_count)} ${m.participant_count === 1 ? 'host' : 'hosts'} excluded (${en(m.excluded_weight)} raw weight)`),
      );
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
      if (peak) expect(text(html)).toContain(`Peak raw weight ${en(peak[1])} in epoch ${peak[0]}`);
      let peakEff: [number, number] | null = null;
      for (const n of listedIn(id)) {
        const w = rowOf(n, id)!.effective_weight;
        if (w !== null && w > 0 && (peakEff === null || w > peakEff[1])) peakEff = [n, w];
      }
      // Astro writes an empty attribute without a value.
      expect(html).toContain(
        peakEff ? `data-peak-effective-epoch="${peakEff[0]}" data-peak-effective-weight="${peakEff[1]}"` : 'data-peak-effective-epoch data-peak-effective-weight>',
      );
      if (peakEff) expect(text(html)).toContain(`Peak effective weight ${en(peakEff[1])} in epoch ${peakEff[0]}`);
    }
    if (SAMPLE) {
      expect(modelPage('moonshotai/Kimi-K2.6')).toContain('data-first-hosted="36"');
      expect(modelPage('RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16')).toContain('data-last-hosted="23"');
    }
  });

  it('list every parameter change with the epoch where it took effect', () => {
    for (const id of modelIds) {
      const html = section(modelPage(id), 'param-history-heading');
      const shown = all(html, 'tr[data-field][data-epoch]').map((tr) => ({ epoch: Number(tr.getAttribute('data-epoch')), field: tr.getAttribute('data-field') }));
      expect(shown, id).toEqual(expectedParamChanges(id));
    }
    if (SAMPLE) {
      const qwen = expectedParamChanges('Qwen/Qwen3-32B-FP8');
      expect(qwen).toEqual([
        { epoch: 26, field: 'hf_commit' },
        { epoch: 26, field: 'validation_threshold' },
      ]);
      // v0.2.13's new validation threshold for Kimi, from 39.
      expect(expectedParamChanges('moonshotai/Kimi-K2.6')).toContainEqual({ epoch: 39, field: 'validation_threshold' });
    }
  });

  it("list every host of the newest epoch with ML nodes, raw and effective weight, share, the chain's counters and exclusions, and the concentration figures", () => {
    for (const id of modelIds) {
      const html = section(modelPage(id), 'hosts-heading');
      const newest = rowOf(listedIn(id).at(-1)!, id)!;
      // A row: its rank first, then the host cell (the address, an exclusion badge after it), then the figures.
      const rows = all(html, 'tr > td.num.muted:first-child + th.mono.host-address[scope="row"]');
      expect(rows.map(addressOf), id).toEqual(newest.hosts.map((h) => h.address));
      rows.forEach((th, i) => {
        const h = newest.hosts[i]!;
        expect(th.previousElementSibling!.textContent, `rank of ${h.address}`).toMatch(/^\d+$/);
        const cells = all(th.parentElement!, ':scope > th.host-address ~ td.num').map(text);
        const none = '– (not published by the chain)';
        expect(cells).toEqual([
          en(h.ml_nodes),
          en(h.weight),
          h.effective_weight === null ? '– (weight scale factor unknown)' : en(h.effective_weight),
          expect.stringMatching(/%$/),
          h.performance ? en(h.performance.inference_count) : none,
          h.performance ? en(h.performance.missed_requests) : none,
          h.performance ? gnk(h.performance.rewarded_coins) : none,
        ]);
        const badge = text(th).slice(h.address.length).trim();
        expect(badge).toBe(h.excluded ? `excluded: ${h.excluded.reason} (excluded at block ${en(h.excluded.exclusion_block_height)})` : '');
        expect(th.parentElement!.hasAttribute('data-excluded')).toBe(h.excluded !== null);
      });
      if (newest.hosts.length) expect(text(html)).toContain('over all the models it serves, not this model alone');
      if (newest.hosts.length) {
        expect(text(html)).toContain(`Largest host ${(newest.concentration.top1 * 100).toFixed(2)}%`);
        expect(text(html)).toContain(`HHI ${en(Math.round(newest.concentration.hhi))}`);
      } else expect(text(html)).toContain('No host backs this model');
    }
  });

  it('escape host addresses and exclusion reasons, and link addresses only through HOST_URL_TEMPLATE (not configured here)', () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<img src=y');
      expect(html).not.toMatch(/host-address"><a /);
    }
  });

  it('mark a model that left the registry with the epoch it left, on its page and in /models/', () => {
    const index_ = page('models');
    for (const id of modelIds) {
      const html = modelPage(id);
      const removal = expectedRemoval(id);
      const badge = dom(html).querySelector('span.badge.badge--warn[data-removed-epoch]');
      if (removal === null) {
        expect(badge, id).toBeNull();
        continue;
      }
      expect(Number(badge!.getAttribute('data-removed-epoch')), id).toBe(removal.epoch);
      expect(text(badge!)).toBe(`Removed from the registry ${removal.during ? 'during' : 'before'} epoch ${removal.epoch}`);
      const href = `${base}models/${modelSlug(id).split('/').map(encodeURIComponent).join('/')}/`;
      const cell = all(index_, 'th a[href]').find((a) => a.getAttribute('href') === href)?.closest('th');
      expect(cell, id).toBeTruthy();
      expect(text(cell!)).toContain(`removed from registry ${removal.during ? 'during' : 'before'} epoch ${removal.epoch}`);
    }
  });

  it('show the newest epoch\'s weight scale, context length, price and capacity', () => {
    for (const id of modelIds) {
      const html = modelPage(id);
      const newest = rowOf(listedIn(id).at(-1)!, id)!;
      const t = text(section(html, 'latest-heading'));
      const f = newest.weight_scale.factor;
      if (f) expect(t).toContain(`Weight scale factor ${decimalOf(f)}`);
      if (newest.context_length.tokens) expect(t).toContain(`Context length ${en(newest.context_length.tokens)} tokens`);
      if (newest.price.gnk_per_million_tokens) expect(t).toContain(`Price ${grouped(newest.price.gnk_per_million_tokens)} GNK per 1M tokens ${en(newest.price.ngonka_per_token!)} ngonka per token`);
      else expect(t).toContain(`Price Not published${newest.price.unavailable ? ` ${newest.price.unavailable}` : ''}`);
      if (newest.capacity.value) expect(t).toContain(`Capacity ${en(newest.capacity.value)}`);
      else expect(t).toContain('Capacity Not published');
    }
  });
});

// ---- Downloads ------------------------------------------------------------------------------

describe('CSV downloads', () => {
  const COLUMNS = [
    'epoch_id,model_id,total_weight,share,hosts,ml_nodes,inferences,ai_tokens,weight_delta,weight_delta_pct,hosts_delta,previous_epoch_id,new_model,in_registry,top1_share,top5_share,hhi',
    'effective_weight,raw_share,weight_scale_factor,weight_scale_source,counted,excluded_hosts,excluded_weight,registry_status',
    'context_length,context_length_source,price_ngonka_per_token,price_gnk_per_million_tokens,capacity,usage_source,usage_scope',
    'effective_weight_delta,effective_weight_delta_pct',
  ].join(',');
  const HOST_COLUMNS =
    'epoch_id,model_id,address,ml_nodes,weight,effective_weight,share,excluded,exclusion_reason,exclusion_block_height,inference_count,missed_requests,rewarded_coins';
  /** A text cell as the CSV holds it: a leading `'` before what a spreadsheet would run as a formula. */
  const textCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const orEmpty = (v: string | number | boolean | null) => (v === null ? '' : String(v));

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
        expect(col(r, 'share')).toBe(m.share === null ? '' : String(m.share));
        expect(Number(col(r, 'hosts'))).toBe(m.participant_count);
        expect(Number(col(r, 'ml_nodes'))).toBe(m.ml_nodes);
        expect(col(r, 'inferences')).toBe(m.inferences === null ? '' : String(m.inferences));
        expect(col(r, 'ai_tokens')).toBe(m.ai_tokens ?? ''); // exact, even beyond 2^53
        expect(col(r, 'in_registry')).toBe(String(m.in_registry));
        expect(Number(col(r, 'top1_share'))).toBe(m.concentration.top1);
        expect(Number(col(r, 'top5_share'))).toBe(m.concentration.top5);
        expect(Number(col(r, 'hhi'))).toBe(m.concentration.hhi);
        // Schema 3: effective weight, scale factor, exclusions, registry, context, price, capacity, usage source.
        expect(col(r, 'effective_weight')).toBe(orEmpty(m.effective_weight));
        expect(Number(col(r, 'raw_share'))).toBe(m.raw_share);
        const f = m.weight_scale.factor;
        expect(col(r, 'weight_scale_factor')).toBe(f ? decimalOf(f) : m.weight_scale.source === 'unknown' ? '' : '1');
        expect(col(r, 'weight_scale_source')).toBe(m.weight_scale.source);
        expect(col(r, 'counted')).toBe(orEmpty(m.weight_scale.eligible));
        expect(Number(col(r, 'excluded_hosts'))).toBe(m.excluded_hosts);
        expect(Number(col(r, 'excluded_weight'))).toBe(m.excluded_weight);
        expect(col(r, 'registry_status')).toBe(m.registry_status);
        expect(col(r, 'context_length')).toBe(orEmpty(m.context_length.tokens));
        expect(col(r, 'context_length_source')).toBe(orEmpty(m.context_length.source));
        expect(col(r, 'price_ngonka_per_token')).toBe(orEmpty(m.price.ngonka_per_token));
        expect(col(r, 'price_gnk_per_million_tokens')).toBe(orEmpty(m.price.gnk_per_million_tokens));
        expect(col(r, 'capacity')).toBe(orEmpty(m.capacity.value));
        expect(col(r, 'usage_source')).toBe(orEmpty(body.usage_source));
        expect(col(r, 'usage_scope')).toBe(orEmpty(body.usage_scope));
        const change = expectedChange(n, m.id);
        if (change === null) {
          for (const c of ['weight_delta', 'weight_delta_pct', 'hosts_delta', 'previous_epoch_id', 'new_model', 'effective_weight_delta', 'effective_weight_delta_pct']) {
            expect(col(r, c)).toBe('');
          }
        } else {
          expect(Number(col(r, 'weight_delta'))).toBe(change.weightDelta);
          expect(col(r, 'weight_delta_pct')).toBe(change.weightDeltaPct === null ? '' : String(change.weightDeltaPct));
          expect(Number(col(r, 'hosts_delta'))).toBe(change.hostsDelta);
          expect(Number(col(r, 'previous_epoch_id'))).toBe(change.previous);
          expect(col(r, 'new_model')).toBe(String(change.isNew));
          expect(col(r, 'effective_weight_delta')).toBe(orEmpty(change.effectiveDelta));
          expect(col(r, 'effective_weight_delta_pct')).toBe(orEmpty(change.effectiveDeltaPct));
        }
      });
    }
  });

  it('list every host of every model per epoch, excluded hosts flagged, parsing back to the JSON', () => {
    for (const n of available) {
      const raw = fs.readFileSync(file('v1/models/epochs', `${n}.hosts.csv`), 'utf8');
      expect(raw.split('\r\n')[0]).toBe(HOST_COLUMNS);
      expect(raw.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(raw);
      const body = json(`v1/models/epochs/${n}.json`) as Snap;
      const expected = body.models.flatMap((m) => m.hosts.map((h) => ({ m, h })));
      expect(rows.length).toBe(expected.length);
      const col = (r: string[], name: string) => r[header!.indexOf(name)]!;
      expected.forEach(({ m, h }, i) => {
        const r = rows[i]!;
        expect(r.length).toBe(header!.length);
        expect([col(r, 'epoch_id'), col(r, 'model_id'), col(r, 'address')]).toEqual([String(n), textCell(m.id), textCell(h.address)]);
        expect([col(r, 'ml_nodes'), col(r, 'weight'), col(r, 'effective_weight')]).toEqual([String(h.ml_nodes), String(h.weight), orEmpty(h.effective_weight)]);
        expect(Number(col(r, 'share'))).toBe(h.share);
        expect(col(r, 'excluded')).toBe(String(h.excluded !== null));
        expect(col(r, 'exclusion_reason')).toBe(h.excluded ? textCell(h.excluded.reason) : '');
        expect(col(r, 'exclusion_block_height')).toBe(orEmpty(h.excluded?.exclusion_block_height ?? null));
        // The chain's counters, exact (rewards in ngonka can pass 2^53).
        expect([col(r, 'inference_count'), col(r, 'missed_requests'), col(r, 'rewarded_coins')]).toEqual(
          h.performance ? [h.performance.inference_count, h.performance.missed_requests, h.performance.rewarded_coins] : ['', '', ''],
        );
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
      const removal = expectedRemoval(id);
      expect(body.removed_from_registry).toEqual(removal && { epoch_id: removal.epoch, during_epoch: removal.during });
      for (const e of body.epochs) {
        const row = rowOf(e.epoch_id, id)!;
        expect([e.weight, e.effective_weight, e.hosts, e.excluded_hosts, e.ml_nodes, e.share, e.raw_share, e.price_gnk_per_million_tokens, e.inferences, e.ai_tokens]).toEqual([
          row.total_weight,
          row.effective_weight,
          row.participant_count,
          row.excluded_hosts,
          row.ml_nodes,
          row.share,
          row.raw_share,
          row.price.gnk_per_million_tokens,
          row.inferences,
          row.ai_tokens,
        ]);
        expect(e.csv_url).toBe(`${base}v1/models/epochs/${e.epoch_id}.csv`);
        expect(e.hosts_csv_url).toBe(`${base}v1/models/epochs/${e.epoch_id}.hosts.csv`);
        const change = expectedChange(e.epoch_id, id);
        expect(e.change).toEqual(
          change && {
            previous_epoch_id: change.previous,
            weight_delta: change.weightDelta,
            weight_delta_pct: change.weightDeltaPct,
            effective_weight_delta: change.effectiveDelta,
            effective_weight_delta_pct: change.effectiveDeltaPct,
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
      expect(Object.keys(row.properties.hosts.items.properties).sort()).toEqual(['address', 'effective_weight', 'excluded', 'ml_nodes', 'performance', 'share', 'weight']);
      for (const m of body.models) for (const h of m.hosts) expect(Object.keys(h).sort()).toEqual(Object.keys(row.properties.hosts.items.properties).sort());
      expect(schema.properties.schema_version.const).toBe(3);
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
