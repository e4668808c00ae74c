import { describe, expect, it } from 'vitest';
import { aggregateEpoch } from '../../src/aggregate/epoch.ts';
import { concentration } from '../../src/aggregate/concentration.ts';
import { diffEpochs, paramChanges } from '../../src/views/diffs.ts';
import { formatDecimal } from '../../src/display/format.ts';
import { model as chainModel, type ChainModel, type Participant } from '../../src/chain/schemas.ts';
import { epochInput } from '../support/epoch-input.ts';

const model = (id: string, over: Partial<ChainModel> = {}): ChainModel => ({
  ...chainModel.parse({
    id,
    proposed_by: 'gonka1proposer',
    hf_repo: id,
    hf_commit: 'a'.repeat(40),
    model_args: ['--tp', '2'],
    v_ram: 80,
    throughput_per_nonce: 6000,
    units_of_compute_per_token: 1000,
    validation_threshold: { value: 97, exponent: -2 },
  }),
  ...over,
});

/** A hand-made epoch: `hosted` maps model id → per-host weights. */
function epoch(epochId: number, registry: ChainModel[], hosted: Record<string, number[]>) {
  const participants: Participant[] = [];
  Object.entries(hosted).forEach(([id, weights], mi) =>
    weights.forEach((w, hi) =>
      participants.push({ index: `h${mi}-${hi}`, weight: w, inference_url: '', models: [id], ml_nodes: [{ ml_nodes: [{ node_id: 'n', poc_weight: w, timeslot_allocation: [] }] }], seed: null }),
    ),
  );
  return aggregateEpoch(
    epochInput({
      fetchedAt: '2025-10-01T00:00:00.000Z',
      epochId,
      pocStartHeight: epochId * 1000,
      startHeight: epochId * 1000 + 547,
      endHeight: epochId * 1000 + 999,
      participants,
      registry: { models: registry, height: epochId * 1000 + 999, kind: 'registry_at_height' },
    }),
  );
}

describe('formatDecimal, the one decimal formatter of the site', () => {
  it.each([
    [{ value: '970917', exponent: -6 }, '0.970917'],
    [{ value: '97', exponent: -2 }, '0.97'],
    [{ value: '95814', exponent: -5 }, '0.95814'],
    [{ value: '5', exponent: -3 }, '0.005'],
    [{ value: '120', exponent: -1 }, '12'],
    [{ value: '3', exponent: 2 }, '300'],
    [{ value: '-25', exponent: -1 }, '-2.5'],
    [{ value: '0', exponent: -4 }, '0'],
    [{ value: '0', exponent: 2 }, '0'],
    [{ value: '007', exponent: 1 }, '70'],
  ])('%j → %s', (d, text) => expect(formatDecimal(d)).toBe(text));
});

describe('concentration', () => {
  it('computes top-1, top-5 and HHI', () => {
    expect(concentration([50, 30, 20])).toEqual({ top1: 0.5, top5: 1, hhi: 3800 });
    const ten = concentration(Array(10).fill(10));
    expect(ten).toEqual({ top1: 0.1, top5: 0.5, hhi: 1000 });
    expect(concentration([100])).toEqual({ top1: 1, top5: 1, hhi: 10000 });
  });
  it('is all zeros when nothing backs the model', () => {
    expect(concentration([])).toEqual({ top1: 0, top5: 0, hhi: 0 });
    expect(concentration([0, 0])).toEqual({ top1: 0, top5: 0, hhi: 0 });
  });
});

describe('paramChanges', () => {
  it('finds each change with the epoch where it happened, skipping epochs without a registry row', () => {
    const a1 = model('x/A');
    const a2 = model('x/A', { hf_commit: 'b'.repeat(40), validation_threshold: { value: '95814', exponent: -5 } });
    const a3 = model('x/A', { hf_commit: 'b'.repeat(40), validation_threshold: { value: '95814', exponent: -5 }, model_args: [] });
    const snaps = [epoch(4, [a3], { 'x/A': [1] }), epoch(1, [a1], { 'x/A': [1] }), epoch(2, [a1], {}), epoch(3, [a2], { 'x/A': [2] }), epoch(5, [], { 'x/A': [1] })];
    expect(paramChanges(snaps, 'x/A')).toEqual([
      { modelId: 'x/A', epochId: 3, previousEpochId: 2, field: 'hf_commit', from: 'a'.repeat(40), to: 'b'.repeat(40) },
      { modelId: 'x/A', epochId: 3, previousEpochId: 2, field: 'validation_threshold', from: '0.97', to: '0.95814' },
      { modelId: 'x/A', epochId: 4, previousEpochId: 3, field: 'model_args', from: '--tp 2', to: '' },
    ]);
    expect(paramChanges(snaps, 'x/Unknown')).toEqual([]);
  });
});

describe('diffEpochs', () => {
  it('reports deltas, additions, models losing all hosts, parameter changes and movers', () => {
    const reg1 = [model('x/A'), model('x/B'), model('x/C')];
    const reg2 = [model('x/A', { v_ram: 96 }), model('x/B'), model('x/C'), model('x/D')];
    const prev = epoch(10, reg1, { 'x/A': [100, 100], 'x/B': [50] });
    const cur = epoch(11, reg2, { 'x/A': [150, 100, 50], 'x/C': [30], 'x/D': [5] });
    const d = diffEpochs(prev, cur);
    expect(d.previousEpochId).toBe(10);
    const a = d.deltas.find((x) => x.id === 'x/A')!;
    expect(a).toEqual({ id: 'x/A', weight: 300, effectiveWeight: 300, effectiveDelta: 100, effectiveDeltaPct: 50, weightDelta: 100, weightDeltaPct: 50, hosts: 3, hostsDelta: 1, isNew: false });
    expect(d.deltas.find((x) => x.id === 'x/C')).toMatchObject({ weightDelta: 30, weightDeltaPct: null, isNew: false });
    expect(d.deltas.find((x) => x.id === 'x/D')).toMatchObject({ weightDelta: 5, isNew: true });
    expect(d.added.sort()).toEqual(['x/C', 'x/D']);
    expect(d.lostAllHosts).toEqual(['x/B']);
    expect(d.paramChanges).toEqual([{ modelId: 'x/A', epochId: 11, previousEpochId: 10, field: 'v_ram', from: '80', to: '96' }]);
    expect(d.biggestMovers.map((m) => m.id)).toEqual(['x/A', 'x/B', 'x/C', 'x/D']);
  });
});
