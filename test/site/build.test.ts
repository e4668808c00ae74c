/**
 * The built site against the data it was built from (the `site` project's global
 * setup builds it once): every epoch and model has its page and JSON, JSON bodies
 * validate, counts match the data, links honour the base path, and chain strings
 * are escaped and never turned into unchecked links or paths. The fixture's own
 * edge cases are checked by name in fixture-edges.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { epochsBodySchema, modelBodySchema } from '../../src/site/api.ts';
import { readSiteData } from '../../src/site/load.ts';
import { hfRepoUrl } from '../../src/display/paths.ts';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';
import { epochSnapshotSchema } from '../../src/snapshot/schema.ts';
import { buildSite } from '../../scripts/site-build.ts';
import { all, definition, dom, one, text } from '../support/site-html.ts';

const dist = inject('distDir');
const dataDir = inject('dataDir');
const base = inject('basePath');
const site = readSiteData(dataDir);

const file = (...parts: string[]) => path.join(dist, ...parts);
const readJson = (...parts: string[]): unknown => JSON.parse(fs.readFileSync(file(...parts), 'utf8'));
const html = (...parts: string[]) => fs.readFileSync(file(...parts, 'index.html'), 'utf8');

/** Every file below `dir`, relative, with `/` separators. */
function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

const htmlFiles = walk(dist).filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));

describe('pages', () => {
  it('has the fixed pages', () => {
    for (const page of ['', 'epochs', 'models', 'search']) expect(fs.existsSync(file(page, 'index.html')), page).toBe(true);
    expect(fs.existsSync(file('404.html'))).toBe(true);
  });

  it('has a page for every epoch in the index, available or not', () => {
    const built = walk(file('epochs')).filter((f) => /^\d+\/index\.html$/.test(f));
    expect(built.length).toBe(site.epochs.length);
    for (const entry of site.epochs) {
      const page = html('epochs', String(entry.epoch_id));
      expect(page).toContain(`Epoch ${entry.epoch_id}`);
      if (!entry.available) expect(page).toMatch(/Unavailable/);
    }
  });

  it('has a page for every model ever listed, at its slug, and no other, with its blocks of epochs below it', () => {
    const built = walk(file('models')).filter((f) => f.endsWith('/index.html'));
    const blocks = built.filter((f) => /\/epochs\/\d+-\d+\/index\.html$/.test(f));
    expect(built.length - blocks.length).toBe(site.models.length);
    for (const model of site.models) {
      const dir = ['models', ...modelSlug(model.id).split('/')];
      expect(fs.existsSync(file(...dir, 'index.html')), model.id).toBe(true);
      // Every model has the block (of 100 epoch numbers) of each epoch it is listed in.
      for (const e of model.epochs) {
        const start = Math.floor(e.epochId / 100) * 100;
        expect(fs.existsSync(file(...dir, 'epochs', `${start}-${start + 99}`, 'index.html')), `${model.id} ${e.epochId}`).toBe(true);
      }
    }
  });

  it('puts the data in the HTML: the current epoch table lists every model, most effective weight first (unknown last)', () => {
    const page = html();
    const table = one(page, 'table.data-table.models-table');
    const rows = all(table, '[data-model-id]').map((a) => a.getAttribute('data-model-id'));
    const eff = (m: { effective_weight: number | null }) => m.effective_weight ?? -1;
    const expected = [...site.home.snapshot.models].sort((a, b) => eff(b) - eff(a) || (a.id < b.id ? -1 : 1)).map((m) => m.id);
    expect(rows).toEqual(expected);
    const top = site.home.snapshot.models.find((m) => m.id === expected[0])!;
    expect(page).toContain(top.total_weight.toLocaleString('en-US'));
    expect(page).toMatch(/aria-sort="descending"><button type="button" class="sort">Effective weight/);
  });

  it('shows the sample-data badge on every page when the data is from the sample chain', () => {
    expect(site.isSample).toBe(true);
    for (const f of htmlFiles) expect(fs.readFileSync(file(f), 'utf8'), f).toContain('Sample data');
  });

  it('shows "–", not 0, where usage is unavailable, with the reason verbatim, and the figures where it is available', () => {
    for (const snap of site.snapshots.values()) {
      const page = html('epochs', String(snap.epoch_id));
      const doc = dom(page);
      const notice = doc.querySelector('p.notice.notice--warn[data-usage-unavailable=""]');
      if (snap.usage_unavailable !== null) {
        expect(notice?.textContent, `epoch ${snap.epoch_id}`).toBe(snap.usage_unavailable);
        if (snap.models.some((m) => m.inferences === null)) expect(page).toContain('(usage unavailable)');
      } else if (snap.usage_source !== null) expect(notice, `epoch ${snap.epoch_id}`).toBeNull();
      const source = text(definition(doc, 'Usage from'));
      expect(source).toContain(snap.usage_source === 'dapi_stats' ? 'node stats route' : snap.usage_source === 'chain_stats' ? 'chain stats' : 'no source');
      const classic = 'Classic inference only: devshard sessions are not counted by any public route.';
      expect(source.includes(classic), `epoch ${snap.epoch_id}`).toBe(snap.usage_scope === 'classic_only');
    }
    const withUsage = [...site.snapshots.values()].find((s) => s.window !== null && s.models.some((m) => m.inferences));
    expect(withUsage, 'the data should have an epoch with usage').toBeDefined();
    const page = html('epochs', String(withUsage!.epoch_id));
    const busy = withUsage!.models.find((m) => m.inferences)!;
    expect(page).toContain(busy.inferences!.toLocaleString('en-US'));
  });

  it("shows the chain's own counters in every epoch header, '–' (not published) where null", () => {
    for (const snap of site.snapshots.values()) {
      const page = html('epochs', String(snap.epoch_id));
      const label = all(page, 'p').find((p) => p.textContent === 'Counted by the chain itself, over all models:');
      expect(label, `epoch ${snap.epoch_id}`).toBeDefined();
      const counters = label!.nextElementSibling;
      expect(counters?.tagName, `epoch ${snap.epoch_id}`).toBe('DL');
      const line = text(counters!);
      const c = snap.chain_counters;
      const show = (v: string | null) => (v === null ? '– (not published)' : BigInt(v).toLocaleString('en-US'));
      expect(line).toContain(`Requests ${show(c.requests)} Inferences ${show(c.inferences)} Missed requests ${show(c.missed_requests)}`);
    }
  });
});

describe('first frame', () => {
  it('holds the first frame of an epoch view until its models table is parsed, and nothing else', () => {
    const held = (page: string) => all(dom(page), 'head link[rel="expect"]');
    const views = [html(), ...site.epochs.filter((e) => e.available).map((e) => html('epochs', String(e.epoch_id)))];
    for (const page of views) {
      const doc = dom(page);
      const links = all(doc, 'head link[rel="expect"]');
      expect(links).toHaveLength(1);
      const link = links[0];
      expect(link!.getAttribute('blocking')).toBe('render');
      // The id it waits for is the models table's, once on the page; a missing id would hold the frame until the whole page is parsed.
      const targets = all(doc, `[id="${link!.getAttribute('href')!.slice(1)}"]`);
      expect(targets.map((t) => t.tagName.toLowerCase() + '.' + t.getAttribute('class'))).toEqual(['table.data-table models-table']);
    }
    for (const entry of site.epochs.filter((e) => !e.available)) expect(held(html('epochs', String(entry.epoch_id))), `epoch ${entry.epoch_id}`).toEqual([]);
    for (const page of ['epochs', 'models', 'search']) expect(held(html(page)), page).toEqual([]);
  });

  it('uses no :has() selector of its own (Pagefind brings its own CSS), since one slows every first paint', () => {
    const files = [...htmlFiles, ...walk(dist).filter((f) => f.endsWith('.css') && !f.startsWith('pagefind/'))];
    for (const f of files) expect(fs.readFileSync(file(f), 'utf8').includes(':has('), f).toBe(false);
  });
});

describe('JSON endpoints', () => {
  it('serves current.json as the current snapshot', () => {
    const body = epochSnapshotSchema.parse(readJson('v1/models/current.json'));
    expect(body).toEqual(site.home.snapshot);
    expect(body.is_current).toBe(true);
  });

  it('serves every available epoch as a valid snapshot equal to the data', () => {
    const built = walk(file('v1/models/epochs'));
    expect(built.filter((f) => f.endsWith('.json')).length).toBe(site.snapshots.size);
    expect(built.filter((f) => /^\d+\.csv$/.test(f)).length).toBe(site.snapshots.size);
    expect(built.filter((f) => f.endsWith('.hosts.csv')).length).toBe(site.snapshots.size);
    expect(built.every((f) => /^\d+\.(json|csv|hosts\.csv)$/.test(f))).toBe(true);
    for (const [id, snap] of site.snapshots) {
      expect(epochSnapshotSchema.parse(readJson('v1/models/epochs', `${id}.json`))).toEqual(snap);
    }
  });

  it('serves epochs.json with every epoch and working URLs', () => {
    const body = epochsBodySchema.parse(readJson('v1/models/epochs.json'));
    expect(body.epochs.map((e) => e.epoch_id)).toEqual(site.epochs.map((e) => e.epoch_id).reverse());
    expect(body.current_epoch).toBe(site.currentEpoch);
    expect(fs.existsSync(file(body.schema_url.slice(base.length)))).toBe(true);
    for (const e of body.epochs) {
      expect(e.page_url.startsWith(base)).toBe(true);
      expect(fs.existsSync(file(e.page_url.slice(base.length), 'index.html')), e.page_url).toBe(true);
      if (e.available) {
        expect(fs.existsSync(file(e.json_url!.slice(base.length))), e.json_url!).toBe(true);
        expect(fs.existsSync(file(e.csv_url!.slice(base.length))), e.csv_url!).toBe(true);
        expect(e.hosts_csv_url).toBe(`${base}v1/models/epochs/${e.epoch_id}.hosts.csv`);
        expect(fs.existsSync(file(e.hosts_csv_url!.slice(base.length))), e.hosts_csv_url!).toBe(true);
      } else {
        expect(e.json_url).toBeNull();
        expect(e.csv_url).toBeNull();
        expect(e.hosts_csv_url).toBeNull();
      }
    }
  });

  it('serves every model across epochs, matching the data', () => {
    for (const model of site.models) {
      const rel = `v1/models/${modelSlug(model.id)}.json`;
      const body = modelBodySchema.parse(readJson(rel));
      expect(body.id).toBe(model.id);
      expect(body.epochs.map((e) => e.epoch_id)).toEqual(model.epochs.map((e) => e.epochId));
      for (const e of body.epochs) expect(e.model).toEqual(site.snapshots.get(e.epoch_id)!.models.find((m) => m.id === model.id));
      expect(decodeURIComponent(body.page_url)).toBe(`${base}models/${modelSlug(model.id)}/`);
    }
  });
});

describe('links and escaping', () => {
  it('links model pages that exist, with every segment encoded', () => {
    for (const f of htmlFiles) {
      const hrefs = all(fs.readFileSync(file(f), 'utf8'), '[href]').map((el) => el.getAttribute('href')!);
      for (const href of hrefs.filter((h) => /\/models\/.*\/$/.test(h))) {
        const rel = href.slice(base.length);
        expect(rel).not.toMatch(/[ "<>]/);
        expect(fs.existsSync(file(...decodeURIComponent(rel).split('/'), 'index.html')), `${f}: ${href}`).toBe(true);
      }
    }
  });

  it('escapes chain strings and links Hugging Face only for owner/name repos', () => {
    const pages = htmlFiles.map((f) => fs.readFileSync(file(f), 'utf8'));
    const joined = pages.join('\n');
    expect(joined).not.toContain('<b>"');
    expect(joined).not.toContain('<script>alert(1)</script>');
    expect(joined).not.toMatch(/href="\s*javascript:/i);
    const hrefs = pages.flatMap((p) => all(p, '[href]').map((el) => el.getAttribute('href')!));
    for (const href of hrefs.filter((h) => h.startsWith('https://huggingface.co/'))) {
      expect(href).toMatch(/^https:\/\/huggingface\.co\/[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*(\/tree\/[0-9a-f]{40})?$/);
    }
    const good = site.models.find((m) => hfRepoUrl(m.details.hf_repo));
    expect(joined).toContain(`href="${hfRepoUrl(good!.details.hf_repo)}"`);
  });

  it('writes nothing outside the output folder for traversal-like ids', () => {
    const outside = path.resolve(dist, '..');
    expect(fs.readdirSync(outside).sort()).toEqual(['dist']);
    expect(walk(dist).some((f) => f.split('/').includes('..'))).toBe(false);
  });
});

describe('search index', () => {
  it('is built by Pagefind', () => {
    expect(fs.existsSync(file('pagefind/pagefind.js'))).toBe(true);
    expect(fs.existsSync(file('pagefind/pagefind-entry.json'))).toBe(true);
    const entry = JSON.parse(fs.readFileSync(file('pagefind/pagefind-entry.json'), 'utf8'));
    // Model pages plus available and unavailable epoch pages are indexed.
    expect(entry.languages.en.page_count).toBe(site.models.length + site.epochs.length);
  });
});

describe('a broken snapshot', () => {
  it('fails the build, naming the file and the field path', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-broken-'));
    try {
      const data = path.join(tmp, 'data');
      fs.cpSync(dataDir, data, { recursive: true });
      const available = site.epochs.find((e) => e.available)!;
      const snapFile = path.join(data, 'epochs', `${available.epoch_id}.json`);
      const snap = JSON.parse(fs.readFileSync(snapFile, 'utf8'));
      snap.models[0].participant_count = -1;
      fs.writeFileSync(snapFile, JSON.stringify(snap));
      const result = await buildSite({ dataDir: data, outDir: path.join(tmp, 'dist') });
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(`epochs/${available.epoch_id}.json: does not match the snapshot schema`);
      expect(result.output).toMatch(/models\[0\]\.participant_count/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
