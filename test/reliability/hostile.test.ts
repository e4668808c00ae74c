/**
 * Hostile chain strings end to end: model ids, repos, proposers, model args and
 * host addresses from governance proposals anyone can submit go through the
 * fake node, the pipeline and the site build, and come out escaped, exact in
 * JSON, never as a path outside dist/ or a link to anything but Hugging Face.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { epochSnapshotSchema } from '../../src/snapshot/schema.ts';
import { buildSite } from '../../scripts/site-build.ts';
import { createSampleChain, startFakeNode } from '../../scripts/sample-chain/index.ts';
import { launchChromium } from '../../scripts/preview/chromium.ts';
import { startStaticServer } from '../../scripts/preview/static-server.ts';

/** Real id → hostile id (every sample-chain model gets one). */
const HOSTILE: Record<string, string> = {
  'Qwen/QwQ-32B': 'Acme/Model',
  'Qwen/Qwen2.5-7B-Instruct': 'acme/model', // differs from the one above only by case
  'Qwen/Qwen3-32B-FP8': `<script>alert(1)</script>"'&/../..%2Fx/\u202Eevil\u0000nul🚀`,
  'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16': 'X'.repeat(10_000),
  'moonshotai/Kimi-K2.6': '=HYPERLINK("http://evil.example","x")',
  'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8': 'javascript:alert(1)//x',
};
const PROPOSER = '<img src=x onerror=alert(2)>';
const ARG = '"; rm -rf / #<script>';
const HOST = '<b>host</b>"\'onmouseover=alert(3)';

/** Rewrites every string equal to a real id (and a few other fields) in a chain body. */
function poison(body: unknown): unknown {
  if (typeof body === 'string') return HOSTILE[body] ?? body;
  if (Array.isArray(body)) return body.map(poison);
  if (body && typeof body === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k === 'proposed_by' && typeof v === 'string' && v.startsWith('gonka1kx9m')) out[k] = PROPOSER;
      else if (k === 'model_args' && Array.isArray(v) && v.length) out[k] = [...v, ARG];
      else if ((k === 'index' || k === 'participant' || k === 'member_address') && v === 'gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le') out[k] = HOST;
      else out[k] = poison(v);
    }
    return out;
  }
  return body;
}

let dir: string;
let dataDir: string;
let dist: string;
const base = '/gm/';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-hostile-'));
  // Epoch 36 reaches Kimi (registered in 33); the models v0.2.9 deleted are in the older epochs.
  const chain = createSampleChain({ currentEpoch: 36, maxHosts: 40 });
  const node = await startFakeNode(chain, { faults: [{ path: /./, fault: { kind: 'mutate', edit: poison } }] });
  try {
    const config = readPipelineConfig({ GONKA_API_URLS: node.url }, dir);
    await runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
  } finally {
    await node.close();
  }
  dataDir = path.join(dir, 'data');
  dist = path.join(dir, 'site', 'dist');
  const built = await buildSite({ dataDir, outDir: dist, basePath: base });
  if (built.status !== 0) throw new Error(built.output.slice(-4000));
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function walk(root: string, prefix = ''): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(root, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

describe('hostile chain strings', () => {
  it('keep their exact bytes in the snapshots', () => {
    const rows = fs
      .readdirSync(path.join(dataDir, 'epochs'))
      .flatMap((f) => epochSnapshotSchema.parse(JSON.parse(fs.readFileSync(path.join(dataDir, 'epochs', f), 'utf8'))).models);
    const ids = new Set(rows.map((m) => m.id));
    for (const id of Object.values(HOSTILE)) expect(ids).toContain(id);
    expect(rows.some((m) => m.proposed_by === PROPOSER)).toBe(true);
    expect(rows.some((m) => m.model_args?.includes(ARG))).toBe(true);
    expect(rows.some((m) => m.hosts.some((h) => h.address === HOST))).toBe(true);
  });

  it('are escaped in every page and never become scripts, handlers or javascript: links', () => {
    const pages = walk(dist).filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));
    expect(pages.length).toBeGreaterThan(30);
    for (const f of pages) {
      const raw = fs.readFileSync(path.join(dist, f), 'utf8');
      // Inside a quoted attribute value `<` is inert text (Astro escapes the quotes); check the markup around them.
      const html = raw.replace(/="[^"]*"/g, '=""');
      expect(raw, f).not.toMatch(/(href|src|action)="\s*javascript:/i);
      expect(html, f).not.toContain('<script>alert(1)</script>');
      expect(html, f).not.toContain('<img src=x onerror');
      expect(html, f).not.toContain('<b>host</b>');
      for (const [, href] of raw.matchAll(/href="(https?:[^"]*)"/g)) {
        expect(href, f).toMatch(/^https:\/\/huggingface\.co\/[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*(\/tree\/[0-9a-f]{40})?$|^https?:\/\/[^/]*\/?$/);
      }
    }
  });

  it('give every model its own page and JSON inside dist/, with no two paths equal ignoring case', () => {
    const files = walk(dist);
    for (const f of files) {
      expect(f.split('/'), f).not.toContain('..');
      // eslint-disable-next-line no-control-regex
      expect(f, JSON.stringify(f)).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    }
    const folded = new Map<string, string>();
    for (const f of files) {
      const key = f.normalize('NFC').toLowerCase();
      expect(folded.get(key), `${f} collides with ${folded.get(key)} on a case-insensitive file system`).toBeUndefined();
      folded.set(key, f);
    }
    // Each model's page, beside its blocks of epochs (`models/<slug>/epochs/<start>-<end>/`), one per model here.
    const pages = files.filter((f) => f.startsWith('models/') && f.endsWith('/index.html') && f !== 'models/index.html');
    const blocks = pages.filter((f) => /\/epochs\/\d+-\d+\/index\.html$/.test(f));
    const modelPages = pages.filter((f) => !blocks.includes(f));
    expect(blocks.length).toBe(modelPages.length);
    for (const f of blocks) expect(modelPages).toContain(f.replace(/epochs\/\d+-\d+\/index\.html$/, 'index.html'));
    const distinct = new Set(
      fs.readdirSync(path.join(dataDir, 'epochs')).flatMap((n) => JSON.parse(fs.readFileSync(path.join(dataDir, 'epochs', n), 'utf8')).models.map((m: { id: string }) => m.id)),
    );
    expect(modelPages.length).toBe(distinct.size);
    const jsonBodies = files
      .filter((f) => f.startsWith('v1/models/') && f.endsWith('.json') && !f.startsWith('v1/models/epochs') && !['v1/models/current.json', 'v1/models/schema.json'].includes(f))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dist, f), 'utf8')) as { id: string });
    expect(new Set(jsonBodies.map((b) => b.id))).toEqual(distinct);
  });

  it('render as text in a real browser: no alert, the id shown verbatim, search results escaped', async () => {
    const server = await startStaticServer(dist, base);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      // No element anywhere carries an event-handler attribute (escaping kept the strings text).
      for (const rel of ['', 'epochs/31/', 'models/', `models/${encodeURIComponent('Acme')}/Model/`]) {
        await page.goto(new URL(rel, server.url).href);
        const handlers = await page.evaluate(() =>
          [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
        );
        expect(handlers, rel).toEqual([]);
      }
      await page.goto(new URL('epochs/31/', server.url).href);
      const texts = await page.locator('.models-table tbody a[data-model-id]').allTextContents();
      expect(texts.some((t) => t.includes('<script>alert(1)</script>'))).toBe(true);
      await page.locator('.models-table tbody a[data-model-id]').first().click();
      await page.goto(new URL('search/?q=script', server.url).href);
      await page.waitForTimeout(1500);
      expect(await page.locator('main script').count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
