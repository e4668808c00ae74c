/**
 * Names the kind of each chain request the data step makes, so the bench can
 * count them per endpoint (participants, blocks, registry, frozen params,
 * usage, status) and check a warm run asked only for what changed.
 */
import type { RecordedRequest } from '../sample-chain/index.ts';

export const REQUEST_KINDS = ['participants', 'blocks', 'models_all', 'epoch_group_data', 'stats', 'status', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type KindCounts = Record<RequestKind, number>;

/** The endpoint family of one request path. */
export function requestKind(path: string): RequestKind {
  if (/^\/v1\/epochs\/[^/]+\/participants$/.test(path)) return 'participants';
  if (path === '/chain-rpc/block') return 'blocks';
  if (path === '/chain-rpc/status') return 'status';
  if (path.endsWith('/models_all')) return 'models_all';
  if (path.includes('/epoch_group_data/')) return 'epoch_group_data';
  if (path.endsWith('/models_stats_by_time')) return 'stats';
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

/**
 * The fewest requests a warm run with one new epoch can make. The new current
 * epoch: its participants, chain status, the latest registry, usage so far, its
 * first block, and one frozen-parameter read per hosted model. The epoch that
 * just finished: the block that ends it, the registry at that block, and usage
 * in its final window. Nothing for epochs finished before.
 */
export function minimalWarmCounts(hostedModelsOfNewEpoch: number): KindCounts {
  return {
    participants: 1,
    blocks: 2,
    models_all: 2,
    epoch_group_data: hostedModelsOfNewEpoch,
    stats: 2,
    status: 1,
    other: 0,
  };
}

/** Epoch named by a participants or epoch_group_data path, else null. */
export function epochNamed(path: string): number | null {
  const m = /^\/v1\/epochs\/(\d+)\/participants$|\/epoch_group_data\/(\d+)$/.exec(path);
  return m ? Number(m[1] ?? m[2]) : null;
}
