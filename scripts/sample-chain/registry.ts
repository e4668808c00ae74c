/**
 * Governance model registry history (SPEC §4.1, §11). Genesis models first,
 * then proposal-#2 style re-registration inside epoch 19, Kimi added inside
 * epoch 27, a parameter change of Qwen3-32B-FP8 inside epoch 31. Values of the
 * first two registry states are the real ones from `samples/`.
 */
import { pocStart } from './timeline.ts';

/** A Model in `/chain-api` form: all 13 keys, uint64 as strings (EmitDefaults). */
export interface ChainModel {
  proposed_by: string;
  id: string;
  units_of_compute_per_token: string;
  context_window: string;
  quantization: string;
  coins_per_input_token: string;
  coins_per_output_token: string;
  hf_repo: string;
  hf_commit: string;
  model_args: string[];
  v_ram: string;
  throughput_per_nonce: string;
  validation_threshold: { value: string; exponent: number };
}

/** Governance module address, named as proposer of re-registrations (proposal #2). */
export const GOV_ADDRESS = 'gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33';

export const QWQ = 'Qwen/QwQ-32B';
export const QWEN25_7B = 'Qwen/Qwen2.5-7B-Instruct';
export const QWEN3_235B = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
export const QWEN3_32B = 'Qwen/Qwen3-32B-FP8';
export const REDHAT_7B = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
export const KIMI = 'moonshotai/Kimi-K2.6';
/** Appears in usage stats (epochs 5–15) but never in the registry (SPEC §4.2). */
export const UNREGISTERED_STATS_MODEL = 'Qwen/Qwen2.5-7B-Instruct-AWQ';

/** Epoch range (inclusive) in which the unregistered model has usage. */
export const UNREGISTERED_USAGE_EPOCHS = { from: 5, to: 15 } as const;
/** From this epoch on the RedHat model stays registered but has no host. */
export const REDHAT_UNHOSTED_FROM = 30;

function model(
  proposer: string,
  id: string,
  units: string,
  commit: string,
  args: string[],
  vram: string,
  throughput: string,
  threshold: [string, number],
): ChainModel {
  return {
    proposed_by: proposer,
    id,
    units_of_compute_per_token: units,
    context_window: '0',
    quantization: '',
    coins_per_input_token: '0',
    coins_per_output_token: '0',
    hf_repo: id,
    hf_commit: commit,
    model_args: args,
    v_ram: vram,
    throughput_per_nonce: throughput,
    validation_threshold: { value: threshold[0], exponent: threshold[1] },
  };
}

const KX9M = 'gonka1kx9mca3xm8u8ypzfuhmxey66u0ufxhs7nm6wc5';

const GENESIS_MODELS: ChainModel[] = [
  model('genesis', QWQ, '1000', '976055f8c83f394f35dbd3ab09a285a984907bd0', ['--quantization', 'fp8', '--kv-cache-dtype', 'fp8'], '80', '1000', ['98', -2]),
  model('genesis', QWEN25_7B, '100', 'a09a35458c702b33eeacc393d103063234e8bc28', ['--quantization', 'fp8'], '24', '10000', ['98', -2]),
];

const PROPOSAL_2_MODELS: ChainModel[] = [
  model(GOV_ADDRESS, QWQ, '1000', '976055f8c83f394f35dbd3ab09a285a984907bd0', ['--quantization', 'fp8', '--kv-cache-dtype', 'fp8'], '80', '6000', ['97', -2]),
  model(GOV_ADDRESS, QWEN25_7B, '100', 'a09a35458c702b33eeacc393d103063234e8bc28', ['--quantization', 'fp8'], '24', '20000', ['97', -2]),
  model(KX9M, QWEN3_235B, '10000', 'c0eb82898e3da8fb6dd017e3e6698a5e37b3a3e6', ['--max-model-len', '240000'], '320', '1500', ['970917', -6]),
  model(KX9M, QWEN3_32B, '1000', 'aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df', [], '80', '6000', ['95814', -5]),
  model(KX9M, REDHAT_7B, '100', 'a5609cbf939e46f4c17f189100d5e6825da318b0', [], '24', '20000', ['991429', -6]),
];

const KIMI_MODEL = model(
  'gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le',
  KIMI,
  '20000',
  '7f3c21d9a4be60c58e1f02b93d4a6e7c15b8f0a2',
  ['--tensor-parallel-size', '8'],
  '640',
  '800',
  ['96', -2],
);

/** Qwen3-32B-FP8 after its mid-history governance parameter change. */
const QWEN3_32B_CHANGED: ChainModel = {
  ...PROPOSAL_2_MODELS[3]!,
  proposed_by: GOV_ADDRESS,
  hf_commit: '9c1e4b7d2a6f8e03b5c7d9f1a2e4c6b8d0f2a4c6',
  validation_threshold: { value: '965', exponent: -3 },
};

/** One governance change: in epoch `epoch`, `offset` blocks after its PoC start. */
export interface RegistryEvent {
  epoch: number;
  offset: number;
  what: string;
  apply(models: Map<string, ChainModel>): void;
}

/** The scripted governance history; each lands after the epoch's validator switch. */
export const REGISTRY_EVENTS: readonly RegistryEvent[] = [
  {
    epoch: 19,
    offset: 8000,
    what: 'proposal: register Qwen3 models, re-register genesis models',
    apply(m) {
      m.clear();
      for (const x of PROPOSAL_2_MODELS) m.set(x.id, x);
    },
  },
  { epoch: 27, offset: 7000, what: `register ${KIMI}`, apply: (m) => void m.set(KIMI, KIMI_MODEL) },
  {
    epoch: 31,
    offset: 6000,
    what: `change ${QWEN3_32B} hf_commit and validation_threshold`,
    apply: (m) => void m.set(QWEN3_32B, QWEN3_32B_CHANGED),
  },
];

/** Height at which a registry event takes effect (state after that block). */
export function eventHeight(e: RegistryEvent): number {
  return pocStart(e.epoch) + e.offset;
}

/** Bytewise id order, as collections iterate string keys. */
export function byIdBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Models the scripted history registers; `models` beyond this adds extra ones (benchmarks ask for 8). */
export const SCRIPTED_MODELS = 6;
/** The epoch in which extra models (beyond the scripted six) are registered, so they are hosted from the next one. */
export const EXTRA_MODELS_EPOCH = 34;

const EXTRA_IDS = ['deepseek-ai/DeepSeek-V4-Flash-0731', 'zai-org/GLM-5.3-Flash'];

/** The `k`-th extra model (0-based): the two models planned for v0.2.16 first, then numbered sample models. */
function extraModel(k: number): ChainModel {
  const id = EXTRA_IDS[k] ?? `sample/Extra-Model-${k + 1}`;
  const hex = (n: number) => ((n * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return {
    proposed_by: GOV_ADDRESS,
    id,
    units_of_compute_per_token: String(5000 + 1000 * k),
    context_window: '0',
    quantization: '',
    coins_per_input_token: '0',
    coins_per_output_token: '0',
    hf_repo: id,
    hf_commit: Array.from({ length: 5 }, (_, i) => hex(k * 5 + i + 1)).join(''),
    model_args: ['--tensor-parallel-size', '4'],
    v_ram: '320',
    throughput_per_nonce: String(2000 + 250 * k),
    validation_threshold: { value: '96', exponent: -2 },
  };
}

/** The governance history for a chain with `models` models: the scripted events, plus one registering the extras. */
function eventsFor(models: number): readonly RegistryEvent[] {
  if (models <= SCRIPTED_MODELS) return REGISTRY_EVENTS;
  const extras = Array.from({ length: models - SCRIPTED_MODELS }, (_, k) => extraModel(k));
  return [
    ...REGISTRY_EVENTS,
    {
      epoch: EXTRA_MODELS_EPOCH,
      offset: 5000,
      what: `register ${extras.map((m) => m.id).join(', ')}`,
      apply: (m) => extras.forEach((x) => m.set(x.id, x)),
    },
  ];
}

/** Registry states after each event, per model count (computed once each). */
const histories = new Map<number, { events: readonly RegistryEvent[]; states: ChainModel[][] }>();

function historyFor(models: number) {
  const key = Math.max(models, SCRIPTED_MODELS);
  let h = histories.get(key);
  if (!h) {
    const events = eventsFor(key);
    const m = new Map<string, ChainModel>(GENESIS_MODELS.map((x) => [x.id, x]));
    const states: ChainModel[][] = [];
    const take = () => states.push([...m.values()].sort((a, b) => byIdBytes(a.id, b.id)));
    take();
    for (const e of events) {
      e.apply(m);
      take();
    }
    histories.set(key, (h = { events, states }));
  }
  return h;
}

/** Registry (sorted by id) in the state after block `height`, for a chain with `models` models. */
export function registryAt(height: number, models = SCRIPTED_MODELS): readonly ChainModel[] {
  const { events, states } = historyFor(models);
  let k = 0;
  for (const e of events) if (eventHeight(e) <= height) k++;
  return states[k]!;
}

/** Model params frozen into epoch `n`'s sub-groups (registry at its PoC start). */
export function modelSnapshot(epoch: number, id: string, models = SCRIPTED_MODELS): ChainModel | undefined {
  return registryAt(pocStart(epoch), models).find((m) => m.id === id);
}

/** Registry models that get hosts in epoch `n` (sorted by id). */
export function hostedModelIds(epoch: number, models = SCRIPTED_MODELS): string[] {
  return registryAt(pocStart(epoch), models)
    .map((m) => m.id)
    .filter((id) => !(id === REDHAT_7B && epoch >= REDHAT_UNHOSTED_FROM));
}
