/**
 * Heights, block times, epoch stages and chain upgrades of the sample chain
 * (docs/chain-api.md, "Epochs" and "Upgrades"). Everything here is a
 * closed-form function of the height or epoch index, so the history never
 * depends on where the chain currently ends.
 */
import { hash3, hashString } from './random.ts';

/** Genesis block time as recorded in the real genesis file. */
export const GENESIS_TIME = '2025-08-22T08:42:00.713839Z';
const GENESIS_MS = Date.UTC(2025, 7, 22, 8, 42, 0, 713);
const GENESIS_SUB_MS_NS = 839_000;

/** Nominal block spacing until v0.2.9; mainnet measured ≈6.02 s in late 2025. */
export const BLOCK_MS = 6020;
/** Nominal block spacing from the v0.2.9 upgrade height on (mainnet 2026: ≤ 2.6 s). */
export const FAST_BLOCK_MS = 2500;
/** ±0.4 s: below half of either block spacing, so block times stay strictly increasing. */
const JITTER_NS = 400_000_000;

/** Genesis params put epoch 1's PoC at epoch_length − epoch_shift = 17280 − 16980. */
export const FIRST_POC_START = 300;
export const GENESIS_EPOCH_LENGTH = 17280;
export const LATER_EPOCH_LENGTH = 15391;
/** First epoch whose length is the later (autumn-2025) value. */
export const SHORT_EPOCHS_FROM = 20;
export const EPOCH_SHIFT = 16980;

/** Feb-2026 stage parameters, used for every epoch of the sample. */
export const STAGE_PARAMS = {
  pocStageDuration: 60,
  pocExchangeDuration: 5,
  pocValidationDelay: 5,
  pocValidationDuration: 480,
  setNewValidatorsDelay: 120,
  inferenceValidationCutoff: 2,
} as const;

const END_OF_VALIDATION =
  STAGE_PARAMS.pocStageDuration + STAGE_PARAMS.pocValidationDelay + STAGE_PARAMS.pocValidationDuration;

/** Where the latest block sits inside the current epoch: well into its Inference phase. */
export const LATEST_OFFSET_IN_EPOCH = 9000;

/** Blocks in epoch `n` (governance shortened epochs from 20 on). */
export function epochLength(n: number): number {
  return n < SHORT_EPOCHS_FROM ? GENESIS_EPOCH_LENGTH : LATER_EPOCH_LENGTH;
}

/** Height where epoch `n`'s PoC starts (= previous epoch's next_poc_start). */
export function pocStart(n: number): number {
  if (n < 1) throw new RangeError(`epoch ${n} has no PoC`);
  const longEpochs = Math.min(n, SHORT_EPOCHS_FROM) - 1;
  const shortEpochs = Math.max(0, n - SHORT_EPOCHS_FROM);
  return FIRST_POC_START + longEpochs * GENESIS_EPOCH_LENGTH + shortEpochs * LATER_EPOCH_LENGTH;
}

/** Blocks after an epoch's PoC start at which an upgrade runs (after that epoch's validator switch). */
export const UPGRADE_OFFSET = 6000;

/** One chain software upgrade (Cosmos x/upgrade plan) of the sample history. */
export interface Upgrade {
  /** Plan name, as `applied_plan/{name}` takes it. */
  version: string;
  /** Epoch during which it runs; the first epoch formed by the new code is `epoch + 1`. */
  epoch: number;
  what: string;
}

/**
 * The mainnet upgrades of 2025-11 → 2026 mapped onto sample epochs (sample
 * epochs are indexes of this history, not mainnet's epoch numbers).
 */
export const UPGRADES: readonly Upgrade[] = [
  { version: 'v0.2.5', epoch: 22, what: 'excluded participants; confirmation_weight in validation weights' },
  { version: 'v0.2.6', epoch: 24, what: 'per-host epoch performance summaries; one global PoC factor (2.5) inside poc_weight' },
  { version: 'v0.2.8', epoch: 25, what: 'nothing visible in the served routes' },
  { version: 'v0.2.9', epoch: 27, what: 'deletes every governance model but Qwen3-235B; global factor 0.262; ~2.5 s blocks' },
  { version: 'v0.2.10', epoch: 29, what: 'global factor 0.3593' },
  { version: 'v0.2.11', epoch: 31, what: 'chain stats store frozen; dapi /v1/stats/models starts collecting' },
  { version: 'v0.2.12', epoch: 33, what: 'per-model PoC config and factors, raw poc_weight, Kimi-K2.6 registered, models outside poc_params.models deleted, devshard inference' },
  { version: 'v0.2.13', epoch: 38, what: 'confirmation_weight_scales; Kimi factor 0.78; MiniMax-M2.7 registered' },
  { version: 'v0.2.14', epoch: 41, what: 'classic inference ends: all inference is devshard' },
];

/** Height at which upgrade `version` runs (its handler runs in that block), or undefined for an unknown name. */
export function upgradeHeight(version: string): number | undefined {
  const u = UPGRADES.find((x) => x.version === version);
  return u ? pocStart(u.epoch) + UPGRADE_OFFSET : undefined;
}

/** Like `upgradeHeight` for a version the history is known to have. */
export function upgradeAt(version: string): number {
  const h = upgradeHeight(version);
  if (h === undefined) throw new RangeError(`unknown upgrade ${version}`);
  return h;
}

/** End of PoC validation, where ActiveParticipants(n) is written. */
export function createdAt(n: number): number {
  return pocStart(n) + END_OF_VALIDATION;
}

/** The launch code's hard-coded created_at + 2 ("FIXME" in the source). */
export function effectiveHeight(n: number): number {
  return createdAt(n) + 2;
}

/** Real validator switch; from here epoch `n` is the effective (current) epoch. */
export function setNewValidators(n: number): number {
  return createdAt(n) + STAGE_PARAMS.setNewValidatorsDelay;
}

/** Effective epoch at height `h` (0 before the first switch). */
export function effectiveEpochAt(h: number): number {
  const offset = setNewValidators(1) - pocStart(1);
  const switch20 = setNewValidators(SHORT_EPOCHS_FROM);
  if (h < setNewValidators(1)) return 0;
  if (h >= switch20) return SHORT_EPOCHS_FROM + Math.floor((h - switch20) / LATER_EPOCH_LENGTH);
  return 1 + Math.floor((h - offset - FIRST_POC_START) / GENESIS_EPOCH_LENGTH);
}

/** Latest block height of a chain whose effective epoch is `currentEpoch`. */
export function latestHeightFor(currentEpoch: number): number {
  return pocStart(currentEpoch) + LATEST_OFFSET_IN_EPOCH;
}

/** The node pruned everything below this (epoch 1 is gone, epoch 2 is served). */
export function lowestAvailableHeight(): number {
  return createdAt(2) - 10;
}

/** Stage heights exactly as `/v1/epochs/latest` computes them. */
export function epochStages(index: number, p: number, length: number) {
  const s = STAGE_PARAMS;
  const genEnd = p + s.pocStageDuration;
  const valStart = genEnd + s.pocValidationDelay;
  const valEnd = valStart + s.pocValidationDuration;
  const setNew = valEnd + s.setNewValidatorsDelay;
  const next = p + length;
  return {
    epoch_index: index,
    poc_start: p,
    poc_generation_wind_down: p + Math.floor(0.8 * s.pocStageDuration),
    poc_generation_end: genEnd,
    poc_validation_start: valStart,
    poc_validation_wind_down: valStart + Math.floor(0.8 * s.pocValidationDuration),
    poc_validation_end: valEnd,
    set_new_validators: setNew,
    claim_money: setNew + 1,
    inference_validation_cutoff: next - s.inferenceValidationCutoff,
    next_poc_start: next,
    poc_exchange_window: { start: p + 1, end: genEnd + s.pocExchangeDuration },
    poc_validation_exchange_window: { start: valStart + 1, end: valEnd },
  };
}

/** Phase name at height `h` for an epoch whose PoC started at `p` (G epoch_params.go). */
export function phaseAt(h: number, p: number): string {
  const s = STAGE_PARAMS;
  const r = h - p;
  if (r < 0) return 'Inference';
  if (r < Math.floor(0.8 * s.pocStageDuration)) return 'PoCGenerate';
  if (r < s.pocStageDuration) return 'PoCGenerateWindDown';
  const valStart = s.pocStageDuration + s.pocValidationDelay;
  if (r < valStart + Math.floor(0.8 * s.pocValidationDuration)) return 'PoCValidate';
  if (r < END_OF_VALIDATION) return 'PoCValidateWindDown';
  return 'Inference';
}

/** A block time split as Unix ms plus the nanoseconds inside that millisecond. */
export interface BlockTime {
  ms: number;
  subMsNs: number;
}

/** RFC 3339 with nanoseconds the way Go's RFC3339Nano prints it (trailing zeros trimmed). */
export function formatTime(t: BlockTime): string {
  const iso = new Date(t.ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const frac = `${iso.slice(20, 23)}${String(t.subMsNs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/**
 * Block clock of one seed: nominal t(h) = genesis + (h−1)·6020 ms up to the
 * v0.2.9 upgrade height F, then t(F) + (h−F)·2500 ms; each block ± 400 ms
 * jitter. Jitter never reaches half a block, so times are strictly increasing
 * and a time maps back to a height by a small correction of the nominal estimate.
 */
export class BlockClock {
  private readonly key: number;
  /** First block of the ~2.5 s era and its nominal time. */
  private readonly fastFrom: number;
  private readonly fastFromMs: number;

  constructor(seed: number) {
    this.key = hash3(hashString('block-time'), seed, 0);
    this.fastFrom = upgradeAt('v0.2.9');
    this.fastFromMs = GENESIS_MS + (this.fastFrom - 1) * BLOCK_MS;
  }

  /** Nominal (jitter-free) Unix ms of block `h` ≥ 1. */
  private nominal(h: number): number {
    return h < this.fastFrom ? GENESIS_MS + (h - 1) * BLOCK_MS : this.fastFromMs + (h - this.fastFrom) * FAST_BLOCK_MS;
  }

  /** Time of block `h`; block 1 is exactly the genesis time. */
  timeOf(h: number): BlockTime {
    if (h <= 1) return { ms: GENESIS_MS, subMsNs: GENESIS_SUB_MS_NS };
    const r = hash3(this.key, h, 1);
    let jitter = (r % (2 * JITTER_NS)) - JITTER_NS;
    // A non-zero last digit keeps every rendered time at the full 9 digits.
    jitter = jitter - (((jitter % 10) + 10) % 10) + 1 + (hash3(this.key, h, 2) % 9);
    const ns = GENESIS_SUB_MS_NS + jitter;
    const carry = Math.floor(ns / 1_000_000);
    return { ms: this.nominal(h) + carry, subMsNs: ns - carry * 1_000_000 };
  }

  /** Unix ms of block `h` (what the stats store keys inferences by). */
  timeMs(h: number): number {
    return this.timeOf(h).ms;
  }

  /** RFC 3339 time of block `h`. */
  rfc3339(h: number): string {
    return formatTime(this.timeOf(h));
  }

  /** Smallest height ≥ 1 whose time is ≥ `ms` (may exceed any latest height). */
  firstAtOrAfter(ms: number): number {
    const est = ms < this.fastFromMs ? (ms - GENESIS_MS) / BLOCK_MS + 1 : (ms - this.fastFromMs) / FAST_BLOCK_MS + this.fastFrom;
    let h = Math.max(1, Math.ceil(est));
    while (h > 1 && this.timeMs(h - 1) >= ms) h--;
    while (this.timeMs(h) < ms) h++;
    return h;
  }

  /** Largest height whose time is ≤ `ms` (0 if before genesis). */
  lastAtOrBefore(ms: number): number {
    if (ms < GENESIS_MS) return 0;
    return this.firstAtOrAfter(ms + 1) - 1;
  }
}
