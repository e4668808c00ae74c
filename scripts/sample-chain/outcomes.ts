/**
 * Per-host outcomes of an epoch (docs/chain-api.md, "Excluded hosts"): which
 * hosts were excluded, why and when (epochs formed from 23, v0.2.5), and the
 * per-host performance summary of finished epochs formed from 25 (v0.2.6).
 * Every value is a function of (seed, epoch, host), so histories of any
 * length agree.
 */
import type { HostTable, ParticipantRecord } from './hosts.ts';
import { hash3, hashString } from './random.ts';
import { setNewValidators } from './timeline.ts';
import type { UsageBook } from './usage.ts';

/** First epoch with exclusions (formed by v0.2.5 code). */
export const EXCLUSIONS_FROM_EPOCH = 23;
/** First epoch with performance summaries (formed by v0.2.6 code). */
export const SUMMARIES_FROM_EPOCH = 25;

const TWO_32 = 4294967296;
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Order of two gonka1… addresses by their underlying bytes (how the chain's collections iterate them). */
export function byAddressBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 6; i < n; i++) {
    const x = BECH32_CHARSET.indexOf(a[i]!);
    const y = BECH32_CHARSET.indexOf(b[i]!);
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/** One exclusion (the chain's ExcludedParticipant). */
export interface Exclusion {
  address: string;
  hostIndex: number;
  epoch: number;
  reason: 'failed_confirmation_poc' | 'consecutive_failures' | 'downtime' | 'statistical_invalidations';
  height: number;
}

/** One row of `epoch_performance_summary/{n}` (uint64 as strings). */
export interface PerformanceSummary {
  burned_coins: string;
  claimed: boolean;
  earned_coins: string;
  epoch_index: string;
  inference_count: string;
  invalidated_inferences: string;
  missed_requests: string;
  participant_id: string;
  rewarded_coins: string;
  validated_inferences: string;
}

/** What the outcome generator reads from a chain. */
export interface OutcomeSource {
  readonly seed: number;
  readonly hosts: HostTable;
  readonly usage: UsageBook;
}

/** Coins paid out per epoch, shared by weight (ngonka). */
const EPOCH_REWARD = 30_000_000_000_000;

/** Lazily computed: exclusions cached per epoch (a handful each), summaries for a few recent epochs. */
export class Outcomes {
  private readonly exclusionsByEpoch = new Map<number, Exclusion[]>();
  private readonly summariesByEpoch = new Map<number, PerformanceSummary[]>();

  constructor(private readonly src: OutcomeSource) {}

  /** Every exclusion of epoch `n` (whatever the state height), sorted by address bytes. */
  exclusions(n: number): readonly Exclusion[] {
    const hit = this.exclusionsByEpoch.get(n);
    if (hit) return hit;
    const out: Exclusion[] = [];
    if (n >= EXCLUSIONS_FROM_EPOCH) {
      const { seed, hosts } = this.src;
      const key = hash3(hashString('excluded'), seed, n);
      const ps = hosts.participants(n);
      // 2–4 % of the epoch's hosts, at least one.
      const count = Math.max(1, Math.round(ps.length * (0.02 + 0.02 * (hash3(key, 0, 1) / TWO_32))));
      const start = setNewValidators(n);
      const len = setNewValidators(n + 1) - start;
      // Confirmation PoC runs a couple of times per epoch; every host failing one is excluded at its height.
      const cpoc = [start + 1500 + (hash3(key, 0, 2) % 3000), start + 8000 + (hash3(key, 0, 3) % 5000)];
      const picked = ps
        .map((p) => ({ p, k: hash3(key, p.host.index, 4) }))
        .sort((a, b) => a.k - b.k || a.p.host.index - b.p.host.index)
        .slice(0, count);
      for (const { p } of picked) {
        const i = p.host.index;
        const u = hash3(key, i, 5) / TWO_32;
        const r = hash3(key, i, 6);
        let reason: Exclusion['reason'];
        let height: number;
        if (u < 0.72) {
          reason = 'failed_confirmation_poc';
          height = cpoc[r % 2]!;
        } else if (u < 0.86) {
          reason = 'consecutive_failures';
          height = start + 5 + (r % 120);
        } else if (u < 0.93) {
          reason = 'downtime';
          height = start + 3000 + (r % (len - 3001));
        } else {
          reason = 'statistical_invalidations';
          height = start + 500 + (r % (len - 501));
        }
        out.push({ address: p.host.address, hostIndex: i, epoch: n, reason, height });
      }
      out.sort((a, b) => byAddressBytes(a.address, b.address));
    }
    this.exclusionsByEpoch.set(n, out);
    return out;
  }

  /** Exclusions of epoch `n` in the state after block `h`. */
  exclusionsAt(n: number, h: number): Exclusion[] {
    return this.exclusions(n).filter((e) => e.height <= h);
  }

  /** Performance summary of epoch `n` once it is finished (the caller checks that), sorted by address bytes. */
  summaries(n: number): readonly PerformanceSummary[] {
    const hit = this.summariesByEpoch.get(n);
    if (hit) return hit;
    let out: PerformanceSummary[] = [];
    if (n >= SUMMARIES_FROM_EPOCH) out = this.makeSummaries(n);
    // A few recent epochs only: rows are cheap to remake and a long history has many.
    this.summariesByEpoch.set(n, out);
    if (this.summariesByEpoch.size > 4) this.summariesByEpoch.delete(this.summariesByEpoch.keys().next().value!);
    return out;
  }

  private makeSummaries(n: number): PerformanceSummary[] {
    const { seed, hosts, usage } = this.src;
    const key = hash3(hashString('performance'), seed, n);
    const ps = hosts.participants(n);
    const excluded = new Set(this.exclusions(n).map((e) => e.hostIndex));
    const counts = inferenceShares(ps, usage.epochClassic(n), key);
    const totalWeight = ps.reduce((a, p) => a + p.weight, 0);
    const rows = ps.map((p, k) => {
      const i = p.host.index;
      const count = counts[k]!;
      const isExcluded = excluded.has(i);
      const u = (salt: number) => hash3(key, i, salt) / TWO_32;
      const validated = Math.floor(count * 0.3 * u(1));
      const invalidated = count > 0 && u(2) < 0.05 ? 1 : 0;
      const missed = isExcluded ? 2 + Math.floor(u(3) * 18) : u(3) < 0.25 ? 1 + Math.floor(u(4) * 5) : 0;
      const earned = isExcluded ? 0 : count * (35_000 + Math.floor(u(5) * 15_000));
      let rewarded = 0;
      if (!isExcluded && p.weight > 0 && totalWeight > 0) {
        rewarded = Math.min(1e12, Math.max(1e10, Math.floor((p.weight / totalWeight) * EPOCH_REWARD)));
      }
      return {
        burned_coins: '0',
        claimed: !isExcluded,
        earned_coins: String(earned),
        epoch_index: String(n),
        inference_count: String(count),
        invalidated_inferences: String(invalidated),
        missed_requests: String(missed),
        participant_id: p.host.address,
        rewarded_coins: String(rewarded),
        validated_inferences: String(validated),
      };
    });
    return rows.sort((a, b) => byAddressBytes(a.participant_id, b.participant_id));
  }
}

/**
 * Splits each model's classic inferences of the epoch over the hosts serving
 * it, by poc weight with a per-host spread; largest remainders keep the sum
 * equal to the epoch's total.
 */
function inferenceShares(ps: readonly ParticipantRecord[], totals: ReadonlyMap<string, { inferences: number }>, key: number): number[] {
  const expected = new Float64Array(ps.length);
  const weightOf = new Map<string, number>();
  const spread = ps.map((p) => 0.7 + 0.6 * (hash3(key, p.host.index, 9) / TWO_32));
  ps.forEach((p, k) =>
    p.models.forEach((m, j) => {
      const w = p.groups[j]!.reduce((a, x) => a + x.pocWeight, 0) * spread[k]!;
      weightOf.set(m, (weightOf.get(m) ?? 0) + w);
    }),
  );
  let total = 0;
  for (const [m, u] of totals) if (weightOf.has(m)) total += u.inferences;
  ps.forEach((p, k) =>
    p.models.forEach((m, j) => {
      const all = totals.get(m)?.inferences ?? 0;
      const w = p.groups[j]!.reduce((a, x) => a + x.pocWeight, 0) * spread[k]!;
      if (all > 0) expected[k]! += (all * w) / weightOf.get(m)!;
    }),
  );
  const counts = Array.from(expected, (x) => Math.floor(x));
  let left = total - counts.reduce((a, x) => a + x, 0);
  const order = [...counts.keys()].sort((a, b) => expected[b]! - counts[b]! - (expected[a]! - counts[a]!) || a - b);
  for (let j = 0; left > 0 && j < order.length; j++, left--) counts[order[j]!]!++;
  return counts;
}
