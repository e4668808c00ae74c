/**
 * The `getStaticPaths` results of every dynamic route, computed once from the
 * loaded data so the route files stay thin (the Starlight pattern). Params are
 * slugs (see urls.ts), never raw ids; props carry the data each page renders.
 */
import type { EpochIndexEntry, EpochSnapshot } from '../snapshot/schema.ts';
import { loadSite, type ModelHistory } from './load.ts';

export interface EpochRouteProps {
  entry: EpochIndexEntry;
  /** Null for an epoch the data step could not fetch. */
  snapshot: EpochSnapshot | null;
}

export interface ModelRouteProps {
  model: ModelHistory;
}

/** `/epochs/<N>/` for every epoch in the index, available or not. */
export function epochPagePaths() {
  const site = loadSite();
  return site.epochs.map((entry) => ({
    params: { epoch: String(entry.epoch_id) },
    props: { entry, snapshot: site.snapshots.get(entry.epoch_id) ?? null } satisfies EpochRouteProps,
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
    props: { model } satisfies ModelRouteProps,
  }));
}
