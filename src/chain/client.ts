/**
 * Typed access to the chain endpoints a Models page needs (SPEC §3, §4, §8).
 * Each method returns the validated, normalised body; errors are ChainRequestError.
 */
import { ChainHttp } from './http.ts';
import { ChainRequestError } from './errors.ts';
import {
  epochGroupDataResponse,
  modelsAllResponse,
  modelsStatsResponse,
  participantsResponse,
  rpcBlockResponse,
  rpcStatusResponse,
  type ChainModel,
  type ModelStats,
  type ParticipantsResponse,
} from './schemas.ts';

const INFERENCE = '/chain-api/productscience/inference/inference';

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

/** The endpoints, one method each; what to cache is decided by the caller. */
export class ChainClient {
  constructor(readonly http: ChainHttp) {}

  /** `/v1/epochs/{epoch}/participants`; `current` is the effective epoch (SPEC §2, §3). */
  participants(epoch: number | 'current'): Promise<ParticipantsResponse> {
    return this.http.get(participantsResponse, `/v1/epochs/${epoch}/participants`);
  }

  /** `/chain-rpc/status`: latest height and time, earliest retained block. */
  async status(): Promise<ChainStatus> {
    const { result } = await this.http.get(rpcStatusResponse, '/chain-rpc/status');
    const s = result.sync_info;
    return { latest: toBlockTime(s.latest_block_height, s.latest_block_time), earliestHeight: s.earliest_block_height };
  }

  /** `/chain-rpc/block?height=H`: the block's time (SPEC §7.3, §8). */
  async block(height: number): Promise<BlockTime> {
    const { result } = await this.http.get(rpcBlockResponse, '/chain-rpc/block', { query: { height } });
    if (result.block.header.height !== height) {
      throw new Error(`/chain-rpc/block?height=${height} answered block ${result.block.header.height}`);
    }
    return toBlockTime(height, result.block.header.time);
  }

  /** `models_all`, the governance registry, at `height` (undefined: latest state). */
  async modelsAll(height?: number): Promise<ChainModel[]> {
    const body = await this.http.get(modelsAllResponse, `${INFERENCE}/models_all`, height === undefined ? {} : { height });
    return body.model;
  }

  /** The model parameters frozen when `epoch` formed (SPEC §4.4); null when the epoch has no sub-group for it. */
  async epochModelSnapshot(epoch: number, modelId: string): Promise<ChainModel | null> {
    try {
      const body = await this.http.get(epochGroupDataResponse, `${INFERENCE}/epoch_group_data/${epoch}`, {
        query: { model_id: modelId },
      });
      return body.epoch_group_data.model_snapshot;
    } catch (err) {
      if (err instanceof ChainRequestError && err.status === 404) return null;
      throw err;
    }
  }

  /** Usage per model in [fromMs, toMs], both ends inclusive, sorted by model id (SPEC §4.2). */
  async modelsStats(fromMs: number, toMs: number): Promise<ModelStats[]> {
    const body = await this.http.get(modelsStatsResponse, `${INFERENCE}/models_stats_by_time`, {
      query: { time_from: fromMs, time_to: toMs },
    });
    return [...body.stats_models].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  }
}
