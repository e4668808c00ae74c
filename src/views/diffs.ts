/**
 * Pure views across epochs, computed from snapshots at build time: epoch-to-epoch
 * changes, parameter history and concentration of a model's backing.
 *
 * Changes are given for raw PoC weight and for effective weight. Raw weight is
 * scaled per model since per-model scaling (docs/chain-api.md, "Weight"), so only
 * effective weight compares across models: the biggest movers are ranked by it.
 */
import { compareIds } from '../snapshot/order.ts';
import { formatDecimal } from '../display/format.ts';
import type { EpochSnapshot, ModelRow } from '../snapshot/schema.ts';

/** The model parameters whose changes are tracked between epochs. */
export const TRACKED_PARAMS = [
  'hf_commit',
  'v_ram',
  'throughput_per_nonce',
  'units_of_compute_per_token',
  'model_args',
  'validation_threshold',
] as const;
export type TrackedParam = (typeof TRACKED_PARAMS)[number];

/** One parameter of one model that changed between two epochs, values as display strings. */
export interface ParamChange {
  modelId: string;
  epochId: number;
  previousEpochId: number;
  field: TrackedParam;
  from: string | null;
  to: string | null;
}

/** A parameter value as a stable display string (null stays null). */
export function paramText(row: ModelRow, field: TrackedParam): string | null {
  const v = row[field];
  if (v === null) return null;
  if (field === 'model_args') return (v as string[]).join(' ');
  if (field === 'validation_threshold') return formatDecimal(v as { value: string; exponent: number });
  return String(v);
}

/**
 * Every change of a tracked parameter of `modelId` between consecutive
 * available epochs (ascending) in which the model has a registry row.
 */
export function paramChanges(snapshots: EpochSnapshot[], modelId: string): ParamChange[] {
  const changes: ParamChange[] = [];
  let prev: { epochId: number; row: ModelRow } | null = null;
  for (const s of [...snapshots].sort((a, b) => a.epoch_id - b.epoch_id)) {
    const row = s.models.find((m) => m.id === modelId);
    if (!row || !row.in_registry) continue;
    if (prev) {
      for (const field of TRACKED_PARAMS) {
        const from = paramText(prev.row, field);
        const to = paramText(row, field);
        if (from !== to) changes.push({ modelId, epochId: s.epoch_id, previousEpochId: prev.epochId, field, from, to });
      }
    }
    prev = { epochId: s.epoch_id, row };
  }
  return changes;
}

/** One model's change from the previous available epoch. */
export interface ModelDelta {
  id: string;
  /** Raw PoC weight now, and its change (a model without a previous row counts from 0). */
  weight: number;
  weightDelta: number;
  /** null when the previous weight was 0 (no percentage of nothing). */
  weightDeltaPct: number | null;
  /** Effective weight now; null when its scale factor is unknown. */
  effectiveWeight: number | null;
  /** Its change (from 0 without a previous row); null when it or the previous one is unknown. */
  effectiveDelta: number | null;
  /** In percent, 2 decimals; null when the change is unknown or the previous effective weight was 0. */
  effectiveDeltaPct: number | null;
  hosts: number;
  hostsDelta: number;
  /** The model has no row in the previous epoch. */
  isNew: boolean;
}

/** What changed between two epochs. */
export interface EpochDiff {
  previousEpochId: number;
  deltas: ModelDelta[];
  /** Models with weight now and none (or no row) before. */
  added: string[];
  /** Models that had hosts before and have none now. */
  lostAllHosts: string[];
  paramChanges: ParamChange[];
  /** Largest absolute effective weight changes first (at most five; zero and unknown changes left out). */
  biggestMovers: ModelDelta[];
  /** Models left out of the movers because their effective weight change is unknown. */
  unknownMovers: string[];
}

/** A change in percent with 2 decimals; null when there was nothing before. */
const pctOf = (now: number, before: number): number | null => (before > 0 ? Math.round(((now - before) / before) * 1e4) / 1e2 : null);

/** Compares `current` with the previous available epoch `previous`. */
export function diffEpochs(previous: EpochSnapshot, current: EpochSnapshot): EpochDiff {
  const before = new Map(previous.models.map((m) => [m.id, m]));
  const deltas: ModelDelta[] = current.models.map((m) => {
    const p = before.get(m.id);
    const pw = p?.total_weight ?? 0;
    // No previous row: the model had no weight at all, so its effective weight counts from 0 too.
    const pe = p === undefined ? 0 : p.effective_weight;
    const effectiveDelta = m.effective_weight === null || pe === null ? null : m.effective_weight - pe;
    return {
      id: m.id,
      weight: m.total_weight,
      weightDelta: m.total_weight - pw,
      weightDeltaPct: pctOf(m.total_weight, pw),
      effectiveWeight: m.effective_weight,
      effectiveDelta,
      effectiveDeltaPct: effectiveDelta === null || pe === null ? null : pctOf(m.effective_weight!, pe),
      hosts: m.participant_count,
      hostsDelta: m.participant_count - (p?.participant_count ?? 0),
      isNew: p === undefined,
    };
  });
  const changes = current.models.flatMap((m) => {
    const p = before.get(m.id);
    if (!p || !p.in_registry || !m.in_registry) return [];
    return TRACKED_PARAMS.flatMap((field) => {
      const from = paramText(p, field);
      const to = paramText(m, field);
      return from === to ? [] : [{ modelId: m.id, epochId: current.epoch_id, previousEpochId: previous.epoch_id, field, from, to }];
    });
  });
  return {
    previousEpochId: previous.epoch_id,
    deltas,
    added: current.models.filter((m) => m.participant_count > 0 && (before.get(m.id)?.participant_count ?? 0) === 0).map((m) => m.id),
    lostAllHosts: current.models.filter((m) => m.participant_count === 0 && (before.get(m.id)?.participant_count ?? 0) > 0).map((m) => m.id),
    paramChanges: changes,
    biggestMovers: deltas
      .filter((d) => d.effectiveDelta !== null && d.effectiveDelta !== 0)
      .sort((a, b) => Math.abs(b.effectiveDelta!) - Math.abs(a.effectiveDelta!) || compareIds(a.id, b.id))
      .slice(0, 5),
    unknownMovers: deltas.filter((d) => d.effectiveDelta === null).map((d) => d.id),
  };
}
