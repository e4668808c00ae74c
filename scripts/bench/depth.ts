/**
 * The site at depth: what one new epoch changes in `dist/` (two builds, before
 * and after a warm data step with one more epoch, compared byte for byte and
 * sorted into kinds), and how heavy and tall the pages are (gzip HTML, and the
 * document's height in Chromium on a desktop and a phone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../preview/chromium.ts';
import { startStaticServer } from '../preview/static-server.ts';
import { filesUnder } from './site.ts';
import { GZIP_LEVEL } from './wire.ts';

/** What changed files are, by what they hold. */
export const CHANGE_KINDS = ['finished epoch page', 'finished epoch file', 'current and new epoch', 'list page', 'block of a list', 'model page or JSON', 'Pagefind index', 'other'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Files of `dist/` added or changed by one new epoch, per kind: count and bytes (of the new build). */
export interface ChangedFiles {
  /** The current epoch before the new one. */
  current: number;
  filesBefore: number;
  filesAfter: number;
  /** Models with a page (every model ever listed): model pages and JSON change with each epoch. */
  models: number;
  kinds: Record<ChangeKind, { files: number; bytes: number }>;
  /** The first finished-epoch files that changed (there should be none). */
  finishedChanged: string[];
}

/** The kind of a changed `dist/` file, given the epoch that was current before. */
export function changeKind(file: string, current: number): ChangeKind {
  const epoch = /^(?:epochs\/(\d+)\/|v1\/models\/epochs\/(\d+)\.)/.exec(file);
  if (epoch) {
    const n = Number(epoch[1] ?? epoch[2]);
    if (n >= current) return 'current and new epoch';
    return file.startsWith('epochs/') ? 'finished epoch page' : 'finished epoch file';
  }
  if (file.startsWith('pagefind/')) return 'Pagefind index';
  if (/(?:^epochs\/range|\/epochs)\/\d+-\d+\/index\.html$/.test(file)) return 'block of a list';
  if (file.startsWith('models/') && file !== 'models/index.html') return 'model page or JSON';
  if (/^v1\/models\/(?!epochs[./]|current\.json$|schema\.json$)/.test(file)) return 'model page or JSON';
  if (file.endsWith('.html') || file === 'v1/models/current.json' || file === 'v1/models/epochs.json') return 'list page';
  return 'other';
}

/** Compares two builds of the site, one epoch apart. */
export function diffBuilds(before: string, after: string, current: number): ChangedFiles {
  const old = new Set(filesUnder(before));
  const files = filesUnder(after);
  const kinds = Object.fromEntries(CHANGE_KINDS.map((k) => [k, { files: 0, bytes: 0 }])) as ChangedFiles['kinds'];
  const finishedChanged: string[] = [];
  for (const f of files) {
    const now = fs.readFileSync(path.join(after, f));
    if (old.has(f) && now.equals(fs.readFileSync(path.join(before, f)))) continue;
    const kind = changeKind(f, current);
    kinds[kind].files++;
    kinds[kind].bytes += now.length;
    if (kind.startsWith('finished') && finishedChanged.length < 10) finishedChanged.push(f);
  }
  const models = files.filter((f) => /^models\/.+\/index\.html$/.test(f) && !/\/epochs\/\d+-\d+\/index\.html$/.test(f)).length;
  return { current, filesBefore: old.size, filesAfter: files.length, models, kinds, finishedChanged };
}

/** A page to weigh: its path, what it is, and its targets (docs/performance.md, "At mainnet's depth", says why). */
export interface PageToWeigh {
  page: string;
  /** What the page is, for the tables. */
  label: string;
  /** Most gzip HTML and desktop height it may have, at any depth. */
  targetGzipKb: number;
  targetDesktopPx: number;
}

/** One page's weight and height. */
export interface PageWeight extends PageToWeigh {
  htmlGzip: number;
  htmlRaw: number;
  /** Document height in CSS pixels at 1280 × 900 and at 390 × 844. */
  desktopPx: number;
  phonePx: number;
}

/** Weighs and measures `pages` (paths below `/`, with a label each) of the built site. */
export async function pageWeights(dist: string, pages: PageToWeigh[]): Promise<PageWeight[]> {
  const server = await startStaticServer(dist, '/');
  const browser = await launchChromium();
  try {
    const out: PageWeight[] = [];
    for (const target of pages) {
      const { page } = target;
      const html = fs.readFileSync(path.join(dist, page, 'index.html'));
      const height = async (width: number, h: number) => {
        const p = await browser.newPage({ viewport: { width, height: h } });
        await p.goto(new URL(page.replace(/^\//, ''), server.url).href, { waitUntil: 'load' });
        const px = await p.evaluate(() => document.documentElement.scrollHeight);
        await p.close();
        return px;
      };
      out.push({ ...target, htmlRaw: html.length, htmlGzip: gzipSync(html, { level: GZIP_LEVEL }).length, desktopPx: await height(1280, 900), phonePx: await height(390, 844) });
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The pages worth weighing in a build at `epochs`: the largest of each kind, with their targets. */
export function pagesToWeigh(dist: string, epochs: number): PageToWeigh[] {
  const html = filesUnder(dist).filter((f) => f.endsWith('index.html'));
  const size = new Map(html.map((f) => [f, fs.statSync(path.join(dist, f)).size]));
  const largest = (files: string[]) => files.sort((a, b) => size.get(b)! - size.get(a)!)[0];
  const dirOf = (f: string | undefined) => (f ? `/${f.replace(/index\.html$/, '')}` : null);
  const modelPage = dirOf(largest(html.filter((f) => f.startsWith('models/') && f !== 'models/index.html' && !/\/epochs\/\d+-\d+\//.test(f))));
  const epochBlock = dirOf(largest(html.filter((f) => f.startsWith('epochs/range/'))));
  const modelBlock = dirOf(largest(html.filter((f) => /^models\/.+\/epochs\/\d+-\d+\//.test(f))));
  const page = (path: string | null, label: string, targetGzipKb: number, targetDesktopPx: number): PageToWeigh[] =>
    path ? [{ page: path, label, targetGzipKb, targetDesktopPx }] : [];
  return [
    ...page('/', 'the current epoch', 25, 4000),
    ...page(`/epochs/${epochs - 1}/`, 'a finished epoch', 25, 4000),
    ...page('/epochs/', 'the epochs list', 40, 6000),
    ...page(epochBlock, 'largest block of `/epochs/`', 20, 7000),
    ...page(modelPage, 'largest model page', 60, 9000),
    ...page(modelBlock, 'largest block of a model’s epochs', 20, 7000),
    ...page('/models/', 'the models list', 15, 4000),
  ];
}
