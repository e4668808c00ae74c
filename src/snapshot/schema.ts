/**
 * The snapshot format written under `data/` and served as `/v1/models/…` JSON.
 * One place for the shape: the pipeline writes it, pages and tests read it,
 * and the TypeScript types are inferred from it.
 *
 * Per epoch the body is a superset of the reference tracker's ModelsResponse
 * (`epoch_id, height, is_current, cached_at, models[], stats[]`), keeping its
 * field types: uint64 model parameters stay decimal strings, as the chain sends them.
 */
import { z } from 'zod';

/** Bumped whenever the snapshot shape or the aggregation changes; old cached raw data is re-aggregated. */
export const SCHEMA_VERSION = 2;

const isoTime = z.string().datetime({ offset: false });
const uintString = z.string().regex(/^\d+$/);
const count = z.number().int().nonnegative();

/** `"sample"` for the bundled sample chain, else the node base URLs the run used. */
export const sourceSchema = z.union([z.literal('sample'), z.array(z.string().url()).min(1)]);

/** Where a model row's parameters come from (SPEC §4.4, §6). */
export const paramsSourceSchema = z.object({
  /**
   * epoch_snapshot: the model snapshot frozen when the epoch formed;
   * registry_at_height: `models_all` at `height` inside the epoch;
   * registry_nearest: `models_all` at the nearest state a node still had (`height`);
   * none: the model is not in the registry.
   */
  kind: z.enum(['epoch_snapshot', 'registry_at_height', 'registry_nearest', 'none']),
  height: count.nullable(),
});

export const validationThresholdSchema = z.object({ value: z.string().regex(/^-?\d+$/), exponent: z.number().int() });

/** One host backing a model in an epoch. */
export const modelHostSchema = z.object({
  /** The host's account address (untrusted chain string). */
  address: z.string().min(1),
  ml_nodes: count,
  /** Σ poc_weight of the host's ML nodes assigned to this model. */
  weight: count,
  /** weight / the model's total weight, rounded to 6 decimals. */
  share: z.number().min(0).max(1),
});

/** How concentrated a model's backing is: top-1 and top-5 host share, and the HHI (0–10 000). */
export const concentrationSchema = z.object({
  top1: z.number().min(0).max(1),
  top5: z.number().min(0).max(1),
  hhi: z.number().min(0).max(10_000),
});

export const modelRowSchema = z.object({
  id: z.string().min(1),
  total_weight: count,
  participant_count: count,
  ml_nodes: count,
  /** total_weight / the epoch's total model weight, rounded to 6 decimals; 0 when nothing is hosted. */
  share: z.number().min(0).max(1),
  in_registry: z.boolean(),
  proposed_by: z.string().nullable(),
  v_ram: uintString.nullable(),
  throughput_per_nonce: uintString.nullable(),
  units_of_compute_per_token: uintString.nullable(),
  hf_repo: z.string().nullable(),
  hf_commit: z.string().nullable(),
  model_args: z.array(z.string()).nullable(),
  validation_threshold: validationThresholdSchema.nullable(),
  params_source: paramsSourceSchema,
  /** Usage in the epoch's window; null when usage is unavailable for the epoch (never a fake 0). */
  inferences: count.nullable(),
  ai_tokens: uintString.nullable(),
  concentration: concentrationSchema,
  /** The hosts backing the model, by weight descending, then address. */
  hosts: z.array(modelHostSchema),
});

export const statsRowSchema = z.object({ model: z.string(), ai_tokens: uintString, inferences: count });

/** The usage window: block times of the epoch's first and last block (current epoch: first → latest). */
export const windowSchema = z.object({
  start_height: count,
  end_height: count,
  start_time: isoTime,
  end_time: isoTime,
  time_from_ms: count,
  time_to_ms: count,
});

export const epochSnapshotSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  source: sourceSchema,
  fetched_at: isoTime,
  epoch_id: count,
  /** The height the figures describe: the epoch's last block when finished, the latest block when current. */
  height: count,
  is_current: z.boolean(),
  cached_at: isoTime,
  current_block_timestamp: isoTime.nullable(),
  poc_start_block_height: count,
  /** First block of the epoch (the tracker's convention: `effective_block_height`). */
  start_height: count,
  /** Last block of the epoch; for the current epoch, the latest block seen. */
  end_height: count,
  window: windowSchema.nullable(),
  /** Why usage is missing, when `window` is null or stats could not be fetched. */
  usage_unavailable: z.string().nullable(),
  registry: z.object({
    /** `models_all` was read at this height (null: latest state). */
    height: count.nullable(),
    kind: z.enum(['registry_at_height', 'registry_nearest']),
  }),
  totals: z.object({
    model_weight: count,
    unassigned_weight: count,
    poc_weight: count,
    host_weight: count,
    hosts: count,
    ml_nodes: count,
    unassigned_ml_nodes: count,
    models_hosted: count,
  }),
  checks: z.object({
    /** Σ model weights + unassigned = Σ all poc_weight (must hold). */
    poc_weight_balanced: z.boolean(),
    /** Σ host `weight` = Σ poc_weight (may differ after collateral rules, SPEC §5.3). */
    host_weight_equals_poc_weight: z.boolean(),
  }),
  models: z.array(modelRowSchema),
  stats: z.array(statsRowSchema),
});

const availableEntry = z.object({
  epoch_id: count,
  available: z.literal(true),
  is_current: z.boolean(),
  height: count,
  start_time: isoTime.nullable(),
  end_time: isoTime.nullable(),
  total_weight: count,
  hosts: count,
  models: count,
  file: z.string().regex(/^epochs\/\d+\.json$/),
});

const unavailableEntry = z.object({
  epoch_id: count,
  available: z.literal(false),
  /** What the nodes answered, e.g. pruned state or a failed PoC. */
  reason: z.string(),
});

export const epochIndexEntrySchema = z.discriminatedUnion('available', [availableEntry, unavailableEntry]);

export const epochIndexSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  source: sourceSchema,
  fetched_at: isoTime,
  current_epoch: count,
  /**
   * Set when no node could be reached and the last good data was published
   * from the cache instead (`GONKA_ALLOW_STALE=1`); `fetched_at` then tells its age.
   */
  stale: z.object({ reason: z.string(), checked_at: isoTime }).nullable(),
  /** Every epoch from the first one tried to the current one, ascending. */
  epochs: z.array(epochIndexEntrySchema),
});

export type Source = z.infer<typeof sourceSchema>;
export type ParamsSource = z.infer<typeof paramsSourceSchema>;
export type ModelRow = z.infer<typeof modelRowSchema>;
export type ModelHost = z.infer<typeof modelHostSchema>;
export type Concentration = z.infer<typeof concentrationSchema>;
export type StatsRow = z.infer<typeof statsRowSchema>;
export type UsageWindow = z.infer<typeof windowSchema>;
export type EpochSnapshot = z.infer<typeof epochSnapshotSchema>;
export type EpochIndexEntry = z.infer<typeof epochIndexEntrySchema>;
export type EpochIndex = z.infer<typeof epochIndexSchema>;
