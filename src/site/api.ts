/**
 * Bodies of the `/v1/models/…` JSON endpoints, with schemas for the two shapes
 * the site adds (the epochs index with URLs, and one model across epochs). The
 * per-epoch bodies are the snapshots themselves (`epochSnapshotSchema`). URLs in
 * bodies are root-relative and include the base path.
 */
import { z } from 'zod';
import {
  SCHEMA_VERSION,
  epochIndexEntrySchema,
  epochIndexSchema,
  modelRowSchema,
  type EpochSnapshot,
} from '../snapshot/schema.ts';
import type { ModelHistory, SiteData } from './load.ts';
import type { SiteUrls } from './urls.ts';

const urlPath = z.string().startsWith('/');

/** `/v1/models/epochs.json`: `data/index.json` (newest first), each epoch with its page and (when available) its JSON URL. */
export const epochsBodySchema = epochIndexSchema.extend({
  current_url: urlPath,
  epochs: z.array(
    z.intersection(epochIndexEntrySchema, z.object({ page_url: urlPath, json_url: urlPath.nullable() })),
  ),
});

/** `/v1/models/<model id>.json`: one model in every epoch that lists it, newest first. */
export const modelBodySchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.string().min(1),
  page_url: urlPath,
  first_epoch: z.number().int().nonnegative(),
  last_epoch: z.number().int().nonnegative(),
  epochs: z.array(
    z.object({
      epoch_id: z.number().int().nonnegative(),
      is_current: z.boolean(),
      height: z.number().int().nonnegative(),
      json_url: urlPath,
      usage_unavailable: z.string().nullable(),
      model: modelRowSchema,
    }),
  ),
});

export type EpochsBody = z.infer<typeof epochsBodySchema>;
export type ModelBody = z.infer<typeof modelBodySchema>;

/** The body of `current.json` and `epochs/<N>.json`: the snapshot as validated. */
export function snapshotBody(snapshot: EpochSnapshot): EpochSnapshot {
  return snapshot;
}

/** The body of `epochs.json`. */
export function epochsBody(site: SiteData, urls: SiteUrls): EpochsBody {
  return {
    ...site.index,
    current_url: urls.currentJson(),
    epochs: [...site.epochs].reverse().map((entry) => ({
      ...entry,
      page_url: urls.epoch(entry.epoch_id),
      json_url: entry.available ? urls.epochJson(entry.epoch_id) : null,
    })),
  };
}

/** The body of one model's JSON. */
export function modelBody(model: ModelHistory, urls: SiteUrls): ModelBody {
  return {
    schema_version: SCHEMA_VERSION,
    id: model.id,
    page_url: urls.model(model.id),
    first_epoch: model.firstEpoch,
    last_epoch: model.lastEpoch,
    epochs: model.epochs.map((e) => ({
      epoch_id: e.epochId,
      is_current: e.isCurrent,
      height: e.height,
      json_url: urls.epochJson(e.epochId),
      usage_unavailable: e.usageUnavailable,
      model: e.row,
    })),
  };
}

/** A JSON response for a static endpoint. */
export function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });
}
