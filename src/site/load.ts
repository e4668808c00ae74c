/**
 * Reads the data step's snapshots once per build, validates them against the
 * snapshot schema, and derives the views the pages need (epochs, the home epoch,
 * every model across epochs). Pages and endpoints read data only through here,
 * never the chain. A bad file fails the build with its path and the field path.
 */
import { compareIds } from '../snapshot/order.ts';
import fs from 'node:fs';
import { missingUsageReason } from '../ui/Missing.tsx';
import path from 'node:path';
import { z } from 'zod';
import {
  epochIndexSchema,
  epochSnapshotSchema,
  type EpochIndex,
  type EpochIndexEntry,
  type EpochSnapshot,
  type ModelRow,
} from '../snapshot/schema.ts';
import type { EpochDiff } from '../views/diffs.ts';
import { siteConfig } from './settings.ts';
import {
  buildEpochDiffs,
  buildTimeline,
  registryRemoval,
  summariseModel,
  type ModelSummary,
  type RegistryRemoval,
  type TimelineEpoch,
} from '../views/history.ts';
import { createUrls, type ModelSlug, type SiteUrls } from '../display/paths.ts';
import { modelSlugs } from './slugs.ts';

/** Thrown for a missing, unreadable, invalid or inconsistent snapshot; names the file. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** One epoch in which a model was listed, with the row the snapshot gave it. */
export interface ModelEpoch {
  epochId: number;
  isCurrent: boolean;
  height: number;
  /** Usage window start (ISO), null when usage is unavailable. */
  windowStart: string | null;
  windowEnd: string | null;
  usageUnavailable: string | null;
  /** Why this row's null usage figures are null (also for classic-only epochs, where `usageUnavailable` is null). */
  usageMissing: string | null;
  row: ModelRow;
}

/** A model across every available epoch that lists it. */
export interface ModelHistory {
  id: string;
  /** Path below `/models/` (src/site/slugs.ts). */
  slug: ModelSlug;
  /** Its page and its JSON, base path included. */
  pageUrl: string;
  jsonUrl: string;
  /** Newest first. */
  epochs: ModelEpoch[];
  /** The newest row. */
  latest: ModelRow;
  /** The newest row that came from the registry (falls back to `latest`): the model's parameters. */
  details: ModelRow;
  /** Epoch the details row comes from. */
  detailsEpoch: number;
  firstEpoch: number;
  lastEpoch: number;
  /** Hosted span, peak weight and parameter history (src/views/history.ts). */
  summary: ModelSummary;
  /** When it left the registry, if it is not in it now (src/views/history.ts `registryRemoval`). */
  removal: RegistryRemoval | null;
}

/** What `/` and `current.json` show: the current epoch, or the newest available one if it is not. */
export interface HomeView {
  snapshot: EpochSnapshot;
  /** Set when the current epoch has no snapshot and an older one stands in. */
  notice: string | null;
}

export interface SiteData {
  dataDir: string;
  index: EpochIndex;
  /** Every epoch in the index, ascending. */
  epochs: EpochIndexEntry[];
  /** Available epochs' snapshots by epoch id. */
  snapshots: Map<number, EpochSnapshot>;
  /** Every epoch of the index, ascending, with dates and snapshots: the time axis of the charts. */
  timeline: TimelineEpoch[];
  /** Each available epoch's changes against the previous epoch with data (none for the oldest). */
  diffs: Map<number, EpochDiff>;
  /** The chain's current epoch (from the index). */
  currentEpoch: number;
  home: HomeView;
  /** Every model ever listed: newest epoch first, then by effective weight there (descending, unknown last), raw weight, id. */
  models: ModelHistory[];
  modelsById: Map<string, ModelHistory>;
  /** True when the data comes from the bundled sample chain (pages show a badge). */
  isSample: boolean;
  /** Every model's page and JSON URL by id (the only way the site links to a model). */
  links: ModelLinks;
}

/** A model's page and JSON URLs, base path included. */
export interface ModelLinks {
  page(id: string): string;
  json(id: string): string;
}

/** A path as shown in messages: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const name = shown(file);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SnapshotError(`${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Run \`npm run data\` first, or set GONKA_DATA_DIR.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new SnapshotError(`${name}: not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    // zod's own report (each issue, then "→ at models[2].total_weight"), the first five issues.
    const first = z.prettifyError(new z.ZodError(result.error.issues.slice(0, 5)));
    const more = result.error.issues.length > 5 ? `\n…and ${result.error.issues.length - 5} more` : '';
    throw new SnapshotError(`${name}: does not match the snapshot schema\n${first}${more}`);
  }
  return result.data;
}

function buildModels(snapshots: EpochSnapshot[], urls: SiteUrls): ModelHistory[] {
  const byId = new Map<string, ModelEpoch[]>();
  const available = snapshots.map((s) => s.epoch_id);
  // Newest epoch first so each history's epochs come out newest first.
  for (const snap of [...snapshots].sort((a, b) => b.epoch_id - a.epoch_id)) {
    for (const row of snap.models) {
      const list = byId.get(row.id) ?? [];
      list.push({
        epochId: snap.epoch_id,
        isCurrent: snap.is_current,
        height: snap.height,
        windowStart: snap.window?.start_time ?? null,
        windowEnd: snap.window?.end_time ?? null,
        usageUnavailable: snap.usage_unavailable,
        usageMissing: missingUsageReason(snap.usage_unavailable, snap.usage_scope),
        row,
      });
      byId.set(row.id, list);
    }
  }
  // Oldest model first, so an id that looks like an existing one ignoring case cannot take its URL.
  const firstSeen = (epochs: ModelEpoch[]) => epochs[epochs.length - 1]!.epochId;
  const oldestFirst = [...byId.entries()]
    .sort(([a, ea], [b, eb]) => firstSeen(ea) - firstSeen(eb) || compareIds(a, b))
    .map(([id]) => id);
  const slugs = modelSlugs(oldestFirst);
  const slugOwner = new Map<string, string>();
  const models: ModelHistory[] = [];
  for (const [id, epochs] of byId) {
    const slug = slugs.get(id)!;
    const other = slugOwner.get(slug);
    if (other !== undefined) {
      // Only reachable through a sha256-prefix collision; refuse rather than overwrite a page.
      throw new SnapshotError(`model ids ${JSON.stringify(other)} and ${JSON.stringify(id)} map to the same page ${slug}`);
    }
    slugOwner.set(slug, id);
    const detailsEntry = epochs.find((e) => e.row.in_registry) ?? epochs[0]!;
    models.push({
      id,
      slug,
      pageUrl: urls.model(slug),
      jsonUrl: urls.modelJson(slug),
      epochs,
      latest: epochs[0]!.row,
      details: detailsEntry.row,
      detailsEpoch: detailsEntry.epochId,
      firstEpoch: epochs[epochs.length - 1]!.epochId,
      lastEpoch: epochs[0]!.epochId,
      summary: summariseModel(id, epochs, snapshots),
      removal: registryRemoval(epochs, available),
    });
  }
  // Effective weight first (it compares across models; unknown after known), then raw weight.
  const effective = (m: ModelHistory) => m.latest.effective_weight ?? -1;
  models.sort(
    (a, b) =>
      b.lastEpoch - a.lastEpoch ||
      effective(b) - effective(a) ||
      b.latest.total_weight - a.latest.total_weight ||
      compareIds(a.id, b.id),
  );
  return models;
}

/** Reads and checks every snapshot under `dataDir` for a site at `basePath`; prefer the memoised `loadSite()`. */
export function readSiteData(dataDir: string, basePath = '/'): SiteData {
  const urls = createUrls(basePath);
  const index = readJson(path.join(dataDir, 'index.json'), epochIndexSchema);
  const indexFile = shown(path.join(dataDir, 'index.json'));
  const epochs = [...index.epochs].sort((a, b) => a.epoch_id - b.epoch_id);
  for (let i = 1; i < epochs.length; i++) {
    if (epochs[i]!.epoch_id === epochs[i - 1]!.epoch_id) {
      throw new SnapshotError(`${indexFile}: epoch ${epochs[i]!.epoch_id} is listed twice`);
    }
  }
  const snapshots = new Map<number, EpochSnapshot>();
  for (const entry of epochs) {
    if (!entry.available) continue;
    // `file` is schema-checked as `epochs/<digits>.json`, so it cannot leave the data folder.
    const snap = readJson(path.join(dataDir, entry.file), epochSnapshotSchema);
    if (snap.epoch_id !== entry.epoch_id) {
      throw new SnapshotError(`${shown(path.join(dataDir, entry.file))}: epoch_id is ${snap.epoch_id} but ${indexFile} lists it as epoch ${entry.epoch_id}`);
    }
    const seen = new Set<string>();
    snap.models.forEach((row, i) => {
      if (seen.has(row.id)) {
        throw new SnapshotError(`${shown(path.join(dataDir, entry.file))}: models[${i}].id ${JSON.stringify(row.id)} appears twice`);
      }
      seen.add(row.id);
    });
    snapshots.set(entry.epoch_id, snap);
  }
  if (snapshots.size === 0) {
    throw new SnapshotError(`${indexFile}: no epoch is available, nothing to show`);
  }

  const currentSnap = snapshots.get(index.current_epoch);
  let home: HomeView;
  if (currentSnap) {
    home = { snapshot: currentSnap, notice: null };
  } else {
    const newest = [...snapshots.values()].sort((a, b) => b.epoch_id - a.epoch_id)[0]!;
    const entry = epochs.find((e) => e.epoch_id === index.current_epoch);
    const why = entry && !entry.available ? `: ${entry.reason}` : '';
    home = { snapshot: newest, notice: `The current epoch ${index.current_epoch} has no data${why}. Showing epoch ${newest.epoch_id}.` };
  }

  const models = buildModels([...snapshots.values()], urls);
  const modelsById = new Map(models.map((m) => [m.id, m]));
  const known = (id: string) => {
    const m = modelsById.get(id);
    if (!m) throw new Error(`no model ${JSON.stringify(id)} in the data`);
    return m;
  };
  const isSample = index.source === 'sample' || [...snapshots.values()].some((s) => s.source === 'sample');
  return {
    dataDir,
    index,
    epochs,
    snapshots,
    timeline: buildTimeline(epochs, snapshots),
    diffs: buildEpochDiffs(snapshots.values()),
    currentEpoch: index.current_epoch,
    home,
    models,
    modelsById,
    isSample,
    links: { page: (id) => known(id).pageUrl, json: (id) => known(id).jsonUrl },
  };
}

let cached: SiteData | undefined;

/** The site's data for this build, read and validated once (every page shares it). */
export function loadSite(): SiteData {
  cached ??= readSiteData(siteConfig.dataDir, siteConfig.basePath);
  return cached;
}
