/**
 * Request → response for the fake node, independent of HTTP plumbing so the
 * same answers are available in-process (`SampleChain.handle`). Parameter
 * validation follows each backend's real order of checks (docs/chain-api.md).
 */
import {
  DAPI,
  GATEWAY,
  allPricesBody,
  appliedPlanBody,
  blockBody,
  capacityBody,
  chainParamsBody,
  dapiError,
  dapiPruned,
  dapiStatsBody,
  epochGroupDataBody,
  epochsLatestBody,
  excludedBody,
  gatewayError,
  json,
  methodNotAllowed,
  modelsAllPage,
  notFound,
  participantsBody,
  performanceBody,
  priceBody,
  rpcError,
  statsBody,
  statusBody,
  type ChainContext,
  type FakeResponse,
} from './responses.ts';
import { createdAt } from './timeline.ts';

const INFERENCE = '/chain-api/productscience/inference/inference';
const UPGRADE = '/chain-api/cosmos/upgrade/v1beta1';
const UINT64_MAX = 18446744073709551615n;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A request as the fake node sees it. */
export interface FakeRequest {
  method: string;
  /** Path plus optional `?query`, as on the HTTP request line. */
  url: string;
  /** Value of `X-Cosmos-Block-Height`, if sent. */
  heightHeader?: string;
  /** Whether the dapi's stats storage is enabled (default true); when false `/v1/stats/models` answers 500. */
  statsStorage?: boolean;
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
  if (path === '/v1/stats/models') return dapiStats(c, params, req.statsStorage ?? true);

  // --- /chain-rpc (CometBFT) ---
  if (path === '/chain-rpc/status') return statusBody(c);
  if (path === '/chain-rpc/block') return block(c, params.get('height'));

  // --- /chain-api (gRPC-gateway) ---
  if (path === `${INFERENCE}/models_all`) return modelsAll(c, params, req.heightHeader);
  if (path === `${INFERENCE}/models_stats_by_time`) return stats(c, params, req.heightHeader);
  m = new RegExp(`^${INFERENCE}/epoch_group_data/([^/]+)$`).exec(path);
  if (m) return groupData(c, decodeURIComponent(m[1]!), params.get('model_id') ?? '', req.heightHeader);
  if (path === `${INFERENCE}/params`) return atHeight(c, req.heightHeader, (h) => chainParamsBody(c, h));
  m = new RegExp(`^${INFERENCE}/(excluded_participants|epoch_performance_summary)/([^/]+)$`).exec(path);
  if (m) return epochList(c, m[1]!, decodeURIComponent(m[2]!), req.heightHeader);
  if (path === `${INFERENCE}/all_model_per_token_prices`) return atHeight(c, req.heightHeader, (h) => allPricesBody(c, h));
  m = new RegExp(`^${INFERENCE}/(model_per_token_price|model_capacity)/(.+)$`).exec(path);
  if (m) return modelQuery(c, m[1]!, m[2]!, req.heightHeader);
  m = new RegExp(`^${UPGRADE}/applied_plan/([^/]+)$`).exec(path);
  if (m) {
    const name = decodeURIComponent(m[1]!);
    return atHeight(c, req.heightHeader, (h) => appliedPlanBody(name, h));
  }

  return notFound();
}

/** A chain query answered from the state after the requested height. */
function atHeight(c: ChainContext, header: string | undefined, body: (h: number) => unknown): FakeResponse {
  const h = stateHeight(c, header);
  return typeof h === 'number' ? json(200, body(h), heightEcho(h)) : h;
}

function modelsAll(c: ChainContext, params: URLSearchParams, header: string | undefined): FakeResponse {
  const h = stateHeight(c, header);
  if (typeof h !== 'number') return h;
  const rawLimit = params.get('pagination.limit');
  let limit = 100; // the SDK's default page
  if (rawLimit !== null && rawLimit !== '') {
    const v = parseUint64(rawLimit);
    if (v === null) return gatewayError(3, GATEWAY.typeMismatch('pagination.limit', rawLimit, 'ParseUint'));
    if (v > 0n) limit = v > 1_000_000n ? 1_000_000 : Number(v);
  }
  const page = modelsAllPage(c, h, params.get('pagination.key'), limit);
  return 'error' in page ? page.error : json(200, page.body, heightEcho(h));
}

function epochList(c: ChainContext, route: string, raw: string, header: string | undefined): FakeResponse {
  const h = stateHeight(c, header);
  if (typeof h !== 'number') return h;
  const v = parseUint64(raw);
  if (v === null) return gatewayError(3, GATEWAY.typeMismatch('epoch_index', raw, 'ParseUint'));
  // Anything past the next epoch answers like the next one: nothing yet.
  const n = v > BigInt(c.currentEpoch + 1) ? c.currentEpoch + 1 : Number(v);
  const body = route === 'excluded_participants' ? excludedBody(c, n, h) : performanceBody(c, n, h);
  return json(200, body, heightEcho(h));
}

/** Per-model price/capacity: the id must arrive percent-encoded as one path segment. */
function modelQuery(c: ChainContext, route: string, rawId: string, header: string | undefined): FakeResponse {
  // The gateway has no route for a second segment (an id sent with a raw '/').
  if (rawId.includes('/')) return gatewayError(12, GATEWAY.notImplemented);
  const id = decodeURIComponent(rawId);
  return atHeight(c, header, (h) => (route === 'model_per_token_price' ? priceBody(c, h, id) : capacityBody(c, h, id)));
}

/** Below this a time cannot be Unix milliseconds (the dapi's sanity check). */
const MS_THRESHOLD = 1_000_000_000_000;
const INT64_MAX = 9223372036854775807n;

/** Go's strconv.ParseInt(s, 10, 64), as a number, or its error text. */
function goParseInt(raw: string): number | string {
  if (!/^[+-]?\d+$/.test(raw)) return `strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`;
  const v = BigInt(raw);
  if (v > INT64_MAX || v < -INT64_MAX - 1n) return `strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range`;
  return Number(v);
}

/** dapi `/v1/stats/models`: times checked first, then the storage (disabled on default nodes). */
function dapiStats(c: ChainContext, params: URLSearchParams, storage: boolean): FakeResponse {
  const bad = (why: string) => dapiError(400, `code=400, message=invalid time period: ${why}`);
  const rawTo = params.get('time_to') ?? '';
  const rawFrom = params.get('time_from') ?? '';
  let to = c.nowMs;
  if (rawTo !== '') {
    const v = goParseInt(rawTo);
    if (typeof v === 'string') return bad(v);
    to = v;
  }
  let from = to - DAY_MS;
  if (rawFrom !== '') {
    const v = goParseInt(rawFrom);
    if (typeof v === 'string') return bad(v);
    from = v;
  }
  if (to < from) return bad('time_to must be >= time_from');
  if (to < MS_THRESHOLD || from < MS_THRESHOLD) return bad('time_to and time_from must be in milliseconds');
  if (!storage) return dapiError(500, 'stats storage is disabled');
  return json(200, dapiStatsBody(c, from, to));
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

/** Resolves `X-Cosmos-Block-Height` to a state height, or the gateway's error. */
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
  // Order matters: the range check runs before the defaults.
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
