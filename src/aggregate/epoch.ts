/**
 * Per-epoch aggregation: pure functions from validated chain data to a snapshot.
 * No I/O here, so every rule can be tested on hand-made epochs.
 */
import type { ChainModel, ModelStats, Participant } from '../chain/schemas.ts';
import { concentration } from './concentration.ts';
import {
  SCHEMA_VERSION,
  epochSnapshotSchema,
  type EpochSnapshot,
  type ModelRow,
  type ParamsSource,
  type Source,
  type UsageWindow,
} from '../snapshot/schema.ts';

/** Per-model weight, hosts and ML nodes, plus the unassigned remainder (SPEC §5). */
export interface WeightTally {
  /** Per model: weight, ML nodes, and weight and ML nodes per host. */
  models: Map<string, { weight: number; mlNodes: number; hosts: Map<string, { weight: number; mlNodes: number }> }>;
  unassignedWeight: number;
  unassignedMlNodes: number;
  pocWeight: number;
  hostWeight: number;
  hosts: number;
}

/** Pairs `models[i]` with `ml_nodes[i]`; groups past the models (the trailing unassigned group) are kept apart. */
export function tallyWeights(participants: Participant[]): WeightTally {
  const tally: WeightTally = { models: new Map(), unassignedWeight: 0, unassignedMlNodes: 0, pocWeight: 0, hostWeight: 0, hosts: 0 };
  const seen = new Set<string>();
  for (const p of participants) {
    if (!seen.has(p.index)) {
      seen.add(p.index);
      tally.hosts++;
    }
    tally.hostWeight += p.weight;
    p.models.forEach((model, i) => {
      const group = p.ml_nodes[i]?.ml_nodes ?? [];
      let row = tally.models.get(model);
      if (!row) tally.models.set(model, (row = { weight: 0, hosts: new Map(), mlNodes: 0 }));
      let host = row.hosts.get(p.index);
      if (!host) row.hosts.set(p.index, (host = { weight: 0, mlNodes: 0 }));
      host.mlNodes += group.length;
      row.mlNodes += group.length;
      for (const n of group) {
        row.weight += n.poc_weight;
        host.weight += n.poc_weight;
      }
    });
    p.ml_nodes.forEach((group, i) => {
      for (const n of group.ml_nodes) {
        tally.pocWeight += n.poc_weight;
        if (i >= p.models.length) {
          tally.unassignedWeight += n.poc_weight;
          tally.unassignedMlNodes++;
        }
      }
    });
  }
  return tally;
}

/** Everything one epoch's snapshot is computed from, already fetched and validated. */
export interface EpochInput {
  source: Source;
  fetchedAt: string;
  epochId: number;
  isCurrent: boolean;
  pocStartHeight: number;
  startHeight: number;
  endHeight: number;
  /** Time of the block at `endHeight`, when known. */
  endBlockTime: string | null;
  window: UsageWindow | null;
  /** Set when usage could not be had; `stats` is then null. */
  usageUnavailable: string | null;
  participants: Participant[];
  registry: { models: ChainModel[]; height: number | null; kind: 'registry_at_height' | 'registry_nearest' };
  /** Model parameters frozen at epoch formation, by model id. */
  frozenParams: Map<string, ChainModel>;
  stats: ModelStats[] | null;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rounds a share to 6 decimals so the JSON is stable and readable. */
export function roundShare(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 1e6) / 1e6 : 0;
}

function paramsOf(model: ChainModel | undefined) {
  return {
    proposed_by: model ? model.proposed_by : null,
    v_ram: model ? String(model.v_ram) : null,
    throughput_per_nonce: model ? String(model.throughput_per_nonce) : null,
    units_of_compute_per_token: model ? String(model.units_of_compute_per_token) : null,
    hf_repo: model ? model.hf_repo : null,
    hf_commit: model ? model.hf_commit : null,
    model_args: model ? [...model.model_args] : null,
    validation_threshold: model?.validation_threshold
      ? { value: String(model.validation_threshold.value), exponent: model.validation_threshold.exponent }
      : null,
  };
}

/** Sums usage per model id (a node may repeat an id), keeping every entry, known model or not. */
export function mergeStats(stats: ModelStats[]): Map<string, { inferences: number; aiTokens: bigint }> {
  const out = new Map<string, { inferences: number; aiTokens: bigint }>();
  for (const s of stats) {
    const row = out.get(s.model) ?? { inferences: 0, aiTokens: 0n };
    row.inferences += s.inferences;
    row.aiTokens += BigInt(s.ai_tokens);
    out.set(s.model, row);
  }
  return out;
}

/** Builds the epoch snapshot: one row per model in the registry or hosted, sorted by weight desc then id. */
export function aggregateEpoch(input: EpochInput): EpochSnapshot {
  const tally = tallyWeights(input.participants);
  const registry = new Map(input.registry.models.map((m) => [m.id, m]));
  const usage = input.stats ? mergeStats(input.stats) : null;
  const modelWeight = [...tally.models.values()].reduce((s, m) => s + m.weight, 0);
  const ids = [...new Set([...registry.keys(), ...tally.models.keys()])];

  const models: ModelRow[] = ids.map((id) => {
    const hosted = tally.models.get(id);
    const frozen = input.frozenParams.get(id);
    const listed = registry.get(id);
    const params_source: ParamsSource = frozen
      ? { kind: 'epoch_snapshot', height: input.pocStartHeight }
      : listed
        ? { kind: input.registry.kind, height: input.registry.height }
        : { kind: 'none', height: null };
    const used = usage?.get(id);
    const hosts = [...(hosted?.hosts ?? [])]
      .map(([address, h]) => ({ address, ml_nodes: h.mlNodes, weight: h.weight, share: roundShare(h.weight, hosted!.weight) }))
      .sort((a, b) => b.weight - a.weight || byId(a.address, b.address));
    return {
      id,
      total_weight: hosted?.weight ?? 0,
      participant_count: hosted?.hosts.size ?? 0,
      ml_nodes: hosted?.mlNodes ?? 0,
      share: roundShare(hosted?.weight ?? 0, modelWeight),
      in_registry: listed !== undefined,
      ...paramsOf(frozen ?? listed),
      params_source,
      inferences: usage ? (used?.inferences ?? 0) : null,
      ai_tokens: usage ? String(used?.aiTokens ?? 0n) : null,
      concentration: concentration(hosts.map((h) => h.weight)),
      hosts,
    };
  });
  models.sort((a, b) => b.total_weight - a.total_weight || byId(a.id, b.id));

  const stats = usage
    ? [...usage.entries()]
        .sort(([a], [b]) => byId(a, b))
        .map(([model, u]) => ({ model, ai_tokens: String(u.aiTokens), inferences: u.inferences }))
    : [];

  const snapshot: EpochSnapshot = {
    schema_version: SCHEMA_VERSION,
    source: input.source,
    fetched_at: input.fetchedAt,
    epoch_id: input.epochId,
    height: input.endHeight,
    is_current: input.isCurrent,
    cached_at: input.fetchedAt,
    current_block_timestamp: input.endBlockTime,
    poc_start_block_height: input.pocStartHeight,
    start_height: input.startHeight,
    end_height: input.endHeight,
    window: input.window,
    usage_unavailable: input.usageUnavailable,
    registry: { height: input.registry.height, kind: input.registry.kind },
    totals: {
      model_weight: modelWeight,
      unassigned_weight: tally.unassignedWeight,
      poc_weight: tally.pocWeight,
      host_weight: tally.hostWeight,
      hosts: tally.hosts,
      ml_nodes: [...tally.models.values()].reduce((s, m) => s + m.mlNodes, 0) + tally.unassignedMlNodes,
      unassigned_ml_nodes: tally.unassignedMlNodes,
      models_hosted: models.filter((m) => m.participant_count > 0).length,
    },
    checks: {
      poc_weight_balanced: modelWeight + tally.unassignedWeight === tally.pocWeight,
      host_weight_equals_poc_weight: tally.hostWeight === tally.pocWeight,
    },
    models,
    stats,
  };
  // Parsing fixes the key order (deterministic JSON) and catches an aggregation bug before it is written.
  return epochSnapshotSchema.parse(snapshot);
}
