/**
 * The sample chain object: options, the fixed clock, and the lazily generated
 * history behind every served response. Nothing here reads the wall clock or
 * Math.random; same options ⇒ byte-identical answers.
 */
import { BlockFactory } from './blocks.ts';
import { COLLATERAL_FROM_EPOCH, GENESIS_HOSTS, HostTable } from './hosts.ts';
import { EXCLUSIONS_FROM_EPOCH, Outcomes, SUMMARIES_FROM_EPOCH } from './outcomes.ts';
import {
  KIMI,
  MINIMAX,
  PER_MODEL_FROM_EPOCH,
  QWEN3_235B,
  QWEN3_32B,
  REDHAT_7B,
  REDHAT_UNHOSTED_FROM,
  UNREGISTERED_STATS_MODEL,
  UNREGISTERED_USAGE_EPOCHS,
  decimalValue,
  pocModelSpec,
  registryEvents,
  subGroupCount,
  type Decimal,
} from './registry.ts';
import { SCALES_FROM_EPOCH, STRING_FORMAT_EPOCHS, type ChainContext, type FakeResponse } from './responses.ts';
import { BodyCache, route, type FakeRequest } from './routes.ts';
import {
  BlockClock,
  FAST_BLOCK_MS,
  UPGRADES,
  createdAt,
  effectiveEpochAt,
  effectiveHeight,
  epochLength,
  latestHeightFor,
  lowestAvailableHeight,
  pocStart,
  setNewValidators,
  upgradeAt,
} from './timeline.ts';
import { CLASSIC_SHARE, UsageBook, type BlockUsage } from './usage.ts';

/** Knobs of the sample chain; every default reproduces the documented history. */
export interface SampleChainOptions {
  /** Seed of every generated value; default 42. */
  seed?: number;
  /** Effective (current) epoch; default 44; must be ≥ 3. */
  currentEpoch?: number;
  /** Hosts per epoch once growth saturates (≈ by epoch 36); default 320. */
  maxHosts?: number;
  /**
   * Models option; default 6 = the scripted registry history. More adds
   * extras registered in epoch 34 (in `poc_params.models` with factor 1,
   * hosted from 35); fewer still gives the scripted history.
   */
  models?: number;
  /** Largest page of `models_all` the node returns (the chain's page-size cap); default 2. */
  registryPageSize?: number;
}

/** Heights of one epoch. */
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

/** One upgrade of the sample history: it runs at `height`, inside `epoch`. */
export interface SampleUpgrade {
  version: string;
  epoch: number;
  height: number;
  what: string;
}

/** A model added by an upgrade, with its scripted sub-group history. */
export interface ScriptedModel {
  id: string;
  /** Epoch whose upgrade registers it. */
  registeredEpoch: number;
  /** First epoch with its (possibly empty) sub-group. */
  subGroupFrom: number;
  hostedFrom: number;
  /** First epoch in which it has voting power. */
  eligibleFrom: number;
  penaltyStartEpoch: number;
}

/** Where each scripted feature of the history is, for tests and fixtures. */
export interface SampleChainFeatures {
  genesisHosts: number;
  prunedEpochs: number[];
  stringFormatEpochs: readonly number[];
  collateralFromEpoch: number;
  upgrades: SampleUpgrade[];
  registryEvents: { epoch: number; height: number; what: string }[];
  /** Block spacing: ~6.02 s until the v0.2.9 height, ~2.5 s from it. */
  fastBlocks: { fromHeight: number; nominalMs: number };
  /** Global PoC factor inside poc_weight, by first epoch formed with it (null: unscaled). */
  globalFactors: { fromEpoch: number; factor: number | null }[];
  excludedFromEpoch: number;
  performanceSummariesFromEpoch: number;
  /** First epoch formed by v0.2.12 code: per-model sub-groups and weight. */
  perModelFromEpoch: number;
  confirmationWeightScalesFromEpoch: number;
  /** Chain stats store written for blocks below this height only. */
  chainStatsFrozenFrom: number;
  /** dapi `/v1/stats/models` collects from this height on. */
  dapiStatsFrom: number;
  /** Classic share of inference: 1 before `devshardFrom`, `classicShare` until `classicEndsAt`, then 0. */
  inference: { devshardFrom: number; classicShare: number; classicEndsAt: number };
  kimi: ScriptedModel;
  minimax: ScriptedModel;
  /** Qwen3-32B-FP8's parameter change (first epoch whose snapshot has it). */
  paramChange: { id: string; firstEpoch: number };
  /** Qwen3-235B's change to its 2026 parameters (first epoch whose snapshot has it). */
  qwen235bChange: { id: string; firstEpoch: number };
  /** Qwen3-32B-FP8 re-registered by governance after v0.2.9 deleted it, deleted again by v0.2.12. */
  reRegistered: { id: string; epoch: number; hostedEpochs: [number, number] };
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
  /**
   * Inference of block `h` for one model: everything served and its classic
   * part (the only part any route sees). For tests; `h` ≥ the first validator switch.
   */
  blockInference(h: number, model: string): BlockUsage;
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
  readonly outcomes: Outcomes;
  readonly models: number;
  readonly registryPageSize: number;
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
    this.outcomes = new Outcomes(this);
    this.registryPageSize = options.registryPageSize;
    const events = registryEvents(options.models);
    const scripted = (id: string, registeredEpoch: number): ScriptedModel => {
      const s = pocModelSpec(id, options.models)!;
      return { id, registeredEpoch, subGroupFrom: registeredEpoch + 1, hostedFrom: s.hostedFrom, eligibleFrom: s.eligibleFrom, penaltyStartEpoch: s.penaltyStartEpoch };
    };
    const factor = (f: Decimal | null) => (f ? decimalValue(f) : null);
    this.features = {
      genesisHosts: GENESIS_HOSTS,
      prunedEpochs: [1],
      stringFormatEpochs: STRING_FORMAT_EPOCHS,
      collateralFromEpoch: COLLATERAL_FROM_EPOCH,
      upgrades: sampleUpgrades(),
      registryEvents: events.map((e) => ({ epoch: e.epoch, height: e.height, what: e.what })),
      fastBlocks: { fromHeight: upgradeAt('v0.2.9'), nominalMs: FAST_BLOCK_MS },
      globalFactors: [
        { fromEpoch: 25, factor: factor({ value: '25', exponent: -1 }) },
        { fromEpoch: 28, factor: factor({ value: '262', exponent: -3 }) },
        { fromEpoch: 30, factor: factor({ value: '3593', exponent: -4 }) },
        { fromEpoch: PER_MODEL_FROM_EPOCH, factor: null },
      ],
      excludedFromEpoch: EXCLUSIONS_FROM_EPOCH,
      performanceSummariesFromEpoch: SUMMARIES_FROM_EPOCH,
      perModelFromEpoch: PER_MODEL_FROM_EPOCH,
      confirmationWeightScalesFromEpoch: SCALES_FROM_EPOCH,
      chainStatsFrozenFrom: upgradeAt('v0.2.11'),
      dapiStatsFrom: upgradeAt('v0.2.11'),
      inference: { devshardFrom: upgradeAt('v0.2.12'), classicShare: CLASSIC_SHARE, classicEndsAt: upgradeAt('v0.2.14') },
      kimi: scripted(KIMI, 33),
      minimax: scripted(MINIMAX, 38),
      paramChange: { id: QWEN3_32B, firstEpoch: 26 },
      qwen235bChange: { id: QWEN3_235B, firstEpoch: 30 },
      reRegistered: { id: QWEN3_32B, epoch: 30, hostedEpochs: [31, 33] },
      modelLosingHosts: { id: REDHAT_7B, hostedEpochs: [events[0]!.epoch + 1, REDHAT_UNHOSTED_FROM - 1], unhostedFrom: REDHAT_UNHOSTED_FROM },
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
      this.roots.push(this.roots[k]! + 1 + subGroupCount(k, this.models));
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

  blockInference(h: number, model: string): BlockUsage {
    return this.usage.blockUsage(h, effectiveEpochAt(h), model);
  }

  handle(req: FakeRequest): FakeResponse {
    return route(this, this.cache, req);
  }
}

/** The upgrades of the sample history with their heights (the same for every chain). */
export function sampleUpgrades(): SampleUpgrade[] {
  return UPGRADES.map((u) => ({ version: u.version, epoch: u.epoch, height: upgradeAt(u.version), what: u.what }));
}

/** Height at which upgrade `version` runs in the sample history (throws for an unknown name). */
export function sampleUpgradeHeight(version: string): number {
  return upgradeAt(version);
}

/** Builds a sample chain; cheap (all history is generated on demand). */
export function createSampleChain(opts: SampleChainOptions = {}): SampleChain {
  const options: Required<SampleChainOptions> = {
    seed: opts.seed ?? 42,
    currentEpoch: opts.currentEpoch ?? 44,
    maxHosts: opts.maxHosts ?? 320,
    models: opts.models ?? 6,
    registryPageSize: opts.registryPageSize ?? 2,
  };
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer, got ${options.seed}`);
  if (!Number.isSafeInteger(options.currentEpoch) || options.currentEpoch < 3) {
    throw new RangeError(`currentEpoch must be an integer >= 3, got ${options.currentEpoch}`);
  }
  if (!Number.isSafeInteger(options.models) || options.models < 1 || options.models > 64) {
    throw new RangeError(`models must be an integer from 1 to 64, got ${options.models}`);
  }
  if (!Number.isSafeInteger(options.registryPageSize) || options.registryPageSize < 1) {
    throw new RangeError(`registryPageSize must be an integer >= 1, got ${options.registryPageSize}`);
  }
  if (!Number.isSafeInteger(options.maxHosts) || options.maxHosts < GENESIS_HOSTS) {
    throw new RangeError(`maxHosts must be an integer >= ${GENESIS_HOSTS}, got ${options.maxHosts}`);
  }
  return new Chain(options);
}
