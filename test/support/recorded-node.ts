/**
 * A loopback node that serves the real mainnet recordings of epochs 250 and 253
 * (test/fixtures/mainnet-2026) as a node of 2026-05-15 would: the chain-api
 * answers exactly as recorded, and what the recordings lack derived from them:
 * `/v1/epochs/{N}/participants` from the groups (members, their ML nodes per
 * model, the root's weights; created_at = poc_start + 280 as in the 2026 params),
 * the registry from the sub-groups' frozen snapshots, block times on a line
 * through the two recording times, and upgrade heights from the public upgrade
 * history. Epochs 251 and 252 were not recorded: they answer like a failed PoC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startScriptedServer, type Answer, type ScriptedServer } from './scripted-server.ts';

const DIR = path.resolve('test/fixtures/mainnet-2026');
const INF = '/chain-api/productscience/inference/inference';

/** The recorded models and the file-name part of their sub-group recordings. */
export const QWEN = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
export const KIMI = 'moonshotai/Kimi-K2.6';
const FILE_PART: Record<string, string> = { [QWEN]: 'qwen3_235b', [KIMI]: 'kimi_k2_6' };

/** Epochs recorded, and the chain's latest height: epoch 253's last block (254 formed, not yet switched to). */
export const RECORDED_EPOCHS = [250, 253] as const;
export const LATEST_HEIGHT = 3921068;

/** Upgrade heights of the time: v0.2.11 2026-03-20, v0.2.12 inside epoch 248; v0.2.13 and v0.2.14 came later. */
export const UPGRADE_HEIGHTS: Record<string, number> = { 'v0.2.11': 3_600_000, 'v0.2.12': 3_834_323, 'v0.2.13': 0, 'v0.2.14': 0 };

// Block times: a line through epoch 250's end (recorded 2026-05-13T18:09:15Z) and epoch 253's (2026-05-15T11:09:59Z).
const H250 = 3874895;
const T250 = Date.UTC(2026, 4, 13, 18, 9, 15);
const T253 = Date.UTC(2026, 4, 15, 11, 9, 59);
const msAt = (h: number) => Math.round(T250 + ((h - H250) * (T253 - T250)) / (LATEST_HEIGHT - H250));
const timeAt = (h: number) => new Date(msAt(h)).toISOString().replace('Z', '000000Z');

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const read = (name: string): Json => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));

/** The recorded root group of `epoch`, or a sub-group. */
export function recordedGroup(epoch: number, model?: string): Json {
  return read(`chain_api_epoch_group_data_${epoch}${model === undefined ? '' : `_model_${FILE_PART[model]}`}.json`);
}

/** `/v1/epochs/{epoch}/participants` derived from the recorded groups. */
function participantsBody(epoch: number): Json {
  const root = recordedGroup(epoch).epoch_group_data;
  const subs = Object.keys(FILE_PART).map((m) => ({ model: m, g: recordedGroup(epoch, m).epoch_group_data }));
  const seeds = new Map<string, string>(root.member_seed_signatures.map((s: Json) => [s.member_address, s.signature]));
  const pocStart = Number(root.poc_start_block_height);
  const createdAt = pocStart + 280;
  const participants = root.validation_weights.map((w: Json) => {
    const address = w.member_address;
    const groups = subs
      .map(({ model, g }) => ({ model, nodes: g.validation_weights.find((v: Json) => v.member_address === address)?.ml_nodes ?? [] }))
      .filter((x) => x.nodes.length > 0)
      .sort((a, b) => (a.model < b.model ? -1 : 1));
    const p: Json = { index: address, validator_key: '', weight: Number(w.weight) };
    if (groups.length) {
      p.models = groups.map((x) => x.model);
      p.ml_nodes = groups.map((x) => ({
        ml_nodes: x.nodes.map((n: Json) => ({ node_id: n.node_id, poc_weight: Number(n.poc_weight), timeslot_allocation: n.timeslot_allocation })),
      }));
    }
    if (seeds.has(address)) p.seed = { participant: address, epoch_index: epoch, signature: seeds.get(address) };
    return p;
  });
  const excluded = read(`chain_api_excluded_participants_${epoch}.json`).items.map((e: Json) => ({
    address: e.address,
    reason: e.reason,
    exclusion_block_height: Number(e.exclusion_block_height),
  }));
  return {
    active_participants: {
      participants,
      epoch_group_id: epoch,
      poc_start_block_height: pocStart,
      effective_block_height: createdAt + 2,
      created_at_block_height: createdAt,
      epoch_id: epoch,
    },
    excluded_participants: excluded,
    block: { header: { height: createdAt + 1, time: timeAt(createdAt + 1) } },
  };
}

/** The registry of 2026-05: the two models, as their sub-groups froze them. */
function registry(): Json[] {
  return Object.keys(FILE_PART)
    .sort()
    .map((m) => recordedGroup(253, m).epoch_group_data.model_snapshot);
}

export interface RecordedNodeOptions {
  /** `models_all` page size the node uses whatever the client asks (default 1). */
  pageSize?: number;
  /** Answers for the dapi stats route; default: disabled, as on nodes with the default configuration. */
  dapiStats?: 'disabled' | Json;
  /** Edits a chain-api body before it is sent (tests of bad input). */
  edit?: (path: string, body: Json) => Json;
}

const gatewayError = (status: number, code: number, message: string): Answer => ({ status, body: { code, message, details: [] } });
const ok = (body: Json): Answer => ({ status: 200, body });

/** Starts the recorded node on 127.0.0.1. */
export function startRecordedNode(opts: RecordedNodeOptions = {}): Promise<ScriptedServer> {
  const pageSize = opts.pageSize ?? 1;
  const edit = opts.edit ?? ((_p: string, b: Json) => b);
  return startScriptedServer((req) => {
    const p = decodeURIComponent(req.path);
    const heightHeader = req.headers['x-cosmos-block-height'];
    const height = heightHeader === undefined ? LATEST_HEIGHT : Number(heightHeader);
    if (height > LATEST_HEIGHT) return gatewayError(500, 2, 'codespace sdk code 26: invalid height: cannot query with height in the future; please provide a valid height');
    let m = /^\/v1\/epochs\/(current|\d+)\/participants$/.exec(p);
    if (m) {
      const n = m[1] === 'current' ? 253 : Number(m[1]);
      if (!(RECORDED_EPOCHS as readonly number[]).includes(n)) {
        return { status: 404, body: { error: 'No active participants found for the specified epoch. Looks like PoC failed!' } };
      }
      return ok(participantsBody(n));
    }
    if (p === '/chain-rpc/status') {
      return ok({
        jsonrpc: '2.0',
        id: -1,
        result: { sync_info: { latest_block_height: String(LATEST_HEIGHT), latest_block_time: timeAt(LATEST_HEIGHT), earliest_block_height: '3850000' } },
      });
    }
    if (p === '/chain-rpc/block') {
      const h = Number(req.query.get('height'));
      return ok({ jsonrpc: '2.0', id: -1, result: { block: { header: { height: String(h), time: timeAt(h) } } } });
    }
    m = /^\/chain-api\/cosmos\/upgrade\/v1beta1\/applied_plan\/(.+)$/.exec(p);
    if (m) return ok({ height: String(UPGRADE_HEIGHTS[m[1]!] ?? 0) });
    if (p === `${INF}/models_all`) {
      const all = registry();
      const key = req.query.get('pagination.key');
      const start = key === null ? 0 : all.findIndex((x) => Buffer.from(x.id).toString('base64') === key);
      if (start < 0) return gatewayError(400, 3, 'invalid pagination key');
      const page = all.slice(start, start + pageSize);
      const next = all[start + pageSize];
      return ok(edit(p, { model: page, pagination: { next_key: next ? Buffer.from(next.id).toString('base64') : null, total: key === null ? String(all.length) : '0' } }));
    }
    m = new RegExp(`^${INF}/epoch_group_data/(\\d+)$`).exec(p);
    if (m) {
      const n = Number(m[1]);
      const model = req.query.get('model_id') ?? undefined;
      if (!(RECORDED_EPOCHS as readonly number[]).includes(n) || (model !== undefined && !(model in FILE_PART))) return gatewayError(404, 5, 'not found');
      return ok(edit(p, recordedGroup(n, model)));
    }
    if (p === `${INF}/params`) return ok(edit(p, read('chain_api_params_2026.json')));
    m = new RegExp(`^${INF}/(excluded_participants|epoch_performance_summary)/(\\d+)$`).exec(p);
    if (m) {
      const n = Number(m[2]);
      if (!(RECORDED_EPOCHS as readonly number[]).includes(n)) return ok(m[1] === 'excluded_participants' ? { items: [] } : { epochPerformanceSummary: [] });
      return ok(edit(p, read(`chain_api_${m[1]}_${n}.json`)));
    }
    if (p === '/v1/stats/models') {
      if (opts.dapiStats === undefined || opts.dapiStats === 'disabled') return { status: 500, body: { error: 'stats storage is disabled' } };
      return ok(opts.dapiStats);
    }
    if (p === `${INF}/models_stats_by_time`) return ok({ stats_models: [] }); // frozen since v0.2.11
    // No recording of pricing: the node answers as a gateway without the route.
    return gatewayError(501, 12, 'Not Implemented');
  });
}
