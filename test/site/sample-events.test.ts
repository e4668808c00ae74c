/**
 * The sample chain's scripted events (docs/sample-chain.md, "Timeline"), by name,
 * in the built site (the `site` project builds from the sample chain): models
 * hosted from 20, RedHat losing its hosts at 24, Qwen3-32B-FP8's governance change
 * at 26, the deletions of v0.2.9 (27), Qwen3-32B-FP8 re-registered and deleted
 * again (33), Kimi-K2.6 and MiniMax-M2.7 hosted before their weight counts,
 * exclusions from 23, per-host counters from 25, and where usage comes from
 * (chain stats, none at 31, the node stats route from 32, classic only from 33,
 * none from 42). Figures that depend on the generator are read from the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';
// The scripted models, as the sample chain names them.
import { QWEN3_235B as BIG, QWEN3_32B as B32, KIMI, MINIMAX, QWQ, REDHAT_7B as REDHAT } from '../../scripts/sample-chain/registry.ts';
import { all, definition, one, section, text } from '../support/site-html.ts';

/** A CSV download as rows of fields, read by a standard RFC 4180 parser. */
const parseCsv = (text: string): string[][] => parse(text);

const dist = inject('distDir');
const dataDir = inject('dataDir');
const file = (...parts: string[]) => path.join(dist, ...parts);
const epochPage = (n: number) => fs.readFileSync(file('epochs', String(n), 'index.html'), 'utf8');
const modelPage = (id: string) => fs.readFileSync(file('models', ...modelSlug(id).split('/'), 'index.html'), 'utf8');
const snap = (n: number) => JSON.parse(fs.readFileSync(path.join(dataDir, 'epochs', `${n}.json`), 'utf8'));
const rowOf = (n: number, id: string): Record<string, any> | undefined => snap(n).models.find((m: { id: string }) => m.id === id);
const en = (n: number) => n.toLocaleString('en-US');


/** The models table row of `id` on epoch `n`'s page, as text. */
function tableRow(n: number, id: string): string {
  const table = one(epochPage(n), 'table.models-table', `models table of epoch ${n}`);
  const row = all(table, '[data-model-id]').find((a) => a.getAttribute('data-model-id') === id)?.closest('tr');
  expect(row, `${id} in epoch ${n}`).toBeTruthy();
  return text(row!);
}

/** "<effective> effective weight (<raw> raw)" as "what changed" writes it. */
function weightText(row: Record<string, any>): string {
  const raw = `${en(row.total_weight)} raw`;
  return row.effective_weight === null ? `effective weight unknown (${raw})` : `${en(row.effective_weight)} effective weight (${raw})`;
}

describe('sample chain events on epoch pages', () => {
  it('show the models proposal #2 added hosted from 20, and RedHat losing all its hosts at 24', () => {
    const e20 = text(section(epochPage(20), 'changes-heading'));
    for (const id of [BIG, B32, REDHAT]) {
      const r = rowOf(20, id)!;
      expect(e20).toContain(`${id} ${weightText(r)}, ${en(r.participant_count)} hosts`);
    }
    expect(rowOf(24, REDHAT)!.participant_count).toBe(0);
    expect(text(section(epochPage(24), 'changes-heading'))).toContain(`Lost all hosts ${REDHAT} had ${weightText(rowOf(23, REDHAT)!)}`);
  });

  it("list Qwen3-32B-FP8's governance change at 26 and Qwen3-235B's 2026 parameters at 30", () => {
    const e26 = section(epochPage(26), 'changes-heading');
    const fields = (h: string, id: string) =>
      all(h, 'tr[data-field][data-epoch] > th:first-child > a[href]:first-child')
        .filter((a) => decodeURIComponent(a.getAttribute('href')!).includes(id))
        .map((a) => a.closest('tr')!.getAttribute('data-field'));
    expect(fields(e26, B32)).toEqual(['hf_commit', 'validation_threshold']);
    expect(text(e26)).toContain(`Hugging Face commit ${rowOf(25, B32)!.hf_commit} ${rowOf(26, B32)!.hf_commit}`);
    expect(text(e26)).toContain('Validation threshold 0.95814 0.965');
    expect(fields(section(epochPage(30), 'changes-heading'), BIG)).toEqual(expect.arrayContaining(['model_args', 'validation_threshold']));
  });

  it('badge the models v0.2.9 deleted in 27, and say when each left the registry', () => {
    for (const id of [B32, QWQ]) {
      expect(rowOf(27, id)!.registry_status).toBe('removed');
      expect(tableRow(27, id)).toContain('removed from registry');
      expect(rowOf(28, id)).toBeUndefined();
    }
    expect(tableRow(27, BIG)).not.toContain('removed from registry');
    expect(text(modelPage(QWQ))).toContain('Removed from the registry during epoch 27');
    // Re-registered at 30, hosted 31–33, deleted again by v0.2.12 in 33.
    expect(rowOf(30, B32)!.registry_status).toBe('listed');
    expect(rowOf(33, B32)!.registry_status).toBe('removed');
    expect(text(modelPage(B32))).toContain('Removed from the registry during epoch 33');
    // RedHat had no hosts left, so 27 does not list it at all: it left before 27 formed.
    expect(rowOf(26, REDHAT)!.registry_status).toBe('listed');
    expect(rowOf(27, REDHAT)).toBeUndefined();
    expect(text(modelPage(REDHAT))).toContain('Removed from the registry before epoch 27');
    expect(text(modelPage(BIG))).not.toContain('Removed from the registry');
  });

  it('mark Kimi-K2.6 (36–37) and MiniMax-M2.7 (40) as hosted but not counted, until their weight counts', () => {
    for (const [id, notCounted, counted] of [
      [KIMI, [36, 37], 38],
      [MINIMAX, [40], 41],
    ] as const) {
      for (const n of notCounted) {
        const r = rowOf(n, id)!;
        expect([r.weight_scale.eligible, r.effective_weight, r.participant_count > 0], `${id} ${n}`).toEqual([false, 0, true]);
        expect(tableRow(n, id)).toContain('not counted: its weight does not count toward consensus in this epoch');
      }
      expect(rowOf(counted, id)!.weight_scale.eligible).toBe(true);
      expect(tableRow(counted, id)).not.toContain('not counted');
    }
    // Kimi's factor: from the v0.2.12 params at formation in 38, frozen in the root group from 39 (0.78).
    const t38 = text(epochPage(38));
    expect(rowOf(38, KIMI)!.weight_scale.source).toBe('params_at_formation');
    expect(text(section(modelPage(KIMI), 'latest-heading'))).toContain('Weight scale factor 0.78 frozen when the epoch formed');
    expect(t38).toContain(en(rowOf(38, KIMI)!.effective_weight));
  });

  it('list excluded hosts from 23 (v0.2.5), and the chain\'s per-host counters from 25 (v0.2.6)', () => {
    expect(epochPage(22)).not.toContain('id="excluded-heading"');
    const excluded = snap(23).excluded_participants as Array<{ address: string; reason: string }>;
    expect(excluded.length).toBeGreaterThan(0);
    const sec = text(section(epochPage(23), 'excluded-heading'));
    expect(sec).toContain(`The chain excluded ${excluded.length} ${excluded.length === 1 ? 'host' : 'hosts'} from epoch 23.`);
    for (const x of excluded) expect(sec).toContain(`${x.address} ${x.reason}`);
    expect(text(section(epochPage(24), 'hosts-heading'))).toContain('– (not published by the chain)');
    expect(text(section(epochPage(25), 'hosts-heading'))).not.toContain('– (not published by the chain)');
  });

  it('say where usage comes from: chain stats, none across v0.2.11 (31), the node stats route, classic only, none after v0.2.14', () => {
    const usage = (n: number) => `Usage from ${text(definition(epochPage(n), 'Usage from'))}`;
    const notice = (n: number) => one(epochPage(n), 'p[data-usage-unavailable=""]', `usage notice of epoch ${n}`).textContent;
    expect(usage(30)).toBe('Usage from chain stats');
    expect(usage(31)).toBe('Usage from no source');
    expect(notice(31)).toBe(snap(31).usage_unavailable);
    expect(notice(31)).toMatch(/v0\.2\.11/);
    expect(usage(32)).toBe('Usage from node stats route');
    expect(usage(33)).toBe('Usage from node stats route Classic inference only: devshard sessions are not counted by any public route.');
    expect(notice(42)).toMatch(/v0\.2\.14/);
    expect(tableRow(42, BIG)).toContain('– (usage unavailable)');
    // The chain's own counters stay beside it.
    expect(text(epochPage(42))).toContain(`Counted by the chain itself, over all models: Requests 0`);
  });
});

describe('sample chain events in the CSV downloads', () => {
  const at = (n: number, id: string, csv = `${n}.csv`) => {
    const [header, ...rows] = parseCsv(fs.readFileSync(file('v1/models/epochs', csv), 'utf8'));
    const r = rows.find((x) => x[1] === id)!;
    expect(r, `${id} in ${csv}`).toBeDefined();
    return Object.fromEntries(header!.map((h, i) => [h, r[i]]));
  };

  it('hold the scripted figures: RedHat down to 0 at 24, Kimi not counted at 36, counted at 38, deletions at 27', () => {
    const redhat23 = rowOf(23, REDHAT)!;
    expect(at(24, REDHAT)).toMatchObject({ total_weight: '0', weight_delta: String(-redhat23.total_weight), hosts_delta: String(-redhat23.participant_count) });
    expect(at(36, KIMI)).toMatchObject({ counted: 'false', effective_weight: '0', new_model: 'false', weight_delta: String(rowOf(36, KIMI)!.total_weight) });
    expect(at(38, KIMI)).toMatchObject({ counted: 'true', weight_scale_source: 'params_at_formation', weight_scale_factor: '1.2620856201975851' });
    expect(at(39, KIMI)).toMatchObject({ weight_scale_factor: '0.78', weight_scale_source: 'confirmation_weight_scales' });
    expect(at(27, QWQ)).toMatchObject({ registry_status: 'removed', in_registry: 'false' });
    expect(at(33, B32)).toMatchObject({ registry_status: 'removed', usage_source: 'dapi_stats', usage_scope: 'classic_only' });
    expect(at(31, BIG)).toMatchObject({ usage_source: '', inferences: '', ai_tokens: '' });
  });

  it('flag the hosts the chain excluded in the hosts CSV', () => {
    const [header, ...rows] = parseCsv(fs.readFileSync(file('v1/models/epochs', '23.hosts.csv'), 'utf8'));
    const col = (r: string[], name: string) => r[header!.indexOf(name)]!;
    const excluded = new Map((snap(23).excluded_participants as Array<{ address: string; reason: string }>).map((x) => [x.address, x.reason]));
    const flagged = rows.filter((r) => col(r, 'excluded') === 'true');
    expect(flagged.length).toBeGreaterThan(0);
    for (const r of flagged) expect(col(r, 'exclusion_reason')).toBe(excluded.get(col(r, 'address')));
    for (const r of rows.filter((x) => col(x, 'excluded') === 'false')) expect(excluded.has(col(r, 'address'))).toBe(false);
  });
});
