/**
 * Zod schemas for every chain response the client reads (SPEC §2–§8), written to
 * the tolerance rules of SPEC §10: integers may arrive as numbers or strings,
 * `/v1` omits zero/empty keys, `/chain-api` and `/chain-rpc` emit `null` or `[]`.
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

/** A list that `/chain-api` may send as `null`, and `/v1` may omit. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

/** Cosmos `Decimal` `{value, exponent}`, either part number or string (SPEC §4.1). */
export const decimal = z.object({ value: int, exponent: int });

// --- /v1/epochs/{epoch}/participants (SPEC §3) --------------------------------

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
    // SPEC §5.1: one node group per model, plus at most one trailing unassigned group.
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

/** Free timestamp of block created_at+1 (SPEC §3.2); Go-JSON or SDK-style (§9). */
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

// --- /chain-api models (SPEC §4.1, §4.4) ----------------------------------------

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
});

export const modelsAllResponse = z.object({ model: list(model) });

export const epochGroupDataResponse = z.object({
  epoch_group_data: z.object({
    model_snapshot: model.nullish().transform((v) => v ?? null),
  }),
});

// --- /chain-api stats (SPEC §4.2) ------------------------------------------------

export const modelStats = z.object({
  model: z.string(),
  ai_tokens: bigUintString,
  inferences: uint,
});

export const modelsStatsResponse = z.object({ stats_models: list(modelStats) });

// --- /chain-rpc (SPEC §8) --------------------------------------------------------

export const rpcBlockResponse = z.object({
  result: z.object({
    block: z.object({ header: z.object({ height: uint, time: z.string().datetime({ offset: true, precision: undefined }) }) }),
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

// --- error bodies (SPEC §3.3, §4, §8) ---------------------------------------------

/** Any of the three error envelopes; used only to extract a message. */
export const errorBody = z.union([
  z.object({ error: z.string() }),
  z.object({ code: z.number(), message: z.string() }),
  z.object({ error: z.object({ code: z.number(), message: z.string().optional(), data: z.string().optional() }) }),
]);

export type Participant = z.infer<typeof participant>;
export type ParticipantsResponse = z.infer<typeof participantsResponse>;
export type ChainModel = z.infer<typeof model>;
export type ModelStats = z.infer<typeof modelStats>;
