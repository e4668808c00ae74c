/**
 * Gathers everything one epoch's snapshot needs (docs/chain-api.md): heights and
 * block times, the epoch's root group and per-model sub-groups (frozen
 * parameters, voting power, scale factors, request count), the registry and the
 * per-model PoC configuration as of the epoch, exclusions, per-host performance,
 * prices and capacity, and usage from whichever source covers the epoch's window.
 */
import type { BlockTime, ChainStatus } from '../chain/client.ts';
import { ChainRequestError } from '../chain/errors.ts';
import type { ChainModel, EpochGroup, ParticipantsResponse, PocModelConfig } from '../chain/schemas.ts';
import type { CachedChain, Fetched } from '../cache/chain.ts';
import type { EpochInput, ModelGroup } from '../aggregate/epoch.ts';
import { PRICE_UNAVAILABLE, type CapacityAnswer, type PriceList } from '../aggregate/pricing.ts';
import { formedWithPerModelScaling, type UpgradeHeights } from '../aggregate/upgrades.ts';
import { decideUsage, isStoreDisabled, planUsage, USAGE_UNAVAILABLE, type SourceAnswer, type UsageOutcome } from '../aggregate/usage.ts';
import type { PocParamsAt } from '../aggregate/weight.ts';
import type { Source, UsageSource, UsageWindow } from '../snapshot/schema.ts';

/** What the next epoch tells about this one: its first block ends ours. */
export interface EpochHeader {
  epochId: number;
  pocStartHeight: number;
  startHeight: number;
  /** Where the participant set was written: the epoch's formation. */
  createdAtHeight: number;
}

/** Reads the header fields of a participants answer. */
export function headerOf(p: ParticipantsResponse): EpochHeader {
  const a = p.active_participants;
  return { epochId: a.epoch_id, pocStartHeight: a.poc_start_block_height, startHeight: a.effective_block_height, createdAtHeight: a.created_at_block_height };
}

/** Run-wide facts every epoch needs. */
export interface RunContext {
  chain: CachedChain;
  source: Source;
  status: ChainStatus;
  upgrades: UpgradeHeights;
  /** False when a node fault left an upgrade height unknown: nothing gathered then is cached. */
  upgradesFinal: boolean;
}

/**
 * How long a gathered epoch may be kept: `forever` when every part was had or
 * definitively refused; `later` when a node failed in a way that may last (a
 * usage store switched off), so it is asked again after a while; `never` after
 * a passing fault, so the next run asks again.
 */
export type CachePolicy = 'forever' | 'later' | 'never';

/** An epoch's input, how long its snapshot may be cached, and what could not be had (for the run summary). */
export interface GatheredEpoch {
  input: EpochInput;
  cache: CachePolicy;
  warnings: string[];
}

const reasonOf = (err: unknown) => (err instanceof ChainRequestError ? err.reason : (err as Error).message);
const isPruned = (err: unknown) => err instanceof ChainRequestError && err.kind === 'unavailable';
const RANK: CachePolicy[] = ['forever', 'later', 'never'];

/** Tracks the weakest cache policy over an epoch's requests, and the faults behind it. */
class Policy {
  value: CachePolicy = 'forever';
  readonly faults: string[] = [];

  /** Notes a failed request: definitive answers (pruned, not found) keep the result final; faults do not. */
  note(err: unknown): void {
    if (!(err instanceof ChainRequestError)) throw err;
    if (err.kind === 'unavailable' || err.kind === 'rejected') return;
    this.faults.push(err.message.replace(/\s*\n\s*/g, ' '));
    const p: CachePolicy = err.kind === 'transient' ? 'never' : 'later';
    this.weaken(p);
  }

  /** At most `p`: a weaker policy wins. */
  weaken(p: CachePolicy): void {
    if (RANK.indexOf(p) > RANK.indexOf(this.value)) this.value = p;
  }
}

/** `fetch` at `height`, else at the nearest later state a node still has, saying which it was. */
async function atNearestState<T>(
  ctx: RunContext,
  height: number,
  fetch: (h: number) => Promise<Fetched<T>>,
): Promise<{ fetched: Fetched<T>; height: number; nearest: boolean }> {
  try {
    return { fetched: await fetch(height), height, nearest: false };
  } catch (err) {
    if (!isPruned(err)) throw err;
  }
  // State retention is not exposed; the oldest retained block is the best guess for the oldest state.
  const candidates = [ctx.status.earliestHeight, ctx.status.latest.height].filter((h) => h > height);
  for (const h of candidates) {
    try {
      return { fetched: await fetch(h), height: h, nearest: true };
    } catch (err) {
      if (!isPruned(err) || h === candidates.at(-1)) throw err;
    }
  }
  throw new ChainRequestError(`state at height ${height} or later`, 'unavailable', null, []);
}

/** The registry as of `height` (undefined: latest), else the nearest state a node still has. */
async function registryAt(
  ctx: RunContext,
  height: number | undefined,
): Promise<{ fetched: Fetched<ChainModel[]>; height: number | null; kind: EpochInput['registry']['kind'] }> {
  if (height === undefined) return { fetched: await ctx.chain.modelsAll(), height: null, kind: 'registry_at_height' };
  const got = await atNearestState(ctx, height, (h) => ctx.chain.modelsAll(h));
  return { fetched: got.fetched, height: got.height, kind: got.nearest ? 'registry_nearest' : 'registry_at_height' };
}

/** The per-model PoC configuration at the epoch's formation, else at a later state (labelled so). */
async function pocParamsAt(ctx: RunContext, createdAt: number, stamp: <T>(f: Fetched<T>) => T): Promise<PocParamsAt> {
  const got = await atNearestState(ctx, createdAt, (h) => ctx.chain.pocModels(h));
  const models: PocModelConfig[] = stamp(got.fetched);
  return { height: got.height, models, kind: got.nearest ? 'params_later_state' : 'params_at_formation' };
}

/** The epoch's window from the block times of its first and last block. */
async function windowOf(
  ctx: RunContext,
  head: EpochHeader,
  endHeight: number,
  isCurrent: boolean,
  stamp: <T>(f: Fetched<T>) => T,
): Promise<{ window: UsageWindow; endBlock: BlockTime }> {
  const [start, endBlock] = await Promise.all([
    ctx.chain.block(head.startHeight).then(stamp),
    isCurrent ? ctx.status.latest : ctx.chain.block(endHeight).then(stamp),
  ]);
  return {
    window: {
      start_height: head.startHeight,
      end_height: endHeight,
      start_time: start.time,
      end_time: endBlock.time,
      time_from_ms: start.ms,
      time_to_ms: endBlock.ms,
    },
    endBlock,
  };
}

/** Asks the planned usage sources in order until one gives figures (docs/chain-api.md, "Usage"). */
async function usageIn(
  ctx: RunContext,
  window: UsageWindow | null,
  final: boolean,
  requests: string | null,
  policy: Policy,
  stamp: <T>(f: Fetched<T>) => T,
): Promise<UsageOutcome> {
  const span = window && { startHeight: window.start_height, endHeight: window.end_height, fromMs: window.time_from_ms, toMs: window.time_to_ms };
  const plan = planUsage(span, ctx.upgrades, ctx.status.latest.ms);
  const answers = new Map<UsageSource, SourceAnswer>();
  for (const p of plan.sources) {
    const from = window!.time_from_ms;
    const to = window!.time_to_ms;
    if (p.cachedOnly) {
      const kept = p.source === 'dapi_stats' ? await ctx.chain.keptDapiModelsStats(from, to) : undefined;
      if (kept) answers.set(p.source, { ok: true, stats: stamp(kept) });
      continue;
    }
    try {
      const fetched = p.source === 'dapi_stats' ? await ctx.chain.dapiModelsStats(from, to, final) : await ctx.chain.chainModelsStats(from, to, final);
      answers.set(p.source, { ok: true, stats: stamp(fetched) });
    } catch (err) {
      const messages = err instanceof ChainRequestError ? err.failures.map((f) => f.message) : [];
      const disabled = messages.some(isStoreDisabled);
      // A store switched off is the nodes' default, said in the usage sentence, not a fault to warn of; ask again later.
      if (disabled) policy.weaken('later');
      else policy.note(err);
      answers.set(p.source, { ok: false, reason: reasonOf(err), disabled });
    }
    const outcome = decideUsage(plan, answers, requests);
    if (outcome.source !== null) return outcome;
  }
  return decideUsage(plan, answers, requests);
}

/** Prices of every model at `height` (undefined: latest). */
async function pricesAt(ctx: RunContext, height: number | undefined, policy: Policy, stamp: <T>(f: Fetched<T>) => T): Promise<PriceList> {
  const at = height ?? ctx.status.latest.height;
  try {
    const list = stamp(await ctx.chain.modelPrices(height));
    return list === null ? { kind: 'not_served', height: at } : { kind: 'list', height: at, prices: list };
  } catch (err) {
    policy.note(err);
    return isPruned(err) ? { kind: 'pruned', height: at } : { kind: 'failed', height: at, reason: reasonOf(err) };
  }
}

/** One model's capacity at `height` (undefined: latest). */
async function capacityAt(ctx: RunContext, id: string, height: number | undefined, policy: Policy, stamp: <T>(f: Fetched<T>) => T): Promise<CapacityAnswer> {
  try {
    const value = stamp(await ctx.chain.modelCapacity(id, height));
    return value === null ? { value: null, reason: PRICE_UNAVAILABLE.capacity } : { value };
  } catch (err) {
    policy.note(err);
    return { value: null, reason: isPruned(err) ? PRICE_UNAVAILABLE.capacityPruned : PRICE_UNAVAILABLE.capacityFailed(reasonOf(err)) };
  }
}

/** `fetch`'s value, or `fallback` (noting the failure) when no node gives it. */
async function optional<T>(fetch: () => Promise<T>, fallback: T, policy: Policy): Promise<T> {
  try {
    return await fetch();
  } catch (err) {
    policy.note(err);
    return fallback;
  }
}

/** What the following epoch tells this one: where it starts, so where this one ends. */
export interface NextEpoch {
  startHeight: number;
}

/**
 * Gathers one epoch. `next` is the following epoch's start (null for the
 * current epoch, whose end is the latest block; 'unknown' when it cannot be had).
 */
export async function gatherEpoch(
  ctx: RunContext,
  participants: Fetched<ParticipantsResponse>,
  next: NextEpoch | null | 'unknown',
): Promise<GatheredEpoch> {
  const { chain, status } = ctx;
  const head = headerOf(participants.value);
  const n = head.epochId;
  const isCurrent = next === null;
  const final = !isCurrent;
  const policy = new Policy();
  if (!ctx.upgradesFinal) policy.value = 'never';
  const stamps = [participants.fetchedAt];
  const stamp = <T>(f: Fetched<T>) => (stamps.push(f.fetchedAt), f.value);

  const root: EpochGroup | null = await optional(async () => stamp(await chain.epochGroup(n, undefined, final)), null, policy);
  // The root group's last block stands in for the next epoch's start when that epoch cannot be read.
  const endHeight = isCurrent
    ? status.latest.height
    : next !== 'unknown'
      ? next.startHeight - 1
      : root && root.last_block_height > 0
        ? root.last_block_height
        : null;
  const stateHeight = isCurrent ? undefined : (endHeight ?? head.startHeight);

  const hosted = new Set(participants.value.active_participants.participants.flatMap((p) => p.models));
  const groupIds = [...new Set([...(root?.sub_group_models ?? []), ...hosted])].sort();
  const frozen = new Map((root?.confirmation_weight_scales ?? []).map((s) => [s.model_id, s.weight_scale_factor]));
  const perModel = formedWithPerModelScaling(ctx.upgrades, head.createdAtHeight);
  const needParams = perModel === true && groupIds.some((id) => !frozen.has(id));

  // Everything below is independent: ask for it together.
  const [registry, groups, params, excluded, performance, prices, capacities, usage] = await Promise.all([
    registryAt(ctx, stateHeight),
    Promise.all(
      groupIds.map(async (id): Promise<[string, ModelGroup] | null> => {
        // A sub-group is fixed when the epoch forms, current or not.
        const g = await optional(async () => stamp(await chain.epochGroup(n, id, true)), null, policy);
        return g && [id, { snapshot: g.model_snapshot, hasVotingPower: g.validation_weights.some((w) => w.voting_power > 0) }];
      }),
    ),
    needParams ? optional(() => pocParamsAt(ctx, head.createdAtHeight, stamp), null, policy) : Promise.resolve(null),
    optional(async () => stamp(await chain.excludedParticipants(n, final)), null, policy),
    optional(async () => stamp(await chain.performanceSummary(n, final)), null, policy),
    pricesAt(ctx, stateHeight, policy, stamp),
    Promise.all(groupIds.map(async (id) => [id, await capacityAt(ctx, id, stateHeight, policy, stamp)] as const)),
    (async () => {
      if (endHeight === null) return { window: null, endBlock: null, usage: decideUsage(planUsage(null, ctx.upgrades, status.latest.ms), new Map(), null) };
      const got = await windowOf(ctx, head, endHeight, isCurrent, stamp).catch((err: unknown) => {
        policy.note(err);
        return null;
      });
      if (got === null) {
        return { window: null, endBlock: isCurrent ? status.latest : null, usage: { source: null, scope: null, stats: null, unavailable: USAGE_UNAVAILABLE.failed('the epoch’s block times could not be read') } };
      }
      return { ...got, usage: await usageIn(ctx, got.window, final, root?.number_of_requests ?? null, policy, stamp) };
    })(),
  ]);
  stamp(registry.fetched);

  const fetchedAt = stamps.reduce((a, b) => (a > b ? a : b));
  return {
    cache: policy.value,
    warnings: policy.faults.map((f) => `epoch ${n}: ${f}`),
    input: {
      source: ctx.source,
      fetchedAt,
      epochId: n,
      isCurrent,
      pocStartHeight: head.pocStartHeight,
      startHeight: head.startHeight,
      endHeight: endHeight ?? head.startHeight,
      endBlockTime: usage.endBlock?.time ?? null,
      window: usage.window,
      usage: usage.usage,
      participants: participants.value.active_participants.participants,
      registry: { models: registry.fetched.value, height: registry.height, kind: registry.kind },
      groups: new Map(groups.filter((g): g is [string, ModelGroup] => g !== null)),
      scale: { perModel, frozen, params },
      excluded,
      performance,
      requests: root?.number_of_requests ?? null,
      prices,
      capacities: new Map(capacities),
    },
  };
}
