/**
 * Response bodies of every served endpoint and every error, in the exact real
 * formats (docs/chain-api.md). `/v1` bodies are Go `encoding/json` (numbers,
 * zero fields omitted), `/chain-api` bodies gogoproto JSON (int64 as strings,
 * defaults emitted), both compact; `/chain-rpc` is indented like CometBFT's
 * MarshalIndent.
 */
import { goJsonBlock, rpcBlockResult, sdkBlock, type BlockFactory } from './blocks.ts';
import type { HostTable, ParticipantRecord } from './hosts.ts';
import type { Outcomes } from './outcomes.ts';
import { paramsBody } from './params.ts';
import { DEFAULT_CAPACITY, pricePerToken, priceOrder } from './pricing.ts';
import { encodeActiveParticipants } from './protobuf.ts';
import { base64Of, bech32, bytesOf, hash3, hashString } from './random.ts';
import {
  PER_MODEL_FROM_EPOCH,
  epochFactor,
  isEligible,
  modelSnapshot,
  perModelSubGroups,
  registryAt,
} from './registry.ts';
import {
  EPOCH_SHIFT,
  STAGE_PARAMS,
  createdAt,
  effectiveEpochAt,
  effectiveHeight,
  epochLength,
  epochStages,
  phaseAt,
  pocStart,
  setNewValidators,
  upgradeAt,
  upgradeHeight,
  type BlockClock,
} from './timeline.ts';
import type { UsageBook } from './usage.ts';

/** What the body builders need to know about one sample chain. */
export interface ChainContext {
  readonly seed: number;
  readonly currentEpoch: number;
  readonly latestHeight: number;
  readonly lowestHeight: number;
  readonly nowMs: number;
  readonly clock: BlockClock;
  readonly hosts: HostTable;
  readonly blocks: BlockFactory;
  readonly usage: UsageBook;
  readonly outcomes: Outcomes;
  /** Models in the registry history. */
  readonly models: number;
  /** Largest `models_all` page the node returns. */
  readonly registryPageSize: number;
  /** x/group id of epoch `n`'s root group. */
  rootGroupId(n: number): number;
}

/** One HTTP answer of the fake node. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json';

/** A compact JSON answer (Go encoders, gRPC-gateway). */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** An indented JSON answer (CometBFT RPC). */
export function rpcJson(status: number, value: unknown): FakeResponse {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value, null, 2) };
}

/** nginx's own answer for unknown paths. */
export function notFound(): FakeResponse {
  return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
}

/** nginx/proxy answer for non-GET methods (the node is read-only here). */
export function methodNotAllowed(): FakeResponse {
  return { status: 405, headers: { 'content-type': 'text/plain', allow: 'GET' }, body: 'Method Not Allowed' };
}

// --- error bodies ----------------------------------------------------------------

/** dapi error body `{"error": "..."}`. */
export function dapiError(status: number, message: string): FakeResponse {
  return json(status, { error: message });
}

/** The dapi's messages, verbatim from source. */
export const DAPI = {
  notLatest: 'Only getting info for current epoch is supported at the moment',
  invalidEpoch: 'Invalid epoch id',
  epochZero: 'Epoch enumeration starts with 1',
  noParticipants: 'No active participants found for the specified epoch. Looks like PoC failed!',
} as const;

/** dapi's 500 when the CometBFT client refuses a pruned height. */
export function dapiPruned(height: number, lowest: number): FakeResponse {
  return dapiError(
    500,
    `error in json rpc client, with http response metadata: (Status: 200 OK, Protocol HTTP/1.1). RPC error -32603 - Internal error: height ${height} is not available, lowest height is ${lowest}`,
  );
}

const GRPC_HTTP_STATUS: Record<number, number> = { 2: 500, 3: 400, 5: 404, 12: 501, 13: 500 };

/** gRPC-gateway error body `{"code","message","details":[]}`. */
export function gatewayError(code: number, message: string): FakeResponse {
  return json(GRPC_HTTP_STATUS[code] ?? 500, { code, message, details: [] });
}

/** Gateway messages (historical-height failures and parameter errors). */
export const GATEWAY = {
  pruned: (h: number, latest: number) =>
    `codespace sdk code 18: invalid request: failed to load state at height ${h}; version does not exist (latest height: ${latest})`,
  future: 'codespace sdk code 26: invalid height: cannot query with height in the future; please provide a valid height',
  negative: 'codespace sdk code 18: invalid request: cannot query with height < 0; please provide a valid height',
  badHeader: (raw: string) =>
    `codespace sdk code 18: invalid request: Baseapp.RegisterGRPCServer: invalid height header "x-cosmos-block-height": strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`,
  typeMismatch: (param: string, raw: string, fn = 'ParseInt') =>
    `type mismatch, parameter: ${param}, error: strconv.${fn}: parsing ${JSON.stringify(raw)}: invalid syntax`,
  invalidTimePeriod: 'invalid time period',
  notFound: 'not found',
  notImplemented: 'Not Implemented',
  badBase64: (param: string, at: number) => `type mismatch, parameter: ${param}, error: illegal base64 data at input byte ${at}`,
  unknownKey: (id: string) => `invalid request: pagination key ${JSON.stringify(id)} names no model`,
} as const;

/** CometBFT JSON-RPC error envelope (HTTP 500). */
export function rpcError(data: string, code = -32603, message = 'Internal error'): FakeResponse {
  return rpcJson(500, { jsonrpc: '2.0', id: -1, error: { code, message, data } });
}

// --- /v1 --------------------------------------------------------------------------

/** Body of `/v1/epochs/latest` at the latest height. */
export function epochsLatestBody(c: ChainContext): FakeResponse {
  const n = c.currentEpoch;
  const p = pocStart(n);
  const len = epochLength(n);
  return json(200, {
    block_height: c.latestHeight,
    latest_epoch: { index: n, poc_start_block_height: p },
    phase: phaseAt(c.latestHeight, p),
    epoch_stages: epochStages(n, p, len),
    next_epoch_stages: epochStages(n + 1, p + len, len),
    epoch_params: {
      epoch_length: len,
      epoch_multiplier: 1,
      epoch_shift: EPOCH_SHIFT,
      default_unit_of_compute_price: 100,
      poc_stage_duration: STAGE_PARAMS.pocStageDuration,
      poc_exchange_duration: STAGE_PARAMS.pocExchangeDuration,
      poc_validation_delay: STAGE_PARAMS.pocValidationDelay,
      poc_validation_duration: STAGE_PARAMS.pocValidationDuration,
      set_new_validators_delay: STAGE_PARAMS.setNewValidatorsDelay,
      inference_validation_cutoff: STAGE_PARAMS.inferenceValidationCutoff,
      inference_pruning_epoch_threshold: 2,
    },
  });
}

/** Epochs served in the v0.2.15 transition format (string integers, SDK-style block). */
export const STRING_FORMAT_EPOCHS: readonly number[] = [33, 34];

function epochKeyBytes(n: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(BigInt(n));
  return Buffer.concat([Buffer.from('ActiveParticipants/value/'), key, Buffer.from('/')]);
}

/** Top-30 CometBFT validators at created_at(n): the outgoing epoch's participants. */
function validatorsAt(c: ChainContext, n: number): { p: ParticipantRecord; priority: number }[] {
  if (n <= 1) return [];
  return c.hosts
    .participants(n - 1)
    .filter((p) => p.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.host.consensusAddress < b.host.consensusAddress ? -1 : 1))
    .slice(0, 30)
    .map((p) => ({ p, priority: (hash3(hashString('priority'), c.seed, n * 1000 + p.host.index) % 60001) - 30000 }));
}

/** Body of `/v1/epochs/{n}/participants` (n already validated, ≥ 2 and ≤ current). */
export function participantsBody(c: ChainContext, n: number): string {
  const recs = c.hosts.participants(n);
  const stringy = STRING_FORMAT_EPOCHS.includes(n);
  const I = (v: number): number | string => (stringy ? String(v) : v);
  const participants = recs.map((p) => {
    const o: Record<string, unknown> = { index: p.host.address, validator_key: p.host.validatorKey };
    if (p.weight !== 0) o.weight = I(p.weight);
    if (p.host.url) o.inference_url = p.host.url;
    if (p.models.length) o.models = p.models;
    if (p.seedSignature !== null) o.seed = { participant: p.host.address, epoch_index: I(n), signature: p.seedSignature };
    if (p.groups.length) {
      o.ml_nodes = p.groups.map((g) => ({
        ml_nodes: g.map((x) => ({ node_id: x.nodeId, poc_weight: I(x.pocWeight), timeslot_allocation: [true, x.preserved] })),
      }));
    }
    if (p.votingPowers.length) o.voting_powers = p.votingPowers.map((v) => ({ model_id: v.model, voting_power: I(v.power) }));
    return o;
  });
  const header = { epochId: n, pocStart: pocStart(n), effective: effectiveHeight(n), createdAt: createdAt(n) };
  const block = c.blocks.core(header.createdAt + 1);
  return JSON.stringify({
    active_participants: {
      participants,
      epoch_group_id: I(n),
      poc_start_block_height: I(header.pocStart),
      effective_block_height: I(header.effective),
      created_at_block_height: I(header.createdAt),
      epoch_id: I(n),
    },
    addresses: recs.map((p) => p.host.consensusAddress),
    active_participants_bytes: encodeActiveParticipants(recs, header, n).toString('hex'),
    proof_ops: {
      ops: [
        { type: 'ics23:iavl', key: epochKeyBytes(n).toString('base64'), data: base64Of(`${c.seed}|proof-iavl|${n}`, 48) },
        { type: 'ics23:simple', key: Buffer.from('inference').toString('base64'), data: base64Of(`${c.seed}|proof-simple|${n}`, 48) },
      ],
    },
    validators: validatorsAt(c, n).map(({ p, priority }) => ({
      address: p.host.consensusAddress,
      pub_key: p.host.validatorKey,
      voting_power: I(p.weight),
      proposer_priority: I(priority),
    })),
    block: stringy ? sdkBlock(block) : goJsonBlock(block),
    // Read at the latest state, so the current epoch's list grows.
    excluded_participants: c.outcomes
      .exclusionsAt(n, c.latestHeight)
      .map((e) => ({ address: e.address, reason: e.reason, exclusion_block_height: e.height })),
  });
}

// --- /chain-rpc ---------------------------------------------------------------------

/** `/chain-rpc/status`: latest block and the pruned node's earliest block. */
export function statusBody(c: ChainContext): FakeResponse {
  const node2 = c.hosts.profile(1);
  const power = c.hosts.participants(c.currentEpoch).find((p) => p.host.index === 1)?.weight ?? 0;
  return rpcJson(200, {
    jsonrpc: '2.0',
    id: -1,
    result: {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        id: bytesOf(`${c.seed}|node-id`, 20).toString('hex'),
        listen_addr: 'tcp://0.0.0.0:5000',
        network: 'gonka-mainnet',
        version: '0.38.17',
        channels: '40202122233038606100',
        moniker: 'genesis-node-2',
        other: { tx_index: 'on', rpc_address: 'tcp://0.0.0.0:26657' },
      },
      sync_info: {
        latest_block_hash: c.blocks.hashOf(c.latestHeight),
        latest_app_hash: c.blocks.appHashOf(c.latestHeight),
        latest_block_height: String(c.latestHeight),
        latest_block_time: c.clock.rfc3339(c.latestHeight),
        earliest_block_hash: c.blocks.hashOf(c.lowestHeight),
        earliest_app_hash: c.blocks.appHashOf(c.lowestHeight),
        earliest_block_height: String(c.lowestHeight),
        earliest_block_time: c.clock.rfc3339(c.lowestHeight),
        catching_up: false,
      },
      validator_info: {
        address: node2.consensusAddress,
        pub_key: { type: 'tendermint/PubKeyEd25519', value: node2.validatorKey },
        voting_power: String(power),
      },
    },
  });
}

/** `/chain-rpc/block` for an available height. */
export function blockBody(c: ChainContext, h: number): FakeResponse {
  return rpcJson(200, { jsonrpc: '2.0', id: -1, result: rpcBlockResult(c.blocks.core(h)) });
}

// --- /chain-api -----------------------------------------------------------------------

/** Result of paging `models_all`: a body, or a gateway error. */
export type Paged = { body: unknown } | { error: FakeResponse };

const STD_B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_B64 = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decodes a bytes query parameter the way the gateway does (standard, then URL-safe base64), or the offending byte. */
function decodeBase64(raw: string): Buffer | number {
  if (raw.length % 4 === 0 && (STD_B64.test(raw) || URL_B64.test(raw))) {
    return Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  const bad = [...raw].findIndex((ch) => !/[A-Za-z0-9+/=]/.test(ch));
  return bad >= 0 ? bad : raw.length - (raw.length % 4);
}

/**
 * `models_all` in the state after block `h`, one page: ids sorted bytewise,
 * `pagination.key` = base64 of the first id wanted, pages capped at the
 * node's page size; `total` is counted on the first page only.
 */
export function modelsAllPage(c: ChainContext, h: number, key: string | null, limit: number): Paged {
  const all = registryAt(h, c.models);
  let start = 0;
  if (key !== null && key !== '') {
    const bytes = decodeBase64(key);
    if (typeof bytes === 'number') return { error: gatewayError(3, GATEWAY.badBase64('pagination.key', bytes)) };
    const id = bytes.toString('utf8');
    start = all.findIndex((m) => m.id === id);
    if (start < 0) return { error: gatewayError(3, GATEWAY.unknownKey(id)) };
  }
  const size = Math.max(1, Math.min(limit, c.registryPageSize));
  const page = all.slice(start, start + size);
  const next = all[start + size];
  return {
    body: {
      model: page,
      pagination: {
        next_key: next ? Buffer.from(next.id, 'utf8').toString('base64') : null,
        total: String(key === null || key === '' ? all.length : 0),
      },
    },
  };
}

/** Sub-group models of epoch `n`: from 34 `poc_params.models` at formation, before that in creation order (first seen while adding seeded members). */
export function subGroupModels(c: ChainContext, n: number): string[] {
  if (n >= PER_MODEL_FROM_EPOCH) return perModelSubGroups(n, c.models).map((s) => s.id);
  const seen = new Set<string>();
  for (const p of c.hosts.participants(n)) if (p.seedSignature !== null) for (const m of p.models) seen.add(m);
  return [...seen];
}

/** Policy address of an x/group group policy (32-byte module-style address). */
function policyAddress(c: ChainContext, groupId: number): string {
  return bech32('gonka', bytesOf(`${c.seed}|group-policy|${groupId}`, 32));
}

/** First epoch with confirmation weights (formed by v0.2.5 code). */
const CONFIRMATION_FROM_EPOCH = 23;
/** First epoch with root confirmation_weight_scales (formed by v0.2.13 code). */
export const SCALES_FROM_EPOCH = 39;

/** Confirmation PoC weight: mostly the full weight, sometimes a little less (the min-take of confirmation rounds). */
function confirmationWeight(c: ChainContext, n: number, hostIndex: number, salt: number, w: number): number {
  const key = hash3(hashString('confirmation-weight'), c.seed, n);
  const u = hash3(key, hostIndex, salt) / 4294967296;
  if (u < 0.7) return w;
  return Math.floor(w * (0.9 + 0.099 * (hash3(key, hostIndex, salt + 1) / 4294967296)));
}

/** Classic inferences of effective epoch `n` in the state after block `h`. */
function requestsOf(c: ChainContext, n: number, h: number): number {
  if (n < 1) return 0;
  const start = setNewValidators(n);
  const end = Math.min(h, setNewValidators(n + 1) - 1);
  return end < start ? 0 : c.usage.classicInferences(start, end);
}

/**
 * `epoch_group_data/{n}` body; `model` '' = root group. Returns null when the
 * group does not exist (caller answers 404 code 5). `stateHeight` decides
 * whether epoch n+1 has been formed (then last_block_height is set) and how
 * many requests the epoch has so far.
 */
export function epochGroupDataBody(c: ChainContext, n: number, model: string, stateHeight: number): unknown | null {
  const members = c.hosts.participants(n).filter((p) => p.seedSignature !== null);
  const subs = subGroupModels(c, n);
  const root = c.rootGroupId(n);
  const perModel = n >= PER_MODEL_FROM_EPOCH;
  let groupId = root;
  let list = members;
  if (model !== '') {
    const k = subs.indexOf(model);
    if (k < 0) return null;
    groupId = root + 1 + k;
    list = members.filter((p) => p.models.includes(model));
  }
  const isRoot = model === '';
  const nextFormed = createdAt(n + 1) <= stateHeight;
  const factor = perModel && !isRoot && isEligible(n, model, c.models) ? epochFactor(n, model, c.models)! : null;
  const weights = list.map((p) => {
    const nodes = isRoot ? [] : p.groups[p.models.indexOf(model)]!;
    const raw = nodes.reduce((a, x) => a + x.pocWeight, 0);
    // Before 34 a sub-group member carries its whole weight; from 34 its Σ poc_weight of that model.
    const weight = isRoot || !perModel ? p.weight : raw;
    const votingPower = factor ? (p.votingPowers.find((v) => v.model === model)?.power ?? 0) : 0;
    let confirmation = 0;
    if (n >= CONFIRMATION_FROM_EPOCH) {
      if (isRoot || !perModel) confirmation = confirmationWeight(c, n, p.host.index, 1, p.weight);
      else confirmation = votingPower > 0 ? confirmationWeight(c, n, p.host.index, 3, votingPower) : 0;
    }
    return {
      member_address: p.host.address,
      weight: String(weight),
      reputation: p.reputation,
      ml_nodes: nodes.map((x) => ({
        node_id: x.nodeId,
        throughput: '0',
        poc_weight: String(x.pocWeight),
        timeslot_allocation: [true, x.preserved],
      })),
      confirmation_weight: String(confirmation),
      voting_power: String(votingPower),
      w: weight,
    };
  });
  const scales =
    isRoot && n >= SCALES_FROM_EPOCH
      ? subs
          .filter((m) => isEligible(n, m, c.models))
          .sort()
          .map((m) => ({ model_id: m, weight_scale_factor: epochFactor(n, m, c.models)! }))
      : [];
  return {
    epoch_group_data: {
      poc_start_block_height: String(pocStart(n)),
      epoch_group_id: String(groupId),
      epoch_policy: policyAddress(c, groupId),
      effective_block_height: String(isRoot ? effectiveHeight(n) : 0),
      last_block_height: String(isRoot && nextFormed ? effectiveHeight(n + 1) - 1 : 0),
      member_seed_signatures: list.map((p) => ({ member_address: p.host.address, signature: p.seedSignature })),
      validation_weights: weights.map(({ w: _w, ...v }) => v),
      unit_of_compute_price: isRoot ? '100' : '0',
      number_of_requests: String(isRoot ? requestsOf(c, n, stateHeight) : 0),
      previous_epoch_requests: String(isRoot ? requestsOf(c, n - 1, Math.min(stateHeight, setNewValidators(n) - 1)) : 0),
      validation_params: null,
      total_weight: String(weights.reduce((a, v) => a + v.w, 0)),
      model_id: model,
      sub_group_models: isRoot ? subs : [],
      epoch_index: String(n),
      model_snapshot: isRoot ? null : (modelSnapshot(n, model, c.models) ?? null),
      total_throughput: '0',
      confirmation_weight_scales: scales,
    },
  };
}

/** The v0.2.11 upgrade height: the chain's stats store gets no writes for blocks from here on. */
const STATS_FROZEN_FROM = upgradeAt('v0.2.11');

/**
 * `models_stats_by_time` over blocks ≤ `stateHeight` whose time is in
 * [from, to] (both already defaulted), classic inference of blocks before
 * the v0.2.11 upgrade only; entries with ≥1 inference, in a deterministic
 * shuffle (a real node's order is random).
 */
export function statsBody(c: ChainContext, from: number, to: number, stateHeight: number) {
  const h1 = c.clock.firstAtOrAfter(from);
  const h2 = Math.min(stateHeight, c.clock.lastAtOrBefore(to), STATS_FROZEN_FROM - 1);
  const sums = h1 <= h2 ? c.usage.sumHeights(h1, h2) : new Map<string, { inferences: number; tokens: number }>();
  const orderKey = hash3(hash3(hashString('stats-order'), c.seed, from), to, 0);
  const stats_models = [...sums.entries()]
    .filter(([, u]) => u.inferences > 0)
    .map(([model, u]) => ({ k: hash3(orderKey, hashString(model), 0), e: { model, ai_tokens: String(u.tokens), inferences: u.inferences } }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.e);
  return { stats_models };
}

/** How long the dapi's stats store keeps events. */
export const DAPI_STATS_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * dapi `/v1/stats/models` over [from, to] (already defaulted): classic
 * inference the node saw live, i.e. blocks from the v0.2.11 upgrade height,
 * within the 30-day retention before the node's clock; numbers, sorted by model.
 */
export function dapiStatsBody(c: ChainContext, from: number, to: number) {
  const h1 = Math.max(c.clock.firstAtOrAfter(from), STATS_FROZEN_FROM, c.clock.firstAtOrAfter(c.nowMs - DAPI_STATS_RETENTION_MS));
  const h2 = Math.min(c.latestHeight, c.clock.lastAtOrBefore(to));
  const sums = h1 <= h2 ? c.usage.sumHeights(h1, h2) : new Map<string, { inferences: number; tokens: number }>();
  const stats_models = [...sums.entries()]
    .filter(([, u]) => u.inferences > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([model, u]) => ({ model, ai_tokens: u.tokens, inferences: u.inferences }));
  return { stats_models };
}

/** `params` in the state after block `h`. */
export function chainParamsBody(c: ChainContext, h: number) {
  return paramsBody(h, c.models);
}

/** `excluded_participants/{n}` in the state after block `h`. */
export function excludedBody(c: ChainContext, n: number, h: number) {
  // Exclusions happen while the epoch is effective.
  if (n < 1 || setNewValidators(n) > h) return { items: [] };
  return {
    items: c.outcomes.exclusionsAt(n, h).map((e) => ({
      address: e.address,
      epoch_index: String(e.epoch),
      reason: e.reason,
      exclusion_block_height: String(e.height),
    })),
  };
}

/** `epoch_performance_summary/{n}` in the state after block `h`: rows once epoch n is over. */
export function performanceBody(c: ChainContext, n: number, h: number) {
  const finished = n >= 1 && effectiveEpochAt(h) > n;
  return { epochPerformanceSummary: finished ? c.outcomes.summaries(n) : [] };
}

/** `applied_plan/{name}` in the state after block `h`. */
export function appliedPlanBody(name: string, h: number) {
  const at = upgradeHeight(name);
  return { height: String(at !== undefined && at <= h ? at : 0) };
}

/** Models with a price at block `h`: the sub-group models of the effective epoch. */
function pricedModels(c: ChainContext, h: number): { epoch: number; models: string[] } {
  const epoch = effectiveEpochAt(h);
  return { epoch, models: epoch >= 1 ? subGroupModels(c, epoch) : [] };
}

/** `all_model_per_token_prices` at block `h`. */
export function allPricesBody(c: ChainContext, h: number) {
  const { epoch, models } = pricedModels(c, h);
  return {
    model_prices: priceOrder(c.seed, h, models).map((m) => ({ model_id: m, price: String(pricePerToken(c.seed, epoch, m, h)) })),
  };
}

/** `model_per_token_price/{id}` at block `h`. */
export function priceBody(c: ChainContext, h: number, id: string) {
  const { epoch, models } = pricedModels(c, h);
  return models.includes(id) ? { price: String(pricePerToken(c.seed, epoch, id, h)), found: true } : { price: '0', found: false };
}

/** `model_capacity/{id}` at block `h`: Σ poc_weight of the model's sub-group in the effective epoch, 1000 without one. */
export function capacityBody(c: ChainContext, h: number, id: string) {
  const { epoch, models } = pricedModels(c, h);
  if (models.includes(id)) {
    const members = c.hosts.participants(epoch).filter((p) => p.seedSignature !== null);
    let sum = 0;
    for (const p of members) {
      const k = p.models.indexOf(id);
      if (k >= 0) sum += p.groups[k]!.reduce((a, x) => a + x.pocWeight, 0);
    }
    return { capacity: String(sum > 0 ? sum : DEFAULT_CAPACITY), found: true };
  }
  if (registryAt(h, c.models).some((m) => m.id === id)) return { capacity: String(DEFAULT_CAPACITY), found: true };
  return { capacity: '0', found: false };
}
