/**
 * The sample chain's scripted events, by name, in the built site (the `site`
 * project builds from the sample chain): Kimi-K2.6 hosted from epoch 28,
 * RedHat's quantized Qwen losing all hosts at 30, Qwen3-32B-FP8's parameters
 * changing at 32.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../src/site/csv.ts';
import { section, text } from '../support/site-html.ts';

const dist = inject('distDir');
const dataDir = inject('dataDir');
const file = (...parts: string[]) => path.join(dist, ...parts);
const epochPage = (n: number) => fs.readFileSync(file('epochs', String(n), 'index.html'), 'utf8');
const rowOf = (n: number, id: string): Record<string, unknown> | undefined =>
  JSON.parse(fs.readFileSync(path.join(dataDir, 'epochs', `${n}.json`), 'utf8')).models.find((m: { id: string }) => m.id === id);

describe('sample chain events on epoch pages', () => {
  it('match the sample chain: Kimi hosted from 28, RedHat losing its hosts at 30, Qwen3-32B parameters changing at 32', () => {
    expect(text(section(epochPage(28), 'changes-heading'))).toMatch(/Newly hosted moonshotai\/Kimi-K2\.6 371,342 weight, 122 hosts/);
    expect(text(section(epochPage(30), 'changes-heading'))).toMatch(/Lost all hosts RedHatAI\/Qwen2\.5-7B-Instruct-quantized\.w8a16 had 10,218 weight, 6 hosts/);
    const e32 = section(epochPage(32), 'changes-heading');
    expect([...e32.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1])).toEqual(['hf_commit', 'validation_threshold']);
    expect(text(e32)).toContain(`Qwen/Qwen3-32B-FP8 Hugging Face commit ${rowOf(31, 'Qwen/Qwen3-32B-FP8')!.hf_commit} ${rowOf(32, 'Qwen/Qwen3-32B-FP8')!.hf_commit}`);
    expect(text(e32)).toContain('Validation threshold 0.95814 0.965');
  });
});

describe('sample chain events in the CSV downloads', () => {
  it('hold the sample chain figures: Kimi from 0 at 28, RedHat down to 0 at 30', () => {
    const at = (n: number, id: string) => {
      const [header, ...rows] = parseCsv(fs.readFileSync(file('v1/models/epochs', `${n}.csv`), 'utf8'));
      const r = rows.find((x) => x[1] === id)!;
      return Object.fromEntries(header!.map((h, i) => [h, r[i]]));
    };
    expect(at(28, 'moonshotai/Kimi-K2.6')).toMatchObject({ weight_delta: '371342', weight_delta_pct: '', hosts_delta: '122', new_model: 'false', previous_epoch_id: '27' });
    expect(at(30, 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16')).toMatchObject({ total_weight: '0', weight_delta: '-10218', weight_delta_pct: '-100', hosts_delta: '-6' });
  });
});
