/**
 * How Netlify and Cloudflare Pages read a `_headers` file, modelled for the tests
 * from their published parsers: Cloudflare (workers-sdk `pages-shared`) turns
 * every `*` into `.*` and `:name` into `[^/]+`, anchors the pattern at both ends,
 * applies every matching rule and joins a header set twice with `, `; Netlify
 * (`@netlify/headers-parser`, `getForRegExp`) matches per path segment, a lone
 * `*` segment as `?(.*)`, a `*` inside a segment as `(.*)` without escaping the
 * rest of that segment, case-insensitively and with an optional trailing slash.
 */

export interface ParsedRule {
  path: string;
  /** Lower-case header name → value. */
  headers: Record<string, string>;
  line: number;
}

/** Parses `_headers` strictly: a path line starts with `/`, header lines are indented `Name: value`. */
export function parseHeadersFile(text: string): ParsedRule[] {
  const rules: ParsedRule[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!/^\s/.test(raw)) {
      if (!line.startsWith('/')) throw new Error(`line ${i + 1}: expected a path, got ${JSON.stringify(raw)}`);
      rules.push({ path: line, headers: {}, line: i + 1 });
      return;
    }
    const m = /^([A-Za-z0-9-]+):\s*(.+)$/.exec(line);
    const rule = rules.at(-1);
    if (!m || !rule) throw new Error(`line ${i + 1}: expected "Name: value" under a path, got ${JSON.stringify(raw)}`);
    const name = m[1]!.toLowerCase();
    if (name in rule.headers) throw new Error(`line ${i + 1}: ${name} set twice in one rule`);
    rule.headers[name] = m[2]!;
  });
  return rules;
}

/** Escapes like `escape-string-regexp`, which Netlify uses (`-` as `\x2d`, valid under the `u` flag). */
const escapeRegex = (s: string) => s.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&').replace(/-/g, '\\x2d');

const compiled = new Map<string, RegExp>();
function memo(key: string, make: () => RegExp): RegExp {
  let re = compiled.get(key);
  if (!re) compiled.set(key, (re = make()));
  return re;
}

/** Cloudflare Pages: does `rulePath` match the request's (percent-encoded) pathname? */
export function cloudflareMatches(rulePath: string, pathname: string): boolean {
  return memo(`cf ${rulePath}`, () => {
    let pattern = rulePath.split('*').map(escapeRegex).join('.*');
    pattern = pattern.replace(/:([A-Za-z]\w*)/g, '[^/]+');
    return new RegExp(`^${pattern}$`);
  }).test(pathname);
}

/** Netlify: does `rulePath` match the request's pathname? */
export function netlifyMatches(rulePath: string, pathname: string): boolean {
  return memo(`nf ${rulePath}`, () => netlifyRegExp(rulePath)).test(pathname);
}

function netlifyRegExp(rulePath: string): RegExp {
  const parts = rulePath
    .split('/')
    .map((p) => p.trimEnd())
    .filter(Boolean)
    .map((part) => {
      if (part.startsWith(':')) return '([^/]+)';
      if (part === '*') return '?(.*)';
      if (part.includes('*')) return part.replaceAll('*', '(.*)');
      return escapeRegex(part);
    });
  return new RegExp(`^/${parts.join('/')}/?$`, 'iu');
}

export const HOSTS = { cloudflare: cloudflareMatches, netlify: netlifyMatches } as const;
export type Host = keyof typeof HOSTS;

/** The rules that set `header` for `pathname` on `host`. */
export function matchingRules(rules: ParsedRule[], pathname: string, host: Host, header = 'cache-control'): ParsedRule[] {
  return rules.filter((r) => header in r.headers && HOSTS[host](r.path, pathname));
}
