/**
 * The generated `_headers` policy on synthetic epoch indexes, read the way
 * Netlify and Cloudflare Pages read it (host-rules.ts): every URL gets at most
 * one Cache-Control rule, the current and next epoch never get a long one,
 * finished epochs do (unless their number is a prefix of the current one), and
 * the file stays within Cloudflare's limits. The built site is checked too, in
 * links.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  CACHE_CONTROL,
  MAX_RULES,
  cacheRules,
  digitPrefixCover,
  renderHeadersFile,
  type CachePolicyInput,
  type CacheTier,
} from '../../src/site/cache-headers.ts';
import { HOSTS, cloudflareMatches, matchingRules, netlifyMatches, parseHeadersFile, type Host } from './host-rules.ts';

const hosts = Object.keys(HOSTS) as Host[];

/** Epochs `first..current`, all available but those listed. */
function index(current: number, opts: { first?: number; unavailable?: number[]; basePath?: string } = {}): CachePolicyInput {
  const first = opts.first ?? 1;
  const epochs = Array.from({ length: current - first + 1 }, (_, i) => ({
    epoch_id: first + i,
    available: !(opts.unavailable ?? []).includes(first + i),
  }));
  return { basePath: opts.basePath ?? '/', currentEpoch: current, epochs };
}

/** The tier a URL gets on `host`, or null for the host default; throws when two rules match. */
function tierOf(input: CachePolicyInput, pathname: string, host: Host): CacheTier | null {
  const rules = parseHeadersFile(renderHeadersFile(input));
  const hits = matchingRules(rules, pathname, host);
  if (hits.length > 1) throw new Error(`${host}: ${pathname} matches ${hits.map((r) => r.path).join(' and ')}`);
  if (!hits.length) return null;
  const value = hits[0]!.headers['cache-control'];
  return (Object.entries(CACHE_CONTROL).find(([, v]) => v === value)?.[0] as CacheTier | undefined) ?? null;
}

describe('host matchers (the model the other tests rely on)', () => {
  it('follow each host: wildcards, anchoring, Netlify\'s optional slash and unescaped segments', () => {
    expect(cloudflareMatches('/epochs/1*', '/epochs/12/')).toBe(true);
    expect(cloudflareMatches('/epochs/1*', '/epochs/')).toBe(false);
    expect(cloudflareMatches('/epochs/', '/epochs')).toBe(false);
    expect(netlifyMatches('/epochs/', '/epochs')).toBe(true);
    expect(netlifyMatches('/models/*', '/models')).toBe(true);
    expect(cloudflareMatches('/v1/models/epochs/3.*', '/v1/models/epochs/30.json')).toBe(false);
    expect(netlifyMatches('/v1/models/epochs/3.*', '/v1/models/epochs/30.json')).toBe(true);
    expect(netlifyMatches('/_ASTRO/*', '/_astro/a.js')).toBe(true);
  });

  it('reject a file that is not in the format', () => {
    expect(() => parseHeadersFile('Cache-Control: x\n')).toThrow(/expected a path/);
    expect(() => parseHeadersFile('  Cache-Control: x\n')).toThrow(/under a path/);
    expect(() => parseHeadersFile('/a\n  Cache-Control: x\n  cache-control: y\n')).toThrow(/twice/);
  });
});

describe('digitPrefixCover', () => {
  it('matches every included id but those that prefix an excluded one, and never an excluded id', () => {
    for (const [include, exclude] of [
      [range(2, 35), [1, 36, 37]],
      [range(1, 105), [106, 107]],
      [range(61, 1998), [60, 1999, 2000]],
      [[5, 50, 500], [51]],
    ] as const) {
      const { prefixes, uncovered } = digitPrefixCover(include, exclude);
      const covered = (n: number) => prefixes.some((p) => String(n).startsWith(p));
      for (const n of exclude) expect(covered(n), `${n} excluded`).toBe(false);
      for (const n of include) {
        const blocked = exclude.some((x) => String(x).startsWith(String(n)));
        expect(covered(n), `${n}`).toBe(!blocked);
        expect(uncovered.includes(n)).toBe(blocked);
      }
      expect(prefixes.every((p) => /^[1-9]\d*$/.test(p))).toBe(true);
    }
  });

  it('uses a single prefix where a whole decade is finished', () => {
    expect(digitPrefixCover(range(1, 105), [106, 107]).prefixes).toEqual(
      expect.arrayContaining(['100', '105', '11', '19', '2', '9']),
    );
    expect(digitPrefixCover(range(1, 105), [106, 107]).uncovered).toEqual([1, 10]);
  });
});

describe('the policy', () => {
  it('gives each fixed URL its tier, with the base path', () => {
    const input = index(36, { unavailable: [1], basePath: '/gonka-models/' });
    const expected: Array<[string, CacheTier | null]> = [
      ['/gonka-models/', 'live'],
      ['/gonka-models/epochs/', 'live'],
      ['/gonka-models/epochs/36/', 'live'],
      ['/gonka-models/v1/models/current.json', 'live'],
      ['/gonka-models/v1/models/epochs.json', 'live'],
      ['/gonka-models/v1/models/epochs/36.json', 'live'],
      ['/gonka-models/v1/models/epochs/36.csv', 'live'],
      ['/gonka-models/v1/models/epochs/36.hosts.csv', 'live'],
      ['/gonka-models/models/', 'live'],
      ['/gonka-models/models/Qwen/QwQ-32B/', 'live'],
      ['/gonka-models/search/', 'live'],
      ['/gonka-models/favicon.svg', 'asset'],
      ['/gonka-models/_astro/client.Cd-EeyjT.js', 'immutable'],
      ['/gonka-models/pagefind/fragment/en_11fdefe.pf_fragment', 'immutable'],
      ['/gonka-models/pagefind/index/en_dfa81c5.pf_index', 'immutable'],
      ['/gonka-models/pagefind/pagefind.en_9534698a59.pf_meta', 'immutable'],
      ['/gonka-models/pagefind/pagefind.js', null],
      ['/gonka-models/pagefind/pagefind-entry.json', null],
      ['/gonka-models/v1/models/Qwen/QwQ-32B.json', null],
      ['/gonka-models/v1/models/epochs/20.json', 'settledData'],
      ['/gonka-models/v1/models/epochs/20.hosts.csv', 'settledData'],
      ['/gonka-models/v1/models/epochs/37.hosts.csv', null],
      ['/gonka-models/epochs/20/', 'settledPage'],
      ['/gonka-models/epochs/range/0-99/', 'live'],
      // Outside the base path nothing matches.
      ['/epochs/20/', null],
      ['/_astro/client.Cd-EeyjT.js', null],
    ];
    for (const host of hosts) {
      for (const [url, tier] of expected) expect(tierOf(input, url, host), `${host} ${url}`).toBe(tier);
    }
  });

  it('never matches a URL twice, never gives the current or next epoch a long rule, and covers finished epochs', () => {
    const cases: CachePolicyInput[] = [];
    // Every current epoch up to 120, then the digit boundaries, where the covers change shape.
    for (let current = 3; current <= 120; current++) cases.push(index(current, { unavailable: [1] }));
    for (const current of [189, 198, 199, 200, 201, 209, 210, 998, 999, 1000, 1001, 1099, 1100, 2024]) {
      cases.push(index(current, { first: current > 300 ? current - 250 : 1, unavailable: [current > 300 ? current - 250 : 1, current - 3] }));
    }
    for (const input of cases) {
      const rules = parseHeadersFile(renderHeadersFile(input));
      const { omitted } = cacheRules(input);
      const c = input.currentEpoch;
      const unavailable = new Set(input.epochs.filter((e) => !e.available).map((e) => e.epoch_id));
      for (const host of hosts) {
        const tier = (url: string): CacheTier | null => {
          const hits = matchingRules(rules, url, host);
          expect(hits.length, `${host} C=${c} ${url}: ${hits.map((r) => r.path).join(', ')}`).toBeLessThanOrEqual(1);
          const value = hits[0]?.headers['cache-control'];
          return (Object.entries(CACHE_CONTROL).find(([, v]) => v === value)?.[0] as CacheTier | undefined) ?? null;
        };
        for (let n = input.epochs[0]!.epoch_id; n <= c + 12; n++) {
          const page = tier(`/epochs/${n}/`);
          const json = tier(`/v1/models/epochs/${n}.json`);
          const csv = tier(`/v1/models/epochs/${n}.csv`);
          // The per-epoch hosts CSV sits beside the JSON and gets the same rule.
          const hostsCsv = tier(`/v1/models/epochs/${n}.hosts.csv`);
          expect(hostsCsv, `${host} C=${c} hosts.csv ${n}`).toBe(json);
          const blocked = [c, c + 1].some((x) => String(x).startsWith(String(n)));
          if (n === c) {
            expect([page, json, csv], `C=${c}`).toEqual(['live', 'live', 'live']);
          } else if (n === c + 1) {
            expect([page, json, csv], `next epoch of C=${c}`).toEqual([null, null, null]);
          } else if (n < c) {
            const pageBlocked = blocked || omitted.includes('settledPage');
            expect(page, `${host} C=${c} page ${n}`).toBe(pageBlocked ? null : 'settledPage');
            const dataBlocked =
              blocked || omitted.includes('settledData') || [...unavailable].some((x) => String(x).startsWith(String(n)));
            expect(json, `${host} C=${c} json ${n}`).toBe(dataBlocked ? null : 'settledData');
            expect(csv).toBe(json);
          } else {
            // Further ahead: no rule may be live or immutable; a long rule on a 404 that far ahead is accepted.
            for (const t of [page, json, csv]) expect([null, 'settledPage', 'settledData']).toContain(t);
          }
        }
      }
    }
  });

  it('stays within Cloudflare\'s limits, dropping whole finished-epoch groups when needed', () => {
    let someOmitted = false;
    // Every current epoch up to 1100, then every 7th and the hundreds' boundaries up to 3000.
    const currents = [...range(3, 1100), ...range(1101, 3000).filter((c) => c % 7 === 0 || [98, 99, 0, 1].includes(c % 100))];
    for (const current of currents) {
      const input = index(current, { unavailable: [1] });
      const { rules, omitted } = cacheRules(input);
      expect(rules.length).toBeLessThanOrEqual(MAX_RULES);
      // Up to epoch 998 (years of mainnet at one epoch a day) nothing is left out.
      if (current <= 998) expect(omitted, `C=${current}`).toEqual([]);
      someOmitted ||= omitted.length > 0;
      if (omitted.length || current % 97 === 0) {
        const text = renderHeadersFile(input);
        expect(parseHeadersFile(text).length).toBe(rules.length);
        expect(text.split('\n').every((l) => l.length <= 2000)).toBe(true);
        for (const tier of omitted) expect(text).toContain(`Left out to stay within ${MAX_RULES} rules: the ${tier} rules`);
      }
    }
    expect(someOmitted, 'the limit is reached somewhere below epoch 3000').toBe(true);
    // A limit too small for both groups keeps the data rules and drops the page rules first.
    const input = index(36, { unavailable: [1] });
    const all = cacheRules(input, 1000).rules;
    const withoutPages = all.filter((r) => r.tier !== 'settledPage').length;
    const small = cacheRules(input, withoutPages);
    expect(small.omitted).toEqual(['settledPage']);
    expect(small.rules.length).toBe(withoutPages);
    expect(cacheRules(input, withoutPages - 1).omitted).toEqual(['settledData', 'settledPage']);
  });

  it('keeps the file small and readable', () => {
    const text = renderHeadersFile(index(36, { unavailable: [1], basePath: '/gonka-models/' }));
    expect(text).toMatch(/^# Cache-Control for Netlify and Cloudflare Pages/);
    expect(text).toContain('/gonka-models/v1/models/epochs/2*\n  Cache-Control: public, max-age=2592000, stale-while-revalidate=31536000');
    expect(text).toContain('/gonka-models/epochs/2*\n  Cache-Control: public, max-age=604800, stale-while-revalidate=31536000');
    expect(text).toContain('/gonka-models/epochs/range/*\n  Cache-Control: public, max-age=60');
    expect(text.endsWith('\n')).toBe(true);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
