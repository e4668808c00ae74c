/**
 * CometBFT blocks of the sample chain. One hash-derived core per height,
 * rendered three ways: CometBFT JSON-RPC (int64 as strings), Go
 * `encoding/json` as embedded in `/v1/epochs/N/participants` (numbers, nil
 * slices as null), and the SDK-style form of the v0.2.15 transition (string
 * heights, base64 hashes); see docs/chain-api.md, "Epochs".
 */
import type { HostProfile } from './hosts.ts';
import { base64Of, bech32, hash3, hashString, hexUpper } from './random.ts';
import { effectiveEpochAt, formatTime, type BlockClock } from './timeline.ts';

/** SHA-256 of nothing: CometBFT's hash of empty data/evidence/results. */
export const EMPTY_HASH = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
const CONSENSUS_HASH = '048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F';
export const CHAIN_ID = 'gonka-mainnet';
const ZERO_TIME = '0001-01-01T00:00:00Z';

interface CommitSig {
  flag: 1 | 2;
  address: string;
  timestamp: string;
  signature: string | null;
}

/** Everything a rendering needs about one block. */
export interface BlockCore {
  height: number;
  time: string;
  hash: string;
  partsHash: string;
  last: { hash: string; partsHash: string } | null;
  lastCommitHash: string;
  dataHash: string;
  validatorsHash: string;
  nextValidatorsHash: string;
  appHash: string;
  lastResultsHash: string;
  proposer: string;
  txs: string[];
  signatures: CommitSig[];
}

/** Builds block cores from the seed, the block clock and the always-present genesis validators. */
export class BlockFactory {
  private readonly seed: number;
  private readonly clock: BlockClock;
  private readonly signers: readonly HostProfile[];

  constructor(seed: number, clock: BlockClock, signers: readonly HostProfile[]) {
    this.seed = seed;
    this.clock = clock;
    this.signers = signers;
  }

  /** Block id hash of height `h` (also the next block's last_block_id). */
  hashOf(h: number): string {
    return hexUpper(`${this.seed}|block|${h}`);
  }

  /** App hash after block `h`. */
  appHashOf(h: number): string {
    return hexUpper(`${this.seed}|app|${h}`);
  }

  /** The hash-derived content of block `h`. */
  core(h: number): BlockCore {
    const s = this.seed;
    const key = hash3(hashString('block'), s, h);
    const txCount = key % 4;
    const txs: string[] = [];
    for (let k = 0; k < txCount; k++) txs.push(base64Of(`${s}|tx|${h}|${k}`, 80 + (hash3(key, k, 1) % 180)));
    const signatures: CommitSig[] = [];
    if (h > 1) {
      const prev = this.clock.timeOf(h - 1);
      this.signers.forEach((v, k) => {
        if (hash3(key, k, 2) % 100 < 8) {
          signatures.push({ flag: 1, address: '', timestamp: ZERO_TIME, signature: null });
          return;
        }
        const ts = formatTime({ ms: prev.ms + 4900 + 37 * k, subMsNs: prev.subMsNs });
        signatures.push({ flag: 2, address: v.consensusAddress, timestamp: ts, signature: base64Of(`${s}|sig|${h}|${k}`, 64) });
      });
    }
    const proposer = this.signers[hash3(key, 3, 3) % this.signers.length]!.consensusAddress;
    return {
      height: h,
      time: this.clock.rfc3339(h),
      hash: this.hashOf(h),
      partsHash: hexUpper(`${s}|parts|${h}`),
      last: h > 1 ? { hash: this.hashOf(h - 1), partsHash: hexUpper(`${s}|parts|${h - 1}`) } : null,
      lastCommitHash: h > 1 ? hexUpper(`${s}|commit|${h - 1}`) : EMPTY_HASH,
      dataHash: txs.length ? hexUpper(`${s}|data|${h}`) : EMPTY_HASH,
      validatorsHash: hexUpper(`${s}|valset|${effectiveEpochAt(h)}`),
      nextValidatorsHash: hexUpper(`${s}|valset|${effectiveEpochAt(h + 1)}`),
      appHash: this.appHashOf(h - 1),
      lastResultsHash: txs.length ? hexUpper(`${s}|results|${h - 1}`) : EMPTY_HASH,
      proposer,
      txs,
      signatures,
    };
  }
}

/** `result` of CometBFT `/block` (int64 as strings, empty lists as []). */
export function rpcBlockResult(b: BlockCore) {
  const lastId = { hash: b.last?.hash ?? '', parts: { total: b.last ? 1 : 0, hash: b.last?.partsHash ?? '' } };
  return {
    block_id: { hash: b.hash, parts: { total: 1, hash: b.partsHash } },
    block: {
      header: {
        version: { block: '11' },
        chain_id: CHAIN_ID,
        height: String(b.height),
        time: b.time,
        last_block_id: lastId,
        last_commit_hash: b.lastCommitHash,
        data_hash: b.dataHash,
        validators_hash: b.validatorsHash,
        next_validators_hash: b.nextValidatorsHash,
        consensus_hash: CONSENSUS_HASH,
        app_hash: b.appHash,
        last_results_hash: b.lastResultsHash,
        evidence_hash: EMPTY_HASH,
        proposer_address: b.proposer,
      },
      data: { txs: b.txs },
      evidence: { evidence: [] as unknown[] },
      last_commit: {
        height: String(b.height - 1),
        round: 0,
        block_id: lastId,
        signatures: b.signatures.map((x) => ({
          block_id_flag: x.flag,
          validator_address: x.address,
          timestamp: x.timestamp,
          signature: x.signature,
        })),
      },
    },
  };
}

/** Go `encoding/json` form embedded in `/v1/epochs/N/participants` (numbers, nil → null). */
export function goJsonBlock(b: BlockCore) {
  const r = rpcBlockResult(b).block;
  return {
    header: { ...r.header, version: { block: 11 }, height: b.height },
    data: { txs: b.txs.length ? b.txs : null },
    evidence: { evidence: null },
    last_commit: { ...r.last_commit, height: b.height - 1, signatures: b.signatures.length ? r.last_commit.signatures : null },
  };
}

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** SDK-style (cosmos cmtservice) block of the v0.2.15 transition: string heights, base64 hashes. */
export function sdkBlock(b: BlockCore) {
  const lastId = { hash: b64(b.last?.hash ?? ''), part_set_header: { total: b.last ? 1 : 0, hash: b64(b.last?.partsHash ?? '') } };
  return {
    header: {
      version: { block: '11', app: '0' },
      chain_id: CHAIN_ID,
      height: String(b.height),
      time: b.time,
      last_block_id: lastId,
      last_commit_hash: b64(b.lastCommitHash),
      data_hash: b64(b.dataHash),
      validators_hash: b64(b.validatorsHash),
      next_validators_hash: b64(b.nextValidatorsHash),
      consensus_hash: b64(CONSENSUS_HASH),
      app_hash: b64(b.appHash),
      last_results_hash: b64(b.lastResultsHash),
      evidence_hash: b64(EMPTY_HASH),
      proposer_address: bech32('gonkavalcons', Buffer.from(b.proposer, 'hex')),
    },
    data: { txs: b.txs },
    evidence: { evidence: [] as unknown[] },
    last_commit: {
      height: String(b.height - 1),
      round: 0,
      block_id: lastId,
      signatures: b.signatures.map((x) => ({
        block_id_flag: x.flag === 2 ? 'BLOCK_ID_FLAG_COMMIT' : 'BLOCK_ID_FLAG_ABSENT',
        validator_address: b64(x.address),
        timestamp: x.timestamp,
        signature: x.signature ?? '',
      })),
    },
  };
}
