/**
 * Which source can give an epoch's usage, and what its answer means
 * (docs/chain-api.md, "Usage"). Empty is not zero: a route that no longer counts
 * (the chain's since v0.2.11), a node store that forgot (30 days) or never saw
 * (devshard sessions) answers nothing, and that is shown as unknown with the
 * reason, never as 0. Pure: the pipeline fetches what the plan asks for.
 */
import type { ModelStats } from '../chain/schemas.ts';
import type { UsageSource } from '../snapshot/schema.ts';
import { isAfter, type UpgradeHeights } from './upgrades.ts';

/** How long a node's usage store keeps events (the dapi's default retention). */
export const DAPI_RETENTION_MS = 30 * 24 * 3600_000;

/** Every sentence the site shows for missing usage, in one place. */
export const USAGE_UNAVAILABLE = {
  endUnknown: 'The end of this epoch is unknown (the next epoch could not be read), so its usage window cannot be set.',
  classicEnded: 'Since chain upgrade v0.2.14 all inference runs in devshard sessions, which no public route counts per model.',
  storeDisabled:
    'The chain stopped counting usage per model in v0.2.11, and none of the nodes asked runs the optional usage store that replaced it.',
  retention:
    'The chain stopped counting usage per model in v0.2.11, and the nodes keep their own count for 30 days only, which no longer include this epoch.',
  straddlesFreeze:
    'Counting moved from the chain to the nodes during this epoch (upgrade v0.2.11), so neither count covers the whole epoch.',
  historyUnknown: 'The chain’s upgrade history could not be read, so an empty usage answer cannot be told from no usage.',
  nodeMissed: (requests: string) =>
    `The node’s usage store holds none of the ${requests} requests the chain counted in this epoch (it keeps only what it saw live).`,
  failed: (reason: string) => `No node answered the usage query (${reason}).`,
} as const;

/** An epoch's usage window in heights and Unix ms (both ends inclusive). */
export interface WindowSpan {
  startHeight: number;
  endHeight: number;
  fromMs: number;
  toMs: number;
}

/** One source the plan asks, and how to read its answer. */
export interface PlannedSource {
  source: UsageSource;
  scope: 'all' | 'classic_only';
  /** Accept an empty answer as "no usage" (the source is known to cover the window). */
  emptyIsZero: boolean;
  /** Only an answer kept from an earlier run will do: the nodes no longer have the window. */
  cachedOnly?: boolean;
}

/** The sources to ask in order, or why none can cover the window. */
export interface UsagePlan {
  sources: PlannedSource[];
  /** The reason shown when no source gives figures and no node error is more telling. */
  reason: string;
}

/**
 * Plans the sources for a window: the nodes' store (dapi) where it collects
 * (from v0.2.11, within its retention), else the chain's stats where they were
 * still written (before v0.2.11); nothing after classic inference ended.
 */
export function planUsage(window: WindowSpan | null, upgrades: UpgradeHeights, nowMs: number): UsagePlan {
  if (window === null) return { sources: [], reason: USAGE_UNAVAILABLE.endUnknown };
  const frozenAtStart = isAfter(upgrades, 'v0.2.11', window.startHeight);
  const frozenAtEnd = isAfter(upgrades, 'v0.2.11', window.endHeight);
  const ended = isAfter(upgrades, 'v0.2.14', window.startHeight);
  const devshards = isAfter(upgrades, 'v0.2.12', window.endHeight);
  if (ended === true) return { sources: [], reason: USAGE_UNAVAILABLE.classicEnded };
  if (frozenAtStart === null || frozenAtEnd === null) {
    // Without the upgrade heights, take only answers that show counting happened.
    return {
      sources: [
        { source: 'dapi_stats', scope: 'classic_only', emptyIsZero: false },
        { source: 'chain_stats', scope: 'all', emptyIsZero: false },
      ],
      reason: USAGE_UNAVAILABLE.historyUnknown,
    };
  }
  if (!frozenAtEnd) return { sources: [{ source: 'chain_stats', scope: 'all', emptyIsZero: true }], reason: USAGE_UNAVAILABLE.failed('no answer') };
  if (!frozenAtStart) return { sources: [], reason: USAGE_UNAVAILABLE.straddlesFreeze };
  const scope = devshards === false ? 'all' : 'classic_only';
  // Past the store's retention the nodes would answer nothing; what an earlier run fetched still counts.
  if (window.fromMs < nowMs - DAPI_RETENTION_MS) {
    return { sources: [{ source: 'dapi_stats', scope, emptyIsZero: true, cachedOnly: true }], reason: USAGE_UNAVAILABLE.retention };
  }
  return { sources: [{ source: 'dapi_stats', scope, emptyIsZero: true }], reason: USAGE_UNAVAILABLE.storeDisabled };
}

/** A source's answer: the stats, or why the nodes gave none (`disabled`: a node said its store is off). */
export type SourceAnswer = { ok: true; stats: ModelStats[] } | { ok: false; reason: string; disabled: boolean };

/** The usage an epoch shows. */
export interface UsageOutcome {
  source: UsageSource | null;
  scope: 'all' | 'classic_only' | null;
  /** The answer's rows, null when no source covers the window. */
  stats: ModelStats[] | null;
  unavailable: string | null;
}

/**
 * Reads the answers in plan order. `chainRequests` is the chain's own request
 * count for the window's epoch: a node store that answers nothing while the
 * chain counted requests did not see them, so its silence is not zero.
 */
export function decideUsage(plan: UsagePlan, answers: ReadonlyMap<UsageSource, SourceAnswer>, chainRequests: string | null): UsageOutcome {
  let reason: string | null = null;
  for (const p of plan.sources) {
    const a = answers.get(p.source);
    if (!a) continue;
    if (!a.ok) {
      // A store that is off explains more than the generic plan reason; other faults name themselves.
      reason ??= a.disabled ? plan.reason : USAGE_UNAVAILABLE.failed(a.reason);
      continue;
    }
    const total = a.stats.reduce((s, x) => s + x.inferences, 0);
    if (total === 0 && !p.emptyIsZero) continue;
    if (total === 0 && p.source === 'dapi_stats' && chainRequests !== null && BigInt(chainRequests) > 0n) {
      reason ??= USAGE_UNAVAILABLE.nodeMissed(chainRequests);
      continue;
    }
    return { source: p.source, scope: p.scope, stats: a.stats, unavailable: null };
  }
  return { source: null, scope: null, stats: null, unavailable: reason ?? plan.reason };
}

/** Whether an answer of the node's store says it is switched off (the dapi's default). */
export function isStoreDisabled(message: string): boolean {
  return /stats storage is (disabled|not configured)/i.test(message);
}
