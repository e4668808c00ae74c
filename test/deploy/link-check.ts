/**
 * A link checker over a built `dist/`, as a static host at `base` would serve it:
 * every reference in the HTML (`href`, `src`, `srcset`, `action`, island
 * `component-url`/`renderer-url`, `data-pagefind-base`, `url(...)` in inline
 * styles), in the CSS (`url(...)`, `@import`) and in the JS bundles (relative
 * imports and hard-coded site paths) must resolve to a file in `dist/`.
 * `/x/` resolves to `x/index.html`, `%`-escapes are decoded, query strings are
 * ignored, `#fragment` must be an id on the target page, and a link to a folder
 * without its trailing slash counts as broken (it costs a redirect). External
 * links are checked for shape only. Pagefind's files are followed too: its entry
 * file, meta and wasm files, and every search result URL and anchor in its
 * fragments.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseHTML } from 'linkedom';

export interface Problem {
  /** File the reference is in, relative to dist. */
  file: string;
  ref: string;
  why: string;
}

export interface CheckResult {
  problems: Problem[];
  /** How many references of each kind were checked (so a test can see the checker saw something). */
  counts: Record<'html' | 'internal' | 'fragment' | 'external' | 'css' | 'jsImport' | 'jsPath' | 'jsFallback' | 'pagefindResult', number>;
  /** Every external URL seen. */
  external: string[];
}

/** Every file below `dir`, relative, with `/` separators. */
export function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/**
 * Elements with their (entity-decoded) attributes, and the bodies of `<script>` and `<style>`,
 * as an HTML parser (linkedom) reads them: comments and script text hold no tags.
 */
export function parseHtml(html: string): { tags: Tag[]; scripts: string[]; styles: string[] } {
  const { document } = parseHTML(html);
  const tags = [...document.querySelectorAll('*')].map((el) => ({
    name: el.localName,
    attrs: new Map([...el.attributes].map((a) => [a.name.toLowerCase(), a.value] as const)),
  }));
  const bodies = (name: string) => [...document.querySelectorAll(name)].map((el) => el.textContent ?? '');
  return { tags, scripts: bodies('script'), styles: bodies('style') };
}

/** The attributes whose values are URLs, per the HTML spec and Astro's islands. */
const URL_ATTRS = ['href', 'src', 'action', 'poster', 'component-url', 'renderer-url'];

export function checkSite(dist: string, base: string): CheckResult {
  const problems: Problem[] = [];
  const counts: CheckResult['counts'] = { html: 0, internal: 0, fragment: 0, external: 0, css: 0, jsImport: 0, jsPath: 0, jsFallback: 0, pagefindResult: 0 };
  const external: string[] = [];
  const files = new Set(walk(dist));
  const dirs = new Set([...files].flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
  const idsCache = new Map<string, Set<string>>();
  const idsOf = (rel: string): Set<string> => {
    let ids = idsCache.get(rel);
    if (!ids) {
      const html = fs.readFileSync(path.join(dist, rel), 'utf8');
      ids = new Set(parseHtml(html).tags.flatMap((t) => [t.attrs.get('id'), t.name === 'a' ? t.attrs.get('name') : undefined].filter((x): x is string => x !== undefined)));
      idsCache.set(rel, ids);
    }
    return ids;
  };
  /** The URL a file is served at (folders with their slash). */
  const urlOf = (rel: string) => base + (rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);

  /**
   * Resolves `ref` found in `file` (served at `fromUrl`); records a problem and
   * returns null when it does not resolve, else the target file (relative).
   */
  const resolve = (file: string, fromUrl: string, ref: string, opts: { fragment?: boolean } = {}): string | null => {
    const fail = (why: string) => {
      problems.push({ file, ref, why });
      return null;
    };
    const raw = ref.trim();
    if (!raw) return fail('empty URL');
    if (/^javascript:/i.test(raw)) return fail('javascript: URL');
    if (/^(mailto|tel|data|blob):/i.test(raw)) return null;
    if (/^[a-z][a-z\d+.-]*:/i.test(raw) || raw.startsWith('//')) {
      counts.external++;
      external.push(raw);
      let url: URL;
      try {
        url = new URL(raw, 'https://example.invalid/');
      } catch {
        return fail('external URL does not parse');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`external URL with scheme ${url.protocol}`);
      if (!url.hostname.includes('.')) return fail('external URL without a real host name');
      return null;
    }
    const url = new URL(raw, `http://site.invalid${fromUrl}`);
    if (raw.startsWith('#')) {
      counts.fragment++;
      const target = file;
      const id = safeDecode(url.hash.slice(1));
      if (id !== null && id && target.endsWith('.html') && !idsOf(target).has(id)) return fail(`no element with id "${id}" on this page`);
      return target;
    }
    counts.internal++;
    if (!url.pathname.startsWith(base)) return fail(`outside the base path ${base}`);
    const segments = url.pathname.slice(base.length).split('/').map(safeDecode);
    if (segments.some((s) => s === null)) return fail('bad %-escape');
    let rel = segments.join('/');
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    if (!files.has(rel)) {
      if (dirs.has(rel)) return fail('folder without its trailing slash (a redirect on most hosts)');
      return fail(`no file ${rel} in dist`);
    }
    if (url.hash.length > 1 && rel.endsWith('.html') && opts.fragment !== false) {
      counts.fragment++;
      const id = safeDecode(url.hash.slice(1));
      if (id === null || !idsOf(rel).has(id)) return fail(`no element with id "${url.hash.slice(1)}" on ${rel}`);
    }
    return rel;
  };

  /** A reference to a folder (a base URL a script appends file names to): the folder must exist. */
  const resolveFolder = (file: string, fromUrl: string, ref: string): string | null => {
    const url = new URL(ref, `http://site.invalid${fromUrl}`);
    if (!url.pathname.startsWith(base)) {
      problems.push({ file, ref, why: `outside the base path ${base}` });
      return null;
    }
    const rel = url.pathname.slice(base.length).replace(/\/$/, '');
    if (rel !== '' && !dirs.has(rel)) {
      problems.push({ file, ref, why: `no folder ${rel} in dist` });
      return null;
    }
    return rel;
  };
  /** A path in a script: a folder when it ends with `/` and has no index page, else a file. */
  const resolveScriptPath = (file: string, fromUrl: string, ref: string) => {
    const url = new URL(ref, `http://site.invalid${fromUrl}`);
    const rel = url.pathname.slice(base.length);
    if (url.pathname.startsWith(base) && (rel === '' || rel.endsWith('/')) && !files.has(`${rel}index.html`)) return resolveFolder(file, fromUrl, ref);
    return resolve(file, fromUrl, ref);
  };

  const cssRefs = (css: string): string[] => [
    ...[...css.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)].map((m) => m[2]!),
    ...[...css.matchAll(/@import\s+(['"])(.*?)\1/g)].map((m) => m[2]!),
  ];

  /** Which `data-*` attribute a bundle falls back from, and to which root path (`dataset.x ?? '/path/'`). */
  const fallbacks = new Map<string, Array<{ attr: string; path: string }>>();
  const topLevel = new Set(fs.readdirSync(dist));

  /** Relative imports and hard-coded site paths in a script served at `fromUrl`. */
  const checkScript = (file: string, fromUrl: string, js: string) => {
    for (const m of js.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g)) {
      counts.jsImport++;
      resolve(file, fromUrl, m[1]!);
    }
    for (const m of js.matchAll(/["'`]([^"'`\s]*)["'`]/g)) {
      const lit = m[1]!;
      // Root paths: under the base they must resolve; outside it only as a guarded fallback.
      if (/^\/[A-Za-z0-9_]/.test(lit)) {
        const fallback = /dataset\.([A-Za-z]\w*)\s*\?\?\s*$/.exec(js.slice(Math.max(0, m.index - 60), m.index));
        if (lit.startsWith(base) || base === '/') {
          counts.jsPath++;
          resolveScriptPath(file, fromUrl, staticPart(lit));
        } else if (fallback) {
          const attr = `data-${fallback[1]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          fallbacks.set(file, [...(fallbacks.get(file) ?? []), { attr, path: lit }]);
        } else problems.push({ file, ref: lit, why: `hard-coded root path outside the base path ${base}` });
        continue;
      }
      // Site paths relative to the base (the URL helpers): `v1/models/current.json`, `epochs/${n}/`.
      const first = lit.split(/[/$?]/)[0]!;
      if (lit.includes('/') && topLevel.has(first) && !lit.startsWith('./')) {
        counts.jsPath++;
        resolveScriptPath(file, base, staticPart(lit));
      }
    }
  };

  for (const rel of files) {
    if (!rel.endsWith('.css')) continue;
    for (const ref of cssRefs(fs.readFileSync(path.join(dist, rel), 'utf8'))) {
      counts.css++;
      resolve(rel, urlOf(rel), ref);
    }
  }
  for (const rel of files) {
    if (rel.endsWith('.js') && rel.startsWith('_astro/')) checkScript(rel, urlOf(rel), fs.readFileSync(path.join(dist, rel), 'utf8'));
  }

  const pagefindBases = new Set<string>();
  for (const rel of files) {
    if (!rel.endsWith('.html') || rel.startsWith('pagefind/')) continue;
    counts.html++;
    // 404.html is served at any missing URL: resolve its links from somewhere deep, so relative ones fail.
    const fromUrl = rel === '404.html' ? `${base}no/such/page/` : urlOf(rel);
    const { tags, scripts, styles } = parseHtml(fs.readFileSync(path.join(dist, rel), 'utf8'));
    const pageScripts: string[] = [];
    const attrsOnPage = new Map<string, string[]>();
    for (const tag of tags) {
      for (const [name, value] of tag.attrs) {
        if (name.startsWith('data-')) attrsOnPage.set(name, [...(attrsOnPage.get(name) ?? []), value]);
        if (name === 'data-pagefind-base') {
          counts.internal++;
          const folder = resolveFolder(rel, fromUrl, value);
          if (folder !== null) pagefindBases.add(folder);
        } else if (URL_ATTRS.includes(name)) {
          const target = resolve(rel, fromUrl, value);
          if (tag.name === 'script' && name === 'src' && target) pageScripts.push(target);
        } else if (name === 'srcset') {
          for (const candidate of value.split(',')) if (candidate.trim()) resolve(rel, fromUrl, candidate.trim().split(/\s+/)[0]!);
        } else if (name === 'style') {
          for (const ref of cssRefs(value)) resolve(rel, fromUrl, ref);
        }
      }
    }
    for (const css of styles) for (const ref of cssRefs(css)) resolve(rel, fromUrl, ref);
    for (const js of scripts) checkScript(rel, fromUrl, js);
    // A bundle's fallback root path is fine only where the page sets the attribute it falls back from.
    for (const script of pageScripts) {
      for (const { attr, path: fallbackPath } of fallbacks.get(script) ?? []) {
        counts.jsFallback++;
        if (!attrsOnPage.get(attr)?.length) problems.push({ file: rel, ref: fallbackPath, why: `${script} falls back to ${fallbackPath} (outside ${base}) because no element has ${attr}` });
      }
    }
  }

  // Pagefind: what pagefind.js loads from its base, and the URLs of the search results.
  for (const dir of pagefindBases) {
    const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
    for (const name of ['pagefind.js', 'pagefind-entry.json']) if (!files.has(at(name))) problems.push({ file: dir, ref: name, why: 'missing Pagefind file' });
    if (!files.has(at('pagefind-entry.json'))) continue;
    const entry = JSON.parse(fs.readFileSync(path.join(dist, at('pagefind-entry.json')), 'utf8')) as { languages: Record<string, { hash: string; wasm?: string }> };
    for (const lang of Object.values(entry.languages)) {
      for (const name of [`pagefind.${lang.hash}.pf_meta`, ...(lang.wasm ? [`wasm.${lang.wasm}.pagefind`] : [])]) {
        if (!files.has(at(name))) problems.push({ file: at('pagefind-entry.json'), ref: name, why: 'missing Pagefind file' });
      }
    }
    for (const frag of [...files].filter((f) => f.startsWith(at('fragment/')))) {
      const text = zlib.gunzipSync(fs.readFileSync(path.join(dist, frag))).toString('utf8');
      const body = JSON.parse(text.replace(/^pagefind_dcd/, '')) as { url: string; anchors?: Array<{ id: string }> };
      counts.pagefindResult++;
      // Result URLs are site-relative; the search page gives Pagefind the base as `baseUrl`.
      const target = resolve(frag, base, base + body.url.replace(/^\//, ''));
      for (const anchor of body.anchors ?? []) {
        if (target && !idsOf(target).has(anchor.id)) problems.push({ file: frag, ref: `${body.url}#${anchor.id}`, why: 'search result anchor without its id' });
      }
    }
  }
  return { problems, counts, external };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The part of a (template) literal before its first `${`: a path, or the folder a built path starts in. */
function staticPart(lit: string): string {
  const i = lit.indexOf('${');
  if (i < 0) return lit;
  const head = lit.slice(0, i);
  return head.slice(0, head.lastIndexOf('/') + 1);
}
