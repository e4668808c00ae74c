/**
 * Zod schemas for every chain response the client reads (docs/chain-api.md),
 * written to its tolerance rules: integers may arrive as numbers or strings,
 * `/v1` omits zero/empty keys, `/chain-api` and `/chain-rpc` emit `null` or `[]`.
 * Values that can pass 2^53 (token counts, decimals, coins) stay decimal strings.
 * Unknown keys are stripped, so what the cache keeps is only what we read.
 */
import { z } from 'zod';

/** A non-negative safe integer sent as a JSON number or a decimal string. */
export const uint = z
  .union([z.number(), z.string().regex(/^\d+$/, 'expected a non-negative integer string')])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: `expected a non-negative safe integer, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** A signed safe integer sent as a JSON number or a decimal string. */
export const int = z
  .union([z.number(), z.string().regex(/^-?\d+$/, 'expected an integer string')])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `expected a safe integer, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** An unbounded non-negative integer kept as a decimal string (token counts pass 2^53). */
export const bigUintString = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : '') : v;
    if (!/^\d+$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `expected a non-negative integer, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return s.replace(/^0+(?=\d)/, '');
  });

/**
 * An unbounded signed integer kept as a decimal string. A JSON number beyond 2^53
 * has already lost digits when parsed, so it is refused rather than rounded.
 */
export const bigIntString = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const s = typeof v === 'number' ? (Number.isSafeInteger(v) ? String(v) : '') : v;
    if (!/^-?\d+$/.test(s)) {
      ctx.addIssue({
        code: 'custom',
        message:
          typeof v === 'number'
            ? `the number ${v} cannot be read exactly (beyond 2^53 or not an integer); expected a decimal string`
            : `expected an integer, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    const neg = s.startsWith('-');
    const digits = (neg ? s.slice(1) : s).replace(/^0+(?=\d)/, '');
    return neg && digits !== '0' ? `-${digits}` : digits;
  });

/** A list that `/chain-api` may send as `null`, and `/v1` may omit. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

/** Cosmos `Decimal` `{value, exponent}` = value × 10^exponent; the value kept exact (Kimi's factor is 12620856201975851e-16). */
export const decimal = z.object({ value: bigIntString, exponent: int });

/** `"0"` or absent where the gateway emits a default: an optional uint64 kept as a string. */
const uintDefault = bigUintString.optional().default('0');

// --- /v1/epochs/{epoch}/participants (docs/chain-api.md, "Epochs") ---------------

export const mlNode = z.object({
  node_id: z.string().optional().default(''),
  poc_weight: uint.optional().default(0),
  timeslot_allocation: list(z.boolean()),
});

export const participant = z
  .object({
    index: z.string().min(1),
    weight: uint.optional().default(0),
    inference_url: z.string().optional().default(''),
    models: list(z.string().min(1)),
    ml_nodes: list(z.object({ ml_nodes: list(mlNode) })),
    seed: z
      .object({ participant: z.string().optional(), epoch_index: uint.optional(), signature: z.string().optional() })
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((p, ctx) => {
    // One node group per model, plus at most one trailing unassigned group (docs/chain-api.md, "Weight").
    const m = p.models.length;
    const g = p.ml_nodes.length;
    if (g < m || g > m + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['ml_nodes'],
        message: `${g} node groups for ${m} models (expected ${m} or ${m + 1})`,
      });
    }
  });

/** Free timestamp of block created_at+1; Go-JSON or the SDK-style form of newer nodes. */
const participantsBlock = z
  .object({ header: z.object({ height: uint, time: z.string() }) })
  .nullish()
  .transform((v) => v ?? null);

export const participantsResponse = z.object({
  active_participants: z.object({
    participants: list(participant),
    epoch_id: uint,
    poc_start_block_height: uint,
    effective_block_height: uint,
    created_at_block_height: uint,
  }),
  block: participantsBlock,
});

// --- /chain-api models (docs/chain-api.md, "Registry") ----------------------------

export const model = z.object({
  id: z.string().min(1),
  proposed_by: z.string().nullish().transform((v) => v ?? ''),
  hf_repo: z.string().nullish().transform((v) => v ?? ''),
  hf_commit: z.string().nullish().transform((v) => v ?? ''),
  model_args: list(z.string()),
  v_ram: uint.optional().default(0),
  throughput_per_nonce: uint.optional().default(0),
  units_of_compute_per_token: uint.optional().default(0),
  validation_threshold: decimal.nullish().transform((v) => v ?? null),
  // Registered by no proposal so far: the gateway sends "0" / "".
  context_window: uintDefault,
  quantization: z.string().nullish().transform((v) => v ?? ''),
  coins_per_input_token: uintDefault,
  coins_per_output_token: uintDefault,
});

/** One page of `models_all`; `next_key` (base64) names the next page, null or "" at the end. */
export const modelsAllResponse = z.object({
  model: list(model),
  pagination: z
    .object({ next_key: z.string().nullish().transform((v) => v || null) })
    .nullish()
    .transform((v) => v ?? { next_key: null }),
});

/** A member of an epoch group: its weight, voting power and (in sub-groups) its ML nodes for the model. */
export const validationWeight = z.object({
  member_address: z.string().min(1),
  weight: uint.optional().default(0),
  /** Since v0.2.12 a sub-group member's voting power is > 0 only when the model counts (docs/chain-api.md, "Weight"). */
  voting_power: uint.optional().default(0),
  ml_nodes: list(z.object({ node_id: z.string().optional().default(''), poc_weight: uint.optional().default(0) })),
});

/** `epoch_group_data/{N}` (root) or `?model_id=` (the model's sub-group). */
export const epochGroupDataResponse = z.object({
  epoch_group_data: z.object({
    epoch_index: uint,
    poc_start_block_height: uint.optional().default(0),
    effective_block_height: uint.optional().default(0),
    /** Set once the next epoch has formed; 0 while the epoch is current (and in sub-groups). */
    last_block_height: uint.optional().default(0),
    model_id: z.string().nullish().transform((v) => v ?? ''),
    /** Root only: requests the chain counted in the epoch (classic inference). */
    number_of_requests: uintDefault,
    total_weight: uint.optional().default(0),
    /** Root only: the models that have a sub-group in this epoch. */
    sub_group_models: list(z.string().min(1)),
    validation_weights: list(validationWeight),
    /** Sub-groups: the model's parameters frozen when the epoch formed. */
    model_snapshot: model.nullish().transform((v) => v ?? null),
    /** Root, since v0.2.13: per-model scale factors frozen at formation; absent or [] before. */
    confirmation_weight_scales: list(
      z.object({ model_id: z.string().min(1), weight_scale_factor: decimal.nullish().transform((v) => v ?? null) }),
    ),
  }),
});

/** `params` at a height: only the per-model PoC configuration is read (v0.2.12+; `[]` or absent before). */
export const paramsResponse = z.object({
  params: z.object({
    poc_params: z
      .object({
        models: list(z.object({ model_id: z.string().min(1), weight_scale_factor: decimal.nullish().transform((v) => v ?? null) })),
      })
      .nullish()
      .transform((v) => v ?? { models: [] }),
  }),
});

/** `excluded_participants/{N}` (v0.2.5+). */
export const excludedParticipantsResponse = z.object({
  items: list(z.object({ address: z.string().min(1), reason: z.string().nullish().transform((v) => v ?? ''), exclusion_block_height: uint })),
});

/** `epoch_performance_summary/{N}` (v0.2.6+): one entry per host; `[]` when the chain has none. */
export const performanceSummaryResponse = z.object({
  epochPerformanceSummary: list(
    z.object({
      participant_id: z.string().min(1),
      inference_count: uintDefault,
      missed_requests: uintDefault,
      rewarded_coins: uintDefault,
    }),
  ),
});

/** `all_model_per_token_prices` at a height: ngonka per token per model. */
export const modelPricesResponse = z.object({
  model_prices: list(z.object({ model_id: z.string().min(1), price: bigUintString })),
});

/** `model_capacity/{id}`: `found` false when the chain keeps none for the model. */
export const modelCapacityResponse = z.object({ capacity: bigUintString, found: z.boolean().optional().default(false) });

/** The x/upgrade module's `applied_plan/{name}`: the height the upgrade ran at, 0 when it has not. */
export const appliedPlanResponse = z.object({ height: uint });

// --- usage stats (docs/chain-api.md, "Usage") ---------------------------------------

/** One model's usage in a window; the chain sends tokens as strings, the dapi as numbers. */
export const modelStats = z.object({
  model: z.string(),
  ai_tokens: bigUintString,
  inferences: uint,
});

/** `models_stats_by_time` (chain) and `/v1/stats/models` (dapi) share this shape. */
export const modelsStatsResponse = z.object({ stats_models: list(modelStats) });

// --- /chain-rpc (docs/chain-api.md, "Topology") -------------------------------------

export const rpcBlockResponse = z.object({
  result: z.object({
    block: z.object({ header: z.object({ height: uint, time: z.iso.datetime({ offset: true }) }) }),
  }),
});

export const rpcStatusResponse = z.object({
  result: z.object({
    sync_info: z.object({
      latest_block_height: uint,
      latest_block_time: z.string(),
      earliest_block_height: uint,
    }),
  }),
});

// --- error bodies (docs/chain-api.md, "Errors") ---------------------------------------

/** Any of the error envelopes (dapi, gateway, CometBFT, echo's default); used only to extract a message. */
export const errorBody = z.union([
  z.object({ error: z.string() }),
  z.object({ message: z.string() }),
  z.object({ code: z.number(), message: z.string() }),
  z.object({ error: z.object({ code: z.number(), message: z.string().optional(), data: z.string().optional() }) }),
]);

export type Participant = z.infer<typeof participant>;
export type EpochGroup = z.infer<typeof epochGroupDataResponse>['epoch_group_data'];
export type ChainDecimal = z.infer<typeof decimal>;
export type PocModelConfig = z.infer<typeof paramsResponse>['params']['poc_params']['models'][number];
export type ExcludedItem = z.infer<typeof excludedParticipantsResponse>['items'][number];
export type PerformanceItem = z.infer<typeof performanceSummaryResponse>['epochPerformanceSummary'][number];
export type ModelPrice = z.infer<typeof modelPricesResponse>['model_prices'][number];
export type ParticipantsResponse = z.infer<typeof participantsResponse>;
export type ChainModel = z.infer<typeof model>;
export type ModelStats = z.infer<typeof modelStats>;
