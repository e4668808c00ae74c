/**
 * The chain client behind the cache. Answers that can no longer change
 * (finished epochs, past blocks, state at a fixed height, frozen model
 * snapshots) are kept for good; everything else goes to the network each run.
 */
import type { BlockTime, ChainClient } from '../chain/client.ts';
import type { ChainModel, ModelStats, ParticipantsResponse } from '../chain/schemas.ts';
import type { Cache } from './store.ts';

/** Bumped when the normalised raw shape kept in the cache changes; old entries are then refetched. */
export const RAW_VERSION = 1;

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

  private async through<T>(key: string, immutable: boolean, fetch: () => Promise<T>): Promise<Fetched<T>> {
    const cacheKey = `raw:v${RAW_VERSION}:${key}`;
    if (immutable) {
      const hit = await this.cache.get<Fetched<T>>(cacheKey);
      if (hit) {
        this.stats.hits++;
        return hit;
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

  /** The registry at a fixed height (cached), or at the latest state (fetched). */
  modelsAll(height?: number): Promise<Fetched<ChainModel[]>> {
    return this.through(`models_all@${height ?? 'latest'}`, height !== undefined, () => this.client.modelsAll(height));
  }

  /** A model's parameters as frozen when the epoch formed; final once the epoch exists. */
  epochModelSnapshot(epoch: number, modelId: string): Promise<Fetched<ChainModel | null>> {
    return this.through(`epoch_group_data:${epoch}:${modelId}`, true, () => this.client.epochModelSnapshot(epoch, modelId));
  }

  /** Usage in a window; final once the window is in the past (`immutable`). */
  modelsStats(fromMs: number, toMs: number, immutable: boolean): Promise<Fetched<ModelStats[]>> {
    return this.through(`stats:${fromMs}-${toMs}`, immutable, () => this.client.modelsStats(fromMs, toMs));
  }
}
