/**
 * Per-epoch aggregation: pure functions from validated chain data to a snapshot.
 * No I/O here, so every rule can be tested on hand-made epochs.
 */
import { compareIds } from '../snapshot/order.ts';
import type { ChainModel, ExcludedItem, ModelStats, Participant, PerformanceItem } from '../chain/schemas.ts';
import { concentration } from './concentration.ts';
import { contextLengthOf, paramsOf, registryStatusOf } from './params.ts';
import { capacityOf, priceOf, type CapacityAnswer, type PriceList } from './pricing.ts';
import type { UsageOutcome } from './usage.ts';
import { effectiveOf, weightScaleOf, type ScaleInputs } from './weight.ts';
import {
  SCHEMA_VERSION,
  epochSnapshotSchema,
  type EpochSnapshot,
  type ExcludedParticipant,
  type HostPerformance,
  type ModelHost,
  type ModelRow,
  type ParamsSource,
  type Source,
  type UsageWindow,
} from '../snapshot/schema.ts';

/** Per-model weight, hosts and ML nodes, plus the unassigned remainder (docs/chain-api.md, "Weight"). */
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

/** What an epoch's sub-group of one model tells: the parameters frozen at formation and whether it counts. */
export interface ModelGroup {
  snapshot: ChainModel | null;
  /** Any member with voting power (v0.2.12+: the model counts toward consensus). */
  hasVotingPower: boolean;
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
  usage: UsageOutcome;
  participants: Participant[];
  /** `models_all` as read for the epoch; `kind` registry_nearest when that was a later state. */
  registry: { models: ChainModel[]; height: number | null; kind: 'registry_at_height' | 'registry_nearest' };
  /** The epoch's sub-groups by model id (models registered when it formed). */
  groups: Map<string, ModelGroup>;
  /** Epoch-wide inputs of the weight scale factor (all but the per-model voting power). */
  scale: Omit<ScaleInputs, 'hasVotingPower'>;
  /** The chain's exclusions; null when it publishes none (before v0.2.5). */
  excluded: ExcludedItem[] | null;
  /** Per-host performance; null or empty when the chain has none for the epoch. */
  performance: PerformanceItem[] | null;
  /** The root group's request count; null when the root group could not be read. */
  requests: string | null;
  prices: PriceList;
  capacities: Map<string, CapacityAnswer>;
}

const byId = compareIds;

/** Rounds a share to 6 decimals so the JSON is stable and readable. */
export function roundShare(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 1e6) / 1e6 : 0;
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

/** The exclusions by address, sorted (an address listed twice keeps its first, lowest-height entry). */
function exclusionsOf(items: ExcludedItem[] | null): ExcludedParticipant[] {
  const byAddress = new Map<string, ExcludedParticipant>();
  const sorted = [...(items ?? [])].sort((a, b) => byId(a.address, b.address) || a.exclusion_block_height - b.exclusion_block_height);
  for (const e of sorted) {
    if (!byAddress.has(e.address)) byAddress.set(e.address, { address: e.address, reason: e.reason, exclusion_block_height: e.exclusion_block_height });
  }
  return [...byAddress.values()];
}

/** Per-host performance by address; empty when the chain has none. */
function performanceOf(items: PerformanceItem[] | null): Map<string, HostPerformance> {
  const out = new Map<string, HostPerformance>();
  for (const p of items ?? []) {
    out.set(p.participant_id, { inference_count: p.inference_count, missed_requests: p.missed_requests, rewarded_coins: p.rewarded_coins });
  }
  return out;
}

const sumDigits = (values: string[]) => String(values.reduce((a, v) => a + BigInt(v), 0n));

/** Nulls last, then larger first. */
const byEffectiveDesc = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a);

/**
 * Builds the epoch snapshot: one row per model hosted, registered when the epoch
 * formed, or (read at the epoch's own height) in the registry; sorted by
 * effective weight, then raw weight, descending, then id.
 */
export function aggregateEpoch(input: EpochInput): EpochSnapshot {
  const tally = tallyWeights(input.participants);
  const registry = new Map(input.registry.models.map((m) => [m.id, m]));
  const ownHeight = input.registry.kind === 'registry_at_height';
  const usage = input.usage.stats ? mergeStats(input.usage.stats) : null;
  const excluded = exclusionsOf(input.excluded);
  const exclusion = new Map(excluded.map((e) => [e.address, e]));
  const performance = performanceOf(input.performance);
  const modelWeight = [...tally.models.values()].reduce((s, m) => s + m.weight, 0);
  // A registry read at a later state may hold models added after this epoch: only those the epoch knows count.
  const listedIds = ownHeight ? [...registry.keys()] : [...registry.keys()].filter((id) => input.groups.has(id) || tally.models.has(id));
  const ids = [...new Set([...listedIds, ...input.groups.keys(), ...tally.models.keys()])];

  const models: ModelRow[] = ids.map((id) => {
    const hosted = tally.models.get(id);
    const group = input.groups.get(id);
    const frozen = group?.snapshot ?? undefined;
    const listed = registry.get(id);
    const status = registryStatusOf(listed !== undefined, group !== undefined, ownHeight);
    const params_source: ParamsSource = frozen
      ? { kind: 'epoch_snapshot', height: input.pocStartHeight }
      : listed
        ? { kind: input.registry.kind, height: input.registry.height }
        : { kind: 'none', height: null };
    const weight_scale = weightScaleOf(id, { ...input.scale, hasVotingPower: group ? group.hasVotingPower : null });
    const raw = hosted?.weight ?? 0;
    const hosts: ModelHost[] = [...(hosted?.hosts ?? [])]
      .map(([address, h]) => ({
        address,
        ml_nodes: h.mlNodes,
        weight: h.weight,
        effective_weight: effectiveOf(h.weight, weight_scale),
        share: roundShare(h.weight, raw),
        excluded: exclusion.has(address) ? { reason: exclusion.get(address)!.reason, exclusion_block_height: exclusion.get(address)!.exclusion_block_height } : null,
        performance: performance.get(address) ?? null,
      }))
      .sort((a, b) => b.weight - a.weight || byId(a.address, b.address));
    const effective = hosts.some((h) => h.effective_weight === null) ? null : hosts.reduce((s, h) => s + h.effective_weight!, 0);
    const flagged = hosts.filter((h) => h.excluded !== null);
    const used = usage?.get(id);
    const model = frozen ?? listed;
    return {
      id,
      total_weight: raw,
      effective_weight: effective,
      weight_scale,
      participant_count: hosted?.hosts.size ?? 0,
      ml_nodes: hosted?.mlNodes ?? 0,
      share: null, // set below, once every model's effective weight is known
      raw_share: roundShare(raw, modelWeight),
      excluded_hosts: flagged.length,
      excluded_weight: flagged.reduce((s, h) => s + h.weight, 0),
      in_registry: status === 'listed',
      registry_status: status,
      ...paramsOf(model),
      params_source,
      context_length: contextLengthOf(model),
      price: priceOf(input.prices, id),
      capacity: capacityOf(input.capacities.get(id)),
      // "all": a covering source's silence is 0; "classic_only": it says nothing of devshard use.
      inferences: usage === null ? null : used ? used.inferences : input.usage.scope === 'all' ? 0 : null,
      ai_tokens: usage === null ? null : used ? String(used.aiTokens) : input.usage.scope === 'all' ? '0' : null,
      concentration: concentration(hosts.map((h) => h.weight)),
      hosts,
    };
  });
  const effectiveTotal = models.some((m) => m.effective_weight === null) ? null : models.reduce((s, m) => s + m.effective_weight!, 0);
  for (const m of models) m.share = effectiveTotal === null || m.effective_weight === null ? null : roundShare(m.effective_weight, effectiveTotal);
  models.sort((a, b) => byEffectiveDesc(a.effective_weight, b.effective_weight) || b.total_weight - a.total_weight || byId(a.id, b.id));

  const stats = usage
    ? [...usage.entries()]
        .sort(([a], [b]) => byId(a, b))
        .map(([model, u]) => ({ model, ai_tokens: String(u.aiTokens), inferences: u.inferences }))
    : [];
  const perf = [...performance.values()];

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
    usage_source: input.usage.source,
    usage_scope: input.usage.scope,
    usage_unavailable: input.usage.unavailable,
    registry: { height: input.registry.height, kind: input.registry.kind },
    chain_counters: {
      requests: input.requests,
      inferences: perf.length ? sumDigits(perf.map((p) => p.inference_count)) : null,
      missed_requests: perf.length ? sumDigits(perf.map((p) => p.missed_requests)) : null,
    },
    excluded_participants: excluded,
    totals: {
      model_weight: modelWeight,
      effective_weight: effectiveTotal,
      unassigned_weight: tally.unassignedWeight,
      poc_weight: tally.pocWeight,
      host_weight: tally.hostWeight,
      hosts: tally.hosts,
      excluded_hosts: excluded.length,
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
