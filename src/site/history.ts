/**
 * Views across epochs, derived once per build from the validated snapshots (load.ts
 * calls these): the time axis of every chart, each epoch's changes against the
 * previous epoch with data, a model's hosted span, peak and parameter history, the
 * series its charts plot, the network totals, and the per-row change figures and
 * sparklines of the models table. Pure: the diff, parameter-change and
 * concentration logic is the data step's own (src/aggregate/history.ts).
 */
import { diffEpochs, paramChanges, type EpochDiff, type ParamChange } from '../aggregate/history.ts';
import { sparklinePath, type ChartEpoch, type ChartSeries, type ChartValue } from '../components/charts/layout.ts';
import type { RowTrend, TrendData } from '../island/trends.ts';
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
  /** The highest weight and the first epoch that reached it; null when it never had weight. */
  peak: { epochId: number; weight: number } | null;
  /** Every change of a tracked parameter, oldest first. */
  paramChanges: ParamChange[];
}

/** The summary of model `id`, given its listed epochs (any order) and every snapshot. */
export function summariseModel(id: string, listed: ListedEpoch[], snapshots: Iterable<EpochSnapshot>): ModelSummary {
  const ascending = [...listed].sort((a, b) => a.epochId - b.epochId);
  const hosted = ascending.filter((e) => e.row.participant_count > 0);
  let peak: ModelSummary['peak'] = null;
  for (const e of ascending) {
    if (e.row.total_weight > 0 && (peak === null || e.row.total_weight > peak.weight)) peak = { epochId: e.epochId, weight: e.row.total_weight };
  }
  return {
    firstHosted: hosted[0]?.epochId ?? null,
    lastHosted: hosted.at(-1)?.epochId ?? null,
    hostedEpochs: hosted.length,
    peak,
    paramChanges: paramChanges([...snapshots], id),
  };
}

/** Why a chart has no value for an epoch. */
export const GAP_NO_DATA = 'no data for this epoch';
export const GAP_NOT_LISTED = 'not listed in this epoch';
export const GAP_NO_USAGE = 'usage unavailable';

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
  weight: ChartSeries;
  hosts: ChartSeries;
  mlNodes: ChartSeries;
  inferences: ChartSeries;
  aiTokens: ChartSeries;
}

/** A model's weight, hosts, ML nodes and usage across its chart domain; gaps where it has no value. */
export function modelSeries(timeline: TimelineEpoch[], listed: ListedEpoch[], firstEpoch: number): ModelSeries {
  const domain = modelChartDomain(timeline, firstEpoch);
  const byEpoch = new Map(listed.map((e) => [e.epochId, e]));
  const at = domain.map((t) => (t.available ? (byEpoch.get(t.epochId) ?? null) : null));
  const note = (i: number) => (!domain[i]!.available ? GAP_NO_DATA : at[i] ? null : GAP_NOT_LISTED);
  const series = (label: string, value: (row: ModelRow) => ChartValue): ChartSeries => {
    const values = at.map((e) => (e ? value(e.row) : null));
    return { label, values, notes: values.map((v, i) => (v === null ? (note(i) ?? GAP_NO_USAGE) : null)) };
  };
  return {
    epochs: chartEpochs(domain),
    weight: series('Total weight', (r) => r.total_weight),
    hosts: series('Hosts', (r) => r.participant_count),
    mlNodes: series('ML nodes', (r) => r.ml_nodes),
    inferences: series('Inferences', (r) => r.inferences),
    aiTokens: series('AI tokens', (r) => r.ai_tokens),
  };
}

/** The network totals across every epoch of the index. */
export interface NetworkSeries {
  epochs: ChartEpoch[];
  weight: ChartSeries;
  hosts: ChartSeries;
  models: ChartSeries;
}

export function networkSeries(timeline: TimelineEpoch[]): NetworkSeries {
  const series = (label: string, value: (s: EpochSnapshot) => number): ChartSeries => ({
    label,
    values: timeline.map((t) => (t.snapshot ? value(t.snapshot) : null)),
    notes: timeline.map((t) => (t.snapshot ? null : GAP_NO_DATA)),
  });
  return {
    epochs: chartEpochs(timeline),
    weight: series('Total weight', (s) => s.totals.poc_weight),
    hosts: series('Hosts', (s) => s.totals.hosts),
    models: series('Models hosted', (s) => s.totals.models_hosted),
  };
}

/** How many epochs a table row's sparkline spans. */
export const SPARK_EPOCHS = 14;

/**
 * The models table's change figures for epoch `epochId`: each model's change
 * against the previous epoch with data and a sparkline of its weight over the
 * last `SPARK_EPOCHS` epochs of the index (gaps where it has no row or the epoch no data).
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
      weightDelta: d ? d.weightDelta : null,
      weightDeltaPct: d ? d.weightDeltaPct : null,
      hostsDelta: d ? d.hostsDelta : null,
      isNew: d ? d.isNew : false,
      spark: sparklinePath(rowsOf.map((rows) => rows?.get(m.id)?.total_weight ?? null)),
    };
  });
  return { epochId, previousEpochId: diff?.previousEpochId ?? null, sparkEpochs: window.length, rows };
}
