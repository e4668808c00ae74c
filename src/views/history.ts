/**
 * Views across epochs, derived once per build from the validated snapshots (load.ts
 * calls these): the time axis of every chart, each epoch's changes against the
 * previous epoch with data, a model's hosted span, peaks, parameter history and
 * removal from the registry, the series its charts plot, the network totals, and
 * the per-row change figures and sparklines of the models table. Pure: the diff and
 * parameter-change logic is in src/views/diffs.ts.
 *
 * Effective weight (raw PoC weight × the model's scale factor, docs/chain-api.md,
 * "Weight") is the figure that compares across models, so it leads everywhere;
 * raw weight is shown beside it. Unknown values are gaps, never zeros.
 */
import { diffEpochs, paramChanges, type EpochDiff, type ParamChange } from './diffs.ts';
import { sparklinePath, type ChartEpoch, type ChartSeries, type ChartValue } from '../display/chart-layout.ts';
import type { RowTrend, TrendData } from '../display/trends.ts';
import type { EpochIndexEntry, EpochSnapshot, ModelRow } from '../snapshot/schema.ts';

/** One epoch of the index on the time axis, with its snapshot when it has data. */
export interface TimelineEpoch {
  epochId: number;
  available: boolean;
  /** Start of the epoch (usage window start, else the index's start time), ISO; null when unknown. */
  start: string | null;
  /** End of the epoch (ISO); null when unknown. */
  end: string | null;
  /** Why the epoch has no data; null when it has. */
  reason: string | null;
  snapshot: EpochSnapshot | null;
}

/** Every epoch of the index, ascending, with dates and snapshots. */
export function buildTimeline(epochs: EpochIndexEntry[], snapshots: Map<number, EpochSnapshot>): TimelineEpoch[] {
  return [...epochs]
    .sort((a, b) => a.epoch_id - b.epoch_id)
    .map((entry) => {
      const snapshot = snapshots.get(entry.epoch_id) ?? null;
      return {
        epochId: entry.epoch_id,
        available: snapshot !== null,
        start: snapshot?.window?.start_time ?? (entry.available ? entry.start_time : null),
        end: snapshot?.window?.end_time ?? (entry.available ? entry.end_time : null),
        reason: entry.available ? null : entry.reason,
        snapshot,
      };
    });
}

/**
 * Each available epoch's changes against the previous available epoch (skipping
 * epochs without data). The oldest available epoch has no entry: nothing to compare.
 */
export function buildEpochDiffs(snapshots: Iterable<EpochSnapshot>): Map<number, EpochDiff> {
  const ascending = [...snapshots].sort((a, b) => a.epoch_id - b.epoch_id);
  const diffs = new Map<number, EpochDiff>();
  for (let i = 1; i < ascending.length; i++) diffs.set(ascending[i]!.epoch_id, diffEpochs(ascending[i - 1]!, ascending[i]!));
  return diffs;
}

/** A model's row in one epoch (structural, so load.ts's ModelEpoch fits). */
export interface ListedEpoch {
  epochId: number;
  row: ModelRow;
  usageUnavailable: string | null;
}

/** When a model was hosted, its peak, and how its parameters changed. */
export interface ModelSummary {
  /** First and last epoch with at least one host; null when never hosted. */
  firstHosted: number | null;
  lastHosted: number | null;
  /** Epochs with at least one host. */
  hostedEpochs: number;
  /** The highest raw weight and the first epoch that reached it; null when it never had weight. */
  peak: { epochId: number; weight: number } | null;
  /** The highest known effective weight and the first epoch that reached it; null when it never had any. */
  peakEffective: { epochId: number; weight: number } | null;
  /** Every change of a tracked parameter, oldest first. */
  paramChanges: ParamChange[];
}

/** The summary of model `id`, given its listed epochs (any order) and every snapshot. */
export function summariseModel(id: string, listed: ListedEpoch[], snapshots: Iterable<EpochSnapshot>): ModelSummary {
  const ascending = [...listed].sort((a, b) => a.epochId - b.epochId);
  const hosted = ascending.filter((e) => e.row.participant_count > 0);
  const peakOf = (value: (row: ModelRow) => number | null) => {
    let peak: { epochId: number; weight: number } | null = null;
    for (const e of ascending) {
      const w = value(e.row);
      if (w !== null && w > 0 && (peak === null || w > peak.weight)) peak = { epochId: e.epochId, weight: w };
    }
    return peak;
  };
  return {
    firstHosted: hosted[0]?.epochId ?? null,
    lastHosted: hosted.at(-1)?.epochId ?? null,
    hostedEpochs: hosted.length,
    peak: peakOf((r) => r.total_weight),
    peakEffective: peakOf((r) => r.effective_weight),
    paramChanges: paramChanges([...snapshots], id),
  };
}

/** When a model left the registry: the epoch, and whether it was deleted during it or before it formed. */
export interface RegistryRemoval {
  epochId: number;
  /** true: deleted during `epochId` (its row there says `removed`); false: gone by the time `epochId` formed. */
  during: boolean;
}

/** `during epoch 106` / `before epoch 106`: when it left, for "Removed from the registry …". */
export function removalText(removal: RegistryRemoval): string {
  return `${removal.during ? 'during' : 'before'} epoch ${removal.epochId}`;
}

/**
 * When model `listed` left the registry, if it is not listed in the registry now:
 * the first epoch after its last `listed` row whose row is `removed`, else the
 * first available epoch after its last `listed` row that no longer lists it (no
 * row, or a row outside the registry). Null for a model listed in the newest
 * epoch that has data, or never listed at all.
 */
export function registryRemoval(listed: ListedEpoch[], availableEpochs: Iterable<number>): RegistryRemoval | null {
  const ascending = [...listed].sort((a, b) => a.epochId - b.epochId);
  const lastListed = ascending.findLastIndex((e) => e.row.registry_status === 'listed');
  const removed = ascending.slice(lastListed + 1).find((e) => e.row.registry_status === 'removed');
  if (removed) return { epochId: removed.epochId, during: true };
  if (lastListed < 0) return null;
  const after = ascending[lastListed]!.epochId;
  const gone = [...availableEpochs].filter((n) => n > after).sort((a, b) => a - b)[0];
  return gone === undefined ? null : { epochId: gone, during: false };
}

/** Why a chart has no value for an epoch. */
export const GAP_NO_DATA = 'no data for this epoch';
export const GAP_NOT_LISTED = 'not listed in this epoch';
export const GAP_NO_USAGE = 'usage unavailable';
export const GAP_NO_FACTOR = 'weight scale factor unknown';
export const GAP_NO_PRICE = 'price not published';

/**
 * The epochs a model's charts span: from its first listed epoch to the newest
 * epoch, reaching back over epochs without data right before it (the model may
 * have been there; those show as gaps).
 */
export function modelChartDomain(timeline: TimelineEpoch[], firstEpoch: number): TimelineEpoch[] {
  let start = timeline.findIndex((t) => t.epochId === firstEpoch);
  if (start < 0) return [];
  while (start > 0 && !timeline[start - 1]!.available) start--;
  return timeline.slice(start);
}

/** The x axis of a chart over these epochs. */
export function chartEpochs(domain: TimelineEpoch[]): ChartEpoch[] {
  return domain.map((t) => ({ epochId: t.epochId, date: t.start }));
}

/** The series of a model's charts. */
export interface ModelSeries {
  epochs: ChartEpoch[];
  effectiveWeight: ChartSeries;
  rawWeight: ChartSeries;
  hosts: ChartSeries;
  mlNodes: ChartSeries;
  inferences: ChartSeries;
  aiTokens: ChartSeries;
  /** GNK per million tokens (exact decimal strings). */
  price: ChartSeries;
}

/** A model's weight, hosts, ML nodes, usage and price across its chart domain; gaps where it has no value. */
export function modelSeries(timeline: TimelineEpoch[], listed: ListedEpoch[], firstEpoch: number): ModelSeries {
  const domain = modelChartDomain(timeline, firstEpoch);
  const byEpoch = new Map(listed.map((e) => [e.epochId, e]));
  const at = domain.map((t) => (t.available ? (byEpoch.get(t.epochId) ?? null) : null));
  const note = (i: number) => (!domain[i]!.available ? GAP_NO_DATA : at[i] ? null : GAP_NOT_LISTED);
  /** `missing`: why a listed row has no value. */
  const series = (label: string, value: (row: ModelRow) => ChartValue, missing: string): ChartSeries => {
    const values = at.map((e) => (e ? value(e.row) : null));
    return { label, values, notes: values.map((v, i) => (v === null ? (note(i) ?? missing) : null)) };
  };
  return {
    epochs: chartEpochs(domain),
    effectiveWeight: series('Effective weight', (r) => r.effective_weight, GAP_NO_FACTOR),
    rawWeight: series('Raw PoC weight', (r) => r.total_weight, GAP_NO_DATA),
    hosts: series('Hosts', (r) => r.participant_count, GAP_NO_DATA),
    mlNodes: series('ML nodes', (r) => r.ml_nodes, GAP_NO_DATA),
    inferences: series('Inferences', (r) => r.inferences, GAP_NO_USAGE),
    aiTokens: series('AI tokens', (r) => r.ai_tokens, GAP_NO_USAGE),
    price: series('GNK per 1M tokens', (r) => r.price.gnk_per_million_tokens, GAP_NO_PRICE),
  };
}

/** The network totals across every epoch of the index. */
export interface NetworkSeries {
  epochs: ChartEpoch[];
  effectiveWeight: ChartSeries;
  rawWeight: ChartSeries;
  hosts: ChartSeries;
  models: ChartSeries;
}

export function networkSeries(timeline: TimelineEpoch[]): NetworkSeries {
  const series = (label: string, value: (s: EpochSnapshot) => number | null, missing = GAP_NO_DATA): ChartSeries => {
    const values = timeline.map((t) => (t.snapshot ? value(t.snapshot) : null));
    return { label, values, notes: values.map((v, i) => (v !== null ? null : timeline[i]!.snapshot ? missing : GAP_NO_DATA)) };
  };
  return {
    epochs: chartEpochs(timeline),
    effectiveWeight: series('Effective weight', (s) => s.totals.effective_weight, GAP_NO_FACTOR),
    rawWeight: series('Raw PoC weight', (s) => s.totals.poc_weight),
    hosts: series('Hosts', (s) => s.totals.hosts),
    models: series('Models hosted', (s) => s.totals.models_hosted),
  };
}

/** How many epochs a table row's sparkline spans. */
export const SPARK_EPOCHS = 14;

/**
 * The models table's change figures for epoch `epochId`: each model's effective
 * weight change against the previous epoch with data and a sparkline of its
 * effective weight over the last `SPARK_EPOCHS` epochs of the index (gaps where it
 * has no row, the epoch no data, or the factor is unknown).
 */
export function epochTrends(timeline: TimelineEpoch[], diffs: Map<number, EpochDiff>, epochId: number): TrendData {
  const end = timeline.findIndex((t) => t.epochId === epochId);
  const snapshot = end >= 0 ? timeline[end]!.snapshot : null;
  if (!snapshot) throw new Error(`epoch ${epochId} has no snapshot`);
  const window = timeline.slice(Math.max(0, end - SPARK_EPOCHS + 1), end + 1);
  const rowsOf = window.map((t) => (t.snapshot ? new Map(t.snapshot.models.map((m) => [m.id, m])) : null));
  const diff = diffs.get(epochId) ?? null;
  const deltas = new Map(diff?.deltas.map((d) => [d.id, d]) ?? []);
  const rows: RowTrend[] = snapshot.models.map((m) => {
    const d = deltas.get(m.id);
    return {
      id: m.id,
      weightDelta: d ? d.effectiveDelta : null,
      weightDeltaPct: d ? d.effectiveDeltaPct : null,
      deltaUnknown: d !== undefined && d.effectiveDelta === null,
      hostsDelta: d ? d.hostsDelta : null,
      isNew: d ? d.isNew : false,
      spark: sparklinePath(rowsOf.map((rows) => rows?.get(m.id)?.effective_weight ?? null)),
    };
  });
  return { epochId, previousEpochId: diff?.previousEpochId ?? null, sparkEpochs: window.length, rows };
}
