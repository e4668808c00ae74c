/**
 * Inference usage per block and model (docs/chain-api.md, "Usage"). Usage is
 * defined block by block, so any time window's answer is a plain sum and
 * windows are additive. Each block's inferences split into classic ones
 * (seen by the stats routes and the chain's request counters) and devshard
 * ones (seen by none): all classic before the v0.2.12 upgrade height, about
 * 60 % classic from it, none from the v0.2.14 upgrade height. Sums (classic
 * only) use per-epoch prefix arrays (a few recent epochs) and per-epoch
 * totals (kept for all epochs: tiny).
 */
import type { HostTable } from './hosts.ts';
import { hash3, hashString } from './random.ts';
import {
  KIMI,
  MINIMAX,
  QWEN25_7B,
  QWEN3_235B,
  QWEN3_32B,
  QWQ,
  REDHAT_7B,
  UNREGISTERED_STATS_MODEL,
  UNREGISTERED_USAGE_EPOCHS,
} from './registry.ts';
import { BLOCK_MS, FAST_BLOCK_MS, effectiveEpochAt, setNewValidators, upgradeAt } from './timeline.ts';

const TWO_32 = 4294967296;

/** Demand per unit of model weight; how busy each model is relative to its PoC weight. */
const POPULARITY: Record<string, number> = {
  [QWEN3_235B]: 1.6,
  [QWEN3_32B]: 0.9,
  [QWQ]: 0.6,
  [QWEN25_7B]: 0.35,
  [REDHAT_7B]: 0.3,
  [KIMI]: 1.2,
  [MINIMAX]: 1.1,
};

/** Mean prompt+completion tokens per inference. */
const MEAN_TOKENS: Record<string, number> = {
  [QWEN3_235B]: 4300,
  [QWEN3_32B]: 1800,
  [QWQ]: 3100,
  [QWEN25_7B]: 900,
  [REDHAT_7B]: 700,
  [KIMI]: 6200,
  [MINIMAX]: 5200,
  [UNREGISTERED_STATS_MODEL]: 800,
};

/** Usage of one model over a window. */
export interface ModelUsage {
  inferences: number;
  tokens: number;
}

/** One block's usage of one model: everything served, and its classic part. */
export interface BlockUsage {
  total: ModelUsage;
  classic: ModelUsage;
}

interface EpochUsage {
  start: number;
  models: string[];
  /** prefix[k][j] = Σ over the first j blocks of the epoch; inferences then tokens. */
  inf: Float64Array[];
  tok: Float64Array[];
}

/** Inferences-per-block rate scale (at ~6 s blocks): grows with adoption, flat after epoch 40. */
function demand(epoch: number): number {
  return (0.5 + 0.5 * Math.min(1, epoch / 40)) / 100_000;
}

/** Per-model draw parameters of one epoch; lambda −1 marks the sparse unregistered model. */
interface Rate {
  key: number;
  /** Mean inferences per ~6 s block; blocks from the v0.2.9 height are shorter and get proportionally fewer. */
  lambda: number;
  meanTokens: number;
}

const NONE: ModelUsage = { inferences: 0, tokens: 0 };
const NO_BLOCK: BlockUsage = { total: NONE, classic: NONE };

/** Heights where the block time and the classic share change. */
const FAST_FROM = upgradeAt('v0.2.9');
const DEVSHARD_FROM = upgradeAt('v0.2.12');
const CLASSIC_ENDS = upgradeAt('v0.2.14');
/** Share of inference that stays classic between v0.2.12 and v0.2.14. */
export const CLASSIC_SHARE = 0.6;

/**
 * Inferences ~ U[0, 2λ) stochastically rounded (mean λ), tokens ~ inferences ×
 * mean × U(0.6, 1.4); the classic part is a stochastically rounded share of both.
 */
function drawBlock(r: Rate, h: number): BlockUsage {
  const u1 = hash3(r.key, h, 11) / TWO_32;
  let total: ModelUsage;
  if (r.lambda === -1) {
    if (u1 >= 0.04) return NO_BLOCK;
    const inferences = u1 < 0.008 ? 2 : 1;
    total = { inferences, tokens: inferences * (300 + Math.floor((hash3(r.key, h, 13) / TWO_32) * 1000)) };
  } else {
    const lambda = h < FAST_FROM ? r.lambda : (r.lambda * FAST_BLOCK_MS) / BLOCK_MS;
    // Stochastic rounding keeps the mean at λ even for models far below one inference per block.
    const inferences = Math.floor(2 * lambda * u1 + hash3(r.key, h, 17) / TWO_32);
    if (inferences === 0) return NO_BLOCK;
    const u2 = hash3(r.key, h, 13) / TWO_32;
    total = { inferences, tokens: Math.round(inferences * r.meanTokens * (0.6 + 0.8 * u2)) };
  }
  if (h < DEVSHARD_FROM) return { total, classic: total };
  if (h >= CLASSIC_ENDS) return { total, classic: NONE };
  const ci = Math.floor(total.inferences * CLASSIC_SHARE + hash3(r.key, h, 19) / TWO_32);
  const classic = ci === 0 ? NONE : { inferences: ci, tokens: Math.round((total.tokens * ci) / total.inferences) };
  return { total, classic };
}

/** Per-block usage generator and window summer for one seed. */
export class UsageBook {
  private readonly seedKey: number;
  private readonly hosts: HostTable;
  private readonly recent = new Map<number, EpochUsage>();
  private readonly totals = new Map<number, Map<string, ModelUsage>>();

  constructor(seed: number, hosts: HostTable) {
    this.seedKey = hash3(hashString('usage'), seed, 0);
    this.hosts = hosts;
  }

  /** Usage of block `h` (in effective epoch `epoch`) for one model, classic part included; exposed for tests. */
  blockUsage(h: number, epoch: number, model: string): BlockUsage {
    return drawBlock(this.rateOf(epoch, model), h);
  }

  private rateOf(epoch: number, model: string): Rate {
    const key = hash3(this.seedKey, hashString(model), 0);
    if (model === UNREGISTERED_STATS_MODEL) {
      const active = epoch >= UNREGISTERED_USAGE_EPOCHS.from && epoch <= UNREGISTERED_USAGE_EPOCHS.to;
      return { key, lambda: active ? -1 : 0, meanTokens: 0 };
    }
    const weight = this.hosts.summary(epoch).modelWeight.get(model) ?? 0;
    return { key, lambda: weight * demand(epoch) * (POPULARITY[model] ?? 1), meanTokens: MEAN_TOKENS[model] ?? 1000 };
  }

  /** Models that can have usage in effective epoch `epoch`. */
  modelsOf(epoch: number): string[] {
    const hosted = [...this.hosts.summary(epoch).modelWeight.keys()].sort();
    if (epoch >= UNREGISTERED_USAGE_EPOCHS.from && epoch <= UNREGISTERED_USAGE_EPOCHS.to) hosted.push(UNREGISTERED_STATS_MODEL);
    return hosted;
  }

  private epochUsage(epoch: number): EpochUsage {
    const hit = this.recent.get(epoch);
    if (hit) return hit;
    const start = setNewValidators(epoch);
    const len = setNewValidators(epoch + 1) - start;
    const models = this.modelsOf(epoch);
    const inf: Float64Array[] = [];
    const tok: Float64Array[] = [];
    for (const m of models) {
      const a = new Float64Array(len + 1);
      const b = new Float64Array(len + 1);
      const rate = this.rateOf(epoch, m);
      for (let j = 0; j < len; j++) {
        const u = drawBlock(rate, start + j).classic;
        a[j + 1] = a[j]! + u.inferences;
        b[j + 1] = b[j]! + u.tokens;
      }
      inf.push(a);
      tok.push(b);
    }
    const eu = { start, models, inf, tok };
    this.recent.set(epoch, eu);
    if (this.recent.size > 3) this.recent.delete(this.recent.keys().next().value!);
    if (!this.totals.has(epoch)) {
      const t = new Map<string, ModelUsage>();
      models.forEach((m, k) => t.set(m, { inferences: inf[k]![len]!, tokens: tok[k]![len]! }));
      this.totals.set(epoch, t);
    }
    return eu;
  }

  private epochTotals(epoch: number): Map<string, ModelUsage> {
    // From the v0.2.14 height on there is no classic inference: nothing to draw.
    if (setNewValidators(epoch) >= CLASSIC_ENDS) return new Map();
    return this.totals.get(epoch) ?? (this.epochUsage(epoch), this.totals.get(epoch)!);
  }

  /** Σ classic usage of effective epoch `epoch` over all its blocks, per model. */
  epochClassic(epoch: number): ReadonlyMap<string, ModelUsage> {
    return this.epochTotals(epoch);
  }

  /** Σ classic inferences (all models) over blocks h1..h2 inclusive. */
  classicInferences(h1: number, h2: number): number {
    let n = 0;
    for (const u of this.sumHeights(h1, h2).values()) n += u.inferences;
    return n;
  }

  /** Σ classic usage over blocks h1..h2 inclusive, per model (zero entries included). */
  sumHeights(h1: number, h2: number): Map<string, ModelUsage> {
    const out = new Map<string, ModelUsage>();
    const add = (m: string, inf: number, tok: number) => {
      const cur = out.get(m);
      if (cur) {
        cur.inferences += inf;
        cur.tokens += tok;
      } else out.set(m, { inferences: inf, tokens: tok });
    };
    const first = Math.max(h1, setNewValidators(1));
    h2 = Math.min(h2, CLASSIC_ENDS - 1);
    if (first > h2) return out;
    // Epoch 0 has no usage; iterate effective epochs overlapping [first, h2].
    let epoch = Math.max(1, effectiveEpochAt(first));
    for (; setNewValidators(epoch) <= h2; epoch++) {
      const s = setNewValidators(epoch);
      const e = setNewValidators(epoch + 1) - 1;
      const a = Math.max(first, s);
      const b = Math.min(h2, e);
      if (a > b) continue;
      if (a === s && b === e) {
        for (const [m, u] of this.epochTotals(epoch)) add(m, u.inferences, u.tokens);
        continue;
      }
      const eu = this.epochUsage(epoch);
      eu.models.forEach((m, k) => {
        const inf = eu.inf[k]!;
        const tok = eu.tok[k]!;
        add(m, inf[b - s + 1]! - inf[a - s]!, tok[b - s + 1]! - tok[a - s]!);
      });
    }
    return out;
  }
}
