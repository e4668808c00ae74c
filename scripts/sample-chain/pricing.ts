/**
 * Dynamic per-token prices and model capacity (docs/chain-api.md, "Price and
 * capacity"). The chain recomputes a price for every model of the current
 * epoch's sub-groups in every block; here a price is a closed form of (seed,
 * epoch, model, block): a level around the base price of 100 ngonka per
 * token for each epoch and model, plus a small per-block drift. Capacity is
 * the model's Σ poc_weight in the epoch's sub-group (1000 without one).
 */
import { hash3, hashString } from './random.ts';

/** Base and minimum per-token price (ngonka), as in the dynamic pricing params. */
export const BASE_PRICE = 100;
export const MIN_PRICE = 1;
/** Capacity the chain reports for a model without a sub-group (or an empty one). */
export const DEFAULT_CAPACITY = 1000;

const TWO_32 = 4294967296;
/** Blocks per drift cycle, and the drift's amplitude. */
const DRIFT_PERIOD = 2400;
const DRIFT = 0.04;

/** Price (ngonka per token) of `model` at block `h`, in effective epoch `epoch`. */
export function pricePerToken(seed: number, epoch: number, model: string, h: number): number {
  const mk = hashString(model);
  const level = BASE_PRICE * (0.55 + 0.9 * (hash3(hash3(hashString('price-level'), seed, epoch), mk, 0) / TWO_32));
  // A triangle wave in integer block arithmetic: deterministic on every platform.
  const phase = hash3(hashString('price-phase'), seed, mk) % DRIFT_PERIOD;
  const t = (h + phase) % DRIFT_PERIOD;
  const tri = (t < DRIFT_PERIOD / 2 ? t : DRIFT_PERIOD - t) / (DRIFT_PERIOD / 2); // 0..1
  return Math.max(MIN_PRICE, Math.round(level * (1 + DRIFT * (2 * tri - 1))));
}

/** A deterministic, random-looking order of the price map at height `h` (a Go map's iteration order). */
export function priceOrder(seed: number, h: number, models: readonly string[]): string[] {
  const key = hash3(hashString('price-order'), seed, h);
  return models
    .map((m) => ({ m, k: hash3(key, hashString(m), 0) }))
    .sort((a, b) => a.k - b.k || (a.m < b.m ? -1 : 1))
    .map((x) => x.m);
}
