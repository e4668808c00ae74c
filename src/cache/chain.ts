/**
 * The chain client behind the cache. Answers that can no longer change
 * (finished epochs, past blocks, state at a fixed height, frozen groups,
 * finished usage windows, applied upgrades) are kept for good; everything else
 * goes to the network each run. A finished window's usage, once fetched, is
 * never asked again, so the site keeps what the nodes have since forgotten.
 */
import type { BlockTime, ChainClient } from '../chain/client.ts';
import {
  model,
  type ChainModel,
  type EpochGroup,
  type ExcludedItem,
  type ModelPrice,
  type ModelStats,
  type ParticipantsResponse,
  type PerformanceItem,
  type PocModelConfig,
} from '../chain/schemas.ts';
import { z } from 'zod';
import type { Cache } from './store.ts';

/**
 * Prefix of every raw entry. A kind whose kept shape changes gets a new key name
 * (or a `normalise` step) instead of a bump: a bump would drop answers for
 * history the nodes have since pruned, which can never be fetched again.
 */
export const RAW_VERSION = 1;

/** Re-reads a registry kept by an older version (it lacked the never-set fields, which default). */
const registry = z.array(model);

/** A value and when it was fetched from a node (kept with it in the cache). */
export interface Fetched<T> {
  value: T;
  fetchedAt: string;
}

/** Counts of cache use for the run summary. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** ChainClient with a cache in front of its immutable answers. */
export class CachedChain {
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  constructor(
    readonly client: ChainClient,
    readonly cache: Cache,
    private readonly now: () => Date,
  ) {}

  /** A kept answer, without asking the network; undefined when there is none. */
  private async kept<T>(key: string): Promise<Fetched<T> | undefined> {
    const hit = await this.cache.get<Fetched<T>>(`raw:v${RAW_VERSION}:${key}`);
    if (hit) this.stats.hits++;
    return hit;
  }

  private async through<T>(key: string, immutable: boolean, fetch: () => Promise<T>, normalise?: (kept: T) => T): Promise<Fetched<T>> {
    const cacheKey = `raw:v${RAW_VERSION}:${key}`;
    if (immutable) {
      const hit = await this.cache.get<Fetched<T>>(cacheKey);
      if (hit) {
        this.stats.hits++;
        return normalise ? { value: normalise(hit.value), fetchedAt: hit.fetchedAt } : hit;
      }
    }
    this.stats.misses++;
    const fetched: Fetched<T> = { value: await fetch(), fetchedAt: this.now().toISOString() };
    // Even a fresh read is stored when the answer is final (the current epoch's participant set is).
    if (immutable) await this.cache.set(cacheKey, fetched);
    return fetched;
  }

  /** Participants of a finished epoch; cached for good. */
  participants(epoch: number): Promise<Fetched<ParticipantsResponse>> {
    return this.through(`participants:${epoch}`, true, () => this.client.participants(epoch));
  }

  /**
   * Participants of the current epoch: always fetched, and kept under the epoch's
   * id the first time (the set is final), so the epoch keeps its first fetch time.
   */
  async currentParticipants(): Promise<Fetched<ParticipantsResponse>> {
    const got = await this.through('participants:current', false, () => this.client.participants('current'));
    const key = `raw:v${RAW_VERSION}:participants:${got.value.active_participants.epoch_id}`;
    if (!(await this.cache.has(key))) await this.cache.set(key, got);
    return got;
  }

  /** A block's time; blocks never change once produced. */
  block(height: number): Promise<Fetched<BlockTime>> {
    return this.through(`block:${height}`, true, () => this.client.block(height));
  }

  /** The height an upgrade ran at; kept once it has run (it cannot run again), asked each run until then. */
  async appliedPlanHeight(name: string): Promise<Fetched<number | null>> {
    const key = `raw:v${RAW_VERSION}:applied_plan:${name}`;
    const hit = await this.cache.get<Fetched<number | null>>(key);
    if (hit) {
      this.stats.hits++;
      return hit;
    }
    const got = await this.through(`applied_plan:${name}`, false, () => this.client.appliedPlanHeight(name));
    if (got.value !== null && got.value > 0) await this.cache.set(key, got);
    return got;
  }

  /** The registry at a fixed height (cached), or at the latest state (fetched). */
  modelsAll(height?: number): Promise<Fetched<ChainModel[]>> {
    return this.through(`models_all@${height ?? 'latest'}`, height !== undefined, () => this.client.modelsAll(height), (kept) => registry.parse(kept));
  }

  /** The root group of an epoch, or a model's sub-group; `final` once the epoch is finished (its counters stop). */
  epochGroup(epoch: number, modelId: string | undefined, final: boolean): Promise<Fetched<EpochGroup | null>> {
    // `group:` (not the older `epoch_group_data:`, which kept only the model snapshot).
    return this.through(`group:${epoch}:${modelId ?? ''}`, final, () => this.client.epochGroup(epoch, modelId));
  }

  /** The per-model PoC configuration at a fixed height (cached), or at the latest state. */
  pocModels(height?: number): Promise<Fetched<PocModelConfig[]>> {
    return this.through(`poc_models@${height ?? 'latest'}`, height !== undefined, () => this.client.pocModels(height));
  }

  /** Exclusions of an epoch; final once the epoch is finished. */
  excludedParticipants(epoch: number, final: boolean): Promise<Fetched<ExcludedItem[] | null>> {
    return this.through(`excluded:${epoch}`, final, () => this.client.excludedParticipants(epoch));
  }

  /** Per-host performance of an epoch; final once the epoch is finished. */
  performanceSummary(epoch: number, final: boolean): Promise<Fetched<PerformanceItem[] | null>> {
    return this.through(`performance:${epoch}`, final, () => this.client.performanceSummary(epoch));
  }

  /** Per-token prices at a fixed height (cached), or at the latest state. */
  modelPrices(height?: number): Promise<Fetched<ModelPrice[] | null>> {
    return this.through(`prices@${height ?? 'latest'}`, height !== undefined, () => this.client.modelPrices(height));
  }

  /** A model's capacity at a fixed height (cached), or at the latest state. */
  modelCapacity(modelId: string, height?: number): Promise<Fetched<string | null>> {
    return this.through(`capacity:${modelId}@${height ?? 'latest'}`, height !== undefined, () => this.client.modelCapacity(modelId, height));
  }

  /** The chain's usage in a window; final once the window is in the past (`final`). */
  chainModelsStats(fromMs: number, toMs: number, final: boolean): Promise<Fetched<ModelStats[]>> {
    return this.through(`stats:${fromMs}-${toMs}`, final, () => this.client.chainModelsStats(fromMs, toMs));
  }

  /** A node's usage store for a window; final once the window is in the past, so it outlives the node's retention. */
  dapiModelsStats(fromMs: number, toMs: number, final: boolean): Promise<Fetched<ModelStats[]>> {
    return this.through(`stats:dapi:${fromMs}-${toMs}`, final, () => this.client.dapiModelsStats(fromMs, toMs));
  }

  /** The store's answer for a window as an earlier run kept it, if any (the nodes have since forgotten it). */
  keptDapiModelsStats(fromMs: number, toMs: number): Promise<Fetched<ModelStats[]> | undefined> {
    return this.kept(`stats:dapi:${fromMs}-${toMs}`);
  }
}
