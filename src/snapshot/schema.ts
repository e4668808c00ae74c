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
export const SCHEMA_VERSION = 3;

const isoTime = z.iso.datetime({ offset: false });
const uintString = z.string().regex(/^\d+$/);
const count = z.number().int().nonnegative();
/** A share in [0, 1], rounded to 6 decimals. */
const share = z.number().min(0).max(1);

/** `"sample"` for the bundled sample chain, else the node base URLs the run used. */
export const sourceSchema = z.union([z.literal('sample'), z.array(z.url()).min(1)]);

/** Where a model row's parameters come from (docs/chain-api.md, "Model parameters"). */
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

/** A Cosmos `Decimal` `{value, exponent}` = value × 10^exponent, the value kept exact as a decimal string. */
export const decimalSchema = z.object({ value: z.string().regex(/^-?\d+$/), exponent: z.number().int() });
/** Kept under its old name: the registry's validation threshold is such a decimal. */
export const validationThresholdSchema = decimalSchema;

/**
 * The per-model weight scale factor applied to raw PoC weight (docs/chain-api.md,
 * "Weight"). `source` says where the factor was read:
 * confirmation_weight_scales: frozen in the epoch's root group when it formed;
 * params_at_formation: `params.poc_params.models` at the epoch's formation height;
 * params_later_state: the same parameter at a later state (the formation state is
 * pruned everywhere), so possibly not the factor of the epoch;
 * before_per_model_scaling: the epoch formed before per-model scaling, factor 1;
 * unknown: it could not be read (`effective_weight` is then null).
 */
export const weightScaleSchema = z.object({
  /** null: factor 1 (before per-model scaling, or unset), or unknown. */
  factor: decimalSchema.nullable(),
  source: z.enum(['confirmation_weight_scales', 'params_at_formation', 'params_later_state', 'before_per_model_scaling', 'unknown']),
  /** The state height the factor was read at (params sources), else null. */
  height: count.nullable(),
  /** Whether the model's weight counts toward consensus in this epoch; null when unknown. */
  eligible: z.boolean().nullable(),
});

/** Why the chain excluded a host from an epoch, as the chain gives it. */
export const exclusionSchema = z.object({
  /** Untrusted chain string, e.g. `failed_confirmation_poc`, `consecutive_failures`, `downtime`. */
  reason: z.string(),
  exclusion_block_height: count,
});

/** The chain's own per-host counters of an epoch (`epoch_performance_summary`), uint64 as decimal strings. */
export const hostPerformanceSchema = z.object({
  /** Inferences the host served in the epoch, over all models. */
  inference_count: uintString,
  missed_requests: uintString,
  /** Reward for the epoch, in ngonka (10^9 ngonka = 1 GNK). */
  rewarded_coins: uintString,
});

/** One host backing a model in an epoch. */
export const modelHostSchema = z.object({
  /** The host's account address (untrusted chain string). */
  address: z.string().min(1),
  ml_nodes: count,
  /** Raw PoC weight: Σ poc_weight of the host's ML nodes assigned to this model. */
  weight: count,
  /** floor(factor × weight) when the model is eligible, 0 when not; null when the factor is unknown. */
  effective_weight: count.nullable(),
  /** weight / the model's total weight, rounded to 6 decimals. */
  share,
  /** Set when the chain excluded the host from this epoch; it still counts in the model's weight, as on chain. */
  excluded: exclusionSchema.nullable(),
  /** The host's counters for the epoch over all its models; null when the chain publishes none. */
  performance: hostPerformanceSchema.nullable(),
});

/** How concentrated a model's backing is: top-1 and top-5 host share, and the HHI (0–10 000). */
export const concentrationSchema = z.object({
  top1: share,
  top5: share,
  hhi: z.number().min(0).max(10_000),
});

/** The model's context length: `context_window` when set, else `--max-model-len` from `model_args`. */
export const contextLengthSchema = z.object({
  /** Tokens; null when neither gives one. */
  tokens: uintString.nullable(),
  source: z.enum(['context_window', 'max_model_len']).nullable(),
});

/** The chain's per-token price of a model at the snapshot's height (docs/chain-api.md, "Price and capacity"). */
export const priceSchema = z.object({
  /** ngonka per token; null when not published. */
  ngonka_per_token: uintString.nullable(),
  /** The same price in GNK per million tokens, as an exact decimal string (ngonka per token / 1000). */
  gnk_per_million_tokens: z.string().regex(/^\d+(\.\d+)?$/).nullable(),
  /** The state height the price was read at. */
  height: count.nullable(),
  /** Why there is no price, in one sentence; null when there is one. */
  unavailable: z.string().nullable(),
});

/** The model's capacity as the chain's dynamic pricing keeps it (`model_capacity`). */
export const capacitySchema = z.object({
  value: uintString.nullable(),
  unavailable: z.string().nullable(),
});

export const modelRowSchema = z.object({
  id: z.string().min(1),
  /** Raw PoC weight: Σ poc_weight of the ML nodes assigned to the model (one meaning in every chain version). */
  total_weight: count,
  /** Σ effective weight of its hosts: comparable across models; null when the scale factor is unknown. */
  effective_weight: count.nullable(),
  weight_scale: weightScaleSchema,
  participant_count: count,
  ml_nodes: count,
  /** effective_weight / the epoch's total effective weight (6 decimals); 0 when nothing counts; null when unknown. */
  share: share.nullable(),
  /** total_weight / the epoch's total raw weight (6 decimals); comparable across models only before per-model scaling. */
  raw_share: share,
  /** Hosts of this model the chain excluded from the epoch (they stay in the counts above) and their weight. */
  excluded_hosts: count,
  excluded_weight: count,
  /** Listed in the registry for this epoch: `registry_status` is `listed`. */
  in_registry: z.boolean(),
  /**
   * listed: in the registry as read for the epoch; removed: registered when the
   * epoch formed but gone from the registry by the epoch's end (deleted during the
   * epoch); unregistered: not a governance model (seen only in usage or hosts).
   */
  registry_status: z.enum(['listed', 'removed', 'unregistered']),
  proposed_by: z.string().nullable(),
  v_ram: uintString.nullable(),
  throughput_per_nonce: uintString.nullable(),
  units_of_compute_per_token: uintString.nullable(),
  hf_repo: z.string().nullable(),
  hf_commit: z.string().nullable(),
  model_args: z.array(z.string()).nullable(),
  validation_threshold: decimalSchema.nullable(),
  /** The registry's own fields as the chain sends them: `"0"` / `""` means not set (never set on mainnet so far). */
  context_window: uintString.nullable(),
  quantization: z.string().nullable(),
  coins_per_input_token: uintString.nullable(),
  coins_per_output_token: uintString.nullable(),
  params_source: paramsSourceSchema,
  context_length: contextLengthSchema,
  price: priceSchema,
  capacity: capacitySchema,
  /** Usage in the epoch's window; null when no source covers the window (never a fake 0, see `usage_unavailable`). */
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

/** A host the chain excluded from the epoch (`excluded_participants`). */
export const excludedParticipantSchema = z.object({ address: z.string().min(1), ...exclusionSchema.shape });

/** Where an epoch's usage figures come from (docs/chain-api.md, "Usage"). */
export const usageSourceSchema = z.enum(['dapi_stats', 'chain_stats']);

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
  /** The stats route the usage figures come from; null when none covers the window. */
  usage_source: usageSourceSchema.nullable(),
  /** all: every inference of the window; classic_only: devshard sessions are not counted by any route. */
  usage_scope: z.enum(['all', 'classic_only']).nullable(),
  /** Why usage is missing, in one sentence a user understands; null when figures are given. */
  usage_unavailable: z.string().nullable(),
  registry: z.object({
    /** `models_all` was read at this height (null: latest state). */
    height: count.nullable(),
    kind: z.enum(['registry_at_height', 'registry_nearest']),
  }),
  /**
   * What the chain itself counts per epoch over all models: requests in the root
   * epoch group, and Σ inferences and missed requests of the per-host performance
   * summaries. null when the chain does not publish it (yet).
   */
  chain_counters: z.object({
    requests: uintString.nullable(),
    inferences: uintString.nullable(),
    missed_requests: uintString.nullable(),
  }),
  /** Hosts the chain excluded from the epoch, by address. */
  excluded_participants: z.array(excludedParticipantSchema),
  totals: z.object({
    /** Σ raw PoC weight of every model. */
    model_weight: count,
    /** Σ effective weight of every model; null when a factor is unknown. */
    effective_weight: count.nullable(),
    unassigned_weight: count,
    poc_weight: count,
    host_weight: count,
    hosts: count,
    excluded_hosts: count,
    ml_nodes: count,
    unassigned_ml_nodes: count,
    models_hosted: count,
  }),
  checks: z.object({
    /** Σ model weights + unassigned = Σ all poc_weight (must hold). */
    poc_weight_balanced: z.boolean(),
    /** Σ host `weight` = Σ poc_weight (differs after collateral rules and per-model scaling). */
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
  effective_weight: count.nullable(),
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
export type Decimal = z.infer<typeof decimalSchema>;
export type WeightScale = z.infer<typeof weightScaleSchema>;
export type Exclusion = z.infer<typeof exclusionSchema>;
export type HostPerformance = z.infer<typeof hostPerformanceSchema>;
export type ContextLength = z.infer<typeof contextLengthSchema>;
export type Price = z.infer<typeof priceSchema>;
export type Capacity = z.infer<typeof capacitySchema>;
export type ExcludedParticipant = z.infer<typeof excludedParticipantSchema>;
export type UsageSource = z.infer<typeof usageSourceSchema>;
export type ModelRow = z.infer<typeof modelRowSchema>;
export type ModelHost = z.infer<typeof modelHostSchema>;
export type Concentration = z.infer<typeof concentrationSchema>;
export type StatsRow = z.infer<typeof statsRowSchema>;
export type UsageWindow = z.infer<typeof windowSchema>;
export type EpochSnapshot = z.infer<typeof epochSnapshotSchema>;
export type EpochIndexEntry = z.infer<typeof epochIndexEntrySchema>;
export type EpochIndex = z.infer<typeof epochIndexSchema>;
