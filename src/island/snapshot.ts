/**
 * The slice of an epoch snapshot the island renders, and a small structural check
 * for `current.json` fetched in the browser. The build passes `toEpochData(snapshot)`
 * as props and a refresh runs the same projection on the fetched body, so both
 * render the same markup. Zod stays out of the bundle (JS budget); the build
 * already validated every file with the full schema.
 */
import type { ModelRow as SnapshotRow } from '../snapshot/schema.ts';

/** A model row as the island shows it: the per-host list stays out of the page props and the refresh. */
export type ModelRow = Omit<SnapshotRow, 'hosts' | 'concentration'>;

/** Everything the epoch header, table and dialog show for one epoch. */
export interface EpochData {
  epoch_id: number;
  height: number;
  is_current: boolean;
  fetched_at: string;
  start_height: number;
  end_height: number;
  window: { start_time: string; end_time: string; start_height: number; end_height: number } | null;
  usage_unavailable: string | null;
  totals: { poc_weight: number; model_weight: number; hosts: number; ml_nodes: number; models_hosted: number };
  models: ModelRow[];
}

/** Thrown when a fetched body does not look like a snapshot; the message names the field. */
export class SnapshotShapeError extends Error {
  override name = 'SnapshotShapeError';
}

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function need<T>(ok: boolean, value: unknown, where: string, what: string): T {
  if (!ok) throw new SnapshotShapeError(`${where}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 60)}`);
  return value as T;
}

const count = (o: Rec, k: string, where: string): number =>
  need(Number.isSafeInteger(o[k]) && (o[k] as number) >= 0, o[k], `${where}${k}`, 'a count');
const str = (o: Rec, k: string, where: string): string => need(typeof o[k] === 'string', o[k], `${where}${k}`, 'a string');
const nullable = <T>(o: Rec, k: string, where: string, read: (o: Rec, k: string, where: string) => T): T | null =>
  o[k] === null || o[k] === undefined ? null : read(o, k, where);
const digits = (o: Rec, k: string, where: string): string =>
  need(typeof o[k] === 'string' && /^\d+$/.test(o[k] as string), o[k], `${where}${k}`, 'a decimal string');

function toRow(raw: unknown, where: string): ModelRow {
  const r = need<Rec>(isRec(raw), raw, where, 'an object');
  const vt = r.validation_threshold;
  const ps = need<Rec>(isRec(r.params_source), r.params_source, `${where}.params_source`, 'an object');
  const kind = str(ps, 'kind', `${where}.params_source.`);
  const args = r.model_args;
  return {
    id: need(typeof r.id === 'string' && r.id.length > 0, r.id, `${where}.id`, 'a model id'),
    total_weight: count(r, 'total_weight', `${where}.`),
    participant_count: count(r, 'participant_count', `${where}.`),
    ml_nodes: count(r, 'ml_nodes', `${where}.`),
    share: need(typeof r.share === 'number' && r.share >= 0 && r.share <= 1, r.share, `${where}.share`, 'a share in [0, 1]'),
    in_registry: need(typeof r.in_registry === 'boolean', r.in_registry, `${where}.in_registry`, 'a boolean'),
    proposed_by: nullable(r, 'proposed_by', `${where}.`, str),
    v_ram: nullable(r, 'v_ram', `${where}.`, digits),
    throughput_per_nonce: nullable(r, 'throughput_per_nonce', `${where}.`, digits),
    units_of_compute_per_token: nullable(r, 'units_of_compute_per_token', `${where}.`, digits),
    hf_repo: nullable(r, 'hf_repo', `${where}.`, str),
    hf_commit: nullable(r, 'hf_commit', `${where}.`, str),
    model_args:
      args === null || args === undefined
        ? null
        : need<string[]>(Array.isArray(args) && args.every((a) => typeof a === 'string'), args, `${where}.model_args`, 'a list of strings'),
    validation_threshold:
      vt === null || vt === undefined
        ? null
        : {
            value: need(isRec(vt) && typeof vt.value === 'string' && /^-?\d+$/.test(vt.value), isRec(vt) ? vt.value : vt, `${where}.validation_threshold.value`, 'an integer string'),
            exponent: need(isRec(vt) && Number.isSafeInteger(vt.exponent), isRec(vt) ? vt.exponent : vt, `${where}.validation_threshold.exponent`, 'an integer'),
          },
    params_source: {
      kind: need(['epoch_snapshot', 'registry_at_height', 'registry_nearest', 'none'].includes(kind), kind, `${where}.params_source.kind`, 'a known kind'),
      height: nullable(ps, 'height', `${where}.params_source.`, count),
    },
    inferences: nullable(r, 'inferences', `${where}.`, count),
    ai_tokens: nullable(r, 'ai_tokens', `${where}.`, digits),
  };
}

/** Projects a snapshot (already validated, or fetched JSON to check) onto what the island shows. */
export function toEpochData(raw: unknown): EpochData {
  const s = need<Rec>(isRec(raw), raw, 'snapshot', 'an object');
  const totals = need<Rec>(isRec(s.totals), s.totals, 'totals', 'an object');
  const w = s.window;
  const models = need<unknown[]>(Array.isArray(s.models), s.models, 'models', 'a list');
  return {
    epoch_id: count(s, 'epoch_id', ''),
    height: count(s, 'height', ''),
    is_current: need(typeof s.is_current === 'boolean', s.is_current, 'is_current', 'a boolean'),
    fetched_at: str(s, 'fetched_at', ''),
    start_height: count(s, 'start_height', ''),
    end_height: count(s, 'end_height', ''),
    window:
      w === null || w === undefined
        ? null
        : {
            start_time: str(need<Rec>(isRec(w), w, 'window', 'an object'), 'start_time', 'window.'),
            end_time: str(w as Rec, 'end_time', 'window.'),
            start_height: count(w as Rec, 'start_height', 'window.'),
            end_height: count(w as Rec, 'end_height', 'window.'),
          },
    usage_unavailable: nullable(s, 'usage_unavailable', '', str),
    totals: {
      poc_weight: count(totals, 'poc_weight', 'totals.'),
      model_weight: count(totals, 'model_weight', 'totals.'),
      hosts: count(totals, 'hosts', 'totals.'),
      ml_nodes: count(totals, 'ml_nodes', 'totals.'),
      models_hosted: count(totals, 'models_hosted', 'totals.'),
    },
    models: models.map((m, i) => toRow(m, `models[${i}]`)),
  };
}
