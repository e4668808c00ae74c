/**
 * The slice of a served epoch snapshot (src/site/api.ts `snapshotBody`: the
 * snapshot with each model's page and JSON URLs) that the island renders, and a
 * small structural check for `current.json` fetched in the browser. The build
 * passes `toEpochData(body)` as props and a refresh runs the same projection on
 * the fetched body, so both render the same markup. Zod stays out of the bundle (JS budget): the check is a
 * compact shape description walked by one function; the build already validated
 * every file with the full schema.
 */
import type { EpochSnapshot, ModelRow as SnapshotRow } from '../snapshot/schema.ts';

/**
 * A model row as the island shows it, with the URLs the site published for it;
 * the per-host list stays out of the page props and the refresh.
 */
export type ModelRow = Omit<SnapshotRow, 'hosts' | 'concentration'> & { page_url: string; json_url: string };

/** Everything the epoch header, table and dialog show for one epoch. */
export interface EpochData {
  epoch_id: number;
  height: number;
  is_current: boolean;
  fetched_at: string;
  start_height: number;
  end_height: number;
  window: { start_time: string; end_time: string; start_height: number; end_height: number } | null;
  usage_source: EpochSnapshot['usage_source'];
  usage_scope: EpochSnapshot['usage_scope'];
  usage_unavailable: string | null;
  chain_counters: EpochSnapshot['chain_counters'];
  totals: {
    poc_weight: number;
    model_weight: number;
    effective_weight: number | null;
    hosts: number;
    excluded_hosts: number;
    ml_nodes: number;
    models_hosted: number;
  };
  models: ModelRow[];
}

/** Thrown when a fetched body does not look like a snapshot; the message names the field. */
export class SnapshotShapeError extends Error {
  override name = 'SnapshotShapeError';
}

/**
 * A shape: a scalar kind (`?` at the end: null allowed), an enum (a list of the
 * allowed values; `null` among them: null allowed), or an object of shapes, only
 * whose keys are kept (`'?'` as a key: the object itself may be null).
 */
type Shape = string | readonly (string | null)[] | { readonly [key: string]: Shape };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Scalar kinds: what a value must be, and how the error says it. */
const SCALARS: Record<string, [(v: unknown) => boolean, string]> = {
  count: [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a count'],
  string: [(v) => typeof v === 'string', 'a string'],
  id: [(v) => typeof v === 'string' && v.length > 0, 'a model id'],
  bool: [(v) => typeof v === 'boolean', 'a boolean'],
  share: [(v) => typeof v === 'number' && v >= 0 && v <= 1, 'a share in [0, 1]'],
  digits: [(v) => typeof v === 'string' && /^\d+$/.test(v), 'a decimal string'],
  decimal: [(v) => typeof v === 'string' && /^\d+(\.\d+)?$/.test(v), 'a decimal number string'],
  int: [(v) => Number.isSafeInteger(v), 'an integer'],
  signed: [(v) => typeof v === 'string' && /^-?\d+$/.test(v), 'an integer string'],
  strings: [(v) => Array.isArray(v) && v.every((a) => typeof a === 'string'), 'a list of strings'],
  // Only a root-relative path: a hostile body cannot point a link elsewhere.
  path: [(v) => typeof v === 'string' && /^\/(?!\/)/.test(v), 'a root-relative path'],
};

function fail(where: string, what: string, value: unknown): never {
  throw new SnapshotShapeError(`${where}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 60)}`);
}

/** Checks `value` against `shape` and returns the part the shape names. */
function read(shape: Shape, value: unknown, where: string): unknown {
  if (typeof shape === 'string') {
    const nullable = shape.endsWith('?');
    if (nullable && (value === null || value === undefined)) return null;
    const [ok, what] = SCALARS[nullable ? shape.slice(0, -1) : shape]!;
    return ok(value) ? value : fail(where, what, value);
  }
  if (Array.isArray(shape)) {
    if (shape.includes(null) && (value === null || value === undefined)) return null;
    return shape.includes(value as string) ? value : fail(where, `one of ${shape.filter((v) => v !== null).join(', ')}`, value);
  }
  const spec = shape as { readonly [key: string]: Shape };
  if ('?' in spec && (value === null || value === undefined)) return null;
  if (!isRec(value)) return fail(where, 'an object', value);
  const out: Rec = {};
  for (const key of Object.keys(spec)) if (key !== '?') out[key] = read(spec[key]!, value[key], where ? `${where}.${key}` : key);
  return out;
}

/** A Cosmos decimal `{value, exponent}`. */
const DECIMAL = { value: 'signed', exponent: 'int' } as const;

/** The shape of a row: every field of `ModelRow`, nothing else (the hosts and concentration stay out). */
const ROW: { readonly [K in keyof ModelRow]: Shape } = {
  id: 'id',
  total_weight: 'count',
  effective_weight: 'count?',
  weight_scale: {
    factor: { '?': '', ...DECIMAL },
    source: ['confirmation_weight_scales', 'params_at_formation', 'params_later_state', 'before_per_model_scaling', 'unknown'],
    height: 'count?',
    eligible: 'bool?',
  },
  participant_count: 'count',
  ml_nodes: 'count',
  share: 'share?',
  raw_share: 'share',
  excluded_hosts: 'count',
  excluded_weight: 'count',
  in_registry: 'bool',
  registry_status: ['listed', 'removed', 'unregistered'],
  proposed_by: 'string?',
  v_ram: 'digits?',
  throughput_per_nonce: 'digits?',
  units_of_compute_per_token: 'digits?',
  hf_repo: 'string?',
  hf_commit: 'string?',
  model_args: 'strings?',
  validation_threshold: { '?': '', ...DECIMAL },
  context_window: 'digits?',
  quantization: 'string?',
  coins_per_input_token: 'digits?',
  coins_per_output_token: 'digits?',
  params_source: { kind: ['epoch_snapshot', 'registry_at_height', 'registry_nearest', 'none'], height: 'count?' },
  context_length: { tokens: 'digits?', source: ['context_window', 'max_model_len', null] },
  price: { ngonka_per_token: 'digits?', gnk_per_million_tokens: 'decimal?', height: 'count?', unavailable: 'string?' },
  capacity: { value: 'digits?', unavailable: 'string?' },
  inferences: 'count?',
  ai_tokens: 'digits?',
  page_url: 'path',
  json_url: 'path',
};

/** The shape of everything but the rows. */
const EPOCH: { readonly [K in Exclude<keyof EpochData, 'models'>]: Shape } = {
  epoch_id: 'count',
  height: 'count',
  is_current: 'bool',
  fetched_at: 'string',
  start_height: 'count',
  end_height: 'count',
  window: { '?': '', start_time: 'string', end_time: 'string', start_height: 'count', end_height: 'count' },
  usage_source: ['dapi_stats', 'chain_stats', null],
  usage_scope: ['all', 'classic_only', null],
  usage_unavailable: 'string?',
  chain_counters: { requests: 'digits?', inferences: 'digits?', missed_requests: 'digits?' },
  totals: {
    poc_weight: 'count',
    model_weight: 'count',
    effective_weight: 'count?',
    hosts: 'count',
    excluded_hosts: 'count',
    ml_nodes: 'count',
    models_hosted: 'count',
  },
};

/** Projects a snapshot (already validated, or fetched JSON to check) onto what the island shows. */
export function toEpochData(raw: unknown): EpochData {
  if (!isRec(raw)) fail('snapshot', 'an object', raw);
  const data = read(EPOCH, raw, '') as Omit<EpochData, 'models'>;
  const models = raw.models;
  if (!Array.isArray(models)) fail('models', 'a list', models);
  return { ...data, models: models.map((m, i) => read(ROW, m, `models[${i}]`) as ModelRow) };
}
