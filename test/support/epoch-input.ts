/** An `EpochInput` for aggregation tests: a finished epoch before per-model scaling, with no usage, groups or prices. */
import type { EpochInput } from '../../src/aggregate/epoch.ts';
import { USAGE_UNAVAILABLE } from '../../src/aggregate/usage.ts';

/** The defaults, overridden by `over`. */
export function epochInput(over: Partial<EpochInput> & Pick<EpochInput, 'epochId' | 'participants'>): EpochInput {
  return {
    source: 'sample',
    fetchedAt: '2025-12-09T16:09:40.538Z',
    isCurrent: false,
    pocStartHeight: over.epochId * 100,
    startHeight: over.epochId * 100 + 47,
    endHeight: over.epochId * 100 + 99,
    endBlockTime: null,
    window: null,
    usage: { source: null, scope: null, stats: null, unavailable: USAGE_UNAVAILABLE.endUnknown },
    registry: { models: [], height: null, kind: 'registry_at_height' },
    groups: new Map(),
    scale: { perModel: false, frozen: new Map(), params: null },
    excluded: null,
    performance: null,
    requests: null,
    prices: { kind: 'not_served', height: null },
    capacities: new Map(),
    ...over,
  };
}
