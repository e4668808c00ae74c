/**
 * Inference usage per block and model, the source of `models_stats_by_time`
 * (SPEC §4.2). Usage is defined block by block, so any time window's answer
 * is a plain sum and windows are additive. Sums use per-epoch prefix arrays
 * (a few recent epochs) and per-epoch totals (kept for all epochs: tiny).
 */
import type { HostTable } from './hosts.ts';
import { hash3, hashString } from './random.ts';
import {
  KIMI,
  QWEN25_7B,
  QWEN3_235B,
  QWEN3_32B,
  QWQ,
  REDHAT_7B,
  UNREGISTERED_STATS_MODEL,
  UNREGISTERED_USAGE_EPOCHS,
} from './registry.ts';
import { effectiveEpochAt, setNewValidators } from './timeline.ts';

const TWO_32 = 4294967296;

/** Demand per unit of model weight; how busy each model is relative to its PoC weight. */
const POPULARITY: Record<string, number> = {
  [QWEN3_235B]: 1.6,
  [QWEN3_32B]: 0.9,
  [QWQ]: 0.6,
  [QWEN25_7B]: 0.35,
  [REDHAT_7B]: 0.3,
  [KIMI]: 1.2,
};

/** Mean prompt+completion tokens per inference. */
const MEAN_TOKENS: Record<string, number> = {
  [QWEN3_235B]: 4300,
  [QWEN3_32B]: 1800,
  [QWQ]: 3100,
  [QWEN25_7B]: 900,
  [REDHAT_7B]: 700,
  [KIMI]: 6200,
  [UNREGISTERED_STATS_MODEL]: 800,
};

/** Usage of one model over a window. */
export interface ModelUsage {
  inferences: number;
  tokens: number;
}

interface EpochUsage {
  start: number;
  models: string[];
  /** prefix[k][j] = Σ over the first j blocks of the epoch; inferences then tokens. */
  inf: Float64Array[];
  tok: Float64Array[];
}

/** Inferences-per-block rate scale: grows with adoption, flat after epoch 40. */
function demand(epoch: number): number {
  return (0.5 + 0.5 * Math.min(1, epoch / 40)) / 100_000;
}

/** Per-model draw parameters of one epoch; lambda −1 marks the sparse unregistered model. */
interface Rate {
  key: number;
  lambda: number;
  meanTokens: number;
}

const NONE: ModelUsage = { inferences: 0, tokens: 0 };

/** Inferences ~ U[0, 2λ) stochastically rounded (mean λ), tokens ~ inferences × mean × U(0.6, 1.4). */
function drawBlock(r: Rate, h: number): ModelUsage {
  const u1 = hash3(r.key, h, 11) / TWO_32;
  if (r.lambda === -1) {
    if (u1 >= 0.04) return NONE;
    const inferences = u1 < 0.008 ? 2 : 1;
    return { inferences, tokens: inferences * (300 + Math.floor((hash3(r.key, h, 13) / TWO_32) * 1000)) };
  }
  // Stochastic rounding keeps the mean at λ even for models far below one inference per block.
  const inferences = Math.floor(2 * r.lambda * u1 + hash3(r.key, h, 17) / TWO_32);
  if (inferences === 0) return NONE;
  const u2 = hash3(r.key, h, 13) / TWO_32;
  return { inferences, tokens: Math.round(inferences * r.meanTokens * (0.6 + 0.8 * u2)) };
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

  /** Usage of block `h` (in effective epoch `epoch`) for one model; exposed for tests. */
  blockUsage(h: number, epoch: number, model: string): ModelUsage {
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
        const u = drawBlock(rate, start + j);
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
    return this.totals.get(epoch) ?? (this.epochUsage(epoch), this.totals.get(epoch)!);
  }

  /** Σ usage over blocks h1..h2 inclusive, per model (zero entries included). */
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
