/** URL building (src/display/paths.ts) and model slugs (src/site/slugs.ts). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUrls, encodeSlug, hfCommitUrl, hfRepoUrl, hostUrl, normaliseBasePath } from '../../src/display/paths.ts';
import { isSafeModelId, modelSlugs, plainSlug as modelSlug } from '../../src/site/slugs.ts';

const nodeSha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const encodedModelSlug = (id: string) => encodeSlug(modelSlug(id));

describe('model slugs', () => {
  it('keeps safe ids verbatim, including ones that need percent-encoding in links', () => {
    for (const id of ['Qwen/Qwen3-32B-FP8', 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16', 'single', 'a/b/c', 'odd id/with spaces & "<b>"', 'x.json', 'a/epochs']) {
      expect(isSafeModelId(id), id).toBe(true);
      expect(modelSlug(id)).toBe(id);
    }
    expect(encodedModelSlug('Qwen/Qwen3-32B-FP8')).toBe('Qwen/Qwen3-32B-FP8');
    expect(encodedModelSlug('odd id/with spaces & "<b>"')).toBe('odd%20id/with%20spaces%20%26%20%22%3Cb%3E%22');
  });

  it('maps unsafe ids to _/<16 hex of sha256(id)>', () => {
    const unsafe = [
      '', '/lead', 'trail/', 'a//b', '.', '..', '../../etc/passwd', 'a/./b', 'a/../b',
      'nul\u0000byte', 'tab\there', 'del\u007f', 'c1\u0085', 'back\\slash', 'q?x', 'h#x', 'p%2e',
      'e\u0301', // not NFC: Astro would write it under another name
      '_/3754d6cb3a38e118', 'epochs/5', 'epochs/106.hosts', 'epochs', 'current', 'schema', 'a/index.html', 'a.json/b', 'A.JSON/b', 'Qwen/Qwen3-32B-FP8/epochs/0-99', 'a/Epochs/b',
      'x'.repeat(201), 'x/'.repeat(300),
    ];
    for (const id of unsafe) {
      expect(isSafeModelId(id), JSON.stringify(id)).toBe(false);
      expect(modelSlug(id)).toBe(`_/${nodeSha(id).slice(0, 16)}`);
    }
  });

  it('never yields a slug with a traversal or empty segment', () => {
    for (const id of ['../x', 'a/..', '..', 'a//b', '/', '\\..\\x']) {
      for (const seg of modelSlug(id).split('/')) expect(['', '.', '..']).not.toContain(seg);
    }
  });
});

describe('normaliseBasePath', () => {
  it('normalises to /…/', () => {
    expect(normaliseBasePath(undefined)).toBe('/');
    expect(normaliseBasePath('')).toBe('/');
    expect(normaliseBasePath('/')).toBe('/');
    expect(normaliseBasePath('repo')).toBe('/repo/');
    expect(normaliseBasePath('/a//b')).toBe('/a/b/');
  });
  it('rejects anything but plain segments', () => {
    for (const bad of ['/../x', '/a b/', '/%2e/', '/a?b', 'https://x.y/']) expect(() => normaliseBasePath(bad), bad).toThrow();
  });
});

describe('createUrls', () => {
  const urls = createUrls('/sub/');
  it('prefixes every URL with the base path', () => {
    expect(urls.home()).toBe('/sub/');
    expect(urls.epochs()).toBe('/sub/epochs/');
    expect(urls.epoch(105)).toBe('/sub/epochs/105/');
    expect(urls.epoch(105, 106)).toBe('/sub/epochs/105/');
    expect(urls.epoch(106, 106)).toBe('/sub/');
    expect(urls.epochRange(100, 199)).toBe('/sub/epochs/range/100-199/');
    expect(urls.models()).toBe('/sub/models/');
    expect(urls.modelRange(modelSlug('Qwen/Qwen3-32B-FP8'), 0, 99)).toBe('/sub/models/Qwen/Qwen3-32B-FP8/epochs/0-99/');
    expect(urls.model(modelSlug('Qwen/Qwen3-32B-FP8'))).toBe('/sub/models/Qwen/Qwen3-32B-FP8/');
    expect(urls.model(modelSlug('../../etc/passwd'))).toMatch(/^\/sub\/models\/_\/[0-9a-f]{16}\/$/);
    expect(urls.model(modelSlug('odd id/with spaces & "<b>"'))).toBe('/sub/models/odd%20id/with%20spaces%20%26%20%22%3Cb%3E%22/');
    expect(urls.modelJson(modelSlug('Qwen/Qwen3-32B-FP8'))).toBe('/sub/v1/models/Qwen/Qwen3-32B-FP8.json');
    expect(urls.currentJson()).toBe('/sub/v1/models/current.json');
    expect(urls.epochsJson()).toBe('/sub/v1/models/epochs.json');
    expect(urls.epochJson(7)).toBe('/sub/v1/models/epochs/7.json');
    expect(urls.epochCsv(7)).toBe('/sub/v1/models/epochs/7.csv');
    expect(urls.epochHostsCsv(7)).toBe('/sub/v1/models/epochs/7.hosts.csv');
    expect(urls.schemaJson()).toBe('/sub/v1/models/schema.json');
    expect(urls.search('a b&c')).toBe('/sub/search/?q=a%20b%26c');
    expect(urls.file('/pagefind/pagefind.js')).toBe('/sub/pagefind/pagefind.js');
  });
  it('refuses non-integer epoch ids', () => {
    expect(() => urls.epoch(1.5)).toThrow();
    expect(() => urls.epochJson(-1)).toThrow();
    expect(() => urls.epochHostsCsv(Number.NaN)).toThrow();
  });
});

describe('Hugging Face links', () => {
  it('links only owner/name repos and 40-hex commits', () => {
    expect(hfRepoUrl('Qwen/Qwen3-32B-FP8')).toBe('https://huggingface.co/Qwen/Qwen3-32B-FP8');
    for (const bad of [null, '', 'Qwen', 'a/b/c', '-a/b', 'a/.b', 'javascript:alert(1)//evil/x', 'https://evil.example/x', 'a/b c', 'a/b\n']) {
      expect(hfRepoUrl(bad), JSON.stringify(bad)).toBeNull();
    }
    const sha = 'aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df';
    expect(hfCommitUrl('Qwen/Qwen3-32B-FP8', sha)).toBe(`https://huggingface.co/Qwen/Qwen3-32B-FP8/tree/${sha}`);
    expect(hfCommitUrl('Qwen/Qwen3-32B-FP8', 'main')).toBeNull();
    expect(hfCommitUrl('Qwen/Qwen3-32B-FP8', sha.slice(1))).toBeNull();
    expect(hfCommitUrl('Qwen/Qwen3-32B-FP8', '../../../../etc')).toBeNull();
    expect(hfCommitUrl('not a repo', sha)).toBeNull();
  });
});

describe('host links', () => {
  const template = 'https://tracker.example/?participant={address}';
  it('fills {address} with the percent-encoded address', () => {
    expect(hostUrl(template, 'gonka1abc')).toBe('https://tracker.example/?participant=gonka1abc');
    expect(hostUrl('https://t.example/hosts/{address}/view?a={address}', 'x/y')).toBe('https://t.example/hosts/x%2Fy/view?a=x%2Fy');
    expect(hostUrl(template, '"><script>alert(1)</script>&x=1#f')).toBe(
      'https://tracker.example/?participant=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%26x%3D1%23f',
    );
    expect(hostUrl(template, '../../admin')).toBe('https://tracker.example/?participant=..%2F..%2Fadmin');
  });
  it('makes no link without a template, an address or an http(s) result', () => {
    expect(hostUrl(undefined, 'gonka1abc')).toBeNull();
    expect(hostUrl('', 'gonka1abc')).toBeNull();
    expect(hostUrl(template, '')).toBeNull();
    expect(hostUrl('https://tracker.example/', 'gonka1abc')).toBeNull();
    expect(hostUrl('javascript:alert("{address}")', 'x')).toBeNull();
    expect(hostUrl('{address}', 'https://evil.example/')).toBeNull();
  });
});

describe('case-safe slugs', () => {
  it('moves a later id that equals an older one ignoring case to a fallback slug, and no other', () => {
    const ids = ['Qwen/Qwen3-32B-FP8', 'acme/Model', 'QWEN/qwen3-32b-fp8', 'Acme/model', 'other/Thing'];
    const slugs = modelSlugs(ids);
    const moved = ids.filter((id) => slugs.get(id) !== id);
    expect(moved.sort()).toEqual(['Acme/model', 'QWEN/qwen3-32b-fp8']);
    for (const id of moved) expect(slugs.get(id)).toBe(`_/${nodeSha(id).slice(0, 16)}`);
    expect(new Set([...slugs.values()].map((s) => s.toLowerCase())).size).toBe(5);
    // The order decides: listed the other way round, the older spelling keeps its page.
    expect(modelSlugs(['QWEN/qwen3-32b-fp8', 'Qwen/Qwen3-32B-FP8']).get('QWEN/qwen3-32b-fp8')).toBe('QWEN/qwen3-32b-fp8');
  });
});
