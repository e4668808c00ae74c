/**
 * Response bodies of every served endpoint and every error, in the exact real
 * formats (SPEC §2–§8, samples/). `/v1` and `/chain-api` bodies are compact
 * like Go's encoders; `/chain-rpc` is indented like CometBFT's MarshalIndent.
 */
import { goJsonBlock, rpcBlockResult, sdkBlock, type BlockFactory } from './blocks.ts';
import type { HostTable, ParticipantRecord } from './hosts.ts';
import { encodeActiveParticipants } from './protobuf.ts';
import { base64Of, bech32, bytesOf, hash3, hashString } from './random.ts';
import { modelSnapshot, registryAt, type ChainModel } from './registry.ts';
import {
  EPOCH_SHIFT,
  STAGE_PARAMS,
  createdAt,
  effectiveHeight,
  epochLength,
  epochStages,
  phaseAt,
  pocStart,
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
  /** Models in the registry history. */
  readonly models: number;
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

/** dapi error body `{"error": "..."}` (SPEC §3.3). */
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

const GRPC_HTTP_STATUS: Record<number, number> = { 2: 500, 3: 400, 5: 404, 13: 500 };

/** gRPC-gateway error body `{"code","message","details":[]}` (SPEC §4). */
export function gatewayError(code: number, message: string): FakeResponse {
  return json(GRPC_HTTP_STATUS[code] ?? 500, { code, message, details: [] });
}

/** Gateway messages for historical-height failures (SPEC §6). */
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

/** Epochs served in the v0.2.15 transition format (string integers, SDK-style block; SPEC §9). */
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

/** `models_all` in the state after block `h`. */
export function modelsAllBody(c: ChainContext, h: number): { model: readonly ChainModel[] } {
  return { model: registryAt(h, c.models) };
}

/** Sub-group models of epoch `n` in creation order (first seen while adding seeded members). */
export function subGroupModels(c: ChainContext, n: number): string[] {
  const seen = new Set<string>();
  for (const p of c.hosts.participants(n)) if (p.seedSignature !== null) for (const m of p.models) seen.add(m);
  return [...seen];
}

/** Policy address of an x/group group policy (32-byte module-style address). */
function policyAddress(c: ChainContext, groupId: number): string {
  return bech32('gonka', bytesOf(`${c.seed}|group-policy|${groupId}`, 32));
}

/**
 * `epoch_group_data/{n}` body; `model` '' = root group. Returns null when the
 * group does not exist (caller answers 404 code 5). `stateHeight` decides
 * whether epoch n+1 has been formed (then last_block_height is set).
 */
export function epochGroupDataBody(c: ChainContext, n: number, model: string, stateHeight: number): unknown | null {
  const members = c.hosts.participants(n).filter((p) => p.seedSignature !== null);
  const subs = subGroupModels(c, n);
  const root = c.rootGroupId(n);
  let groupId = root;
  let list = members;
  if (model !== '') {
    const k = subs.indexOf(model);
    if (k < 0) return null;
    groupId = root + 1 + k;
    list = members.filter((p) => p.models.includes(model));
  }
  const nextFormed = createdAt(n + 1) <= stateHeight;
  return {
    epoch_group_data: {
      poc_start_block_height: String(pocStart(n)),
      epoch_group_id: String(groupId),
      epoch_policy: policyAddress(c, groupId),
      effective_block_height: String(effectiveHeight(n)),
      last_block_height: String(nextFormed ? effectiveHeight(n + 1) - 1 : 0),
      member_seed_signatures: list.map((p) => ({ member_address: p.host.address, signature: p.seedSignature })),
      validation_weights: list.map((p) => ({
        member_address: p.host.address,
        weight: String(p.weight),
        reputation: p.reputation,
        ml_nodes:
          model === ''
            ? []
            : p.groups[p.models.indexOf(model)]!.map((x) => ({
                node_id: x.nodeId,
                throughput: '0',
                poc_weight: String(x.pocWeight),
                timeslot_allocation: [true, x.preserved],
              })),
      })),
      unit_of_compute_price: model === '' ? '100' : '0',
      number_of_requests: '0',
      previous_epoch_requests: '0',
      validation_params: null,
      total_weight: String(list.reduce((a, p) => a + p.weight, 0)),
      model_id: model,
      sub_group_models: model === '' ? subs : [],
      epoch_index: String(n),
      model_snapshot: model === '' ? null : (modelSnapshot(n, model, c.models) ?? null),
      total_throughput: '0',
    },
  };
}

/**
 * `models_stats_by_time` over blocks ≤ `stateHeight` whose time is in
 * [from, to] (both already defaulted); entries with ≥1 inference, in a
 * deterministic shuffle (a real node's order is random).
 */
export function statsBody(c: ChainContext, from: number, to: number, stateHeight: number) {
  const h1 = c.clock.firstAtOrAfter(from);
  const h2 = Math.min(stateHeight, c.clock.lastAtOrBefore(to));
  const sums = h1 <= h2 ? c.usage.sumHeights(h1, h2) : new Map<string, { inferences: number; tokens: number }>();
  const orderKey = hash3(hash3(hashString('stats-order'), c.seed, from), to, 0);
  const stats_models = [...sums.entries()]
    .filter(([, u]) => u.inferences > 0)
    .map(([model, u]) => ({ k: hash3(orderKey, hashString(model), 0), e: { model, ai_tokens: String(u.tokens), inferences: u.inferences } }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.e);
  return { stats_models };
}
