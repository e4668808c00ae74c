/**
 * The sample chain object: options, the fixed clock, and the lazily generated
 * history behind every served response. Nothing here reads the wall clock or
 * Math.random; same options ⇒ byte-identical answers.
 */
import { BlockFactory } from './blocks.ts';
import { COLLATERAL_FROM_EPOCH, GENESIS_HOSTS, HostTable } from './hosts.ts';
import {
  KIMI,
  QWEN3_32B,
  REDHAT_7B,
  REDHAT_UNHOSTED_FROM,
  REGISTRY_EVENTS,
  UNREGISTERED_STATS_MODEL,
  UNREGISTERED_USAGE_EPOCHS,
  eventHeight,
  hostedModelIds,
} from './registry.ts';
import { STRING_FORMAT_EPOCHS, type ChainContext, type FakeResponse } from './responses.ts';
import { BodyCache, route, type FakeRequest } from './routes.ts';
import {
  BlockClock,
  createdAt,
  effectiveHeight,
  epochLength,
  latestHeightFor,
  lowestAvailableHeight,
  pocStart,
  setNewValidators,
} from './timeline.ts';
import { UsageBook } from './usage.ts';

/** Knobs of the sample chain; every default reproduces the documented history. */
export interface SampleChainOptions {
  /** Seed of every generated value; default 42. */
  seed?: number;
  /** Effective (current) epoch; default 36; must be ≥ 3. */
  currentEpoch?: number;
  /** Hosts per epoch once growth saturates (≈ by epoch 36); default 320. */
  maxHosts?: number;
  /**
   * Models in the registry history; default 6, the scripted ones. More adds
   * extras registered in epoch 34 (hosted from 35); fewer still gives the six.
   */
  models?: number;
}

/** Heights of one epoch (SPEC §7.1). */
export interface EpochHeights {
  epoch: number;
  pocStart: number;
  createdAt: number;
  /** created_at + 2, as stored in active_participants. */
  effective: number;
  setNewValidators: number;
  nextPocStart: number;
  length: number;
}

/** Where each scripted feature of the history is, for tests and fixtures. */
export interface SampleChainFeatures {
  genesisHosts: number;
  prunedEpochs: number[];
  stringFormatEpochs: readonly number[];
  collateralFromEpoch: number;
  registryEvents: { epoch: number; height: number; what: string }[];
  kimi: { id: string; firstEpoch: number };
  paramChange: { id: string; firstEpoch: number };
  modelLosingHosts: { id: string; hostedEpochs: [number, number]; unhostedFrom: number };
  unregisteredStatsModel: { id: string; epochs: [number, number] };
  /** Genesis hosts with absent keys: models/ml_nodes absent; seed absent; everything incl. weight absent. */
  specialHosts: { noModels: string; noSeed: string; bare: string; trailingGroup: string; collateral: string; multiModel: string };
}

/** A generated chain history plus the request handler that serves it. */
export interface SampleChain {
  readonly options: Required<SampleChainOptions>;
  readonly currentEpoch: number;
  readonly latestHeight: number;
  /** Lowest block/state height the node still has (epoch 1 is pruned). */
  readonly lowestHeight: number;
  /** Unix ms of the latest block: the chain's fixed "now". */
  readonly nowMs: number;
  readonly features: SampleChainFeatures;
  /** Heights of epoch `n`. */
  epochHeights(n: number): EpochHeights;
  /** Unix ms of block `h` (what stats windows are keyed by). */
  blockTimeMs(h: number): number;
  /** RFC 3339 (nanosecond) time of block `h`. */
  blockTime(h: number): string;
  /** First block of effective epoch `n` by the validator-switch convention. */
  epochStartHeight(n: number): number;
  /** Answers a request in-process, exactly as the HTTP fake node would. */
  handle(req: FakeRequest): FakeResponse;
}

class Chain implements SampleChain, ChainContext {
  readonly options: Required<SampleChainOptions>;
  readonly seed: number;
  readonly currentEpoch: number;
  readonly latestHeight: number;
  readonly lowestHeight: number;
  readonly nowMs: number;
  readonly clock: BlockClock;
  readonly hosts: HostTable;
  readonly blocks: BlockFactory;
  readonly usage: UsageBook;
  readonly models: number;
  readonly features: SampleChainFeatures;
  private readonly cache = new BodyCache(4);
  private readonly roots: number[] = [0, 1];

  constructor(options: Required<SampleChainOptions>) {
    this.options = options;
    this.seed = options.seed;
    this.currentEpoch = options.currentEpoch;
    this.latestHeight = latestHeightFor(options.currentEpoch);
    this.lowestHeight = lowestAvailableHeight();
    this.clock = new BlockClock(options.seed);
    this.nowMs = this.clock.timeMs(this.latestHeight);
    this.models = options.models;
    this.hosts = new HostTable(options.seed, options.maxHosts, options.models);
    const signers = Array.from({ length: 10 }, (_, i) => this.hosts.profile(i));
    this.blocks = new BlockFactory(options.seed, this.clock, signers);
    this.usage = new UsageBook(options.seed, this.hosts);
    const kimiEvent = REGISTRY_EVENTS.find((e) => e.what.includes(KIMI))!;
    const changeEvent = REGISTRY_EVENTS.find((e) => e.what.startsWith('change'))!;
    this.features = {
      genesisHosts: GENESIS_HOSTS,
      prunedEpochs: [1],
      stringFormatEpochs: STRING_FORMAT_EPOCHS,
      collateralFromEpoch: COLLATERAL_FROM_EPOCH,
      registryEvents: REGISTRY_EVENTS.map((e) => ({ epoch: e.epoch, height: eventHeight(e), what: e.what })),
      kimi: { id: KIMI, firstEpoch: kimiEvent.epoch + 1 },
      paramChange: { id: QWEN3_32B, firstEpoch: changeEvent.epoch + 1 },
      modelLosingHosts: { id: REDHAT_7B, hostedEpochs: [REGISTRY_EVENTS[0]!.epoch + 1, REDHAT_UNHOSTED_FROM - 1], unhostedFrom: REDHAT_UNHOSTED_FROM },
      unregisteredStatsModel: { id: UNREGISTERED_STATS_MODEL, epochs: [UNREGISTERED_USAGE_EPOCHS.from, UNREGISTERED_USAGE_EPOCHS.to] },
      specialHosts: {
        noModels: this.hosts.profile(3).address,
        noSeed: this.hosts.profile(4).address,
        bare: this.hosts.profile(10).address,
        trailingGroup: this.hosts.profile(1).address,
        collateral: this.hosts.profile(2).address,
        multiModel: this.hosts.profile(0).address,
      },
    };
  }

  /** x/group ids are sequential: each epoch creates its root group, then one sub-group per hosted model. */
  rootGroupId(n: number): number {
    while (this.roots.length <= n) {
      const k = this.roots.length - 1;
      this.roots.push(this.roots[k]! + 1 + hostedModelIds(k, this.models).length);
    }
    return this.roots[n]!;
  }

  epochHeights(n: number): EpochHeights {
    return {
      epoch: n,
      pocStart: pocStart(n),
      createdAt: createdAt(n),
      effective: effectiveHeight(n),
      setNewValidators: setNewValidators(n),
      nextPocStart: pocStart(n + 1),
      length: epochLength(n),
    };
  }

  blockTimeMs(h: number): number {
    return this.clock.timeMs(h);
  }

  blockTime(h: number): string {
    return this.clock.rfc3339(h);
  }

  epochStartHeight(n: number): number {
    return setNewValidators(n);
  }

  handle(req: FakeRequest): FakeResponse {
    return route(this, this.cache, req);
  }
}

/** Builds a sample chain; cheap (all history is generated on demand). */
export function createSampleChain(opts: SampleChainOptions = {}): SampleChain {
  const options: Required<SampleChainOptions> = {
    seed: opts.seed ?? 42,
    currentEpoch: opts.currentEpoch ?? 36,
    maxHosts: opts.maxHosts ?? 320,
    models: opts.models ?? 6,
  };
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer, got ${options.seed}`);
  if (!Number.isSafeInteger(options.currentEpoch) || options.currentEpoch < 3) {
    throw new RangeError(`currentEpoch must be an integer >= 3, got ${options.currentEpoch}`);
  }
  if (!Number.isSafeInteger(options.models) || options.models < 1 || options.models > 64) {
    throw new RangeError(`models must be an integer from 1 to 64, got ${options.models}`);
  }
  if (!Number.isSafeInteger(options.maxHosts) || options.maxHosts < GENESIS_HOSTS) {
    throw new RangeError(`maxHosts must be an integer >= ${GENESIS_HOSTS}, got ${options.maxHosts}`);
  }
  return new Chain(options);
}
