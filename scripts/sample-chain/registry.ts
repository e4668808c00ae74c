/**
 * Governance model registry history and per-model PoC configuration
 * (docs/chain-api.md, "Registry" and "Weight"). Genesis models first, then a
 * proposal-#2 style re-registration inside epoch 19, a parameter change of
 * Qwen3-32B-FP8 in 25, v0.2.9 deleting all but Qwen3-235B in 27, Qwen3-235B's
 * 2026 parameters in 29, Qwen3-32B-FP8 re-registered in 30, v0.2.12 adding
 * Kimi-K2.6 (and deleting models outside `poc_params.models`) in 33, v0.2.13
 * adding MiniMax-M2.7 in 38. Values of the genesis and proposal-#2 states,
 * Qwen3-235B's 2026 state, Kimi-K2.6 and MiniMax-M2.7 are the real ones.
 */
import { createdAt, pocStart, upgradeAt } from './timeline.ts';

/** A Model in `/chain-api` form: all 13 keys, uint64 as strings (defaults emitted). */
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

/** A chain Decimal: value × 10^exponent (int64 value as a string on `/chain-api`). */
export interface Decimal {
  value: string;
  exponent: number;
}

/** Governance module address, named as proposer of re-registrations and upgrade-made models. */
export const GOV_ADDRESS = 'gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33';

export const QWQ = 'Qwen/QwQ-32B';
export const QWEN25_7B = 'Qwen/Qwen2.5-7B-Instruct';
export const QWEN3_235B = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
export const QWEN3_32B = 'Qwen/Qwen3-32B-FP8';
export const REDHAT_7B = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
export const KIMI = 'moonshotai/Kimi-K2.6';
export const MINIMAX = 'MiniMaxAI/MiniMax-M2.7';
/** Appears in usage stats (epochs 5–15) but never in the registry. */
export const UNREGISTERED_STATS_MODEL = 'Qwen/Qwen2.5-7B-Instruct-AWQ';

/** Epoch range (inclusive) in which the unregistered model has usage. */
export const UNREGISTERED_USAGE_EPOCHS = { from: 5, to: 15 } as const;
/** From this epoch on the RedHat model stays registered (until v0.2.9) but has no host. */
export const REDHAT_UNHOSTED_FROM = 24;
/** First epoch whose sub-groups are the models of `poc_params.models` with per-model weight (formed by v0.2.12 code). */
export const PER_MODEL_FROM_EPOCH = 34;

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

/** Qwen3-32B-FP8 after its governance parameter change (also the state it is re-registered with). */
const QWEN3_32B_CHANGED: ChainModel = {
  ...PROPOSAL_2_MODELS[3]!,
  proposed_by: GOV_ADDRESS,
  hf_commit: '9c1e4b7d2a6f8e03b5c7d9f1a2e4c6b8d0f2a4c6',
  validation_threshold: { value: '965', exponent: -3 },
};

/** Qwen3-235B with its 2026 parameters (as in the real sub-group snapshots of 2026). */
const QWEN3_235B_2026: ChainModel = {
  ...PROPOSAL_2_MODELS[2]!,
  model_args: ['--max-model-len', '240000', '--enable-auto-tool-choice', '--tool-call-parser', 'hermes'],
  validation_threshold: { value: '958', exponent: -3 },
};

/** Kimi-K2.6 as the v0.2.12 upgrade registers it (the real 2026 sub-group snapshot). */
const KIMI_MODEL = model(
  GOV_ADDRESS,
  KIMI,
  '10000',
  '5a49d036ab7472b7d5912ded487150ec1358c11d',
  ['--max-model-len', '240000', '--tool-call-parser', 'kimi_k2', '--reasoning-parser', 'kimi_k2'],
  '720',
  '1500',
  ['920', -3],
);

/** MiniMax-M2.7 as the v0.2.13 upgrade handler registers it (real values of that handler). */
const MINIMAX_MODEL = model(
  GOV_ADDRESS,
  MINIMAX,
  '10000',
  'd494266a4affc0d2995ba1fa35c8481cbd84294b',
  [
    '--enable-auto-tool-choice',
    '--max-model-len',
    '180000',
    '--kv-cache-dtype',
    'fp8',
    '--tool-call-parser',
    'minimax_m2',
    '--reasoning-parser',
    'minimax_m2_append_think',
  ],
  '320',
  '5000',
  ['922', -3],
);

/** One registry change, at an absolute height (state after that block). */
export interface RegistryEvent {
  epoch: number;
  height: number;
  what: string;
  apply(models: Map<string, ChainModel>): void;
}

const at = (epoch: number, offset: number) => pocStart(epoch) + offset;

/** Upgrade-made and governance registry changes of the scripted history, in height order. */
function scriptedEvents(): RegistryEvent[] {
  return [
    {
      epoch: 19,
      height: at(19, 8000),
      what: 'proposal: register Qwen3 models, re-register genesis models',
      apply(m) {
        m.clear();
        for (const x of PROPOSAL_2_MODELS) m.set(x.id, x);
      },
    },
    {
      epoch: 25,
      height: at(25, 8000),
      what: `change ${QWEN3_32B} hf_commit and validation_threshold`,
      apply: (m) => void m.set(QWEN3_32B, QWEN3_32B_CHANGED),
    },
    {
      epoch: 27,
      height: upgradeAt('v0.2.9'),
      what: `v0.2.9 deletes every governance model but ${QWEN3_235B}`,
      apply(m) {
        for (const id of [...m.keys()]) if (id !== QWEN3_235B) m.delete(id);
      },
    },
    {
      epoch: 29,
      height: at(29, 8000),
      what: `change ${QWEN3_235B} model_args and validation_threshold to the 2026 values`,
      apply: (m) => void m.set(QWEN3_235B, QWEN3_235B_2026),
    },
    {
      epoch: 30,
      height: at(30, 8000),
      what: `proposal: re-register ${QWEN3_32B}`,
      apply: (m) => void m.set(QWEN3_32B, QWEN3_32B_CHANGED),
    },
    {
      epoch: 33,
      height: upgradeAt('v0.2.12'),
      what: `v0.2.12 registers ${KIMI} and deletes models not in poc_params.models (${QWEN3_32B})`,
      apply(m) {
        m.set(KIMI, KIMI_MODEL);
        for (const id of [...m.keys()]) if (id !== QWEN3_235B && id !== KIMI) m.delete(id);
      },
    },
    {
      epoch: 38,
      height: upgradeAt('v0.2.13'),
      what: `v0.2.13 registers ${MINIMAX}; new validation thresholds for ${QWEN3_235B} and ${KIMI}`,
      apply(m) {
        const q = m.get(QWEN3_235B);
        if (q) m.set(QWEN3_235B, { ...q, validation_threshold: { value: '940', exponent: -3 } });
        const k = m.get(KIMI);
        if (k) {
          const args = k.model_args.includes('--enable-auto-tool-choice') ? k.model_args : ['--enable-auto-tool-choice', ...k.model_args];
          m.set(KIMI, { ...k, model_args: args, validation_threshold: { value: '900', exponent: -3 } });
        }
        m.set(MINIMAX, MINIMAX_MODEL);
      },
    },
  ];
}

/** The scripted governance history of the default chain (six-model option). */
export const REGISTRY_EVENTS: readonly RegistryEvent[] = scriptedEvents();

/** Bytewise id order, as collections iterate string keys. */
export function byIdBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `models` option at which the history is the scripted one; more adds extra models (benchmarks ask for 8). */
export const SCRIPTED_MODELS = 6;
/** The epoch in which extra models (beyond the scripted history) are registered, so they are hosted from the next one. */
export const EXTRA_MODELS_EPOCH = 34;
const EXTRA_MODELS_HEIGHT = at(EXTRA_MODELS_EPOCH, 5000);

const EXTRA_IDS = ['deepseek-ai/DeepSeek-V4-Flash-0731', 'zai-org/GLM-5.3-Flash'];

/** Id of the `k`-th extra model (0-based): the two models planned for v0.2.16 first, then numbered sample models. */
function extraId(k: number): string {
  return EXTRA_IDS[k] ?? `sample/Extra-Model-${k + 1}`;
}

function extraModel(k: number): ChainModel {
  const id = extraId(k);
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

const extraCount = (models: number) => Math.max(0, models - SCRIPTED_MODELS);

/** The governance history for a chain with `models` models: the scripted events, plus one registering the extras. */
function eventsFor(models: number): readonly RegistryEvent[] {
  if (extraCount(models) === 0) return REGISTRY_EVENTS;
  const extras = Array.from({ length: extraCount(models) }, (_, k) => extraModel(k));
  const event: RegistryEvent = {
    epoch: EXTRA_MODELS_EPOCH,
    height: EXTRA_MODELS_HEIGHT,
    what: `register ${extras.map((m) => m.id).join(', ')}`,
    apply: (m) => extras.forEach((x) => m.set(x.id, x)),
  };
  return [...REGISTRY_EVENTS, event].sort((a, b) => a.height - b.height);
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

/** Every registry change of a chain with `models` models, in height order. */
export function registryEvents(models = SCRIPTED_MODELS): readonly RegistryEvent[] {
  return historyFor(models).events;
}

/** Registry (sorted by id) in the state after block `height`, for a chain with `models` models. */
export function registryAt(height: number, models = SCRIPTED_MODELS): readonly ChainModel[] {
  const { events, states } = historyFor(models);
  let k = 0;
  for (const e of events) if (e.height <= height) k++;
  return states[k]!;
}

/** Model params frozen into epoch `n`'s sub-groups (registry at its PoC start). */
export function modelSnapshot(epoch: number, id: string, models = SCRIPTED_MODELS): ChainModel | undefined {
  return registryAt(pocStart(epoch), models).find((m) => m.id === id);
}

// --- per-model PoC configuration (params.poc_params.models, v0.2.12 on) -------------------

/** `stat_test` of a PoC model config (Decimals in the params body's key order). */
export interface StatTest {
  dist_threshold: { exponent: number; value: string };
  p_mismatch: { exponent: number; value: string };
  p_value_threshold: { exponent: number; value: string };
}

const statTest = (dist: [string, number]): StatTest => ({
  dist_threshold: { exponent: dist[1], value: dist[0] },
  p_mismatch: { exponent: -1, value: '1' },
  p_value_threshold: { exponent: -2, value: '5' },
});

/** Qwen3-235B's PoC stat test (also the singular pre-v0.2.12 `poc_params.stat_test`). */
export const QWEN_STAT_TEST = statTest(['2', -1]);

/** One model of `poc_params.models` with its scripted hosting. */
export interface PocModelSpec {
  id: string;
  /** Height from which it is in `poc_params.models`. */
  addedAt: number;
  statTest: StatTest;
  /** weight_scale_factor changes: each from a height on. */
  factors: { from: number; factor: Decimal }[];
  penaltyStartEpoch: number;
  /** First epoch with hosts in its sub-group. */
  hostedFrom: number;
  /** First epoch whose sub-group has voting power (the model counts in consensus weight). */
  eligibleFrom: number;
  /** Served by a few big-GPU (h200/b200) hosts, not by the general node-to-model draw. */
  big: boolean;
}

/** `poc_params.models[]` entry as the params body has it. */
export interface PocModelConfig {
  model_id: string;
  penalty_start_epoch: string;
  seq_len: string;
  stat_test: StatTest;
  weight_scale_factor: { exponent: number; value: string };
}

const specsCache = new Map<number, PocModelSpec[]>();

/** Every model that is ever in `poc_params.models` of a chain with `models` models, in params order. */
export function pocModelSpecs(models = SCRIPTED_MODELS): readonly PocModelSpec[] {
  const key = extraCount(models);
  let specs = specsCache.get(key);
  if (specs) return specs;
  const h12 = upgradeAt('v0.2.12');
  const h13 = upgradeAt('v0.2.13');
  specs = [
    {
      id: QWEN3_235B,
      addedAt: h12,
      statTest: QWEN_STAT_TEST,
      factors: [{ from: h12, factor: { value: '3593', exponent: -4 } }],
      penaltyStartEpoch: 0,
      hostedFrom: 0,
      eligibleFrom: 0,
      big: false,
    },
    {
      id: KIMI,
      addedAt: h12,
      statTest: statTest(['4', -1]),
      factors: [
        { from: h12, factor: { value: '12620856201975851', exponent: -16 } },
        { from: h13, factor: { value: '78', exponent: -2 } },
      ],
      penaltyStartEpoch: 36,
      hostedFrom: 36,
      eligibleFrom: 38,
      big: true,
    },
    ...Array.from({ length: key }, (_, k) => ({
      id: extraId(k),
      addedAt: EXTRA_MODELS_HEIGHT,
      statTest: QWEN_STAT_TEST,
      factors: [{ from: EXTRA_MODELS_HEIGHT, factor: { value: '1', exponent: 0 } }],
      penaltyStartEpoch: EXTRA_MODELS_EPOCH + 3,
      hostedFrom: EXTRA_MODELS_EPOCH + 1,
      eligibleFrom: EXTRA_MODELS_EPOCH + 3,
      big: false,
    })),
    {
      id: MINIMAX,
      addedAt: h13,
      statTest: statTest(['75', -2]),
      factors: [{ from: h13, factor: { value: '3024', exponent: -4 } }],
      penaltyStartEpoch: 41,
      hostedFrom: 40,
      eligibleFrom: 41,
      big: true,
    },
  ];
  specsCache.set(key, specs);
  return specs;
}

/** The spec of a `poc_params.models` model, if it is one. */
export function pocModelSpec(id: string, models = SCRIPTED_MODELS): PocModelSpec | undefined {
  return pocModelSpecs(models).find((s) => s.id === id);
}

/** weight_scale_factor of a spec in the state after block `height`. */
export function factorAt(spec: PocModelSpec, height: number): Decimal {
  let f = spec.factors[0]!.factor;
  for (const x of spec.factors) if (x.from <= height) f = x.factor;
  return f;
}

/** Models of `poc_params.models` in the state after block `height` (empty before v0.2.12). */
export function pocModelsAt(height: number, models = SCRIPTED_MODELS): readonly PocModelSpec[] {
  return pocModelSpecs(models).filter((s) => s.addedAt <= height);
}

/** `poc_params.models` as the params body has it, after block `height`. */
export function pocModelConfigs(height: number, models = SCRIPTED_MODELS): PocModelConfig[] {
  return pocModelsAt(height, models).map((s) => {
    const f = factorAt(s, height);
    return {
      model_id: s.id,
      penalty_start_epoch: String(s.penaltyStartEpoch),
      seq_len: '1024',
      stat_test: s.statTest,
      weight_scale_factor: { exponent: f.exponent, value: f.value },
    };
  });
}

/** Sub-group models of an epoch formed by v0.2.12 code: `poc_params.models` at formation, in params order. */
export function perModelSubGroups(epoch: number, models = SCRIPTED_MODELS): readonly PocModelSpec[] {
  return pocModelsAt(createdAt(epoch), models);
}

/** Frozen factor of model `id` in epoch `epoch` (formed from 34), or undefined. */
export function epochFactor(epoch: number, id: string, models = SCRIPTED_MODELS): Decimal | undefined {
  const s = perModelSubGroups(epoch, models).find((x) => x.id === id);
  return s ? factorAt(s, createdAt(epoch)) : undefined;
}

/** Whether model `id` counts in epoch `epoch`'s consensus weight (voting power > 0). */
export function isEligible(epoch: number, id: string, models = SCRIPTED_MODELS): boolean {
  if (epoch < PER_MODEL_FROM_EPOCH) return false;
  const s = perModelSubGroups(epoch, models).find((x) => x.id === id);
  return s !== undefined && epoch >= s.eligibleFrom;
}

/** floor(factor × raw) exactly, as the chain's decimal arithmetic truncates. */
export function scaleFloor(f: Decimal, raw: number): number {
  const v = BigInt(f.value) * BigInt(raw);
  if (f.exponent >= 0) return Number(v * 10n ** BigInt(f.exponent));
  return Number(v / 10n ** BigInt(-f.exponent));
}

/** Decimal as a JS number (for display and tests). */
export function decimalValue(f: Decimal): number {
  return Number(f.value) * 10 ** f.exponent;
}

/**
 * Models that get hosts in epoch `n` (sorted by id). Until 33 every registry
 * model (RedHat loses its hosts from 24); from 34 the models of
 * `poc_params.models` once their hosting starts.
 */
export function hostedModelIds(epoch: number, models = SCRIPTED_MODELS): string[] {
  if (epoch >= PER_MODEL_FROM_EPOCH) {
    return perModelSubGroups(epoch, models)
      .filter((s) => epoch >= s.hostedFrom)
      .map((s) => s.id)
      .sort(byIdBytes);
  }
  return registryAt(pocStart(epoch), models)
    .map((m) => m.id)
    .filter((id) => !(id === REDHAT_7B && epoch >= REDHAT_UNHOSTED_FROM));
}

/** Number of sub-groups epoch `n` creates (what x/group ids advance by). */
export function subGroupCount(epoch: number, models = SCRIPTED_MODELS): number {
  return epoch >= PER_MODEL_FROM_EPOCH ? perModelSubGroups(epoch, models).length : hostedModelIds(epoch, models).length;
}

/**
 * The global PoC factor inside `poc_weight` of epoch `n` (formed from 25 to
 * 33), or null when `poc_weight` is unscaled (before 25: none yet; from 34:
 * raw, the factors are per model).
 */
export function globalFactor(epoch: number): Decimal | null {
  if (epoch >= PER_MODEL_FROM_EPOCH) return null;
  return globalFactorAt(createdAt(epoch));
}

/** The global PoC factor in the params after block `h` (null before v0.2.6 and from v0.2.12). */
export function globalFactorAt(h: number): Decimal | null {
  if (h >= upgradeAt('v0.2.12')) return null;
  if (h >= upgradeAt('v0.2.10')) return { value: '3593', exponent: -4 };
  if (h >= upgradeAt('v0.2.9')) return { value: '262', exponent: -3 };
  if (h >= upgradeAt('v0.2.6')) return { value: '25', exponent: -1 };
  return null;
}
