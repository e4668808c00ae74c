/**
 * What the routes render, computed here from the loaded data so route files and
 * components stay thin (the Starlight pattern): every dynamic route's
 * `getStaticPaths`, the page chrome, and the props of an epoch view. Params are
 * slugs (src/site/slugs.ts), never raw ids; props carry the data each page renders.
 */
import type { EpochIslandProps } from '../island/EpochIsland.tsx';
import type { EpochIndex, EpochSnapshot } from '../snapshot/schema.ts';
import { toEpochData } from '../ui/epoch-data.ts';
import type { EpochDiff } from '../views/diffs.ts';
import { epochTrends } from '../views/history.ts';
import { rangeSegment, splitByEpoch } from '../views/ranges.ts';
import { snapshotBody } from './api.ts';
import { urls } from './settings.ts';
import { loadSite, type ModelLinks, type SiteData } from './load.ts';

/** `/epochs/<N>/` for every epoch in the index, available or not. */
export function epochPagePaths() {
  const site = loadSite();
  return site.epochs.map((entry) => ({
    params: { epoch: String(entry.epoch_id) },
    // `snapshot` is null for an epoch the data step could not fetch.
    props: { entry, snapshot: site.snapshots.get(entry.epoch_id) ?? null },
  }));
}

/** `/v1/models/epochs/<N>.json`, `.csv` and `.hosts.csv` for every available epoch. */
export function epochJsonPaths() {
  const site = loadSite();
  return [...site.snapshots.values()].map((snapshot) => ({
    params: { epoch: String(snapshot.epoch_id) },
    props: { snapshot },
  }));
}

/** `/models/<slug>/` and `/v1/models/<slug>.json` for every model ever listed. */
export function modelPaths() {
  return loadSite().models.map((model) => ({
    params: { id: model.slug },
    props: { model },
  }));
}

/** `/epochs/range/<start>-<end>/`: every block of the epochs list (at any depth, so the URLs stay). */
export function epochRangePaths() {
  const site = loadSite();
  const { ranges } = splitByEpoch(site.epochs, (e) => e.epoch_id);
  return ranges.map((range) => ({ params: { range: rangeSegment(range) }, props: { range, ranges } }));
}

/** `/models/<slug>/epochs/<start>-<end>/`: every block of each model's epochs table. */
export function modelRangePaths() {
  return loadSite().models.flatMap((model) => {
    const { ranges } = splitByEpoch(model.epochs, (e) => e.epochId);
    return ranges.map((range) => ({ params: { id: model.slug, range: rangeSegment(range) }, props: { model, range, ranges } }));
  });
}

/** What every page's chrome (header badge, stale notice, footer) shows. */
export interface PageChrome {
  isSample: boolean;
  source: EpochIndex['source'];
  /** When the page's figures were fetched; null on a finished epoch's page that has none. */
  fetchedAt: string | null;
  stale: EpochIndex['stale'];
}

/** The chrome of this build's pages, which change with every run. */
export function pageChrome(site: SiteData = loadSite()): PageChrome {
  return { isSample: site.isSample, source: site.index.source, fetchedAt: site.index.fetched_at, stale: site.index.stale };
}

/**
 * The chrome of a page that shows only finished epochs: what was recorded with
 * them (a snapshot's source and fetch time; without one, the source and no
 * time), never a stale notice (their figures are final). Such a page stays
 * byte-identical in every later build.
 */
function finishedChrome(site: SiteData, snapshot: EpochSnapshot | null): PageChrome {
  if (!snapshot) return { isSample: site.isSample, source: site.index.source, fetchedAt: null, stale: null };
  return { isSample: snapshot.source === 'sample', source: snapshot.source, fetchedAt: snapshot.fetched_at, stale: null };
}

/** The chrome of `/epochs/<N>/`: a finished epoch's own (see `finishedChrome`), the current epoch's like `/`. */
export function epochPageChrome(epochId: number, snapshot: EpochSnapshot | null, site: SiteData = loadSite()): PageChrome {
  return epochId < site.currentEpoch ? finishedChrome(site, snapshot) : pageChrome(site);
}

/** The chrome of a block of epochs (src/views/ranges.ts): unchanging once every epoch in it is finished. */
export function rangePageChrome(range: { end: number }, site: SiteData = loadSite()): PageChrome {
  return range.end < site.currentEpoch ? finishedChrome(site, null) : pageChrome(site);
}

/** Everything an epoch view renders besides its own snapshot. */
export interface EpochViewProps {
  snapshot: EpochSnapshot;
  /** The island's props: plain JSON, the served snapshot's projection included. */
  island: EpochIslandProps;
  diff: EpochDiff | undefined;
  currentEpoch: number;
  links: ModelLinks;
}

/** The props of the epoch view of `snapshot`; `live` polls current.json (only on `/`). */
export function epochViewProps(snapshot: EpochSnapshot, live: boolean, site: SiteData = loadSite()): EpochViewProps {
  return {
    snapshot,
    island: {
      base: urls.base,
      initial: toEpochData(snapshotBody(snapshot, site.links)),
      live,
      trends: epochTrends(site.timeline, site.diffs, snapshot.epoch_id),
    },
    diff: site.diffs.get(snapshot.epoch_id),
    currentEpoch: site.currentEpoch,
    links: site.links,
  };
}
