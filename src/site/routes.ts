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

/** What every page's chrome (header badge, stale notice, footer) shows. */
export interface PageChrome {
  isSample: boolean;
  source: EpochIndex['source'];
  fetchedAt: string;
  stale: EpochIndex['stale'];
}

/** The chrome of this build's pages. */
export function pageChrome(site: SiteData = loadSite()): PageChrome {
  return { isSample: site.isSample, source: site.index.source, fetchedAt: site.index.fetched_at, stale: site.index.stale };
}

/** Everything an epoch view renders besides its own snapshot. */
export interface EpochViewProps {
  snapshot: EpochSnapshot;
  /** The island's props: plain JSON, the served snapshot's projection included. */
  island: EpochIslandProps;
  diff: EpochDiff | undefined;
  currentEpoch: number;
  links: ModelLinks;
  /** Each model's newest epoch (its page lists that epoch's hosts). */
  newestEpochOf: (id: string) => number | undefined;
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
    newestEpochOf: (id) => site.modelsById.get(id)?.lastEpoch,
  };
}
