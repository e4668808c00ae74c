/** Exact scale factors, the factor's source order, prices in GNK and context lengths (docs/chain-api.md). */
import { describe, expect, it } from 'vitest';
import { contextLengthOf, registryStatusOf } from '../../src/aggregate/params.ts';
import { gnkPerMillionTokens } from '../../src/aggregate/pricing.ts';
import { formedWithPerModelScaling } from '../../src/aggregate/upgrades.ts';
import { effectiveOf, scaleFloor, weightScaleOf } from '../../src/aggregate/weight.ts';
import { model } from '../../src/chain/schemas.ts';

const KIMI = { value: '12620856201975851', exponent: -16 };

describe('scaleFloor', () => {
  it('multiplies exactly with a factor whose value passes 2^53, and floors', () => {
    // 7 919 × 1.2620856201975851 = 9 994.456… ; through a JS number the factor would already be …852.
    expect(scaleFloor(7919, KIMI)).toBe(9994);
    expect(scaleFloor(29550, { value: '3593', exponent: -4 })).toBe(10617); // the recorded root weight of gonka12pcu… in epoch 250
    expect(scaleFloor(10, { value: '25', exponent: -1 })).toBe(25);
    expect(scaleFloor(3, { value: '2', exponent: 2 })).toBe(600);
  });

  it('treats a missing or zero factor as 1 and refuses a negative one', () => {
    expect(scaleFloor(123, null)).toBe(123);
    expect(scaleFloor(123, { value: '0', exponent: -4 })).toBe(123);
    expect(() => scaleFloor(1, { value: '-1', exponent: 0 })).toThrow(/negative weight scale factor/);
  });

  it('refuses a result beyond 2^53 instead of rounding it', () => {
    expect(() => scaleFloor(2 ** 40, { value: '1', exponent: 10 })).toThrow(/passes 2\^53/);
  });
});

describe('weightScaleOf', () => {
  const params = { height: 50, kind: 'params_at_formation' as const, models: [{ model_id: 'k', weight_scale_factor: KIMI }] };

  it('uses factor 1 for epochs formed before per-model scaling, and unknown when that cannot be told', () => {
    expect(weightScaleOf('k', { perModel: false, frozen: new Map(), params: null, hasVotingPower: null })).toEqual({
      factor: null,
      source: 'before_per_model_scaling',
      height: null,
      eligible: true,
    });
    const unknown = weightScaleOf('k', { perModel: null, frozen: new Map(), params, hasVotingPower: true });
    expect(unknown.source).toBe('unknown');
    expect(effectiveOf(100, unknown)).toBeNull();
  });

  it('takes the frozen factor first, then params (at formation or a later state), and counts by voting power', () => {
    const frozen = new Map([['k', { value: '78', exponent: -2 }]]);
    expect(weightScaleOf('k', { perModel: true, frozen, params, hasVotingPower: false })).toMatchObject({ source: 'confirmation_weight_scales', eligible: true });
    expect(weightScaleOf('k', { perModel: true, frozen: new Map(), params, hasVotingPower: true })).toEqual({ factor: KIMI, source: 'params_at_formation', height: 50, eligible: true });
    const later = weightScaleOf('k', { perModel: true, frozen: new Map(), params: { ...params, height: 90, kind: 'params_later_state' }, hasVotingPower: false });
    expect(later).toEqual({ factor: KIMI, source: 'params_later_state', height: 90, eligible: false });
    expect(effectiveOf(100, later)).toBe(0);
  });
});

describe('formedWithPerModelScaling', () => {
  it('is true from the upgrade height on, false before or when not applied, null when unknown', () => {
    const up = { 'v0.2.11': 10, 'v0.2.12': 100, 'v0.2.14': 0 };
    expect([99, 100, 101].map((h) => formedWithPerModelScaling(up, h))).toEqual([false, true, true]);
    expect(formedWithPerModelScaling({ ...up, 'v0.2.12': 0 }, 500)).toBe(false);
    expect(formedWithPerModelScaling({ ...up, 'v0.2.12': null }, 500)).toBeNull();
  });
});

describe('prices and parameters', () => {
  it('turns ngonka per token into GNK per million tokens exactly', () => {
    expect(['100', '1', '0', '12345', '1000', '99999999999999999999'].map(gnkPerMillionTokens)).toEqual([
      '0.1',
      '0.001',
      '0',
      '12.345',
      '1',
      '99999999999999999.999',
    ]);
  });

  it('takes the context length from context_window, else --max-model-len, and says which', () => {
    const base = model.parse({ id: 'x/y', model_args: ['--max-model-len', '240000', '--tool-call-parser', 'hermes'] });
    expect(contextLengthOf(base)).toEqual({ tokens: '240000', source: 'max_model_len' });
    expect(contextLengthOf({ ...base, model_args: ['--max-model-len=32768'] })).toEqual({ tokens: '32768', source: 'max_model_len' });
    expect(contextLengthOf({ ...base, context_window: '131072' })).toEqual({ tokens: '131072', source: 'context_window' });
    expect(contextLengthOf({ ...base, model_args: ['--max-model-len'] })).toEqual({ tokens: null, source: null });
    expect(contextLengthOf(undefined)).toEqual({ tokens: null, source: null });
  });

  it('tells listed, removed and unregistered models apart', () => {
    expect(registryStatusOf(true, false, true)).toBe('listed');
    expect(registryStatusOf(false, true, true)).toBe('removed');
    expect(registryStatusOf(false, true, false)).toBe('listed');
    expect(registryStatusOf(false, false, true)).toBe('unregistered');
  });
});
