/**
 * Request → response for the fake node, independent of HTTP plumbing so the
 * same answers are available in-process (`SampleChain.handle`). Parameter
 * validation follows each backend's real order of checks (SPEC §2–§8).
 */
import {
  DAPI,
  GATEWAY,
  blockBody,
  dapiError,
  dapiPruned,
  epochGroupDataBody,
  epochsLatestBody,
  gatewayError,
  json,
  methodNotAllowed,
  modelsAllBody,
  notFound,
  participantsBody,
  rpcError,
  statsBody,
  statusBody,
  type ChainContext,
  type FakeResponse,
} from './responses.ts';
import { createdAt } from './timeline.ts';

const INFERENCE = '/chain-api/productscience/inference/inference';
const UINT64_MAX = 18446744073709551615n;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A request as the fake node sees it. */
export interface FakeRequest {
  method: string;
  /** Path plus optional `?query`, as on the HTTP request line. */
  url: string;
  /** Value of `X-Cosmos-Block-Height`, if sent. */
  heightHeader?: string;
}

/** Small LRU of rendered participant bodies: they are the expensive ones. */
export class BodyCache {
  private readonly map = new Map<string, string>();
  constructor(private readonly size = 4) {}

  /** Cached body for `key`, rendering it on a miss. */
  get(key: string, render: () => string): string {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const body = render();
    this.map.set(key, body);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
    return body;
  }
}

function parseUint64(raw: string): bigint | null {
  if (!/^\d+$/.test(raw)) return null;
  const v = BigInt(raw);
  return v > UINT64_MAX ? null : v;
}

/** Answers one request against one chain. */
export function route(c: ChainContext, cache: BodyCache, req: FakeRequest): FakeResponse {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  if (req.method !== 'GET') return methodNotAllowed();

  // --- /v1 (dapi) ---
  let m = /^\/v1\/epochs\/([^/]+)$/.exec(path);
  if (m) return decodeURIComponent(m[1]!) === 'latest' ? epochsLatestBody(c) : dapiError(400, DAPI.notLatest);
  m = /^\/v1\/epochs\/([^/]+)\/participants$/.exec(path);
  if (m) return participants(c, cache, decodeURIComponent(m[1]!));

  // --- /chain-rpc (CometBFT) ---
  if (path === '/chain-rpc/status') return statusBody(c);
  if (path === '/chain-rpc/block') return block(c, params.get('height'));

  // --- /chain-api (gRPC-gateway) ---
  if (path === `${INFERENCE}/models_all`) {
    const h = stateHeight(c, req.heightHeader);
    return typeof h === 'number' ? json(200, modelsAllBody(c, h), heightEcho(h)) : h;
  }
  if (path === `${INFERENCE}/models_stats_by_time`) return stats(c, params, req.heightHeader);
  m = new RegExp(`^${INFERENCE}/epoch_group_data/([^/]+)$`).exec(path);
  if (m) return groupData(c, decodeURIComponent(m[1]!), params.get('model_id') ?? '', req.heightHeader);

  return notFound();
}

function participants(c: ChainContext, cache: BodyCache, raw: string): FakeResponse {
  let n: number;
  if (raw === 'current') n = c.currentEpoch;
  else {
    const v = parseUint64(raw);
    if (v === null) return dapiError(400, DAPI.invalidEpoch);
    if (v === 0n) return dapiError(400, DAPI.epochZero);
    if (v > BigInt(c.currentEpoch)) return dapiError(404, DAPI.noParticipants);
    n = Number(v);
  }
  // The set is read at the latest height, then re-read with proof at created_at and
  // block created_at+1 is fetched: on this pruned node that fails for epoch 1.
  if (createdAt(n) + 1 < c.lowestHeight) return dapiPruned(createdAt(n) + 1, c.lowestHeight);
  const body = cache.get(`participants:${n}`, () => participantsBody(c, n));
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

function block(c: ChainContext, raw: string | null): FakeResponse {
  let h = c.latestHeight;
  if (raw !== null && raw !== '') {
    const unquoted = raw.replace(/^"(.*)"$/, '$1');
    if (!/^-?\d+$/.test(unquoted)) {
      return rpcError(
        `error converting http params to arguments: strconv.ParseInt: parsing ${JSON.stringify(unquoted)}: invalid syntax`,
        -32602,
        'Invalid params',
      );
    }
    h = Number(unquoted);
    if (h <= 0) return rpcError(`height must be greater than 0, but got ${h}`);
    if (h > c.latestHeight) return rpcError(`height ${h} must be less than or equal to the current blockchain height ${c.latestHeight}`);
    if (h < c.lowestHeight) return rpcError(`height ${h} is not available, lowest height is ${c.lowestHeight}`);
  }
  return blockBody(c, h);
}

function heightEcho(h: number): Record<string, string> {
  return { 'x-cosmos-block-height': String(h) };
}

/** Resolves `X-Cosmos-Block-Height` to a state height, or the gateway's error (SPEC §6). */
function stateHeight(c: ChainContext, raw: string | undefined): number | FakeResponse {
  if (raw === undefined || raw.trim() === '') return c.latestHeight;
  const s = raw.trim();
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) return gatewayError(2, GATEWAY.badHeader(s));
  const h = Number(s);
  if (h < 0) return gatewayError(2, GATEWAY.negative);
  if (h === 0) return c.latestHeight;
  if (h > c.latestHeight) return gatewayError(2, GATEWAY.future);
  if (h < c.lowestHeight) return gatewayError(2, GATEWAY.pruned(h, c.latestHeight));
  return h;
}

function parseInt64(raw: string | null, name: string): number | FakeResponse {
  if (raw === null || raw === '') return 0;
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) return gatewayError(3, GATEWAY.typeMismatch(name, raw));
  return Number(raw);
}

function stats(c: ChainContext, params: URLSearchParams, header: string | undefined): FakeResponse {
  const h = stateHeight(c, header);
  if (typeof h !== 'number') return h;
  const from = parseInt64(params.get('time_from'), 'time_from');
  if (typeof from !== 'number') return from;
  const to = parseInt64(params.get('time_to'), 'time_to');
  if (typeof to !== 'number') return to;
  // Order matters: the range check runs before the defaults (SPEC §4.2).
  if (to < from) return gatewayError(2, GATEWAY.invalidTimePeriod);
  const toMs = to === 0 ? c.nowMs : to;
  const fromMs = from === 0 ? c.nowMs - DAY_MS : from;
  return json(200, statsBody(c, fromMs, toMs, h), heightEcho(h));
}

function groupData(c: ChainContext, raw: string, model: string, header: string | undefined): FakeResponse {
  const h = stateHeight(c, header);
  if (typeof h !== 'number') return h;
  const v = parseUint64(raw);
  if (v === null) return gatewayError(3, GATEWAY.typeMismatch('epoch_index', raw, 'ParseUint'));
  if (v === 0n || v > BigInt(c.currentEpoch)) return gatewayError(5, GATEWAY.notFound);
  const n = Number(v);
  if (createdAt(n) > h) return gatewayError(5, GATEWAY.notFound);
  const body = epochGroupDataBody(c, n, model, h);
  return body === null ? gatewayError(5, GATEWAY.notFound) : json(200, body, heightEcho(h));
}
