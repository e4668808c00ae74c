import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, PRESETS, ROOT, parseBenchArgs } from '../../scripts/bench/options.ts';

describe('npm run bench options', () => {
  it('runs the stress shape by default into bench/results.md', () => {
    const o = parseBenchArgs([])!;
    expect([o.epochs, o.hosts, o.models, o.latencyMs]).toEqual([DEFAULTS.epochs, DEFAULTS.hosts, DEFAULTS.models, DEFAULTS.latencyMs]);
    expect(o.resultsFile).toBe(path.join(ROOT, 'bench/results.md'));
  });

  it('takes mainnet now and in a year from --preset, each into its own results file', () => {
    const now = parseBenchArgs(['--preset', 'now'])!;
    expect([now.epochs, now.hosts, now.models, now.latencyMs]).toEqual([460, 100, 6, 80]);
    expect(now.resultsFile).toBe(path.join(ROOT, 'bench/results-now.md'));
    const year = parseBenchArgs(['--preset', 'year'])!;
    expect(year.epochs).toBe(PRESETS.year.epochs);
    expect(year.sizes).toEqual([250, 500, 1000]);
    expect(year.resultsFile).toBe(path.join(ROOT, 'bench/results-year.md'));
  });

  it('lets options beside a preset override it, and refuses an unknown preset', () => {
    const o = parseBenchArgs(['--preset', 'year', '--epochs', '800', '--out', 'x.md'])!;
    expect([o.epochs, o.hosts]).toEqual([800, 100]);
    expect(o.resultsFile).toBe(path.resolve('x.md'));
    expect(() => parseBenchArgs(['--preset', 'tomorrow'])).toThrow(/--preset=tomorrow: expected one of now, year, stress/);
  });
});
