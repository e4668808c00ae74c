import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateEpoch, tallyWeights, type EpochInput } from '../../src/aggregate/epoch.ts';
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
    usageUnavailable: 'usage unavailable: test',
    participants,
    registry: { models: registry, height: 1000, kind: 'registry_at_height' },
    frozenParams: new Map(),
    stats: null,
    ...over,
  };
}

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
    // Recompute by the SPEC §5.2 recipe, independently of tallyWeights.
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
    const idle = s.models.find((m) => m.id === 'Qwen/QwQ-32B')!;
    expect(idle).toMatchObject({ total_weight: 0, participant_count: 0, ml_nodes: 0, share: 0, in_registry: true, v_ram: '80' });
    expect(s.models).toHaveLength(registry.length + 1);
    expect(s.totals.models_hosted).toBe(2);
  });

  it('sorts by weight descending, then id, and computes shares', () => {
    const s = aggregateEpoch(input([host('h1', [A, B], [[30], [30]]), host('h2', ['Qwen/QwQ-32B'], [[40]])]));
    expect(s.models.slice(0, 3).map((m) => m.id)).toEqual(['Qwen/QwQ-32B', A, B]);
    expect(s.models.slice(0, 3).map((m) => m.share)).toEqual([0.4, 0.3, 0.3]);
    const zeros = s.models.filter((m) => m.total_weight === 0).map((m) => m.id);
    expect(zeros).toEqual([...zeros].sort());
  });

  it('joins usage by exact id, keeps unknown models in stats and big token counts exact', () => {
    const big = '9007199254740993123'; // > 2^53
    const s = aggregateEpoch(
      input([host('h1', [A], [[10]])], {
        usageUnavailable: null,
        stats: [
          { model: A, ai_tokens: big, inferences: 5 },
          { model: 'qwen/qwen3-235b-a22b-instruct-2507-fp8', ai_tokens: '7', inferences: 1 },
          { model: 'ghost/Model', ai_tokens: '3', inferences: 2 },
        ],
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
    expect(s.usage_unavailable).toMatch(/usage unavailable/);
  });

  it('prefers parameters frozen at epoch formation over the registry', () => {
    const frozen: ChainModel = { ...registry.find((m) => m.id === B)!, hf_commit: 'f'.repeat(40), v_ram: 96 };
    const s = aggregateEpoch(input([host('h1', [B], [[10]])], { frozenParams: new Map([[B, frozen]]) }));
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
    expect(a.hosts).toEqual([
      { address: 'h-a', ml_nodes: 1, weight: 40, share: 0.4 },
      { address: 'h-b', ml_nodes: 2, weight: 40, share: 0.4 },
      { address: 'h-c', ml_nodes: 1, weight: 20, share: 0.2 },
    ]);
    expect(a.concentration).toEqual({ top1: 0.4, top5: 1, hhi: 3600 });
    expect(s.models.find((m) => m.id === B)!.hosts).toEqual([{ address: 'h-b', ml_nodes: 1, weight: 5, share: 1 }]);
    const idle = s.models.find((m) => m.id === 'Qwen/QwQ-32B')!;
    expect(idle.hosts).toEqual([]);
    expect(idle.concentration).toEqual({ top1: 0, top5: 0, hhi: 0 });
  });
});
