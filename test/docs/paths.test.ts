/**
 * Every reference the docs and the code make to the repository itself points at
 * something that exists: relative Markdown links (and their `#anchor`s), repository
 * paths in backticks or comments, and section names cited as `<doc>.md, "Section"`.
 * A failure lists each broken reference as `file:line: reference: why`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Folders never read: dependencies, build output, caches, git. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.astro', '.cache']);
/** Where source files are read (comments only), plus a few files at the root. */
const SOURCE_DIRS = ['src', 'scripts', 'test', '.github', '.ci'];
const ROOT_SOURCES = ['astro.config.mjs', 'vitest.config.ts', 'package.json'];
const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|astro|ya?ml|css|sh)$/;
/** A path mentioned in the docs or comments is checked when it starts with one of these. */
const PATH_PREFIXES = ['src', 'scripts', 'test', 'docs', 'bench', 'data', 'public', '.github', '.ci'];

// ---------------------------------------------------------------------------------------
// Files

function walk(rel: string, out: string[] = []): string[] {
  const abs = path.join(ROOT, rel);
  if (!fs.existsSync(abs)) return out;
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !isGenerated(`${child}/`)) walk(child, out);
    } else if (entry.isFile()) out.push(child);
  }
  return out;
}

/** Ignore rules of `.gitignore` (enough of the syntax for this repository's file): generated paths. */
const ignoreRules = fs
  .readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((line) => {
    const negate = line.startsWith('!');
    let pattern = negate ? line.slice(1) : line;
    const dirOnly = pattern.endsWith('/');
    if (dirOnly) pattern = pattern.slice(0, -1);
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    // `*` alone is one whole segment (`data/*` names what is inside data/, not data/ itself).
    const body = pattern
      .split('/')
      .map((seg) =>
        seg === '*'
          ? '[^/]+'
          : seg
              .split('*')
              .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('[^/]*'),
      )
      .join('/');
    // A match names the path itself or a folder above it.
    const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${body}${dirOnly ? '/' : '(?:/|$)'}`);
    return { negate, re };
  });

/** Whether git ignores `rel` (a folder ends with `/`): build output, caches, generated data. */
function isGenerated(rel: string): boolean {
  let ignored = false;
  for (const rule of ignoreRules) if (rule.re.test(rel)) ignored = !rule.negate;
  return ignored;
}

const allFiles = walk('');
const markdownFiles = allFiles.filter((f) => f.endsWith('.md') && !isGenerated(f));
const sourceFiles = [
  ...ROOT_SOURCES.filter((f) => fs.existsSync(path.join(ROOT, f))),
  ...allFiles.filter((f) => {
    if (!SOURCE_DIRS.some((d) => f.startsWith(`${d}/`)) || isGenerated(f)) return false;
    if (SOURCE_EXT.test(f)) return true;
    // Extensionless scripts such as .ci/run.
    return !path.basename(f).includes('.') && fs.readFileSync(path.join(ROOT, f), 'utf8').startsWith('#!');
  }),
];

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

// ---------------------------------------------------------------------------------------
// Text to check: for Markdown, code spans, fenced code and prose (with line numbers);
// for source files, their comments.

interface Chunk {
  file: string;
  /** 1-based line of the chunk's first character. */
  line: number;
  text: string;
}

/** Line of `offset` in `text` (1-based). */
function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

interface MarkdownParts {
  /** Inline code spans and fenced code lines. */
  code: Chunk[];
  /** Lines outside fences with their code spans blanked out. */
  prose: Chunk[];
  /** Heading texts outside fences. */
  headings: string[];
  /** The whole file with fenced lines blanked, for references that wrap across lines. */
  whole: Chunk;
}

function markdownParts(file: string): MarkdownParts {
  const parts: MarkdownParts = { code: [], prose: [], headings: [], whole: { file, line: 1, text: '' } };
  const unfenced: string[] = [];
  let fence: string | null = null;
  read(file)
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
      const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
      unfenced.push(fence || marker ? '' : text);
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
        else parts.code.push({ file, line, text });
        return;
      }
      if (marker) {
        fence = marker;
        return;
      }
      const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
      if (heading) parts.headings.push(heading[1]!);
      let prose = '';
      let last = 0;
      for (const m of text.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)) {
        parts.code.push({ file, line, text: m[2]! });
        prose += text.slice(last, m.index) + ' '.repeat(m[0].length);
        last = m.index + m[0].length;
      }
      parts.prose.push({ file, line, text: prose + text.slice(last) });
    });
  parts.whole.text = unfenced.join('\n');
  return parts;
}

/**
 * Comments of a TypeScript/JavaScript text through the compiler's own parser (so `//`
 * inside strings and regular expressions is not taken for a comment). `base` is the
 * text's offset in `whole`, the file as read, for line numbers.
 */
function scriptComments(file: string, text: string, base = 0, whole = text): Chunk[] {
  const kind = /\.[jt]sx$/.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile('x.tsx', text, ts.ScriptTarget.Latest, false, kind);
  const seen = new Map<number, number>();
  const collect = (pos: number) => {
    for (const r of [...(ts.getLeadingCommentRanges(text, pos) ?? []), ...(ts.getTrailingCommentRanges(text, pos) ?? [])]) seen.set(r.pos, r.end);
  };
  const visit = (node: ts.Node) => {
    collect(node.pos);
    collect(node.end);
    ts.forEachChild(node, visit);
  };
  collect(0);
  visit(source);
  return [...seen].map(([pos, end]) => ({ file, line: lineAt(whole, base + pos), text: text.slice(pos, end) }));
}

/** Comments of a source file (TypeScript, JavaScript, Astro, CSS, YAML, shell) or the strings of package.json. */
function sourceComments(file: string): Chunk[] {
  const text = read(file);
  if (file.endsWith('.json')) return text.split('\n').map((t, i) => ({ file, line: i + 1, text: t }));
  if (/\.[cm]?[jt]sx?$/.test(file)) return scriptComments(file, text);
  if (file.endsWith('.astro')) {
    const chunks: Chunk[] = [];
    const front = /^---\n([\s\S]*?)\n---/.exec(text);
    if (front) chunks.push(...scriptComments(file, front[1]!, 4, text));
    for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
      chunks.push(...scriptComments(file, m[1]!, m.index + m[0].indexOf(m[1]!), text));
    }
    // Template and style comments: {/* … */}, /* … */ in <style>, <!-- … -->.
    const rest = text.replace(/^---\n[\s\S]*?\n---/, (s) => ' '.repeat(s.length)).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, (s) => ' '.repeat(s.length));
    for (const m of rest.matchAll(/\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->/g)) chunks.push({ file, line: lineAt(text, m.index), text: m[0] });
    return chunks;
  }
  if (file.endsWith('.css')) return [...text.matchAll(/\/\*[\s\S]*?\*\//g)].map((m) => ({ file, line: lineAt(text, m.index), text: m[0] }));
  // YAML and shell: a `#` at the start of a line or after a space starts a comment.
  return text.split('\n').flatMap((t, i) => {
    const m = /(?:^|\s)(#.*)$/.exec(t);
    return m ? [{ file, line: i + 1, text: m[1]! }] : [];
  });
}

const markdown = new Map(markdownFiles.map((f) => [f, markdownParts(f)]));
const comments = sourceFiles.flatMap(sourceComments);

// ---------------------------------------------------------------------------------------
// Headings and anchors

/** GitHub's heading anchor: rendered text, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return rendered.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
/** Every anchor of a Markdown file, repeated headings numbered as GitHub does (`x`, `x-1`, …). */
function anchors(file: string): Set<string> {
  let set = anchorCache.get(file);
  if (!set) {
    set = new Set();
    const counts = new Map<string, number>();
    for (const h of markdown.get(file)?.headings ?? markdownParts(file).headings) {
      const s = slug(h);
      const n = counts.get(s) ?? 0;
      counts.set(s, n + 1);
      set.add(n ? `${s}-${n}` : s);
    }
    anchorCache.set(file, set);
  }
  return set;
}

const exists = (rel: string) => fs.existsSync(path.join(ROOT, rel));

/** Why `target` (repository-relative, maybe with `#anchor`) is broken, or null when it is fine. */
function brokenTarget(target: string): string | null {
  const hash = target.indexOf('#');
  const file = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? '' : target.slice(hash + 1);
  if (file && !exists(file)) return 'no such file or folder';
  if (anchor && file.endsWith('.md') && !anchors(file).has(anchor.toLowerCase())) return `no heading with the anchor #${anchor} in ${file}`;
  return null;
}

// ---------------------------------------------------------------------------------------
// The checks

/** Relative Markdown link targets of one prose line: `](path)`, `](path#anchor)`, `](#anchor)`. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

const PATH_RE = new RegExp(`(?<![\\w./@~$:-])((?:${PATH_PREFIXES.map((p) => p.replace('.', '\\.')).join('|')})/[^\\s\`'"(),;|]*)`, 'g');

/** Repository paths mentioned in a chunk, with the line each is on. */
function mentionedPaths(chunk: Chunk): Array<{ line: number; path: string }> {
  const found: Array<{ line: number; path: string }> = [];
  for (const m of chunk.text.matchAll(PATH_RE)) {
    // Trailing punctuation and a `:line` suffix are not part of the path.
    let p = m[1]!.replace(/[.,:;!?…]+$/, '').replace(/:\d+(?::\d+)?$/, '');
    if ((p.match(/\[/g) ?? []).length < (p.match(/\]/g) ?? []).length) p = p.replace(/\]+$/, '');
    // Globs, placeholders and templates name no one path; Astro's `[...rest]` routes do.
    const bare = p.replace(/\[\.\.\.\w+\]/g, '[x]');
    if (/[*<>{}$…]/.test(bare) || bare.includes('...') || bare.includes('//')) continue;
    if (!/^[\w./@+\-[\]#]+$/.test(p)) continue;
    const file = p.split('#')[0]!;
    if (isGenerated(file) || isGenerated(`${file.replace(/\/$/, '')}/`)) continue;
    found.push({ line: chunk.line + lineAt(chunk.text, m.index) - 1, path: p });
  }
  return found;
}

/**
 * Test files the docs name relative to `test/` (`pipeline/run.test.ts`), as
 * docs/reliability.md does: a whole code span of that shape.
 */
function testFileMentions(chunk: Chunk): Array<{ line: number; path: string }> {
  const m = /^([\w-]+(?:\/[\w-]+)*\/[\w.-]+\.test\.tsx?)$/.exec(chunk.text.trim());
  if (!m || PATH_PREFIXES.some((p) => m[1]!.startsWith(`${p}/`))) return [];
  return [{ line: chunk.line, path: `test/${m[1]}` }];
}

/**
 * Section citations: a Markdown file (a path under docs/, or README, CONTRIBUTING) then
 * a comma, a parenthesis or a space and one or more quoted section names, joined by
 * commas or "and". Names may wrap across comment lines.
 */
const GAP = String.raw`(?:[\s*/#]|\/\/)+`;
const CITATION_RE = new RegExp(
  String.raw`(?<![\w/.-])((?:docs/[\w-]+|README|CONTRIBUTING)(?:\.md)?)(?:'s)?(?:,|${GAP}\(|,?${GAP})?(?:${GAP})?("[^"]+"(?:(?:,|${GAP}and|${GAP}&)?${GAP}"[^"]+")*)`,
  'g',
);

function citations(chunk: Chunk): Array<{ line: number; doc: string; section: string }> {
  const out: Array<{ line: number; doc: string; section: string }> = [];
  for (const m of chunk.text.matchAll(CITATION_RE)) {
    const doc = m[1]!.endsWith('.md') ? m[1]! : `${m[1]}.md`;
    const line = chunk.line + lineAt(chunk.text, m.index) - 1;
    for (const q of m[2]!.matchAll(/"([^"]+)"/g)) {
      // A name wrapped across comment lines: join the lines again.
      out.push({ line, doc, section: q[1]!.replace(/\s*\n\s*(?:\*|\/\/|#)?\s*/g, ' ').trim() });
    }
  }
  return out;
}

/** Fails with every broken reference on its own line (each once: a code span is also prose). */
function expectNone(problems: string[]): void {
  const unique = [...new Set(problems)];
  expect(unique, `${unique.length} broken reference(s):\n${unique.join('\n')}`).toEqual([]);
}

describe('references inside the repository', () => {
  it('reads the docs and the code it is meant to read', () => {
    for (const f of ['README.md', 'data/README.md', 'bench/results.md', 'docs/chain-api.md', 'docs/deploy.md']) expect(markdownFiles).toContain(f);
    expect(markdownFiles.some((f) => f.startsWith('test/fixtures/'))).toBe(true);
    for (const f of ['package.json', 'astro.config.mjs', '.ci/run', '.github/workflows/rebuild.yml', 'src/snapshot/schema.ts']) expect(sourceFiles).toContain(f);
    expect(markdownFiles.some((f) => f.startsWith('node_modules/') || f.startsWith('dist/'))).toBe(false);
    // Comments are found in every kind of source file.
    expect(comments.some((c) => c.file === '.github/workflows/rebuild.yml' && c.text.includes('docs/deploy.md'))).toBe(true);
    for (const ext of ['.ts', '.tsx', '.astro', '.yml', '.css']) expect(comments.some((c) => c.file.endsWith(ext)), ext).toBe(true);
    expect(comments.some((c) => c.file === '.ci/run')).toBe(true);
  });

  it('finds what it looks for', () => {
    expect(slug('Usage, honestly')).toBe('usage-honestly');
    expect(slug('The live view (`/`)')).toBe('the-live-view-');
    expect(slug('GitHub Pages in three steps')).toBe('github-pages-in-three-steps');
    expect(linkTargets('see [a](docs/x.md#y), [b](https://e.org/), ![c](docs/s.png "t")')).toEqual(['docs/x.md#y', 'docs/s.png']);
    const chunk = (text: string): Chunk => ({ file: 'f', line: 10, text });
    expect(mentionedPaths(chunk('see src/a.ts, src/b/ and test/x.test.ts:12; src/*.ts, data/epochs/<N>.json, x/src/no.ts')).map((p) => p.path)).toEqual([
      'src/a.ts',
      'src/b/',
      'test/x.test.ts',
    ]);
    expect(mentionedPaths(chunk('bench/out/run and dist/x and src/pages/v1/models/[...id].json.ts')).map((p) => p.path)).toEqual(['src/pages/v1/models/[...id].json.ts']);
    expect(citations(chunk('(docs/chain-api.md, "Epochs" and "Upgrades"), docs/chain-api.md ("Weight"),\n * README "Failure\n * behaviour"'))).toEqual([
      { line: 10, doc: 'docs/chain-api.md', section: 'Epochs' },
      { line: 10, doc: 'docs/chain-api.md', section: 'Upgrades' },
      { line: 10, doc: 'docs/chain-api.md', section: 'Weight' },
      { line: 11, doc: 'README.md', section: 'Failure behaviour' },
    ]);
    expect(brokenTarget('docs/chain-api.md#weight')).toBeNull();
    expect(brokenTarget('docs/chain-api.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenTarget('docs/no-such-file.md')).toMatch(/no such file/);
    expect(testFileMentions(chunk('pipeline/run.test.ts'))).toEqual([{ line: 10, path: 'test/pipeline/run.test.ts' }]);
    expect(testFileMentions(chunk('test/pipeline/run.test.ts'))).toEqual([]);
    expect(isGenerated('bench/out/run')).toBe(true);
    expect(isGenerated('data/index.json')).toBe(true);
    expect(isGenerated('data/README.md')).toBe(false);
    expect(isGenerated('data/')).toBe(false);
    expect(isGenerated('data/epochs/')).toBe(true);
  });

  it('has no broken relative link in any Markdown file', () => {
    const problems: string[] = [];
    for (const [file, parts] of markdown) {
      for (const { line, text } of parts.prose) {
        for (const target of linkTargets(text)) {
          const decoded = decodeURI(target);
          const rel = decoded.startsWith('#') ? `${file}${decoded}` : path.posix.normalize(path.posix.join(path.posix.dirname(file), decoded));
          const why = rel.startsWith('../') ? 'points outside the repository' : brokenTarget(rel);
          if (why) problems.push(`${file}:${line}: ](${target}): ${why}`);
        }
      }
    }
    expectNone(problems);
  });

  it('names only repository paths that exist, in docs (backticks) and in code (comments)', () => {
    const problems: string[] = [];
    const docCode = [...markdown.values()].flatMap((p) => p.code);
    const mentions = [
      ...[...docCode, ...comments].flatMap((chunk) => mentionedPaths(chunk).map((m) => ({ chunk, ...m }))),
      ...docCode.flatMap((chunk) => testFileMentions(chunk).map((m) => ({ chunk, ...m }))),
    ];
    for (const { chunk, line, path: p } of mentions) {
      const why = brokenTarget(p);
      if (why) problems.push(`${chunk.file}:${line}: ${p}: ${why}`);
    }
    expectNone(problems);
  });

  it('cites only sections that exist', () => {
    const problems: string[] = [];
    const chunks = [...comments, ...[...markdown.values()].flatMap((p) => [p.whole, ...p.code])];
    for (const chunk of chunks) {
      for (const { line, doc, section } of citations(chunk)) {
        const why = !exists(doc) ? `no such file ${doc}` : anchors(doc).has(slug(section)) ? null : `no section "${section}" in ${doc}`;
        if (why) problems.push(`${chunk.file}:${line}: ${doc} "${section}": ${why}`);
      }
    }
    expectNone(problems);
  });
});
