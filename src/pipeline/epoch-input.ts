/**
 * Gathers everything one epoch's snapshot needs: heights, block times, the
 * registry and frozen model parameters of that epoch, and usage in the epoch's
 * own time window (SPEC §4.4, §6, §7).
 */
import type { BlockTime, ChainStatus } from '../chain/client.ts';
import { ChainRequestError } from '../chain/errors.ts';
import type { ChainModel, ModelStats, ParticipantsResponse } from '../chain/schemas.ts';
import type { CachedChain, Fetched } from '../cache/chain.ts';
import type { EpochInput } from '../aggregate/epoch.ts';
import type { Source, UsageWindow } from '../snapshot/schema.ts';

/** What the next epoch tells about this one: its first block ends ours. */
export interface EpochHeader {
  epochId: number;
  pocStartHeight: number;
  startHeight: number;
}

/** Reads the header fields of a participants answer. */
export function headerOf(p: ParticipantsResponse): EpochHeader {
  const a = p.active_participants;
  return { epochId: a.epoch_id, pocStartHeight: a.poc_start_block_height, startHeight: a.effective_block_height };
}

/** Run-wide facts every epoch needs. */
export interface RunContext {
  chain: CachedChain;
  source: Source;
  status: ChainStatus;
}

/** An epoch's input plus whether every part was had; a partial one is not cached, so the next run tries again. */
export interface GatheredEpoch {
  input: EpochInput;
  complete: boolean;
}

const reasonOf = (err: unknown) => (err instanceof ChainRequestError ? err.reason : (err as Error).message);
// Only a definitive answer (pruned, not found) makes a partial result final; a fault may pass.
const isDefinitive = (err: unknown) => err instanceof ChainRequestError && (err.kind === 'unavailable' || err.kind === 'rejected');

/** The registry as of `height`, else the nearest state a node still has (SPEC §6). */
async function registryAt(
  ctx: RunContext,
  height: number | undefined,
): Promise<{ fetched: Fetched<ChainModel[]>; height: number | null; kind: EpochInput['registry']['kind'] }> {
  if (height === undefined) return { fetched: await ctx.chain.modelsAll(), height: null, kind: 'registry_at_height' };
  try {
    return { fetched: await ctx.chain.modelsAll(height), height, kind: 'registry_at_height' };
  } catch (err) {
    if (!(err instanceof ChainRequestError) || err.kind !== 'unavailable') throw err;
  }
  // State retention is not exposed; the oldest retained block is the best guess for the oldest state.
  const candidates = [ctx.status.earliestHeight, ctx.status.latest.height].filter((h) => h > height);
  for (const h of candidates) {
    try {
      return { fetched: await ctx.chain.modelsAll(h), height: h, kind: 'registry_nearest' };
    } catch (err) {
      if (!(err instanceof ChainRequestError) || err.kind !== 'unavailable' || h === candidates.at(-1)) throw err;
    }
  }
  throw new Error('unreachable');
}

/** The epoch's window (block times of its first and last block) and the usage in it. */
async function usageOf(
  ctx: RunContext,
  head: EpochHeader,
  endHeight: number | null,
  isCurrent: boolean,
  stamp: <T>(f: Fetched<T>) => T,
): Promise<{ window: UsageWindow; stats: ModelStats[]; endBlock: BlockTime; unavailable: null }> {
  if (endHeight === null) throw new Error(`the end of epoch ${head.epochId} is unknown: the next epoch is unavailable`);
  const [start, endBlock] = await Promise.all([
    ctx.chain.block(head.startHeight).then(stamp),
    isCurrent ? ctx.status.latest : ctx.chain.block(endHeight).then(stamp),
  ]);
  const window: UsageWindow = {
    start_height: head.startHeight,
    end_height: endHeight,
    start_time: start.time,
    end_time: endBlock.time,
    time_from_ms: start.ms,
    time_to_ms: endBlock.ms,
  };
  const stats = stamp(await ctx.chain.modelsStats(start.ms, endBlock.ms, !isCurrent));
  return { window, stats, endBlock, unavailable: null };
}

/**
 * Gathers one epoch. `next` is the following epoch's header (null for the
 * current epoch, whose end is the latest block).
 */
export async function gatherEpoch(
  ctx: RunContext,
  participants: Fetched<ParticipantsResponse>,
  next: EpochHeader | null | 'unknown',
): Promise<GatheredEpoch> {
  const { chain, status } = ctx;
  const head = headerOf(participants.value);
  const isCurrent = next === null;
  let complete = true;
  const stamps = [participants.fetchedAt];
  const stamp = <T>(f: Fetched<T>) => (stamps.push(f.fetchedAt), f.value);

  const endHeight = isCurrent ? status.latest.height : next === 'unknown' ? null : next.startHeight - 1;

  // Registry, frozen parameters and usage are independent: ask for them together.
  const hosted = [...new Set(participants.value.active_participants.participants.flatMap((p) => p.models))].sort();
  const [registry, frozen, usage] = await Promise.all([
    registryAt(ctx, isCurrent ? undefined : (endHeight ?? head.startHeight)),
    Promise.all(
      hosted.map(async (id) => {
        try {
          return [id, stamp(await chain.epochModelSnapshot(head.epochId, id))] as const;
        } catch (err) {
          if (!isDefinitive(err)) complete = false;
          return [id, null] as const;
        }
      }),
    ),
    usageOf(ctx, head, endHeight, isCurrent, stamp).catch((err: unknown) => {
      if (err instanceof ChainRequestError && !isDefinitive(err)) complete = false;
      return { window: null, stats: null, endBlock: isCurrent ? status.latest : null, unavailable: `usage unavailable: ${reasonOf(err)}` };
    }),
  ]);
  stamp(registry.fetched);
  const frozenParams = new Map<string, ChainModel>();
  for (const [id, snap] of frozen) if (snap) frozenParams.set(id, snap);
  const { window, stats, endBlock } = usage;
  const usageUnavailable = usage.unavailable;

  const fetchedAt = stamps.reduce((a, b) => (a > b ? a : b));
  return {
    complete,
    input: {
      source: ctx.source,
      fetchedAt,
      epochId: head.epochId,
      isCurrent,
      pocStartHeight: head.pocStartHeight,
      startHeight: head.startHeight,
      endHeight: endHeight ?? head.startHeight,
      endBlockTime: endBlock?.time ?? null,
      window,
      usageUnavailable,
      participants: participants.value.active_participants.participants,
      registry: { models: registry.fetched.value, height: registry.height, kind: registry.kind },
      frozenParams,
      stats,
    },
  };
}
