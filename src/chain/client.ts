/**
 * Typed access to the chain endpoints the data step needs (docs/chain-api.md).
 * Each method returns the validated, normalised body; errors are ChainRequestError.
 * Routes a node may not serve (optional modules, routes newer than the node)
 * answer null instead of failing, so a caller can say "not published".
 */
import { ChainHttp } from './http.ts';
import { ChainRequestError } from './errors.ts';
import {
  appliedPlanResponse,
  epochGroupDataResponse,
  excludedParticipantsResponse,
  modelCapacityResponse,
  modelPricesResponse,
  modelsAllResponse,
  modelsStatsResponse,
  paramsResponse,
  participantsResponse,
  performanceSummaryResponse,
  rpcBlockResponse,
  rpcStatusResponse,
  type ChainModel,
  type EpochGroup,
  type ExcludedItem,
  type ModelPrice,
  type ModelStats,
  type ParticipantsResponse,
  type PerformanceItem,
  type PocModelConfig,
} from './schemas.ts';

const INFERENCE = '/chain-api/productscience/inference/inference';
const UPGRADE = '/chain-api/cosmos/upgrade/v1beta1';

/** Pages `models_all` may take before the client gives up (a registry of thousands would be news). */
const MAX_REGISTRY_PAGES = 1000;

/** Block height and time, the time as an ISO string in ms precision plus Unix ms. */
export interface BlockTime {
  height: number;
  time: string;
  ms: number;
}

/** Chain status: latest and earliest block. */
export interface ChainStatus {
  latest: BlockTime;
  earliestHeight: number;
}

function toBlockTime(height: number, rfc3339: string): BlockTime {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) throw new Error(`block ${height}: unreadable time ${JSON.stringify(rfc3339)}`);
  return { height, time: new Date(ms).toISOString(), ms };
}

/** True for an answer that says the route or the object is not there (404, or 501 from a gateway). */
const isAbsent = (err: unknown) => err instanceof ChainRequestError && err.kind === 'rejected' && (err.status === 404 || err.status === 501);

/** `fetch`'s value, or null when the node answers that the route or object does not exist. */
async function orAbsent<T>(fetch: () => Promise<T>): Promise<T | null> {
  try {
    return await fetch();
  } catch (err) {
    if (isAbsent(err)) return null;
    throw err;
  }
}

/** Thrown when `models_all` pagination does not advance or does not end. */
export class PaginationError extends Error {
  override name = 'PaginationError';
}

/** The endpoints, one method each; what to cache is decided by the caller. */
export class ChainClient {
  constructor(readonly http: ChainHttp) {}

  /** `/v1/epochs/{epoch}/participants`; `current` is the effective epoch. */
  participants(epoch: number | 'current'): Promise<ParticipantsResponse> {
    return this.http.get(participantsResponse, `/v1/epochs/${epoch}/participants`);
  }

  /** `/chain-rpc/status`: latest height and time, earliest retained block. */
  async status(): Promise<ChainStatus> {
    const { result } = await this.http.get(rpcStatusResponse, '/chain-rpc/status');
    const s = result.sync_info;
    return { latest: toBlockTime(s.latest_block_height, s.latest_block_time), earliestHeight: s.earliest_block_height };
  }

  /** `/chain-rpc/block?height=H`: the block's time. */
  async block(height: number): Promise<BlockTime> {
    const { result } = await this.http.get(rpcBlockResponse, '/chain-rpc/block', { query: { height } });
    if (result.block.header.height !== height) {
      throw new Error(`/chain-rpc/block?height=${height} answered block ${result.block.header.height}`);
    }
    return toBlockTime(height, result.block.header.time);
  }

  /** The height upgrade `name` ran at; 0 when it has not (yet); null when the node does not serve the route. */
  async appliedPlanHeight(name: string): Promise<number | null> {
    const body = await orAbsent(() => this.http.get(appliedPlanResponse, `${UPGRADE}/applied_plan/${encodeURIComponent(name)}`));
    return body === null ? null : body.height;
  }

  /**
   * `models_all`, the governance registry, at `height` (undefined: latest state),
   * every page: the node decides the page size, `next_key` leads on until it is null.
   */
  async modelsAll(height?: number): Promise<ChainModel[]> {
    const models: ChainModel[] = [];
    const seen = new Set<string>();
    let key: string | null = null;
    for (let page = 1; page <= MAX_REGISTRY_PAGES; page++) {
      const query: Record<string, string> = key === null ? {} : { 'pagination.key': key };
      const body = await this.http.get(modelsAllResponse, `${INFERENCE}/models_all`, height === undefined ? { query } : { query, height });
      models.push(...body.model);
      const next = body.pagination.next_key;
      if (next === null) return models;
      if (seen.has(next) || body.model.length === 0) {
        throw new PaginationError(`${INFERENCE}/models_all: page ${page} gave the next key ${JSON.stringify(next)} again without advancing`);
      }
      seen.add(next);
      key = next;
    }
    throw new PaginationError(`${INFERENCE}/models_all: still not at the end after ${MAX_REGISTRY_PAGES} pages`);
  }

  /** `epoch_group_data/{epoch}`: the root group, or with `modelId` the model's sub-group; null when it does not exist. */
  async epochGroup(epoch: number, modelId?: string): Promise<EpochGroup | null> {
    const body = await orAbsent(() =>
      this.http.get(epochGroupDataResponse, `${INFERENCE}/epoch_group_data/${epoch}`, modelId === undefined ? {} : { query: { model_id: modelId } }),
    );
    if (body === null) return null;
    const g = body.epoch_group_data;
    if (g.epoch_index !== epoch) throw new Error(`${INFERENCE}/epoch_group_data/${epoch} answered epoch ${g.epoch_index}`);
    return g;
  }

  /** `params.poc_params.models` at `height` (undefined: latest): the per-model PoC configuration, `[]` before v0.2.12. */
  async pocModels(height?: number): Promise<PocModelConfig[]> {
    const body = await this.http.get(paramsResponse, `${INFERENCE}/params`, height === undefined ? {} : { height });
    return body.params.poc_params.models;
  }

  /** Hosts the chain excluded from `epoch`; null when the node does not serve the route (before v0.2.5). */
  async excludedParticipants(epoch: number): Promise<ExcludedItem[] | null> {
    const body = await orAbsent(() => this.http.get(excludedParticipantsResponse, `${INFERENCE}/excluded_participants/${epoch}`));
    return body === null ? null : body.items;
  }

  /** Per-host performance of `epoch`; `[]` when the chain has none, null when the route is not served. */
  async performanceSummary(epoch: number): Promise<PerformanceItem[] | null> {
    const body = await orAbsent(() => this.http.get(performanceSummaryResponse, `${INFERENCE}/epoch_performance_summary/${epoch}`));
    return body === null ? null : body.epochPerformanceSummary;
  }

  /** Per-token prices at `height` (undefined: latest), in the node's (random) order; null when the route is not served. */
  async modelPrices(height?: number): Promise<ModelPrice[] | null> {
    const body = await orAbsent(() => this.http.get(modelPricesResponse, `${INFERENCE}/all_model_per_token_prices`, height === undefined ? {} : { height }));
    return body === null ? null : body.model_prices;
  }

  /** A model's capacity at `height`; null when the node cannot address the model on this route or keeps none. */
  async modelCapacity(modelId: string, height?: number): Promise<string | null> {
    // One path segment: the id's `/` is percent-encoded (docs/chain-api.md, "Price and capacity").
    const path = `${INFERENCE}/model_capacity/${encodeURIComponent(modelId)}`;
    const body = await orAbsent(() => this.http.get(modelCapacityResponse, path, height === undefined ? {} : { height }));
    return body && body.found ? body.capacity : null;
  }

  /** The chain's usage per model in [fromMs, toMs], both ends inclusive, in the node's (random) order (frozen since v0.2.11). */
  async chainModelsStats(fromMs: number, toMs: number): Promise<ModelStats[]> {
    const body = await this.http.get(modelsStatsResponse, `${INFERENCE}/models_stats_by_time`, {
      query: { time_from: fromMs, time_to: toMs },
    });
    return body.stats_models;
  }

  /** The node's own usage store (dapi, v0.2.11+), same window rules; fails where the node has it disabled. */
  async dapiModelsStats(fromMs: number, toMs: number): Promise<ModelStats[]> {
    const body = await this.http.get(modelsStatsResponse, '/v1/stats/models', { query: { time_from: fromMs, time_to: toMs } });
    return body.stats_models;
  }
}
