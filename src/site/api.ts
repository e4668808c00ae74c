/**
 * Bodies of the `/v1/models/…` JSON endpoints, with schemas for the two shapes
 * the site adds (the epochs index with URLs, and one model across epochs). The
 * per-epoch bodies are the snapshots themselves (`epochSnapshotSchema`). URLs in
 * bodies are root-relative and include the base path.
 */
import { z } from 'zod';
import { TRACKED_PARAMS, type EpochDiff } from '../views/diffs.ts';
import { formatDecimal } from '../display/format.ts';
import {
  SCHEMA_VERSION,
  epochIndexEntrySchema,
  epochIndexSchema,
  epochSnapshotSchema,
  modelRowSchema,
  type EpochSnapshot,
  type ModelRow,
} from '../snapshot/schema.ts';
import { decimalNumber, digits, toCsv, type CsvCell } from './csv.ts';
import type { ModelHistory, ModelLinks, SiteData } from './load.ts';
import type { SiteUrls } from '../display/paths.ts';

const urlPath = z.string().startsWith('/');

/**
 * `/v1/models/epochs.json`: `data/index.json` (newest first), each epoch with its
 * page and (when available) its JSON, models CSV and hosts CSV URLs, plus the
 * current epoch's JSON and the snapshot's JSON Schema.
 */
export const epochsBodySchema = epochIndexSchema.extend({
  current_url: urlPath,
  schema_url: urlPath,
  epochs: z.array(
    z.intersection(
      epochIndexEntrySchema,
      z.object({ page_url: urlPath, json_url: urlPath.nullable(), csv_url: urlPath.nullable(), hosts_csv_url: urlPath.nullable() }),
    ),
  ),
});

const epochId = z.number().int().nonnegative();
const isoTime = z.iso.datetime({ offset: false });

/** A model's change against the previous epoch with data (src/views/diffs.ts `diffEpochs`). */
export const modelChangeSchema = z.object({
  previous_epoch_id: epochId,
  /** Raw PoC weight change; a model without a row in the previous epoch counts from 0. */
  weight_delta: z.number().int(),
  /** In percent, 2 decimals; null when the previous weight was 0. */
  weight_delta_pct: z.number().nullable(),
  /** Effective weight change (from 0 likewise); null when the effective weight is unknown now or before. */
  effective_weight_delta: z.number().int().nullable(),
  /** In percent, 2 decimals; null when unknown or the previous effective weight was 0. */
  effective_weight_delta_pct: z.number().nullable(),
  hosts_delta: z.number().int(),
  /** The model had no row in the previous epoch. */
  is_new: z.boolean(),
});

/** One change of a tracked parameter, values as display strings (model_args joined by spaces, thresholds as decimals). */
export const paramChangeSchema = z.object({
  epoch_id: epochId,
  previous_epoch_id: epochId,
  field: z.enum(TRACKED_PARAMS),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

/**
 * `/v1/models/<model id>.json`: one model in every epoch that lists it, newest
 * first, with its hosted span, peak and parameter history. Each epoch has the
 * headline figures flat (`weight`, `hosts`, …), the change against the previous
 * epoch with data, and the full snapshot row (`model`, hosts included).
 */
export const modelBodySchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.string().min(1),
  page_url: urlPath,
  /** First and last epoch that lists the model (hosted or not). */
  first_epoch: epochId,
  last_epoch: epochId,
  /** First and last epoch with at least one host; null when never hosted. */
  first_hosted_epoch: epochId.nullable(),
  last_hosted_epoch: epochId.nullable(),
  /** The highest raw weight and the first epoch that reached it; null when it never had weight. */
  peak: z.object({ epoch_id: epochId, weight: z.number().int().nonnegative() }).nullable(),
  /** The highest known effective weight and the first epoch that reached it; null when it never had any. */
  peak_effective: z.object({ epoch_id: epochId, effective_weight: z.number().int().nonnegative() }).nullable(),
  /**
   * When the model left the registry, if it is not in it now: `epoch_id`, and `during_epoch`
   * (true: deleted during that epoch; false: gone by the time it formed). null otherwise.
   */
  removed_from_registry: z.object({ epoch_id: epochId, during_epoch: z.boolean() }).nullable(),
  /** Every change of `hf_commit`, `v_ram`, `throughput_per_nonce`, `units_of_compute_per_token`, `model_args`, `validation_threshold`, oldest first. */
  param_changes: z.array(paramChangeSchema),
  epochs: z.array(
    z.object({
      epoch_id: epochId,
      is_current: z.boolean(),
      height: z.number().int().nonnegative(),
      /** The epoch's usage window (block times of its first and last block); null when unknown. */
      start_time: isoTime.nullable(),
      end_time: isoTime.nullable(),
      json_url: urlPath,
      csv_url: urlPath,
      hosts_csv_url: urlPath,
      usage_unavailable: z.string().nullable(),
      /** Raw PoC weight (`model.total_weight`). */
      weight: z.number().int().nonnegative(),
      /** `model.effective_weight`: comparable across models; null when the scale factor is unknown. */
      effective_weight: z.number().int().nonnegative().nullable(),
      hosts: z.number().int().nonnegative(),
      /** Hosts the chain excluded from the epoch (they stay in `hosts`). */
      excluded_hosts: z.number().int().nonnegative(),
      ml_nodes: z.number().int().nonnegative(),
      /** Of the epoch's effective weight; null when unknown. */
      share: z.number().min(0).max(1).nullable(),
      /** Of the epoch's raw weight. */
      raw_share: z.number().min(0).max(1),
      /** `model.price.gnk_per_million_tokens`: an exact decimal string; null when not published. */
      price_gnk_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/).nullable(),
      /** null when usage is unavailable for the epoch (never a fake 0). */
      inferences: z.number().int().nonnegative().nullable(),
      ai_tokens: z.string().regex(/^\d+$/).nullable(),
      /** null for the first epoch with data (nothing to compare with). */
      change: modelChangeSchema.nullable(),
      model: modelRowSchema,
    }),
  ),
});

export type EpochsBody = z.infer<typeof epochsBodySchema>;
export type ModelBody = z.infer<typeof modelBodySchema>;

/**
 * `current.json` and `epochs/<N>.json`: the snapshot, each model row with its
 * page and JSON URLs added, so a client (the island among them) never builds a
 * model path itself.
 */
export const servedSnapshotSchema = epochSnapshotSchema.extend({
  models: z.array(modelRowSchema.extend({ page_url: urlPath, json_url: urlPath })),
});

export type ServedSnapshot = z.infer<typeof servedSnapshotSchema>;

/** The body of `current.json` and `epochs/<N>.json`. */
export function snapshotBody(snapshot: EpochSnapshot, links: ModelLinks): ServedSnapshot {
  return { ...snapshot, models: snapshot.models.map((m) => ({ ...m, page_url: links.page(m.id), json_url: links.json(m.id) })) };
}

/** The body of `epochs.json`. */
export function epochsBody(site: SiteData, urls: SiteUrls): EpochsBody {
  return {
    ...site.index,
    current_url: urls.currentJson(),
    schema_url: urls.schemaJson(),
    epochs: [...site.epochs].reverse().map((entry) => ({
      ...entry,
      page_url: urls.epoch(entry.epoch_id),
      json_url: entry.available ? urls.epochJson(entry.epoch_id) : null,
      csv_url: entry.available ? urls.epochCsv(entry.epoch_id) : null,
      hosts_csv_url: entry.available ? urls.epochHostsCsv(entry.epoch_id) : null,
    })),
  };
}

/** The body of one model's JSON. */
export function modelBody(model: ModelHistory, urls: SiteUrls, diffs: Map<number, EpochDiff>): ModelBody {
  const { summary } = model;
  return {
    schema_version: SCHEMA_VERSION,
    id: model.id,
    page_url: model.pageUrl,
    first_epoch: model.firstEpoch,
    last_epoch: model.lastEpoch,
    first_hosted_epoch: summary.firstHosted,
    last_hosted_epoch: summary.lastHosted,
    peak: summary.peak && { epoch_id: summary.peak.epochId, weight: summary.peak.weight },
    peak_effective: summary.peakEffective && { epoch_id: summary.peakEffective.epochId, effective_weight: summary.peakEffective.weight },
    removed_from_registry: model.removal && { epoch_id: model.removal.epochId, during_epoch: model.removal.during },
    param_changes: summary.paramChanges.map((c) => ({
      epoch_id: c.epochId,
      previous_epoch_id: c.previousEpochId,
      field: c.field,
      from: c.from,
      to: c.to,
    })),
    epochs: model.epochs.map((e) => {
      const diff = diffs.get(e.epochId);
      const d = diff?.deltas.find((x) => x.id === model.id);
      return {
        epoch_id: e.epochId,
        is_current: e.isCurrent,
        height: e.height,
        start_time: e.windowStart,
        end_time: e.windowEnd,
        json_url: urls.epochJson(e.epochId),
        csv_url: urls.epochCsv(e.epochId),
        hosts_csv_url: urls.epochHostsCsv(e.epochId),
        usage_unavailable: e.usageUnavailable,
        weight: e.row.total_weight,
        effective_weight: e.row.effective_weight,
        hosts: e.row.participant_count,
        excluded_hosts: e.row.excluded_hosts,
        ml_nodes: e.row.ml_nodes,
        share: e.row.share,
        raw_share: e.row.raw_share,
        price_gnk_per_million_tokens: e.row.price.gnk_per_million_tokens,
        inferences: e.row.inferences,
        ai_tokens: e.row.ai_tokens,
        change:
          diff && d
            ? {
                previous_epoch_id: diff.previousEpochId,
                weight_delta: d.weightDelta,
                weight_delta_pct: d.weightDeltaPct,
                effective_weight_delta: d.effectiveDelta,
                effective_weight_delta_pct: d.effectiveDeltaPct,
                hosts_delta: d.hostsDelta,
                is_new: d.isNew,
              }
            : null,
        model: e.row,
      };
    }),
  };
}

/** The columns of `/v1/models/epochs/<N>.csv`, in order: the first 17 as before schema 3, then the new ones. */
export const EPOCH_CSV_COLUMNS = [
  'epoch_id',
  'model_id',
  'total_weight',
  'share',
  'hosts',
  'ml_nodes',
  'inferences',
  'ai_tokens',
  'weight_delta',
  'weight_delta_pct',
  'hosts_delta',
  'previous_epoch_id',
  'new_model',
  'in_registry',
  'top1_share',
  'top5_share',
  'hhi',
  'effective_weight',
  'raw_share',
  'weight_scale_factor',
  'weight_scale_source',
  'counted',
  'excluded_hosts',
  'excluded_weight',
  'registry_status',
  'context_length',
  'context_length_source',
  'price_ngonka_per_token',
  'price_gnk_per_million_tokens',
  'capacity',
  'usage_source',
  'usage_scope',
  'effective_weight_delta',
  'effective_weight_delta_pct',
] as const;

/** A model row's weight scale factor as exact decimal text: `1` when unset, null (empty) when unknown. */
function scaleFactorCell(row: ModelRow): CsvCell {
  const f = row.weight_scale.factor;
  if (f) return decimalNumber(formatDecimal(f));
  return row.weight_scale.source === 'unknown' ? null : decimalNumber('1');
}

/**
 * `/v1/models/epochs/<N>.csv`: the epoch's models table, one row per model in
 * snapshot order. Changes are against the previous epoch with data (`diff`; empty
 * cells for the first epoch); usage cells are empty when usage is unavailable and
 * any unknown figure is empty, never 0; token counts and prices are exact.
 * `total_weight` and `weight_delta` are raw PoC weight, `share` is of effective weight.
 */
export function epochCsv(snapshot: EpochSnapshot, diff: EpochDiff | undefined): string {
  const deltas = new Map(diff?.deltas.map((d) => [d.id, d]) ?? []);
  const rows = snapshot.models.map((m): CsvCell[] => {
    const d = deltas.get(m.id);
    return [
      snapshot.epoch_id,
      m.id,
      m.total_weight,
      m.share,
      m.participant_count,
      m.ml_nodes,
      m.inferences,
      m.ai_tokens === null ? null : digits(m.ai_tokens),
      d ? d.weightDelta : null,
      d ? d.weightDeltaPct : null,
      d ? d.hostsDelta : null,
      diff ? diff.previousEpochId : null,
      d ? d.isNew : null,
      m.in_registry,
      m.concentration.top1,
      m.concentration.top5,
      m.concentration.hhi,
      m.effective_weight,
      m.raw_share,
      scaleFactorCell(m),
      m.weight_scale.source,
      m.weight_scale.eligible,
      m.excluded_hosts,
      m.excluded_weight,
      m.registry_status,
      m.context_length.tokens === null ? null : digits(m.context_length.tokens),
      m.context_length.source,
      m.price.ngonka_per_token === null ? null : digits(m.price.ngonka_per_token),
      m.price.gnk_per_million_tokens === null ? null : decimalNumber(m.price.gnk_per_million_tokens),
      m.capacity.value === null ? null : digits(m.capacity.value),
      snapshot.usage_source,
      snapshot.usage_scope,
      d ? d.effectiveDelta : null,
      d ? d.effectiveDeltaPct : null,
    ];
  });
  return toCsv(EPOCH_CSV_COLUMNS, rows);
}

/** The columns of `/v1/models/epochs/<N>.hosts.csv`, in order. */
export const EPOCH_HOSTS_CSV_COLUMNS = [
  'epoch_id',
  'model_id',
  'address',
  'ml_nodes',
  'weight',
  'effective_weight',
  'share',
  'excluded',
  'exclusion_reason',
  'exclusion_block_height',
  'inference_count',
  'missed_requests',
  'rewarded_coins',
] as const;

/**
 * `/v1/models/epochs/<N>.hosts.csv`: every host of every model, one row per model
 * and host, models in snapshot order and hosts as in the snapshot (weight
 * descending, then address). `weight` is raw PoC weight for that model, `share` of
 * the model's raw weight; `excluded` says whether the chain excluded the host from
 * the epoch (with its reason and block). The performance columns are the host's
 * over all its models, as the chain counts them (empty when it publishes none);
 * `rewarded_coins` is in ngonka (10^9 ngonka = 1 GNK), exact.
 */
export function epochHostsCsv(snapshot: EpochSnapshot): string {
  const rows = snapshot.models.flatMap((m) =>
    m.hosts.map((h): CsvCell[] => [
      snapshot.epoch_id,
      m.id,
      h.address,
      h.ml_nodes,
      h.weight,
      h.effective_weight,
      h.share,
      h.excluded !== null,
      h.excluded?.reason ?? null,
      h.excluded?.exclusion_block_height ?? null,
      h.performance ? digits(h.performance.inference_count) : null,
      h.performance ? digits(h.performance.missed_requests) : null,
      h.performance ? digits(h.performance.rewarded_coins) : null,
    ]),
  );
  return toCsv(EPOCH_HOSTS_CSV_COLUMNS, rows);
}

/** `/v1/models/schema.json`: the JSON Schema (draft 2020-12) of an epoch snapshot, generated from the zod schema. */
export function snapshotJsonSchema(urls: SiteUrls, siteUrl: string | undefined): Record<string, unknown> {
  const generated = z.toJSONSchema(servedSnapshotSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    ...(siteUrl ? { $id: new URL(urls.schemaJson(), siteUrl).href } : {}),
    title: 'Gonka models: epoch snapshot',
    description: `One epoch of /v1/models/epochs/<N>.json and /v1/models/current.json (schema_version ${SCHEMA_VERSION}). Integers beyond 2^53 (token counts) and uint64 model parameters are decimal strings.`,
    ...rest,
  };
}

/** A CSV response for a static endpoint. */
export function csvResponse(body: string): Response {
  return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8; header=present' } });
}

/** A JSON response for a static endpoint. */
export function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });
}
