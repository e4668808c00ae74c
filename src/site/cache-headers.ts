/**
 * The site's HTTP cache policy as data: which URL gets which `Cache-Control`,
 * rendered as a `_headers` file (Netlify, Cloudflare Pages and hosts that copy
 * their format). Pure: the endpoint that writes `dist/_headers` passes in the
 * base path and the epoch index; docs/deploy.md explains every choice.
 *
 * Tiers (see `CACHE_CONTROL`):
 * - `immutable`: names that carry a content hash (`/_astro/*`, Pagefind's
 *   fragments, index chunks and meta file). A new build writes new names.
 * - `settledData`: a finished epoch's files under `/v1/models/epochs/` (`<N>.json`,
 *   `<N>.csv`, `<N>.hosts.csv`: one prefix rule covers them all), and
 * - `settledPage`: a finished epoch's page. Both are byte-identical in every
 *   later build of the same code (nothing on them names the newest epoch), so
 *   they are kept long and then served for up to a year while a revalidation
 *   (a 304) runs. Not `immutable`: a snapshot `schema_version` bump rewrites the
 *   files (30 days fresh bounds how long a client keeps the old schema), and a
 *   code deploy renames the hashed CSS and JS a page links to (a week bounds
 *   how long a visitor can hold a page whose stylesheet is gone).
 * - `live`: what changes on every rebuild: `/`, `/epochs/` and its blocks, the current
 *   epoch's page and files, `current.json`, `epochs.json`, the model pages.
 * - `asset`: `favicon.svg`, unhashed but edited by hand, rarely.
 * URLs without a rule (model JSON, Pagefind's entry points, 404s) keep the
 * host's default, on Netlify and Cloudflare `public, max-age=0,
 * must-revalidate`: always revalidated, a 304 when unchanged.
 *
 * Precedence: Cloudflare applies every matching rule and joins a header set
 * twice into `a, b`; Netlify's behaviour for overlapping rules is not documented.
 * So no URL the site serves is matched by two rules. Finished epochs are covered
 * by digit-prefix wildcards (`/epochs/1*`, …) chosen so that none matches the
 * current epoch or the next one (whose URLs may be asked for before they exist:
 * that 404 must not be kept for a day). A finished epoch whose number is a
 * prefix of the current one (epoch 3 while 36 is current) cannot be covered
 * that way and keeps the host default.
 *
 * Cloudflare reads at most 100 rules and skips the rest, so the fixed rules come
 * first and the finished-epoch groups are added only when they fit whole (pages
 * are dropped first): a URL whose rule is left out falls back to the host
 * default, never to a longer lifetime.
 */
import { createUrls } from '../display/paths.ts';

/** The `Cache-Control` value of each tier. */
export const CACHE_CONTROL = {
  immutable: 'public, max-age=31536000, immutable',
  settledData: 'public, max-age=2592000, stale-while-revalidate=31536000',
  settledPage: 'public, max-age=604800, stale-while-revalidate=31536000',
  live: 'public, max-age=60',
  asset: 'public, max-age=86400',
} as const;

export type CacheTier = keyof typeof CACHE_CONTROL;

/** One `_headers` rule: a URL pattern (`*` matches any characters) and its tier. */
export interface CacheRule {
  path: string;
  tier: CacheTier;
}

/** The part of the epoch index the policy needs. */
export interface CachePolicyInput {
  basePath: string;
  currentEpoch: number;
  epochs: ReadonlyArray<{ epoch_id: number; available: boolean }>;
}

/** Cloudflare Pages reads at most this many `_headers` rules (the rest are skipped). */
export const MAX_RULES = 100;

/**
 * Epochs after the current one kept out of the long rules: their URLs 404 until
 * the epoch starts, and a client asking early must not keep that 404 for a day.
 */
export const FUTURE_EPOCHS_EXCLUDED = 1;

/**
 * Digit prefixes `p` such that the pattern `p*` (every id whose decimal form
 * starts with `p`) matches ids in `include` and no id in `exclude`, as few as the
 * digit tree allows; ids in neither set are "don't care". Only wildcards are
 * produced, never an exact id: `p*` is a plain prefix on every host, while an
 * exact rule would need one rule per file type. An included id that is a prefix
 * of an excluded one (epoch 3 when epoch 36 is current) cannot be covered and is
 * returned in `uncovered`; its URLs keep the host default.
 */
export function digitPrefixCover(include: Iterable<number>, exclude: Iterable<number>): { prefixes: string[]; uncovered: number[] } {
  // Every prefix of every id (the empty one included), so a subtree test is one lookup.
  const prefixesOf = (ids: Iterable<number>) => {
    const set = new Set<string>();
    for (const id of ids) for (let s = String(id), i = 0; i <= s.length; i++) set.add(s.slice(0, i));
    return set;
  };
  const yesIds = new Set([...include].map(String));
  const yesUnder = prefixesOf(include);
  const noUnder = prefixesOf(exclude);
  const prefixes: string[] = [];
  const uncovered: number[] = [];
  const visit = (prefix: string) => {
    if (!yesUnder.has(prefix)) return;
    if (prefix !== '' && !noUnder.has(prefix)) {
      prefixes.push(prefix);
      return;
    }
    if (yesIds.has(prefix)) uncovered.push(Number(prefix));
    for (let d = prefix === '' ? 1 : 0; d <= 9; d++) visit(`${prefix}${d}`);
  };
  visit('');
  return { prefixes, uncovered };
}

/** The rules of the policy, in file order, and what had to be left out to fit `maxRules`. */
export function cacheRules(input: CachePolicyInput, maxRules = MAX_RULES): { rules: CacheRule[]; omitted: CacheTier[] } {
  // Every path from the one URL builder, so a rule can never drift from the links it covers.
  const urls = createUrls(input.basePath);
  const current = input.currentEpoch;
  const finished = input.epochs.filter((e) => e.epoch_id < current);
  const future = Array.from({ length: FUTURE_EPOCHS_EXCLUDED }, (_, i) => current + 1 + i);
  // A listed epoch without data has no files; it may still get some after a full rebuild.
  const noData = input.epochs.filter((e) => !e.available).map((e) => e.epoch_id);

  const fixed: CacheRule[] = [
    { path: urls.file('_astro/*'), tier: 'immutable' },
    { path: urls.file('pagefind/fragment/*'), tier: 'immutable' },
    { path: urls.file('pagefind/index/*'), tier: 'immutable' },
    { path: urls.file('pagefind/filter/*'), tier: 'immutable' },
    { path: urls.file('pagefind/*.pf_meta'), tier: 'immutable' },
    { path: urls.home(), tier: 'live' },
    { path: urls.epochs(), tier: 'live' },
    // The blocks of the epochs list: `range` starts with a letter, so no digit-prefix rule below matches it.
    { path: `${urls.epochs()}range/*`, tier: 'live' },
    { path: urls.epoch(current), tier: 'live' },
    { path: urls.currentJson(), tier: 'live' },
    { path: urls.epochsJson(), tier: 'live' },
    { path: `${urls.epochFiles()}${current}.*`, tier: 'live' },
    { path: `${urls.models()}*`, tier: 'live' },
    { path: urls.search(), tier: 'live' },
    { path: urls.file('favicon.svg'), tier: 'asset' },
  ];
  // `<epoch files>/<p>*` covers every file of those epochs (`.json`, `.csv`, `.hosts.csv`, any other format beside them),
  // as `<epoch files>/<current>.*` does for the current epoch.
  const data: CacheRule[] = digitPrefixCover(
    finished.filter((e) => e.available).map((e) => e.epoch_id),
    [current, ...future, ...noData],
  ).prefixes.map((p) => ({ path: `${urls.epochFiles()}${p}*`, tier: 'settledData' }));
  const pages: CacheRule[] = digitPrefixCover(
    finished.map((e) => e.epoch_id),
    [current, ...future],
  ).prefixes.map((p) => ({ path: `${urls.epochs()}${p}*`, tier: 'settledPage' }));

  // Both groups, else the data rules alone, else none: pages are the first to go.
  const rules = [...fixed];
  const omitted: CacheTier[] = [];
  if (fixed.length + data.length + pages.length <= maxRules) rules.push(...data, ...pages);
  else if (fixed.length + data.length <= maxRules) {
    rules.push(...data);
    omitted.push('settledPage');
  } else omitted.push('settledData', 'settledPage');
  return { rules, omitted };
}

/** The `_headers` file for this build. */
export function renderHeadersFile(input: CachePolicyInput, maxRules = MAX_RULES): string {
  const { rules, omitted } = cacheRules(input, maxRules);
  const lines = [
    '# Cache-Control for Netlify and Cloudflare Pages, generated at build time by',
    '# src/site/cache-headers.ts from the epoch index (docs/deploy.md explains the policy).',
    `# Current epoch ${input.currentEpoch}. No URL matches two rules; URLs without a rule keep the host default.`,
    ...omitted.map((tier) => `# Left out to stay within ${maxRules} rules: the ${tier} rules (those URLs keep the host default).`),
  ];
  for (const rule of rules) lines.push('', rule.path, `  Cache-Control: ${CACHE_CONTROL[rule.tier]}`);
  return `${lines.join('\n')}\n`;
}
