import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateEpoch, tallyWeights, type EpochInput } from '../../src/aggregate/epoch.ts';
import { USAGE_UNAVAILABLE } from '../../src/aggregate/usage.ts';
import { modelsAllResponse, participantsResponse, type ChainModel, type Participant } from '../../src/chain/schemas.ts';
import { epochSnapshotSchema } from '../../src/snapshot/schema.ts';

const sample = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/spec-samples/${name}`, import.meta.url), 'utf8'));
const registry = modelsAllResponse.parse(sample('chain_api_models_all.json')).model;

/** A hand-made host: `groups[i]` are the poc_weights of the i-th ml_nodes group. */
function host(index: string, models: string[], groups: number[][], weight?: number): Participant {
  return participantsResponse.shape.active_participants.shape.participants.parse([
    {
      index,
      ...(weight !== undefined ? { weight } : {}),
      ...(models.length ? { models } : {}),
      ...(groups.length ? { ml_nodes: groups.map((g, i) => ({ ml_nodes: g.map((w, j) => ({ node_id: `${index}-${i}-${j}`, poc_weight: w })) })) } : {}),
    },
  ])[0]!;
}

function input(participants: Participant[], over: Partial<EpochInput> = {}): EpochInput {
  return {
    source: 'sample',
    fetchedAt: '2025-12-09T16:09:40.538Z',
    epochId: 7,
    isCurrent: false,
    pocStartHeight: 100,
    startHeight: 647,
    endHeight: 1000,
    endBlockTime: '2025-12-09T16:09:40.538Z',
    window: null,
    usage: { source: null, scope: null, stats: null, unavailable: USAGE_UNAVAILABLE.endUnknown },
    participants,
    registry: { models: registry, height: 1000, kind: 'registry_at_height' },
    groups: new Map(),
    scale: { perModel: false, frozen: new Map(), params: null },
    excluded: null,
    performance: null,
    requests: null,
    prices: { kind: 'not_served', height: 1000 },
    capacities: new Map(),
    ...over,
  };
}

/** Usage given by a source that covers the window. */
const usage = (stats: { model: string; ai_tokens: string; inferences: number }[], scope: 'all' | 'classic_only' = 'all'): EpochInput['usage'] => ({
  source: scope === 'all' ? 'chain_stats' : 'dapi_stats',
  scope,
  stats,
  unavailable: null,
});

const A = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
const B = 'Qwen/Qwen3-32B-FP8';

describe('tallyWeights', () => {
  it('pairs models[i] with ml_nodes[i] and keeps the trailing group apart', () => {
    const t = tallyWeights([host('h1', [A, B], [[10, 20], [5], [7, 1]], 43), host('h2', [A], [[3]], 3)]);
    expect(t.models.get(A)).toMatchObject({ weight: 33, mlNodes: 3 });
    expect(t.models.get(A)!.hosts.size).toBe(2);
    expect(t.models.get(B)).toMatchObject({ weight: 5, mlNodes: 1 });
    expect(t.unassignedWeight).toBe(8);
    expect(t.unassignedMlNodes).toBe(2);
    expect(t.pocWeight).toBe(46);
    expect(t.hostWeight).toBe(46);
  });

  it('counts a host without models or ml_nodes keys as a host with nothing assigned', () => {
    const t = tallyWeights([host('lonely', [], [], 12)]);
    expect(t.hosts).toBe(1);
    expect(t.models.size).toBe(0);
    expect(t.pocWeight).toBe(0);
    expect(t.hostWeight).toBe(12);
  });
});

describe('aggregateEpoch', () => {
  it('sums the spec sample epoch 106 as the reference recipe does', () => {
    const p = participantsResponse.parse(sample('v1_epochs_current_participants.json')).active_participants.participants;
    const s = aggregateEpoch(input(p));
    // Recompute by the per-model recipe of docs/chain-api.md ("Weight"), independently of tallyWeights.
    const expected = new Map<string, number>();
    for (const x of sample('v1_epochs_current_participants.json').active_participants.participants) {
      (x.models ?? []).forEach((m: string, i: number) => {
        const g = x.ml_nodes?.[i]?.ml_nodes ?? [];
        expected.set(m, (expected.get(m) ?? 0) + g.reduce((a: number, n: { poc_weight?: number }) => a + (n.poc_weight ?? 0), 0));
      });
    }
    for (const [id, w] of expected) expect(s.models.find((m) => m.id === id)?.total_weight).toBe(w);
    expect(s.checks.poc_weight_balanced).toBe(true);
    expect(s.totals.unassigned_weight).toBeGreaterThan(0); // gonka1dkl4… has a trailing group
    expect(s.checks.host_weight_equals_poc_weight).toBe(false); // gonka1kx9m… has weight < Σ poc_weight
    expect(epochSnapshotSchema.safeParse(s).success).toBe(true);
  });

  it('keeps registry models without hosts at 0 and hosted models missing from the registry with null fields', () => {
    const s = aggregateEpoch(input([host('h1', [A, 'acme/Unlisted-1B'], [[50], [9]], 59)]));
    const unlisted = s.models.find((m) => m.id === 'acme/Unlisted-1B')!;
    expect(unlisted).toMatchObject({ total_weight: 9, participant_count: 1, in_registry: false, hf_repo: null, v_ram: null, params_source: { kind: 'none' } });
    expect(unlisted.registry_status).toBe('unregistered');
    const idle = s.models.find((m) => m.id === 'Qwen/QwQ-32B')!;
    expect(idle).toMatchObject({ total_weight: 0, effective_weight: 0, participant_count: 0, ml_nodes: 0, share: 0, in_registry: true, registry_status: 'listed', v_ram: '80' });
    expect(s.models).toHaveLength(registry.length + 1);
    expect(s.totals.models_hosted).toBe(2);
  });

  it('sorts by weight descending, then id, and computes shares', () => {
    const s = aggregateEpoch(input([host('h1', [A, B], [[30], [30]]), host('h2', ['Qwen/QwQ-32B'], [[40]])]));
    expect(s.models.slice(0, 3).map((m) => m.id)).toEqual(['Qwen/QwQ-32B', A, B]);
    expect(s.models.slice(0, 3).map((m) => m.share)).toEqual([0.4, 0.3, 0.3]);
    // Before per-model scaling, effective weight is the raw weight.
    expect(s.models.slice(0, 3).map((m) => [m.effective_weight, m.raw_share])).toEqual([[40, 0.4], [30, 0.3], [30, 0.3]]);
    const zeros = s.models.filter((m) => m.total_weight === 0).map((m) => m.id);
    expect(zeros).toEqual([...zeros].sort());
  });

  it('joins usage by exact id, keeps unknown models in stats and big token counts exact', () => {
    const big = '9007199254740993123'; // > 2^53
    const s = aggregateEpoch(
      input([host('h1', [A], [[10]])], {
        usage: usage([
          { model: A, ai_tokens: big, inferences: 5 },
          { model: 'qwen/qwen3-235b-a22b-instruct-2507-fp8', ai_tokens: '7', inferences: 1 },
          { model: 'ghost/Model', ai_tokens: '3', inferences: 2 },
        ]),
      }),
    );
    expect(s.models.find((m) => m.id === A)).toMatchObject({ ai_tokens: big, inferences: 5 });
    expect(s.models.find((m) => m.id === B)).toMatchObject({ ai_tokens: '0', inferences: 0 });
    expect(s.stats.map((x) => x.model)).toEqual([A, 'ghost/Model', 'qwen/qwen3-235b-a22b-instruct-2507-fp8']);
    expect(s.models.some((m) => m.id === 'ghost/Model')).toBe(false);
  });

  it('reports usage as null, not 0, when it is unavailable', () => {
    const s = aggregateEpoch(input([host('h1', [A], [[10]])]));
    expect(s.models.every((m) => m.inferences === null && m.ai_tokens === null)).toBe(true);
    expect(s.usage_unavailable).toBe(USAGE_UNAVAILABLE.endUnknown);
    expect(s.usage_source).toBeNull();
  });

  it('with classic-only usage shows a model the store did not list as unknown, not 0', () => {
    const s = aggregateEpoch(input([host('h1', [A, B], [[10], [5]])], { usage: usage([{ model: A, ai_tokens: '70', inferences: 3 }], 'classic_only') }));
    expect(s.models.find((m) => m.id === A)).toMatchObject({ inferences: 3, ai_tokens: '70' });
    expect(s.models.find((m) => m.id === B)).toMatchObject({ inferences: null, ai_tokens: null });
    expect([s.usage_source, s.usage_scope, s.usage_unavailable]).toEqual(['dapi_stats', 'classic_only', null]);
  });

  it('prefers parameters frozen at epoch formation over the registry', () => {
    const frozen: ChainModel = { ...registry.find((m) => m.id === B)!, hf_commit: 'f'.repeat(40), v_ram: 96 };
    const s = aggregateEpoch(input([host('h1', [B], [[10]])], { groups: new Map([[B, { snapshot: frozen, hasVotingPower: false }]]) }));
    expect(s.models.find((m) => m.id === B)).toMatchObject({
      hf_commit: 'f'.repeat(40),
      v_ram: '96',
      params_source: { kind: 'epoch_snapshot', height: 100 },
      validation_threshold: { value: '95814', exponent: -5 },
    });
    expect(s.models.find((m) => m.id === A)?.params_source).toEqual({ kind: 'registry_at_height', height: 1000 });
  });

  it('lists the hosts behind each model with their nodes, weight and share, and the concentration', () => {
    const s = aggregateEpoch(input([host('h-b', [A, B], [[30, 10], [5]]), host('h-a', [A], [[40]]), host('h-c', [A], [[20]])]));
    const a = s.models.find((m) => m.id === A)!;
    const plain = { effective_weight: null, excluded: null, performance: null };
    expect(a.hosts).toEqual([
      { address: 'h-a', ml_nodes: 1, weight: 40, share: 0.4, ...plain, effective_weight: 40 },
      { address: 'h-b', ml_nodes: 2, weight: 40, share: 0.4, ...plain, effective_weight: 40 },
      { address: 'h-c', ml_nodes: 1, weight: 20, share: 0.2, ...plain, effective_weight: 20 },
    ]);
    expect(a.concentration).toEqual({ top1: 0.4, top5: 1, hhi: 3600 });
    expect(s.models.find((m) => m.id === B)!.hosts).toEqual([{ address: 'h-b', ml_nodes: 1, weight: 5, share: 1, ...plain, effective_weight: 5 }]);
    const idle = s.models.find((m) => m.id === 'Qwen/QwQ-32B')!;
    expect(idle.hosts).toEqual([]);
    expect(idle.concentration).toEqual({ top1: 0, top5: 0, hhi: 0 });
  });
});

describe('aggregateEpoch on v0.2.12+ epochs', () => {
  const K = 'moonshotai/Kimi-K2.6';
  const kimiModel: ChainModel = { ...registry.find((m) => m.id === A)!, id: K, hf_repo: K, model_args: ['--max-model-len=131072'] };
  const scaled = (over: Partial<EpochInput> = {}) =>
    input([host('h1', [A, K], [[1000, 7], [999]]), host('h2', [K], [[1]]), host('h3', [A], [[500]])], {
      registry: { models: [...registry, kimiModel], height: 1000, kind: 'registry_at_height' },
      groups: new Map([
        [A, { snapshot: null, hasVotingPower: true }],
        [K, { snapshot: null, hasVotingPower: true }],
      ]),
      scale: {
        perModel: true,
        frozen: new Map(),
        params: {
          height: 380,
          kind: 'params_at_formation',
          models: [
            { model_id: A, weight_scale_factor: { value: '3593', exponent: -4 } },
            { model_id: K, weight_scale_factor: { value: '12620856201975851', exponent: -16 } },
          ],
        },
      },
      ...over,
    });

  it('scales each host’s raw weight by the model’s factor, floored per host, and puts shares on effective weight', () => {
    const s = aggregateEpoch(scaled());
    const a = s.models.find((m) => m.id === A)!;
    const k = s.models.find((m) => m.id === K)!;
    // Qwen: floor(1007 × 0.3593) = 361, floor(500 × 0.3593) = 179. Kimi: floor(999 × 1.2620856201975851) = 1260, floor(1 × …) = 1.
    expect(a.hosts.map((h) => [h.address, h.weight, h.effective_weight])).toEqual([['h1', 1007, 361], ['h3', 500, 179]]);
    expect(k.hosts.map((h) => [h.address, h.weight, h.effective_weight])).toEqual([['h1', 999, 1260], ['h2', 1, 1]]);
    expect([a.total_weight, a.effective_weight, k.total_weight, k.effective_weight]).toEqual([1507, 540, 1000, 1261]);
    expect(s.totals.effective_weight).toBe(1801);
    expect([a.share, k.share]).toEqual([Math.round((540 / 1801) * 1e6) / 1e6, Math.round((1261 / 1801) * 1e6) / 1e6]);
    expect([a.raw_share, k.raw_share]).toEqual([0.601117, 0.398883]);
    // Kimi is first now: the default order is by effective weight, not raw.
    expect(s.models[0]!.id).toBe(K);
    expect(k.context_length).toEqual({ tokens: '131072', source: 'max_model_len' });
  });

  it('gives a model whose sub-group has no voting power 0 effective weight (it does not count)', () => {
    const s = aggregateEpoch(scaled({ groups: new Map([[A, { snapshot: null, hasVotingPower: true }], [K, { snapshot: null, hasVotingPower: false }]]) }));
    const k = s.models.find((m) => m.id === K)!;
    expect([k.total_weight, k.effective_weight, k.share, k.weight_scale.eligible]).toEqual([1000, 0, 0, false]);
    expect(s.models.find((m) => m.id === A)!.share).toBe(1);
  });

  it('prefers the frozen confirmation_weight_scales over params', () => {
    const s = aggregateEpoch(scaled({ scale: { perModel: true, frozen: new Map([[A, { value: '1', exponent: 0 }], [K, { value: '78', exponent: -2 }]]), params: null } }));
    const k = s.models.find((m) => m.id === K)!;
    expect(k.weight_scale).toEqual({ factor: { value: '78', exponent: -2 }, source: 'confirmation_weight_scales', height: null, eligible: true });
    expect(k.effective_weight).toBe(Math.floor(999 * 0.78) + Math.floor(1 * 0.78));
  });

  it('leaves effective weight and every share unknown when a factor cannot be read, keeping raw figures', () => {
    const s = aggregateEpoch(scaled({ scale: { perModel: true, frozen: new Map(), params: null } }));
    expect(s.models.filter((m) => m.total_weight > 0).map((m) => [m.effective_weight, m.share, m.weight_scale.source])).toEqual([
      [null, null, 'unknown'],
      [null, null, 'unknown'],
    ]);
    expect(s.totals.effective_weight).toBeNull();
    expect(s.models.find((m) => m.id === A)!.raw_share).toBe(0.601117);
  });

  it('flags excluded hosts with the chain’s reason and keeps them in the counts', () => {
    const s = aggregateEpoch(
      scaled({
        excluded: [
          { address: 'h3', reason: 'failed_confirmation_poc', exclusion_block_height: 812 },
          { address: 'gone', reason: 'downtime', exclusion_block_height: 700 },
        ],
        performance: [
          { participant_id: 'h3', inference_count: '12', missed_requests: '1', rewarded_coins: '0' },
          { participant_id: 'h1', inference_count: '30', missed_requests: '0', rewarded_coins: '99999999999999999999' },
        ],
        requests: '40',
      }),
    );
    const a = s.models.find((m) => m.id === A)!;
    expect([a.participant_count, a.total_weight, a.excluded_hosts, a.excluded_weight]).toEqual([2, 1507, 1, 500]);
    expect(a.hosts.find((h) => h.address === 'h3')).toMatchObject({
      excluded: { reason: 'failed_confirmation_poc', exclusion_block_height: 812 },
      performance: { inference_count: '12', missed_requests: '1', rewarded_coins: '0' },
    });
    expect(a.hosts.find((h) => h.address === 'h1')!.excluded).toBeNull();
    expect(s.excluded_participants.map((e) => e.address)).toEqual(['gone', 'h3']);
    expect(s.totals.excluded_hosts).toBe(2);
    expect(s.chain_counters).toEqual({ requests: '40', inferences: '42', missed_requests: '1' });
    // h2 has no summary entry: unknown, not zeros.
    expect(s.models.find((m) => m.id === K)!.hosts.find((h) => h.address === 'h2')!.performance).toBeNull();
  });

  it('marks a model registered at formation but gone from the registry by the epoch’s end as removed', () => {
    const frozen = registry.find((m) => m.id === B)!;
    const s = aggregateEpoch(
      input([host('h1', [A, B], [[10], [5]])], {
        registry: { models: registry.filter((m) => m.id !== B), height: 1000, kind: 'registry_at_height' },
        groups: new Map([[B, { snapshot: frozen, hasVotingPower: false }]]),
      }),
    );
    expect(s.models.find((m) => m.id === B)).toMatchObject({ registry_status: 'removed', in_registry: false, hf_commit: frozen.hf_commit, params_source: { kind: 'epoch_snapshot' } });
  });

  it('with a registry from a later state, lists only models the epoch knows and keeps ones registered at formation listed', () => {
    const later: ChainModel = { ...kimiModel, id: 'later/Added-Model', hf_repo: 'later/Added-Model' };
    const frozen = registry.find((m) => m.id === B)!;
    const s = aggregateEpoch(
      input([host('h1', [A, B], [[10], [5]])], {
        registry: { models: [registry.find((m) => m.id === A)!, later], height: 5000, kind: 'registry_nearest' },
        groups: new Map([[B, { snapshot: frozen, hasVotingPower: false }]]),
      }),
    );
    expect(s.models.map((m) => [m.id, m.registry_status])).toEqual([
      [A, 'listed'],
      [B, 'listed'],
    ]);
  });

  it('reads each model’s price from the list, exact in GNK per million tokens, and says why one is missing', () => {
    const s = aggregateEpoch(scaled({ prices: { kind: 'list', height: 1000, prices: [{ model_id: K, price: '1234' }] }, capacities: new Map([[K, { value: '5000' }]]) }));
    const k = s.models.find((m) => m.id === K)!;
    expect(k.price).toEqual({ ngonka_per_token: '1234', gnk_per_million_tokens: '1.234', height: 1000, unavailable: null });
    expect(k.capacity).toEqual({ value: '5000', unavailable: null });
    const a = s.models.find((m) => m.id === A)!;
    expect(a.price.ngonka_per_token).toBeNull();
    expect(a.price.unavailable).toBe('Not published: the chain lists no price for this model at height 1000.');
    expect(a.capacity.value).toBeNull();
  });
});
