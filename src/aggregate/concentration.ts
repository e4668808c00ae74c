/** How concentrated the weight behind a model is. Pure. */
import type { Concentration } from '../snapshot/schema.ts';

/** Concentration of the weights behind one model; all zeros when nothing backs it. */
export function concentration(weights: number[]): Concentration {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return { top1: 0, top5: 0, hhi: 0 };
  const sorted = [...weights].sort((a, b) => b - a);
  const share = (w: number) => w / total;
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    top1: round(share(sorted[0]!), 6),
    top5: round(sorted.slice(0, 5).reduce((a, w) => a + share(w), 0), 6),
    hhi: round(sorted.reduce((a, w) => a + (share(w) * 100) ** 2, 0), 2),
  };
}
