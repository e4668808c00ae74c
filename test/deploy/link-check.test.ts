/**
 * The link checker itself, on a small hand-made `dist/` with one broken
 * reference of every kind it looks for (links.test.ts runs it on real builds).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite, parseHtml, type CheckResult } from './link-check.ts';

let dir: string;
let result: CheckResult;

function write(rel: string, body: string | Buffer) {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-linkcheck-'));
  write(
    'index.html',
    `<!doctype html><html><head><link rel="stylesheet" href="/base/style.css"><script type="module" src="/base/_astro/app.js"></script>
<style>.a{background:url(/base/img.png)}.b{background:url("/base/gone-inline.png")}</style></head>
<body id="top"><main id="main">
<a href="/base/b/">ok</a> <a href="/base/b">no slash</a> <a href="/base/missing/">missing</a>
<a href="/base/b/#x">ok fragment</a> <a href="/base/b/#nope">bad fragment</a> <a href="#main">ok local</a> <a href="#gone">bad local</a>
<a href="https://huggingface.co/a/b">ext</a> <a href="javascript:alert(1)">js</a> <a href="/other/">outside</a>
<a href="/base/b/?q=1&amp;r=2">query</a> <a href="/base/m/Qwen%2FX/">escaped</a> <a href="/base/m/%E0%A4%A/">bad escape</a>
<img src="/base/img.png" srcset="/base/img.png 1x, /base/nope.png 2x" alt="">
<p data-other="x" style="background:url('/base/gone-attr.png')">x</p>
<astro-island component-url="/base/_astro/app.js" renderer-url="/base/_astro/renderer.js"></astro-island>
</main></body></html>`,
  );
  write('b/index.html', '<!doctype html><p id="x">b</p><script type="module" src="/base/_astro/search.js"></script><p data-pagefind-base="/base/pagefind/">s</p>');
  write('m/Qwen/X/index.html', '<!doctype html><p>model</p>');
  write('404.html', '<!doctype html><a href="/base/">home</a> <a href="b/">relative</a>');
  write('style.css', '.c{background:url(img.png)} .d{background:url(gone.png)} @import "missing.css";');
  write('img.png', 'png');
  write('_astro/app.js', 'import{a}from"./chunk.js";import("./gone.js");const u=`v1/models/current.json`,v="v1/models/nope.json",w=`v1/models/epochs/${n}.json`,x=`nope/${n}/`;');
  write('_astro/chunk.js', 'export const a=1;');
  write('_astro/search.js', 'let r=e.dataset.pagefindBase??`/pagefind/`;let s="/base/pagefind/";let t="/elsewhere/x.js";');
  write('v1/models/current.json', '{}');
  write('v1/models/epochs/1.json', '{}');
  write('pagefind/pagefind.js', '');
  write('pagefind/pagefind-entry.json', JSON.stringify({ languages: { en: { hash: 'en_abc', wasm: 'en' } } }));
  write('pagefind/pagefind.en_abc.pf_meta', '');
  const fragment = (url: string, anchors: string[] = []) =>
    zlib.gzipSync(Buffer.from(`pagefind_dcd${JSON.stringify({ url, anchors: anchors.map((id) => ({ id })) })}`));
  write('pagefind/fragment/en_1.pf_fragment', fragment('/b/', ['x']));
  write('pagefind/fragment/en_2.pf_fragment', fragment('/gone/'));
  write('pagefind/fragment/en_3.pf_fragment', fragment('/b/', ['missing-anchor']));
  result = checkSite(dir, '/base/');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const found = (file: string, ref: string) => result.problems.filter((p) => p.file === file && p.ref === ref);

describe('the link checker', () => {
  it('reports every broken reference, with the reason', () => {
    const expected: Array<[string, string, RegExp]> = [
      ['index.html', '/base/b', /trailing slash/],
      ['index.html', '/base/missing/', /no file missing\/index\.html/],
      ['index.html', '/base/b/#nope', /no element with id "nope"/],
      ['index.html', '#gone', /no element with id "gone"/],
      ['index.html', 'javascript:alert(1)', /javascript/],
      ['index.html', '/other/', /outside the base path/],
      ['index.html', '/base/m/%E0%A4%A/', /%-escape/],
      ['index.html', '/base/nope.png', /no file nope\.png/],
      ['index.html', '/base/gone-inline.png', /no file/],
      ['index.html', '/base/gone-attr.png', /no file/],
      ['index.html', '/base/_astro/renderer.js', /no file/],
      ['404.html', 'b/', /no file no\/such\/page\/b\/index\.html/],
      ['style.css', 'gone.png', /no file gone\.png/],
      ['style.css', 'missing.css', /no file missing\.css/],
      ['_astro/app.js', './gone.js', /no file _astro\/gone\.js/],
      ['_astro/app.js', 'v1/models/nope.json', /no file v1\/models\/nope\.json/],
      ['_astro/search.js', '/elsewhere/x.js', /hard-coded root path outside the base path/],
      ['pagefind/fragment/en_2.pf_fragment', '/base/gone/', /no file gone\/index\.html/],
      ['pagefind/fragment/en_3.pf_fragment', '/b/#missing-anchor', /anchor/],
      ['pagefind/pagefind-entry.json', 'wasm.en.pagefind', /missing Pagefind file/],
    ];
    for (const [file, ref, why] of expected) {
      const hits = found(file, ref);
      expect(hits.length, `${file}: ${ref} should be reported`).toBe(1);
      expect(hits[0]!.why).toMatch(why);
    }
    expect(result.problems.length).toBe(expected.length);
  });

  it('accepts what resolves: folders with their index, queries, %-escapes, fragments, guarded fallbacks, template folders', () => {
    for (const ref of ['/base/b/', '/base/b/#x', '#main', '/base/b/?q=1&r=2', '/base/m/Qwen%2FX/', '/base/img.png', './chunk.js', 'v1/models/current.json', '/base/pagefind/', '/pagefind/']) {
      expect(result.problems.filter((p) => p.ref === ref), ref).toEqual([]);
    }
    expect(result.counts.jsFallback).toBe(1);
    expect(result.counts.pagefindResult).toBe(3);
    expect(result.external).toEqual(['https://huggingface.co/a/b']);
  });

  it('reports a fallback root path on a page that lacks the attribute it falls back from', () => {
    write('c/index.html', '<!doctype html><script type="module" src="/base/_astro/search.js"></script>');
    const again = checkSite(dir, '/base/');
    fs.rmSync(path.join(dir, 'c'), { recursive: true });
    expect(again.problems.filter((p) => p.file === 'c/index.html')).toEqual([
      { file: 'c/index.html', ref: '/pagefind/', why: expect.stringMatching(/no element has data-pagefind-base/) },
    ]);
  });

  it('parses attributes and entities the way a browser does', () => {
    const { tags, scripts, styles } = parseHtml(`<a href='x&amp;y&quot;&#39;&#x41;&nbsp;' data-a=y HIDDEN><!-- <a href="no"> --><script>var s="<a href='in-script'>"</script><style>p{}</style>`);
    expect(tags.map((t) => t.name)).toEqual(['a', 'script', 'style']);
    expect(Object.fromEntries(tags[0]!.attrs)).toEqual({ href: 'x&y"\'A\u00a0', 'data-a': 'y', hidden: '' });
    expect(scripts).toEqual([`var s="<a href='in-script'>"`]);
    expect(styles).toEqual(['p{}']);
  });
});
