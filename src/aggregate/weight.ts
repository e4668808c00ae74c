/**
 * Effective weight: raw PoC weight made comparable across models by the chain's
 * per-model scale factor (docs/chain-api.md, "Weight"). Pure and exact: factors
 * are decimals whose value can pass 2^53, so all arithmetic is BigInt.
 */
import type { ChainDecimal, PocModelConfig } from '../chain/schemas.ts';
import type { Decimal, WeightScale } from '../snapshot/schema.ts';

/** floor(raw × factor), exactly; a null or zero factor means 1 (the chain's rule). */
export function scaleFloor(raw: number, factor: Decimal | null): number {
  if (factor === null || /^-?0+$/.test(factor.value)) return raw;
  const v = BigInt(factor.value);
  if (v < 0n) throw new RangeError(`negative weight scale factor ${factor.value}e${factor.exponent}`);
  const r = BigInt(raw);
  const out = factor.exponent >= 0 ? r * v * 10n ** BigInt(factor.exponent) : (r * v) / 10n ** BigInt(-factor.exponent);
  const n = Number(out);
  if (!Number.isSafeInteger(n)) throw new RangeError(`effective weight ${out} of raw ${raw} × ${factor.value}e${factor.exponent} passes 2^53`);
  return n;
}

/** The per-model PoC configuration read at some height. */
export interface PocParamsAt {
  height: number;
  models: PocModelConfig[];
  /** The formation height itself, or a later state because that one is pruned everywhere. */
  kind: 'params_at_formation' | 'params_later_state';
}

/** What an epoch tells about one model's scaling. */
export interface ScaleInputs {
  /** Formed by v0.2.12+ code (null: the upgrade height is unknown). */
  perModel: boolean | null;
  /** The root group's `confirmation_weight_scales` (v0.2.13+), by model id; empty before. */
  frozen: ReadonlyMap<string, ChainDecimal | null>;
  /** `params.poc_params.models` as read for the epoch; null when not needed or not available. */
  params: PocParamsAt | null;
  /** Whether any member of the model's sub-group has voting power; null when the sub-group is unknown. */
  hasVotingPower: boolean | null;
}

const copy = (d: ChainDecimal | null): Decimal | null => (d === null ? null : { value: d.value, exponent: d.exponent });

/** The factor, its source and whether the model counts, by the order of docs/chain-api.md "Weight". */
export function weightScaleOf(modelId: string, s: ScaleInputs): WeightScale {
  if (s.perModel === false) return { factor: null, source: 'before_per_model_scaling', height: null, eligible: true };
  if (s.perModel === null) return { factor: null, source: 'unknown', height: null, eligible: null };
  const inFrozen = s.frozen.has(modelId);
  // A model in the frozen list counts; otherwise only when its sub-group gave voting power.
  const eligible = inFrozen ? true : s.hasVotingPower;
  if (inFrozen) return { factor: copy(s.frozen.get(modelId) ?? null), source: 'confirmation_weight_scales', height: null, eligible };
  if (s.params === null) return { factor: null, source: 'unknown', height: null, eligible };
  const config = s.params.models.find((m) => m.model_id === modelId);
  return { factor: copy(config?.weight_scale_factor ?? null), source: s.params.kind, height: s.params.height, eligible };
}

/** A host's effective weight for a model: floor(factor × raw) when the model counts, 0 when not, null when unknown. */
export function effectiveOf(raw: number, scale: WeightScale): number | null {
  if (scale.eligible === false) return 0;
  if (scale.eligible === null || scale.source === 'unknown') return null;
  return scaleFloor(raw, scale.factor);
}
