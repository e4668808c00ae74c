/**
 * Every URL the site builds, in one place: base-path aware page, JSON and CSV
 * paths, Hugging Face links and host dashboard links. Pure (no Node APIs, no
 * environment), so the pages and the island produce the same hrefs. Model pages
 * are addressed by their slug (src/site/slugs.ts decides it at build time); the
 * island never computes one: it takes each model's URLs from the data it renders.
 */

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

/** A model's path below `/models/` as src/site/slugs.ts decides it; never a raw id (the type keeps them apart). */
export type ModelSlug = string & { readonly __modelSlug: unique symbol };

/** A slug with every segment percent-encoded, ready to put in a URL. */
export function encodeSlug(slug: ModelSlug): string {
  return slug.split('/').map(encodeURIComponent).join('/');
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
  /** `/epochs/range/<start>-<end>/`: one block of the epochs list (src/views/ranges.ts). */
  epochRange(start: number, end: number): string;
  /** `/models/`: every model. */
  models(): string;
  /** One model's page, by its slug (the path below `/models/`, not encoded). */
  model(slug: ModelSlug): string;
  /** `/models/<slug>/epochs/<start>-<end>/`: one block of a model's epochs table. */
  modelRange(slug: ModelSlug, start: number, end: number): string;
  /** The search page, optionally with a query. */
  search(query?: string): string;
  /** `/v1/models/current.json`. */
  currentJson(): string;
  /** `/v1/models/epochs.json`. */
  epochsJson(): string;
  /** `/v1/models/epochs/`: the folder of every epoch's files (for cache rules). */
  epochFiles(): string;
  /** `/v1/models/epochs/<N>.json`. */
  epochJson(epochId: number): string;
  /** `/v1/models/epochs/<N>.csv`: the epoch's models table as CSV. */
  epochCsv(epochId: number): string;
  /** `/v1/models/epochs/<N>.hosts.csv`: every host of every model in the epoch as CSV. */
  epochHostsCsv(epochId: number): string;
  /** `/v1/models/schema.json`: the JSON Schema of an epoch snapshot. */
  schemaJson(): string;
  /** `/v1/models/<slug>.json`. */
  modelJson(slug: ModelSlug): string;
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
    epochRange: (start, end) => at(`epochs/range/${epochSegment(start)}-${epochSegment(end)}/`),
    models: () => at('models/'),
    model: (slug) => at(`models/${encodeSlug(slug)}/`),
    modelRange: (slug, start, end) => at(`models/${encodeSlug(slug)}/epochs/${epochSegment(start)}-${epochSegment(end)}/`),
    search: (query) => at(query ? `search/?q=${encodeURIComponent(query)}` : 'search/'),
    currentJson: () => at('v1/models/current.json'),
    epochsJson: () => at('v1/models/epochs.json'),
    epochFiles: () => at('v1/models/epochs/'),
    epochJson: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.json`),
    epochCsv: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.csv`),
    epochHostsCsv: (epochId) => at(`v1/models/epochs/${epochSegment(epochId)}.hosts.csv`),
    schemaJson: () => at('v1/models/schema.json'),
    modelJson: (slug) => at(`v1/models/${encodeSlug(slug)}.json`),
    file: (relative) => at(relative.replace(/^\/+/, '')),
  };
}
