/**
 * The data step: fetch → validate → cache → aggregate → write snapshots.
 * Finished epochs come from the cache when it has them; the current epoch is
 * fetched fresh every run. Nothing under `data/` or in the cache changes unless
 * the whole run succeeds.
 */
import pLimit from 'p-limit';
import { ChainClient } from '../chain/client.ts';
import { ChainRequestError } from '../chain/errors.ts';
import { ChainHttp } from '../chain/http.ts';
import { CachedChain } from '../cache/chain.ts';
import { Cache } from '../cache/store.ts';
import { aggregateEpoch } from '../aggregate/epoch.ts';
import { UPGRADE_NAMES, type UpgradeHeights } from '../aggregate/upgrades.ts';
import type { PipelineConfig } from '../config/pipeline.ts';
import { SCHEMA_VERSION, type EpochIndex, type EpochIndexEntry, type EpochSnapshot, type Source } from '../snapshot/schema.ts';
import { buildIndex, writeSnapshots, type WriteResult } from '../snapshot/write.ts';
import { gatherEpoch, headerOf, type NextEpoch, type RunContext } from './epoch-input.ts';

/** Per-epoch figures behind the summary's checks. */
export interface EpochCheck {
  epochId: number;
  modelWeight: number;
  unassignedWeight: number;
  pocWeight: number;
  hostWeight: number;
  balanced: boolean;
}

/** What a run did, for the summary and for tests. */
export interface RunSummary {
  source: Source;
  currentEpoch: number;
  /** The chain upgrades the figures depend on and their heights (0: not applied, null: unknown). */
  upgrades: UpgradeHeights;
  /** Epochs by where their usage comes from (`none`: no source covers the window). */
  usageSources: Record<'dapi_stats' | 'chain_stats' | 'none', number>;
  available: number;
  unavailable: { epochId: number; reason: string }[];
  fromCache: number;
  computed: number;
  requests: number;
  cacheHits: number;
  nodeFailures: Record<string, number>;
  checks: EpochCheck[];
  write: WriteResult;
  warnings: string[];
  /** Set when no node answered and the last good data was published from the cache. */
  stale: { reason: string; dataFetchedAt: string } | null;
  elapsedMs: number;
}

export interface RunOptions {
  config: PipelineConfig;
  source: Source;
  /** The clock for `fetched_at`; the sample chain passes its own fixed clock. */
  now?: () => Date;
  /** Called as epochs finish, for a progress line. */
  onProgress?: (p: { done: number; total: number; requests: number; cacheHits: number }) => void;
}

/** Where an epoch's derived snapshot is cached (dropped by a schema bump, which recomputes it from raw answers). */
export const snapshotKey = (epoch: number) => `snapshot:v${SCHEMA_VERSION}:${epoch}`;
/** Where one kept only for a while is cached (see RETRY_LATER_MS); the last-run record repeats those. */
const retryKey = (epoch: number) => `${snapshotKey(epoch)}:retry`;
/** The last good run: its index, and the snapshots not cached per epoch (current, partial). */
const LAST_RUN_KEY = `run:last:v${SCHEMA_VERSION}`;
interface LastRun {
  index: EpochIndex;
  extra: EpochSnapshot[];
}
const unavailableKey = (epoch: number) => `unavailable:${epoch}`;
/**
 * A pruned epoch is retried after this long (a node may be replaced by an archive
 * node), and so is an epoch whose usage a node refused in a way that may last
 * (its usage store switched off): a snapshot kept this long, then made again.
 */
const RETRY_LATER_MS = 6 * 3600_000;

type Outcome = { kind: 'snapshot'; snapshot: EpochSnapshot; cached: boolean } | { kind: 'unavailable'; reason: string; pruned: boolean };

/** Runs the data step once; throws (leaving cache and data untouched) when the current epoch cannot be had. */
export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const { config } = opts;
  const cache = await Cache.open(config.cachePath);
  const http = new ChainHttp({
    urls: config.apiUrls,
    timeoutMs: config.timeoutMs,
    attempts: config.attempts,
    concurrency: config.concurrency,
    maxBodyBytes: config.maxBodyBytes,
  });
  try {
    const chain = new CachedChain(new ChainClient(http), cache, now);
    const summary = await collect(opts, chain, now);
    summary.warnings.unshift(...(cache.warning ? [cache.warning] : []));
    summary.requests = http.stats.requests;
    summary.nodeFailures = { ...http.stats.failures };
    summary.cacheHits = chain.stats.hits;
    await cache.commit();
    summary.elapsedMs = Date.now() - started;
    return summary;
  } catch (err) {
    await cache.discard();
    throw err;
  } finally {
    http.close();
  }
}

async function collect(opts: RunOptions, chain: CachedChain, now: () => Date): Promise<RunSummary> {
  const { config, source } = opts;
  // The current epoch first: without it there is nothing new to publish, so a
  // failure here ends the run, or with GONKA_ALLOW_STALE publishes the last good data.
  let current, status, upgrades;
  try {
    [current, status, upgrades] = await Promise.all([chain.currentParticipants(), chain.client.status(), readUpgrades(chain)]);
  } catch (err) {
    if (config.allowStale && err instanceof ChainRequestError) return publishStale(opts, chain, now, err);
    throw err;
  }
  const ctx: RunContext = { chain, source, status, upgrades: upgrades.heights, upgradesFinal: upgrades.final };
  const currentHead = headerOf(current.value);
  const currentId = currentHead.epochId;

  const first = Math.min(config.firstEpoch ?? 1, currentId);
  const finished: number[] = [];
  for (let k = currentId - 1; k >= first; k--) finished.push(k);
  const total = finished.length + 1;

  // Headers resolve as soon as an epoch's participants are known, so epoch k can
  // learn where it ends (the first block of k+1) while both are in flight.
  const headers = new Map<number, Promise<NextEpoch | 'unknown'>>();
  const resolvers = new Map<number, (h: NextEpoch | 'unknown') => void>();
  for (const k of finished) headers.set(k, new Promise((r) => resolvers.set(k, r)));
  headers.set(currentId, Promise.resolve(currentHead));

  const outcomes = new Map<number, Outcome>();
  const warnings: string[] = [];
  /** Epochs whose snapshot is in the cache, so the last-run record need not repeat them. */
  const inCache = new Set<number>();
  let done = 0;
  const progress = () => opts.onProgress?.({ done, total, requests: chain.client.http.stats.requests, cacheHits: chain.stats.hits });

  const processFinished = async (k: number): Promise<Outcome> => {
    const resolve = resolvers.get(k)!;
    try {
      const kept = await chain.cache.get<EpochSnapshot>(snapshotKey(k));
      const cached = kept ?? (await chain.cache.get<EpochSnapshot>(retryKey(k)));
      if (cached) {
        if (kept) inCache.add(k);
        resolve({ startHeight: cached.start_height });
        return { kind: 'snapshot', snapshot: cached, cached: true };
      }
      const known = await chain.cache.get<{ reason: string; pruned: boolean }>(unavailableKey(k));
      if (known) {
        resolve('unknown');
        return { kind: 'unavailable', ...known };
      }
      let participants;
      try {
        participants = await chain.participants(k);
      } catch (err) {
        resolve('unknown');
        if (!(err instanceof ChainRequestError)) throw err;
        const pruned = err.kind === 'unavailable';
        const reason = err.status === 404 ? `no participant set: ${err.reason}` : err.reason;
        // A 404 for a past epoch (PoC failed) is final; pruned history may come back with another node.
        if (err.kind === 'rejected' && err.status === 404) await chain.cache.set(unavailableKey(k), { reason, pruned });
        else if (pruned) await chain.cache.set(unavailableKey(k), { reason, pruned }, RETRY_LATER_MS);
        return { kind: 'unavailable', reason, pruned };
      }
      const head = headerOf(participants.value);
      if (head.epochId !== k) {
        resolve('unknown');
        return { kind: 'unavailable', reason: `the node answered epoch ${head.epochId} for epoch ${k}`, pruned: false };
      }
      resolve(head);
      let gathered;
      try {
        gathered = await gatherEpoch(ctx, participants, await headers.get(k + 1)!);
      } catch (err) {
        // A past epoch the nodes cannot complete now is listed as unavailable (and retried next run), not fatal.
        if (!(err instanceof ChainRequestError)) throw err;
        return { kind: 'unavailable', reason: err.reason, pruned: false };
      }
      warnings.push(...gathered.warnings);
      const snapshot = aggregateEpoch(gathered.input);
      if (gathered.cache === 'forever') {
        await chain.cache.set(snapshotKey(k), snapshot);
        inCache.add(k);
      } else if (gathered.cache === 'later') {
        await chain.cache.set(retryKey(k), snapshot, RETRY_LATER_MS);
      }
      return { kind: 'snapshot', snapshot, cached: false };
    } finally {
      resolve('unknown'); // no-op when already resolved; never leaves a neighbour waiting
    }
  };

  // Walk back from the newest finished epoch, a few epochs in flight at once
  // (p-limit starts them in order); when no node has an epoch's history any
  // more (pruned), older ones are gone too, unless the user asked for a first
  // epoch explicitly, so the epochs below it are skipped or dropped.
  const currentJob = gatherEpoch(ctx, current, null);
  currentJob.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled" meanwhile
  const epochLimit = pLimit(config.concurrency);
  let stopAt: number | null = null;
  await Promise.all(
    finished.map((k) =>
      epochLimit(async () => {
        if (stopAt !== null && k < stopAt) return resolvers.get(k)!('unknown');
        const o = await processFinished(k);
        outcomes.set(k, o);
        if (config.firstEpoch === null && o.kind === 'unavailable' && o.pruned) stopAt = Math.max(stopAt ?? k, k);
        done++;
        progress();
      }),
    ),
  );
  if (stopAt !== null) for (const k of outcomes.keys()) if (k < stopAt) outcomes.delete(k);

  const currentGathered = await currentJob;
  warnings.push(...currentGathered.warnings);
  const currentSnapshot = aggregateEpoch(currentGathered.input);
  done++;
  progress();

  const snapshots: EpochSnapshot[] = [];
  const entries: EpochIndexEntry[] = [];
  const unavailable: RunSummary['unavailable'] = [];
  let fromCache = 0;
  const ordered = [...outcomes.entries()].sort(([a], [b]) => a - b);
  for (const [k, o] of ordered) {
    if (o.kind === 'unavailable') {
      entries.push({ epoch_id: k, available: false, reason: o.reason });
      unavailable.push({ epochId: k, reason: o.reason });
    } else {
      snapshots.push(o.snapshot);
      if (o.cached) fromCache++;
    }
  }
  snapshots.push(currentSnapshot);

  const index = buildIndex(source, now().toISOString(), currentId, snapshots, entries);
  const write = writeSnapshots(config.dataDir, index, snapshots);
  await chain.cache.set(LAST_RUN_KEY, { index, extra: snapshots.filter((s) => !inCache.has(s.epoch_id)) } satisfies LastRun);

  const usageSources: RunSummary['usageSources'] = { dapi_stats: 0, chain_stats: 0, none: 0 };
  for (const s of snapshots) usageSources[s.usage_source ?? 'none']++;
  return {
    source,
    currentEpoch: currentId,
    upgrades: upgrades.heights,
    usageSources,
    available: snapshots.length,
    unavailable,
    fromCache,
    computed: snapshots.length - fromCache,
    requests: 0,
    cacheHits: 0,
    nodeFailures: {},
    checks: snapshots.map((s) => ({
      epochId: s.epoch_id,
      modelWeight: s.totals.model_weight,
      unassignedWeight: s.totals.unassigned_weight,
      pocWeight: s.totals.poc_weight,
      hostWeight: s.totals.host_weight,
      balanced: s.checks.poc_weight_balanced,
    })),
    write,
    warnings: [...new Set(warnings)],
    stale: null,
    elapsedMs: 0,
  };
}

/**
 * The heights of the upgrades that change what figures mean. A node that cannot
 * say leaves a height unknown (null): the figures that depend on it are then
 * marked unknown instead of the run failing.
 */
async function readUpgrades(chain: CachedChain): Promise<{ heights: UpgradeHeights; final: boolean }> {
  let final = true;
  const entries = await Promise.all(
    UPGRADE_NAMES.map(async (name) => {
      try {
        return [name, (await chain.appliedPlanHeight(name)).value] as const;
      } catch (err) {
        if (!(err instanceof ChainRequestError)) throw err;
        final = false; // a fault, not an answer: nothing computed from it is kept
        return [name, null] as const;
      }
    }),
  );
  return { heights: Object.fromEntries(entries) as UpgradeHeights, final };
}

/** Republishes the last good run from the cache, its index marked stale with the reason. */
async function publishStale(opts: RunOptions, chain: CachedChain, now: () => Date, cause: ChainRequestError): Promise<RunSummary> {
  const last = await chain.cache.get<LastRun>(LAST_RUN_KEY);
  if (!last) throw new Error(`no node answered and the cache holds no earlier run to publish.\n${cause.message}`);
  const extra = new Map(last.extra.map((s) => [s.epoch_id, s]));
  const snapshots: EpochSnapshot[] = [];
  for (const e of last.index.epochs) {
    if (!e.available) continue;
    const s = extra.get(e.epoch_id) ?? (await chain.cache.get<EpochSnapshot>(snapshotKey(e.epoch_id)));
    if (!s) throw new Error(`no node answered and the cache lacks epoch ${e.epoch_id} of the last run.\n${cause.message}`);
    snapshots.push(s);
  }
  const index: EpochIndex = { ...last.index, stale: { reason: cause.message, checked_at: now().toISOString() } };
  const write = writeSnapshots(opts.config.dataDir, index, snapshots);
  const unavailable = last.index.epochs.flatMap((e) => (e.available ? [] : [{ epochId: e.epoch_id, reason: e.reason }]));
  return {
    source: opts.source,
    currentEpoch: last.index.current_epoch,
    upgrades: Object.fromEntries(UPGRADE_NAMES.map((n) => [n, null])) as UpgradeHeights,
    usageSources: { dapi_stats: 0, chain_stats: 0, none: 0 },
    available: snapshots.length,
    unavailable,
    fromCache: snapshots.length,
    computed: 0,
    requests: 0,
    cacheHits: 0,
    nodeFailures: {},
    checks: [],
    write,
    warnings: [],
    stale: { reason: cause.message, dataFetchedAt: last.index.fetched_at },
    elapsedMs: 0,
  };
}
