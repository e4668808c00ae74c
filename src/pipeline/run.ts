/**
 * The data step: fetch → validate → cache → aggregate → write snapshots, in
 * phases that read top to bottom (`runPipeline`). Finished epochs come from the
 * cache when it has them; the current epoch is fetched fresh every run. The
 * cache and `data/` change together or not at all: the changed data files are
 * staged, the cache is committed, then the staged files are moved into place
 * (a run killed in between is completed by the next; src/snapshot/write.ts).
 */
import pLimit from 'p-limit';
import { ChainClient } from '../chain/client.ts';
import { ChainRequestError } from '../chain/errors.ts';
import { ChainHttp } from '../chain/http.ts';
import type { ParticipantsResponse } from '../chain/schemas.ts';
import { CachedChain, type Fetched } from '../cache/chain.ts';
import { Cache } from '../cache/store.ts';
import { aggregateEpoch } from '../aggregate/epoch.ts';
import { UPGRADE_NAMES, type UpgradeHeights } from '../aggregate/upgrades.ts';
import type { PipelineConfig } from '../config/env.ts';
import { SCHEMA_VERSION, type EpochIndex, type EpochIndexEntry, type EpochSnapshot, type Source } from '../snapshot/schema.ts';
import { applyStaged, buildIndex, discardStaged, recoverStaged, SnapshotStage, type WriteResult } from '../snapshot/write.ts';
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
const unavailableKey = (epoch: number) => `unavailable:${epoch}`;
/**
 * A pruned epoch is retried after this long (a node may be replaced by an archive
 * node), and so is an epoch whose usage a node refused in a way that may last
 * (its usage store switched off): a snapshot kept this long, then made again.
 */
const RETRY_LATER_MS = 6 * 3600_000;

/**
 * The last good run, for stale mode: its index and the snapshots not cached per
 * epoch (the current one, ones kept only for a while). Rewritten only when the
 * set of epochs changes (a new current epoch, a newly finished or fetched one),
 * not every run: the current epoch's figures move with every block, and a cache
 * that changed must be saved again (the rebuild workflow saves only changed caches).
 * So stale mode republishes the current epoch as first seen in it, with its own
 * fetch time.
 */
const LAST_RUN_KEY = `run:last:v${SCHEMA_VERSION}`;
interface LastRun {
  /** The current epoch and every available epoch: when it differs, the record is rewritten. */
  epochs: string;
  index: EpochIndex;
  extra: EpochSnapshot[];
}

/**
 * What became of one finished epoch: its snapshot, whether it came from the cache,
 * and whether the cache keeps it for good (then the last-run record need not repeat it).
 */
type Outcome = { kind: 'snapshot'; snapshot: EpochSnapshot; fromCache: boolean; forever: boolean } | { kind: 'unavailable'; reason: string; pruned: boolean };

/**
 * What the run keeps of a snapshot once it is staged: its index entry, the summary's
 * figures, and the snapshot itself only when the last-run record must repeat it
 * (at 400 epochs × 500 hosts, holding every snapshot took more than 500 MB).
 */
interface Kept {
  entry: EpochIndexEntry;
  usageSource: keyof RunSummary['usageSources'];
  check: EpochCheck;
  snapshot: EpochSnapshot | null;
}

/** What became of one finished epoch once its snapshot, if any, is staged. */
type KeptOutcome = { kind: 'snapshot'; kept: Kept; fromCache: boolean } | Extract<Outcome, { kind: 'unavailable' }>;

/** Stages `snapshot` and keeps what the rest of the run needs of it; `forever`: the cache keeps it for good. */
function stageAndKeep(stage: SnapshotStage, snapshot: EpochSnapshot, forever: boolean): Kept {
  return {
    entry: stage.add(snapshot),
    usageSource: snapshot.usage_source ?? 'none',
    check: {
      epochId: snapshot.epoch_id,
      modelWeight: snapshot.totals.model_weight,
      unassignedWeight: snapshot.totals.unassigned_weight,
      pocWeight: snapshot.totals.poc_weight,
      hostWeight: snapshot.totals.host_weight,
      balanced: snapshot.checks.poc_weight_balanced,
    },
    snapshot: forever ? null : snapshot,
  };
}

/** What the phases hand to the summary. */
interface Collected {
  currentEpoch: number;
  upgrades: UpgradeHeights;
  /** Every available epoch, ascending. */
  kept: Kept[];
  unavailable: RunSummary['unavailable'];
  fromCache: number;
  warnings: string[];
  write: WriteResult;
  stale: RunSummary['stale'];
}

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
  let staged: string | null = null;
  try {
    // 0. A run killed between committing the cache and moving its data into place is finished first.
    const recovered = recoverStaged(config.dataDir, cache.committedInode());
    const chain = new CachedChain(new ChainClient(http), cache, now);
    const collected = await collect(opts, chain, now);
    if (recovered.applied) collected.result.warnings.unshift(`${config.dataDir}: finished the data write of an interrupted run`);
    if (recovered.dropped) collected.result.warnings.unshift(`${config.dataDir}: dropped the staged data of a run that never committed its cache`);
    // The one commit point: staged data counts only once this cache file is in place.
    staged = collected.staged;
    await cache.commit();
    if (staged) applyStaged(config.dataDir, staged);
    return summarise(opts, collected.result, { cache, http, chain, elapsedMs: Date.now() - started });
  } catch (err) {
    if (staged) discardStaged(staged);
    await cache.discard();
    throw err;
  } finally {
    http.close();
  }
}

/** Everything but the commit: the epochs gathered, the data staged, the last-run record kept. */
async function collect(opts: RunOptions, chain: CachedChain, now: () => Date): Promise<{ result: Collected; staged: string }> {
  const { config } = opts;

  // 1. The current epoch, the chain's status and its upgrades: without the current epoch
  //    there is nothing new to publish, so a failure ends the run (or, with
  //    GONKA_ALLOW_STALE, republishes the last good data).
  let start;
  try {
    start = await startRun(chain);
  } catch (err) {
    if (config.allowStale && err instanceof ChainRequestError) return republish(opts, chain, now, err);
    throw err;
  }
  const ctx: RunContext = { chain, source: opts.source, status: start.status, upgrades: start.upgrades.heights, upgradesFinal: start.upgrades.final };
  const currentId = headerOf(start.current.value).epochId;

  // 2. The finished epochs, newest first, and the current one alongside, each snapshot
  //    staged as it comes so that the run never holds them all.
  const stage = SnapshotStage.open(config.dataDir);
  try {
    const warnings: string[] = [];
    const currentJob = gatherEpoch(ctx, start.current, null);
    currentJob.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled" meanwhile
    const outcomes = await walkFinished(ctx, currentId, start.current, config, warnings, opts.onProgress, stage);
    const current = await currentJob;
    warnings.push(...current.warnings);
    const currentKept = stageAndKeep(stage, aggregateEpoch(current.input), false);

    // 3. The index, the last-run record and the manifest, staged for the commit.
    const kept: Kept[] = [];
    const entries: EpochIndexEntry[] = [];
    const unavailable: RunSummary['unavailable'] = [];
    let fromCache = 0;
    for (const [k, o] of [...outcomes.entries()].sort(([a], [b]) => a - b)) {
      if (o.kind === 'unavailable') {
        entries.push({ epoch_id: k, available: false, reason: o.reason });
        unavailable.push({ epochId: k, reason: o.reason });
      } else {
        kept.push(o.kept);
        if (o.fromCache) fromCache++;
      }
    }
    kept.push(currentKept);
    const index = buildIndex(opts.source, now().toISOString(), currentId, [...kept.map((x) => x.entry), ...entries]);
    await keepLastRun(chain.cache, index, kept.flatMap((x) => (x.snapshot ? [x.snapshot] : [])));
    const stagedWrite = stage.finish(index, await chain.cache.seal());
    return {
      staged: stagedWrite.dir,
      result: { currentEpoch: currentId, upgrades: start.upgrades.heights, kept, unavailable, fromCache, warnings, write: stagedWrite.result, stale: null },
    };
  } catch (err) {
    stage.discard();
    throw err;
  }
}

/** The current epoch's participants, the chain's status and the upgrade heights, asked together. */
async function startRun(chain: CachedChain) {
  const [current, status, upgrades] = await Promise.all([chain.currentParticipants(), chain.client.status(), readUpgrades(chain)]);
  return { current, status, upgrades };
}

/**
 * The heights of the upgrades that change what figures mean. A node that cannot
 * say leaves a height unknown (null): the figures that depend on it are then
 * marked unknown instead of the run failing, and nothing computed is cached.
 */
async function readUpgrades(chain: CachedChain): Promise<{ heights: UpgradeHeights; final: boolean }> {
  let final = true;
  const entries = await Promise.all(
    UPGRADE_NAMES.map(async (name) => {
      try {
        return [name, (await chain.appliedPlanHeight(name)).value] as const;
      } catch (err) {
        if (!(err instanceof ChainRequestError)) throw err;
        final = false;
        return [name, null] as const;
      }
    }),
  );
  return { heights: Object.fromEntries(entries) as UpgradeHeights, final };
}

/**
 * Where each finished epoch starts, once known: epoch k ends on the block before
 * k+1 starts, and both are in flight at once, so k waits here for k+1's answer
 * (or 'unknown' when k+1 cannot say).
 */
class EpochStarts {
  private readonly known = new Map<number, Promise<NextEpoch | 'unknown'>>();
  private readonly settle = new Map<number, (s: NextEpoch | 'unknown') => void>();

  constructor(epochs: number[], current: { epochId: number; startHeight: number }) {
    for (const k of epochs) this.known.set(k, new Promise((r) => this.settle.set(k, r)));
    this.known.set(current.epochId, Promise.resolve(current));
  }

  /** The start of epoch `k`, when it is known. */
  of(k: number): Promise<NextEpoch | 'unknown'> {
    return this.known.get(k) ?? Promise.resolve('unknown');
  }

  /** Records epoch `k`'s start; later calls for `k` change nothing. */
  set(k: number, start: NextEpoch | 'unknown'): void {
    this.settle.get(k)?.(start);
  }
}

/**
 * Walks back from the newest finished epoch, a few in flight at once (p-limit
 * starts them in order). When no node has an epoch's history any more (pruned),
 * older ones are gone too, unless the user asked for a first epoch explicitly:
 * the epochs below it are then skipped or dropped.
 */
async function walkFinished(
  ctx: RunContext,
  currentId: number,
  current: Fetched<ParticipantsResponse>,
  config: PipelineConfig,
  warnings: string[],
  onProgress: RunOptions['onProgress'],
  stage: SnapshotStage,
): Promise<Map<number, KeptOutcome>> {
  const first = Math.min(config.firstEpoch ?? 1, currentId);
  const finished: number[] = [];
  for (let k = currentId - 1; k >= first; k--) finished.push(k);
  const starts = new EpochStarts(finished, headerOf(current.value));
  const outcomes = new Map<number, KeptOutcome>();
  const limit = pLimit(config.concurrency);
  let stopAt: number | null = null;
  let done = 0;
  await Promise.all(
    finished.map((k) =>
      limit(async () => {
        if (stopAt !== null && k < stopAt) return starts.set(k, 'unknown');
        try {
          const o = await finishedEpoch(ctx, k, starts, warnings);
          outcomes.set(k, o.kind === 'snapshot' ? { kind: 'snapshot', kept: stageAndKeep(stage, o.snapshot, o.forever), fromCache: o.fromCache } : o);
          if (config.firstEpoch === null && o.kind === 'unavailable' && o.pruned) stopAt = Math.max(stopAt ?? k, k);
        } finally {
          starts.set(k, 'unknown'); // no-op when already set; never leaves a neighbour waiting
        }
        done++;
        onProgress?.({ done, total: finished.length + 1, requests: ctx.chain.client.http.stats.requests, cacheHits: ctx.chain.stats.hits });
      }),
    ),
  );
  if (stopAt !== null) for (const k of outcomes.keys()) if (k < stopAt) outcomes.delete(k);
  return outcomes;
}

/** One finished epoch: from the cache, or fetched, aggregated and cached as far as its parts allow. */
async function finishedEpoch(ctx: RunContext, k: number, starts: EpochStarts, warnings: string[]): Promise<Outcome> {
  const { chain } = ctx;
  const kept = await chain.cache.get<EpochSnapshot>(snapshotKey(k));
  const cached = kept ?? (await chain.cache.get<EpochSnapshot>(retryKey(k)));
  if (cached) {
    starts.set(k, { startHeight: cached.start_height });
    return { kind: 'snapshot', snapshot: cached, fromCache: true, forever: kept !== undefined };
  }
  const known = await chain.cache.get<{ reason: string; pruned: boolean }>(unavailableKey(k));
  if (known) return { kind: 'unavailable', ...known };

  let participants;
  try {
    participants = await chain.participants(k);
  } catch (err) {
    if (!(err instanceof ChainRequestError)) throw err;
    const pruned = err.kind === 'unavailable';
    const reason = err.status === 404 ? `no participant set: ${err.reason}` : err.reason;
    // A 404 for a past epoch (PoC failed) is final; pruned history may come back with another node.
    if (err.kind === 'rejected' && err.status === 404) await chain.cache.set(unavailableKey(k), { reason, pruned });
    else if (pruned) await chain.cache.set(unavailableKey(k), { reason, pruned }, RETRY_LATER_MS);
    return { kind: 'unavailable', reason, pruned };
  }
  const head = headerOf(participants.value);
  if (head.epochId !== k) return { kind: 'unavailable', reason: `the node answered epoch ${head.epochId} for epoch ${k}`, pruned: false };
  starts.set(k, head);

  let gathered;
  try {
    gathered = await gatherEpoch(ctx, participants, await starts.of(k + 1));
  } catch (err) {
    // A past epoch the nodes cannot complete now is listed as unavailable (and retried next run), not fatal.
    if (!(err instanceof ChainRequestError)) throw err;
    return { kind: 'unavailable', reason: err.reason, pruned: false };
  }
  warnings.push(...gathered.warnings);
  const snapshot = aggregateEpoch(gathered.input);
  if (gathered.cache === 'forever') await chain.cache.set(snapshotKey(k), snapshot);
  else if (gathered.cache === 'later') await chain.cache.set(retryKey(k), snapshot, RETRY_LATER_MS);
  return { kind: 'snapshot', snapshot, fromCache: false, forever: gathered.cache === 'forever' };
}

/** Keeps the last-run record for stale mode, rewriting it only when the set of epochs changed. */
async function keepLastRun(cache: Cache, index: EpochIndex, extra: EpochSnapshot[]): Promise<void> {
  const epochs = `${index.current_epoch}:${index.epochs.map((e) => `${e.epoch_id}${e.available ? '' : '-'}`).join(',')}`;
  const stored = await cache.get<LastRun>(LAST_RUN_KEY);
  if (stored?.epochs === epochs) return;
  await cache.set(LAST_RUN_KEY, { epochs, index, extra } satisfies LastRun);
}

/** Stale mode: republishes the last good run from the cache, its index marked stale with the reason. */
async function republish(opts: RunOptions, chain: CachedChain, now: () => Date, cause: ChainRequestError): Promise<{ result: Collected; staged: string }> {
  const last = await chain.cache.get<LastRun>(LAST_RUN_KEY);
  if (!last) throw new Error(`no node answered and the cache holds no earlier run to publish.\n${cause.message}`);
  const extra = new Map(last.extra.map((s) => [s.epoch_id, s]));
  const index: EpochIndex = { ...last.index, stale: { reason: cause.message, checked_at: now().toISOString() } };
  const stage = SnapshotStage.open(opts.config.dataDir);
  try {
    const kept: Kept[] = [];
    for (const e of last.index.epochs) {
      if (!e.available) continue;
      const s = extra.get(e.epoch_id) ?? (await chain.cache.get<EpochSnapshot>(snapshotKey(e.epoch_id)));
      if (!s) throw new Error(`no node answered and the cache lacks epoch ${e.epoch_id} of the last run.\n${cause.message}`);
      kept.push(stageAndKeep(stage, s, true));
    }
    const staged = stage.finish(index, await chain.cache.seal());
    return {
      staged: staged.dir,
      result: {
        currentEpoch: last.index.current_epoch,
        upgrades: Object.fromEntries(UPGRADE_NAMES.map((n) => [n, null])) as UpgradeHeights,
        kept,
        unavailable: last.index.epochs.flatMap((e) => (e.available ? [] : [{ epochId: e.epoch_id, reason: e.reason }])),
        fromCache: kept.length,
        warnings: [],
        write: staged.result,
        stale: { reason: cause.message, dataFetchedAt: last.index.fetched_at },
      },
    };
  } catch (err) {
    stage.discard();
    throw err;
  }
}

/** The run summary, from what the phases collected and what the network and cache saw. */
function summarise(
  opts: RunOptions,
  c: Collected,
  seen: { cache: Cache; http: ChainHttp; chain: CachedChain; elapsedMs: number },
): RunSummary {
  const usageSources: RunSummary['usageSources'] = { dapi_stats: 0, chain_stats: 0, none: 0 };
  if (!c.stale) for (const k of c.kept) usageSources[k.usageSource]++;
  return {
    source: opts.source,
    currentEpoch: c.currentEpoch,
    upgrades: c.upgrades,
    usageSources,
    available: c.kept.length,
    unavailable: c.unavailable,
    fromCache: c.fromCache,
    computed: c.kept.length - c.fromCache,
    requests: seen.http.stats.requests,
    cacheHits: seen.chain.stats.hits,
    nodeFailures: { ...seen.http.stats.failures },
    checks: c.stale ? [] : c.kept.map((k) => k.check),
    write: c.write,
    warnings: [...(seen.cache.warning ? [seen.cache.warning] : []), ...new Set(c.warnings)],
    stale: c.stale,
    elapsedMs: seen.elapsedMs,
  };
}
