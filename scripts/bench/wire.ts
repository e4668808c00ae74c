/**
 * Bytes on the wire for one built page: its HTML, and every CSS and JS file
 * the browser loads for it at startup — `<script src>`, stylesheets,
 * modulepreloads, the islands' component and renderer URLs, and the static
 * imports inside those JS files, followed transitively. Dynamic `import()`
 * is not followed (loaded on demand, not at startup). Each figure is gzip at
 * level 6, zlib's default and what typical servers and CDNs send.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const GZIP_LEVEL = 6;

/** One file's size raw and gzipped. */
export interface FileBytes {
  file: string;
  raw: number;
  gzip: number;
}

/** A page's transfer, by type. */
export interface PageWire {
  page: string;
  html: FileBytes;
  css: FileBytes[];
  js: FileBytes[];
  cssGzip: number;
  jsGzip: number;
  /** Also at level 9, for comparison with figures quoted elsewhere. */
  jsGzip9: number;
}

function sizes(file: string, data: Buffer): FileBytes {
  return { file, raw: data.length, gzip: gzipSync(data, { level: GZIP_LEVEL }).length };
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
const attrValue = (tag: string, name: string) => {
  const m = attr(tag, name);
  return m ? (m[2] ?? m[3] ?? m[4] ?? '').replace(/&amp;/g, '&') : null;
};

/** URLs an HTML document makes the browser fetch at startup, split into CSS and JS. */
export function startupUrls(html: string): { css: string[]; js: string[] } {
  const css: string[] = [];
  const js: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attrValue(tag, 'src');
    if (src) js.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attrValue(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attrValue(tag, 'href');
    if (!href) continue;
    if (rel.includes('stylesheet')) css.push(href);
    if (rel.includes('modulepreload')) js.push(href);
  }
  for (const [tag] of html.matchAll(/<astro-island\b[^>]*>/gi)) {
    for (const name of ['component-url', 'renderer-url', 'before-hydration-url']) {
      const url = attrValue(tag, name);
      if (url) js.push(url);
    }
  }
  return { css, js };
}

/** Static import/export specifiers of a JS module (`import x from "…"`, `import "…"`, `export … from "…"`), not `import()`. */
export function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[^.\w$])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
}

/** Maps a root-relative or page-relative URL to a file in `distDir` (null for other origins). */
function fileFor(distDir: string, basePath: string, fromUrl: string, url: string): string | null {
  if (/^[a-z]+:|^\/\//i.test(url)) return null;
  const abs = new URL(url, `http://site${fromUrl}`).pathname;
  if (!abs.startsWith(basePath)) return null;
  const file = path.join(distDir, decodeURIComponent(abs.slice(basePath.length)));
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/** Measures the page at `pageUrl` (e.g. `/` or `/epochs/399/`) of a site built into `distDir`. */
export function pageWire(distDir: string, pageUrl: string, basePath = '/'): PageWire {
  const htmlFile = path.join(distDir, pageUrl.slice(basePath.length), 'index.html');
  const htmlData = fs.readFileSync(htmlFile);
  const urls = startupUrls(htmlData.toString('utf8'));
  const css = new Map<string, FileBytes>();
  for (const u of urls.css) {
    const f = fileFor(distDir, basePath, pageUrl, u);
    if (f && !css.has(f)) css.set(f, sizes(path.relative(distDir, f), fs.readFileSync(f)));
  }
  const js = new Map<string, FileBytes>();
  const gz9 = new Map<string, number>();
  const queue = urls.js.map((u) => ({ from: pageUrl, url: u }));
  while (queue.length) {
    const { from, url } = queue.shift()!;
    const f = fileFor(distDir, basePath, from, url);
    if (!f || js.has(f)) continue;
    const data = fs.readFileSync(f);
    js.set(f, sizes(path.relative(distDir, f), data));
    gz9.set(f, gzipSync(data, { level: 9 }).length);
    const selfUrl = basePath + path.relative(distDir, f).split(path.sep).join('/');
    for (const spec of staticImports(data.toString('utf8'))) if (/^\.{0,2}\//.test(spec)) queue.push({ from: selfUrl, url: spec });
  }
  const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
  return {
    page: pageUrl,
    html: sizes(path.relative(distDir, htmlFile), htmlData),
    css: [...css.values()],
    js: [...js.values()],
    cssGzip: sum([...css.values()].map((c) => c.gzip)),
    jsGzip: sum([...js.values()].map((c) => c.gzip)),
    jsGzip9: sum(gz9.values()),
  };
}

/** Rows of the `/` models table in the HTML (to check the full table is in the page, not fetched). */
export function tableRowsInHtml(html: string): number {
  const table = /<table\b[^>]*class="[^"]*models-table[^"]*"[^>]*>([\s\S]*?)<\/table>/i.exec(html);
  const body = table ? /<tbody\b[^>]*>([\s\S]*?)<\/tbody>/i.exec(table[1]!) : null;
  return body ? (body[1]!.match(/<tr\b/gi) ?? []).length : 0;
}
