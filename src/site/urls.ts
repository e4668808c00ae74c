/**
 * Every URL the site builds, in one place: base-path aware page and JSON URLs,
 * model slugs, and Hugging Face links. Pure (no Node APIs, no environment), so the
 * island shares it with the pages and both produce the same hrefs.
 *
 * Model ids are untrusted chain strings that contain `/`. A model's slug is its
 * path below `/models/` and `/v1/models/`: the id itself when every segment is a
 * safe file name, otherwise `_/<sha256 prefix>`. The slug is what becomes a
 * directory in `dist/`; links carry it with every segment percent-encoded.
 */
import { sha256Hex } from './sha256.ts';

/** First slug segment reserved for fallback slugs, so no real id can take one. */
const FALLBACK_PREFIX = '_';
/** Longest slug segment in UTF-8 bytes: file systems stop at 255 per name. */
const MAX_SEGMENT_BYTES = 200;
/** Longest id used verbatim; longer ids hash (paths have limits too). */
const MAX_ID_LENGTH = 512;
/** Ids whose `/v1/models/<id>.json` is one of the site's own files. */
const RESERVED_IDS = new Set(['current', 'schema']);

// C0 and C1 controls (NUL included), DEL, the backslash (a separator on Windows), and
// `?`, `#`, `%`: Astro writes `?`/`#` into file names as `%3F`/`%23`, and a literal `%`
// gets decoded twice by some servers, so a link could no longer find its file.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\\?#%]/;

/**
 * Whether `id` can be used verbatim as a slug: no empty, `.` or `..` segment, no
 * control character, backslash, `?`, `#` or `%`, NFC-normalised, and no segment that would collide with a file
 * the build writes itself (`index.html`, `<x>.json` directories beside `x.json`).
 */
export function isSafeModelId(id: string): boolean {
  if (id.length === 0 || id.length > MAX_ID_LENGTH || UNSAFE_CHARS.test(id)) return false;
  // Astro NFC-normalises route params; a non-NFC id would be written under another name than its link.
  if (id.normalize('NFC') !== id) return false;
  const segments = id.split('/');
  const first = segments[0]!;
  // `/v1/models/current.json`, `/v1/models/schema.json`, `/v1/models/epochs.json` and
  // `/v1/models/epochs/<N>.json|csv|hosts.csv` are ours.
  if (first === FALLBACK_PREFIX || first === 'epochs' || RESERVED_IDS.has(id)) return false;
  const encoder = new TextEncoder();
  return segments.every((seg, i) => {
    if (seg === '' || seg === '.' || seg === '..') return false;
    if (seg.toLowerCase() === 'index.html') return false;
    if (i < segments.length - 1 && seg.toLowerCase().endsWith('.json')) return false;
    return encoder.encode(seg).length <= MAX_SEGMENT_BYTES;
  });
}

const fallbackSlug = (id: string) => `${FALLBACK_PREFIX}/${sha256Hex(id).slice(0, 16)}`;

/**
 * Ids that must not use their own slug because an older id's page has the same
 * path ignoring case (one folder on case-insensitive file systems and CDNs).
 * Set from all ids at build time, and from the island's props in the browser.
 */
const caseOverrides = new Map<string, string>();

/**
 * The fallback slug for every id whose slug equals, ignoring case, the slug of an
 * id listed before it; pass every id, oldest first, so a newly proposed look-alike
 * can never take over an existing model's URL.
 */
export function caseSafeSlugOverrides(idsOldestFirst: readonly string[]): Record<string, string> {
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  for (const id of idsOldestFirst) {
    const key = (isSafeModelId(id) ? id : fallbackSlug(id)).toLowerCase();
    if (taken.has(key)) out[id] = fallbackSlug(id);
    else taken.add(key);
  }
  return out;
}

/** Installs the overrides from `caseSafeSlugOverrides` for `modelSlug` to use. */
export function setSlugOverrides(overrides: Readonly<Record<string, string>>): void {
  caseOverrides.clear();
  for (const [id, slug] of Object.entries(overrides)) caseOverrides.set(id, slug);
}

/** The model's path below `/models/` (not encoded): the id when safe and unique ignoring case, else `_/<16 hex of sha256(id)>`. */
export function modelSlug(id: string): string {
  return caseOverrides.get(id) ?? (isSafeModelId(id) ? id : fallbackSlug(id));
}

/** The slug with every segment percent-encoded, ready to put in a URL. */
export function encodedModelSlug(id: string): string {
  return modelSlug(id).split('/').map(encodeURIComponent).join('/');
}

/** Normalises `BASE_PATH` to `/` or `/a/b/`; throws on anything but plain path segments. */
export function normaliseBasePath(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim();
  const segments = trimmed.split('/').filter(Boolean);
  for (const seg of segments) {
    if (!/^[A-Za-z0-9._~-]+$/.test(seg) || seg === '.' || seg === '..') {
      throw new Error(`expected a path like /repo-name/, got segment ${JSON.stringify(seg)}`);
    }
  }
  return segments.length ? `/${segments.join('/')}/` : '/';
}

const HF_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HF_COMMIT = /^[0-9a-f]{40}$/i;

/** `https://huggingface.co/<owner>/<name>` when `repo` has exactly that shape, else null. */
export function hfRepoUrl(repo: string | null | undefined): string | null {
  return repo && HF_REPO.test(repo) ? `https://huggingface.co/${repo}` : null;
}

/** The repo tree at `commit` when the repo has the HF shape and the commit is 40 hex, else null. */
export function hfCommitUrl(repo: string | null | undefined, commit: string | null | undefined): string | null {
  const base = hfRepoUrl(repo);
  return base && commit && HF_COMMIT.test(commit) ? `${base}/tree/${commit.toLowerCase()}` : null;
}

/** The placeholder `HOST_URL_TEMPLATE` must contain. */
export const HOST_URL_PLACEHOLDER = '{address}';

/**
 * A host's dashboard link: `template` with every `{address}` replaced by the
 * percent-encoded address, or null when there is no template or the result is not
 * an http(s) URL. Addresses are untrusted chain strings, so nothing else of them
 * reaches the URL.
 */
export function hostUrl(template: string | null | undefined, address: string): string | null {
  if (!template || !template.includes(HOST_URL_PLACEHOLDER) || address === '') return null;
  const raw = template.split(HOST_URL_PLACEHOLDER).join(encodeURIComponent(address));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** Base-path aware URL builder; every internal link and fetch goes through one of these. */
export interface SiteUrls {
  /** The base path, `/` or `/sub/`. */
  readonly base: string;
  /** `/`: the current epoch. */
  home(): string;
  /** `/epochs/`: every epoch. */
  epochs(): string;
  /** One epoch's page; the current epoch links to `/` when `currentEpoch` is given. */
  epoch(epochId: number, currentEpoch?: number): string;
  /** `/models/`: every model. */
  models(): string;
  /** One model's page. */
  model(id: string): string;
  /** The search page, optionally with a query. */
  search(query?: string): string;
  /** `/v1/models/current.json`. */
  currentJson(): string;
  /** `/v1/models/epochs.json`. */
  epochsJson(): string;
  /** `/v1/models/epochs/<N>.json`. */
  epochJson(epochId: number): string;
  /** `/v1/models/epochs/<N>.csv`: the epoch's models table as CSV. */
  epochCsv(epochId: number): string;
  /** `/v1/models/epochs/<N>.hosts.csv`: every host of every model in the epoch as CSV. */
  epochHostsCsv(epochId: number): string;
  /** `/v1/models/schema.json`: the JSON Schema of an epoch snapshot. */
  schemaJson(): string;
  /** `/v1/models/<model id>.json`. */
  modelJson(id: string): string;
  /** A file below the base path, e.g. `pagefind/pagefind.js`. */
  file(relative: string): string;
}

/** Builds the URL helpers for a base path (normalised first). */
export function createUrls(basePath: string): SiteUrls {
  const base = normaliseBasePath(basePath);
  const at = (rel: string) => `${base}${rel}`;
  const epochSegment = (epochId: number) => {
    // Epoch ids come from validated snapshots, but this keeps a bad caller from building odd paths.
    if (!Number.isSafeInteger(epochId) || epochId < 0) throw new Error(`bad epoch id ${epochId}`);
    return String(epochId);
  };
  return {
    base,
    home: () => base,
    epochs: () => at('epochs/'),
    epoch: (epochId, currentEpoch) => (epochId === currentEpoch ? base : at(`epochs/${epochSegment(epochId)}/`)),
    models: () => at('models/'),
    model: (id) => at(`models/${encodedModelSlug(id)}/`),
    search: (query) => at(query ? `search/?q=${encodeURIComponent(query)}` : 'search/'),
    currentJson: () => at('v1/models/current.json'),
    epochsJson: () => at('v1/models/epochs.json'),
    epochJson: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.json`),
    epochCsv: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.csv`),
    epochHostsCsv: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.hosts.csv`),
    schemaJson: () => at('v1/models/schema.json'),
    modelJson: (id) => at(`v1/models/${encodedModelSlug(id)}.json`),
    file: (relative) => at(relative.replace(/^\/+/, '')),
  };
}
