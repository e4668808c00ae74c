/**
 * Model slugs: the path of a model's page below `/models/` and of its JSON below
 * `/v1/models/`, decided once per build from every model id (src/site/load.ts).
 *
 * Model ids are untrusted chain strings that contain `/`. A slug is the id itself
 * when every segment is a safe file name and no older id has the same path
 * ignoring case, otherwise `_/<16 hex of sha256(id)>`. The slug is what becomes a
 * directory in `dist/`; links carry it percent-encoded (src/display/paths.ts).
 * Build time only: the island takes each model's URLs from the data.
 */
import { createHash } from 'node:crypto';
import type { ModelSlug } from '../display/paths.ts';

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
 * the build writes itself (`index.html`, `<x>.json` directories beside `x.json`, a
 * non-final `epochs` under which another model's epoch blocks live).
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
    // `/models/<slug>/epochs/<start>-<end>/` are a model's own pages: no id may reach into them.
    if (i < segments.length - 1 && seg.toLowerCase() === 'epochs') return false;
    if (i < segments.length - 1 && seg.toLowerCase().endsWith('.json')) return false;
    return encoder.encode(seg).length <= MAX_SEGMENT_BYTES;
  });
}

const fallbackSlug = (id: string) => `${FALLBACK_PREFIX}/${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16)}` as ModelSlug;

/** The slug of one id on its own: the id when it is safe as a path, else the fallback. */
export function plainSlug(id: string): ModelSlug {
  return isSafeModelId(id) ? (id as ModelSlug) : fallbackSlug(id);
}

/**
 * Every model's slug. Pass the ids oldest first: an id whose slug equals an
 * earlier one's ignoring case (one folder on case-insensitive file systems and
 * CDNs) gets the fallback, so a newly proposed look-alike can never take over an
 * existing model's URL.
 */
export function modelSlugs(idsOldestFirst: readonly string[]): Map<string, ModelSlug> {
  const taken = new Set<string>();
  const out = new Map<string, ModelSlug>();
  for (const id of idsOldestFirst) {
    let slug = plainSlug(id);
    if (taken.has(slug.toLowerCase())) slug = fallbackSlug(id);
    taken.add(slug.toLowerCase());
    out.set(id, slug);
  }
  return out;
}
