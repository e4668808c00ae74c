/**
 * Names the kind of each chain request the data step makes, so the bench can
 * count them per endpoint and check that a warm run asked only for what changed.
 */
import type { RecordedRequest } from '../sample-chain/index.ts';

export const REQUEST_KINDS = [
  'participants',
  'blocks',
  'models_all',
  'groups',
  'params',
  'exclusions',
  'performance',
  'prices',
  'capacity',
  'stats',
  'upgrades',
  'status',
  'other',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type KindCounts = Record<RequestKind, number>;

/** The endpoint family of one request path. */
export function requestKind(path: string): RequestKind {
  if (/^\/v1\/epochs\/[^/]+\/participants$/.test(path)) return 'participants';
  if (path === '/chain-rpc/block') return 'blocks';
  if (path === '/chain-rpc/status') return 'status';
  if (path.endsWith('/models_all')) return 'models_all';
  if (path.includes('/epoch_group_data/')) return 'groups';
  if (path.endsWith('/params')) return 'params';
  if (path.includes('/excluded_participants/')) return 'exclusions';
  if (path.includes('/epoch_performance_summary/')) return 'performance';
  if (path.endsWith('/all_model_per_token_prices')) return 'prices';
  if (path.includes('/model_capacity/')) return 'capacity';
  if (path.endsWith('/models_stats_by_time') || path === '/v1/stats/models') return 'stats';
  if (path.includes('/cosmos/upgrade/v1beta1/applied_plan/')) return 'upgrades';
  return 'other';
}

/** Requests per kind (every kind present, zeros included). */
export function countKinds(requests: Pick<RecordedRequest, 'path'>[]): KindCounts {
  const counts = Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as KindCounts;
  for (const r of requests) counts[requestKind(r.path)]++;
  return counts;
}

/** Total of a count record. */
export function totalOf(counts: KindCounts): number {
  return REQUEST_KINDS.reduce((sum, k) => sum + counts[k], 0);
}

/** What the two epoch snapshots a warm run writes tell about the requests it needed. */
export interface WarmEpochs {
  /** Models with a sub-group in the new current epoch / in the epoch that just finished. */
  currentGroups: number;
  finishedGroups: number;
  /** `models_all` pages at the latest state and at the finished epoch's end. */
  currentRegistryPages: number;
  finishedRegistryPages: number;
  /** The new epoch needs the per-model PoC parameters at its formation height. */
  currentParams: boolean;
  /** Usage queries each window needed (0 when no source covers it). */
  currentUsage: number;
  finishedUsage: number;
  /** Upgrades not yet applied when the cache was filled: still asked every run. */
  pendingUpgrades: number;
}

/**
 * The fewest requests a warm run with one new epoch can make. The new current
 * epoch: participants, chain status, its root group and sub-groups, exclusions,
 * performance, the latest registry, prices, capacity per model, its first block,
 * usage so far, and its formation parameters when needed. The epoch that just
 * finished: its root group, exclusions and performance (now final), the block
 * that ends it, the registry, prices and capacities at that block, and usage in
 * its final window. Nothing for epochs finished before.
 */
export function minimalWarmCounts(w: WarmEpochs): KindCounts {
  return {
    participants: 1,
    blocks: 2,
    models_all: w.currentRegistryPages + w.finishedRegistryPages,
    groups: 1 + w.currentGroups + 1,
    params: w.currentParams ? 1 : 0,
    exclusions: 2,
    performance: 2,
    prices: 2,
    capacity: w.currentGroups + w.finishedGroups,
    stats: w.currentUsage + w.finishedUsage,
    upgrades: w.pendingUpgrades,
    status: 1,
    other: 0,
  };
}

/** Epoch named by a participants, group, exclusions or performance path, else null. */
export function epochNamed(path: string): number | null {
  const m = /^\/v1\/epochs\/(\d+)\/participants$|\/(?:epoch_group_data|excluded_participants|epoch_performance_summary)\/(\d+)$/.exec(path);
  return m ? Number(m[1] ?? m[2]) : null;
}
