/**
 * A model's per-token price and capacity as the chain's dynamic pricing keeps
 * them at an epoch's height (docs/chain-api.md, "Price and capacity"). Pure.
 */
import type { ModelPrice } from '../chain/schemas.ts';
import type { Capacity, Price } from '../snapshot/schema.ts';

/** What the data step got for an epoch's prices. */
export type PriceList =
  | { kind: 'list'; height: number | null; prices: ModelPrice[] }
  /** The nodes serve no price list route. */
  | { kind: 'not_served'; height: number | null }
  /** The state at `height` is gone from every node. */
  | { kind: 'pruned'; height: number | null }
  | { kind: 'failed'; height: number | null; reason: string };

/** Every sentence for a missing price or capacity, in one place. */
export const PRICE_UNAVAILABLE = {
  notListed: (height: number | null) => `Not published: the chain lists no price for this model${height === null ? '' : ` at height ${height}`}.`,
  notServed: 'Not published: the nodes asked do not serve the chain’s price list.',
  pruned: (height: number | null) => `Not available: the nodes no longer keep the chain state${height === null ? '' : ` at height ${height}`}, where this epoch’s price was set.`,
  failed: (reason: string) => `Not available: no node answered the price query (${reason}).`,
  capacity: 'Not published: the nodes give no capacity for this model.',
  capacityPruned: 'Not available: the nodes no longer keep the chain state of this epoch.',
  capacityFailed: (reason: string) => `Not available: no node answered the capacity query (${reason}).`,
} as const;

/** ngonka per token → GNK per million tokens (10^9 ngonka = 1 GNK, so ÷ 1000), exact: "100" → "0.1". */
export function gnkPerMillionTokens(ngonkaPerToken: string): string {
  const digits = BigInt(ngonkaPerToken).toString().padStart(4, '0');
  const whole = digits.slice(0, -3).replace(/^0+(?=\d)/, '');
  const frac = digits.slice(-3).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

/** The price row of one model. */
export function priceOf(list: PriceList, modelId: string): Price {
  const none = (unavailable: string): Price => ({ ngonka_per_token: null, gnk_per_million_tokens: null, height: list.height, unavailable });
  switch (list.kind) {
    case 'not_served':
      return none(PRICE_UNAVAILABLE.notServed);
    case 'pruned':
      return none(PRICE_UNAVAILABLE.pruned(list.height));
    case 'failed':
      return none(PRICE_UNAVAILABLE.failed(list.reason));
    case 'list': {
      const hit = list.prices.find((p) => p.model_id === modelId);
      if (!hit) return none(PRICE_UNAVAILABLE.notListed(list.height));
      return { ngonka_per_token: hit.price, gnk_per_million_tokens: gnkPerMillionTokens(hit.price), height: list.height, unavailable: null };
    }
  }
}

/** What the data step got for one model's capacity: the chain's figure, or why there is none. */
export type CapacityAnswer = { value: string } | { value: null; reason: string };

/** The capacity row of one model; a model the step did not ask about has none published. */
export function capacityOf(answer: CapacityAnswer | undefined): Capacity {
  if (answer === undefined) return { value: null, unavailable: PRICE_UNAVAILABLE.capacity };
  return answer.value === null ? { value: null, unavailable: answer.reason } : { value: answer.value, unavailable: null };
}
