/** Which source covers an epoch's usage window, and when an empty answer is 0 (docs/chain-api.md, "Usage"). */
import { describe, expect, it } from 'vitest';
import { DAPI_RETENTION_MS, USAGE_UNAVAILABLE, decideUsage, isStoreDisabled, planUsage, type SourceAnswer } from '../../src/aggregate/usage.ts';
import type { UpgradeHeights } from '../../src/aggregate/upgrades.ts';
import type { UsageSource } from '../../src/snapshot/schema.ts';

const UP: UpgradeHeights = { 'v0.2.11': 1000, 'v0.2.12': 2000, 'v0.2.14': 3000 };
const NOW = 10 * DAPI_RETENTION_MS;
const span = (startHeight: number, endHeight: number, fromMs = NOW - 1000, toMs = NOW) => ({ startHeight, endHeight, fromMs, toMs });
const stats = [{ model: 'm', ai_tokens: '10', inferences: 2 }];
const answers = (entries: [UsageSource, SourceAnswer][]) => new Map(entries);

describe('planUsage', () => {
  it('asks the chain for windows that end before its stats froze, and an empty answer there is 0', () => {
    expect(planUsage(span(10, 999), UP, NOW).sources).toEqual([{ source: 'chain_stats', scope: 'all', emptyIsZero: true }]);
    // Not applied yet: the chain still counts.
    expect(planUsage(span(10, 5000), { 'v0.2.11': 0, 'v0.2.12': 0, 'v0.2.14': 0 }, NOW).sources.map((s) => s.source)).toEqual(['chain_stats']);
  });

  it('asks only the nodes’ store after the freeze: all inference before devshards, classic only after', () => {
    expect(planUsage(span(1000, 1999), UP, NOW).sources).toEqual([{ source: 'dapi_stats', scope: 'all', emptyIsZero: true }]);
    expect(planUsage(span(1500, 2000), UP, NOW).sources).toEqual([{ source: 'dapi_stats', scope: 'classic_only', emptyIsZero: true }]);
  });

  it('has no live source for a window that straddles the freeze, is past the store’s retention, or starts after classic inference ended', () => {
    expect(planUsage(span(999, 1000), UP, NOW)).toEqual({ sources: [], reason: USAGE_UNAVAILABLE.straddlesFreeze });
    // Past retention only an answer kept from an earlier run can give the figures.
    expect(planUsage(span(1200, 1300, NOW - DAPI_RETENTION_MS - 1), UP, NOW)).toEqual({
      sources: [{ source: 'dapi_stats', scope: 'all', emptyIsZero: true, cachedOnly: true }],
      reason: USAGE_UNAVAILABLE.retention,
    });
    expect(planUsage(span(1200, 1300, NOW - DAPI_RETENTION_MS), UP, NOW).sources[0]!.cachedOnly).toBeUndefined();
    expect(planUsage(span(3000, 3100), UP, NOW)).toEqual({ sources: [], reason: USAGE_UNAVAILABLE.classicEnded });
    // Classic inference ended inside the window: what came before is still counted, classic only.
    expect(planUsage(span(2900, 3100), UP, NOW).sources[0]!.scope).toBe('classic_only');
    expect(planUsage(null, UP, NOW)).toEqual({ sources: [], reason: USAGE_UNAVAILABLE.endUnknown });
  });

  it('without upgrade heights asks both, taking only answers that show counting happened', () => {
    const plan = planUsage(span(10, 20), { 'v0.2.11': null, 'v0.2.12': null, 'v0.2.14': null }, NOW);
    expect(plan.sources.map((s) => [s.source, s.emptyIsZero])).toEqual([
      ['dapi_stats', false],
      ['chain_stats', false],
    ]);
    expect(decideUsage(plan, answers([['dapi_stats', { ok: true, stats: [] }], ['chain_stats', { ok: true, stats: [] }]]), null).unavailable).toBe(
      USAGE_UNAVAILABLE.historyUnknown,
    );
    expect(decideUsage(plan, answers([['dapi_stats', { ok: true, stats: [] }], ['chain_stats', { ok: true, stats }]]), null).source).toBe('chain_stats');
  });
});

describe('decideUsage', () => {
  const chainPlan = planUsage(span(10, 999), UP, NOW);
  const dapiPlan = planUsage(span(1500, 2500), UP, NOW);

  it('takes a covering source’s answer, empty or not', () => {
    expect(decideUsage(chainPlan, answers([['chain_stats', { ok: true, stats: [] }]]), '0')).toEqual({ source: 'chain_stats', scope: 'all', stats: [], unavailable: null });
    expect(decideUsage(dapiPlan, answers([['dapi_stats', { ok: true, stats }]]), '5').source).toBe('dapi_stats');
  });

  it('does not take a silent store for 0 when the chain counted requests in the epoch', () => {
    const out = decideUsage(dapiPlan, answers([['dapi_stats', { ok: true, stats: [] }]]), '6702');
    expect(out).toEqual({ source: null, scope: null, stats: null, unavailable: USAGE_UNAVAILABLE.nodeMissed('6702') });
    expect(decideUsage(dapiPlan, answers([['dapi_stats', { ok: true, stats: [] }]]), '0').source).toBe('dapi_stats');
  });

  it('explains a store switched off, and names other faults', () => {
    expect(decideUsage(dapiPlan, answers([['dapi_stats', { ok: false, reason: 'stats storage is disabled', disabled: true }]]), null).unavailable).toBe(
      USAGE_UNAVAILABLE.storeDisabled,
    );
    expect(decideUsage(dapiPlan, answers([['dapi_stats', { ok: false, reason: 'timed out after 15000 ms', disabled: false }]]), null).unavailable).toBe(
      USAGE_UNAVAILABLE.failed('timed out after 15000 ms'),
    );
  });

  it('recognises the store’s “off” answers', () => {
    expect(isStoreDisabled('stats storage is disabled')).toBe(true);
    expect(isStoreDisabled('stats storage is not configured')).toBe(true);
    expect(isStoreDisabled('Internal Server Error')).toBe(false);
  });
});
