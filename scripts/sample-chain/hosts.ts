/**
 * Hosts (participants) of each epoch (docs/chain-api.md, "Epochs" and
 * "Weight"). A host's static profile (address, keys, URL, ML nodes,
 * join/leave epochs) is a function of (seed, host index); its per-epoch
 * record is a function of (seed, host, epoch). Host growth is a fixed
 * logistic curve of the epoch index, never of the current epoch, so
 * histories of different lengths agree on their common part.
 */
import {
  base64Of,
  bech32,
  bytesOf,
  fastHex,
  hash3,
  hashString,
  intIn,
  sha256,
  stream,
  unit,
} from './random.ts';
import {
  KIMI,
  MINIMAX,
  PER_MODEL_FROM_EPOCH,
  QWEN25_7B,
  QWEN3_235B,
  QWEN3_32B,
  QWQ,
  REDHAT_7B,
  epochFactor,
  globalFactor,
  hostedModelIds,
  isEligible,
  pocModelSpec,
  scaleFloor,
  type Decimal,
} from './registry.ts';

/** Hosts present at genesis (epoch 1). */
export const GENESIS_HOSTS = 11;
/** Collateral adjustment (weight < Σ poc_weight) applies from this epoch on. */
export const COLLATERAL_FROM_EPOCH = 25;

/** Genesis hosts whose first ML node is pinned to the r-th hosted model, so every hosted model has a seeded host. */
const ANCHORS = [0, 1, 2, 5, 6, 7, 8, 9];

/** The five real genesis participants of `samples/` (address, validator key, URL). */
const REAL_GENESIS: readonly [string, string, string][] = [
  ['gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le', 'OPwcpfQYOoWDuHKYivRVq5jxrELH0moP5qdznvj3Dps=', 'http://node1.gonka.ai:8000'],
  ['gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp', 'YHtcky8VaH0qQNhYJkN61RPf83oKWsCPXdaewvDEYLo=', 'http://node2.gonka.ai:8000'],
  ['gonka1kx9mca3xm8u8ypzfuhmxey66u0ufxhs7nm6wc5', 'FODVOcIY8RNoGA7WsiNSL6YQ8N4/A5Ox1IyXgc/FmE0=', 'http://node3.gonka.ai:8000'],
  ['gonka1d7p03cu2y2yt3vytq9wlfm6tlz0lfhlgv9h82p', '5QYFI0kdyBPrcld3FfOwoZdynfwN5li0qUbg3zwFK4I=', 'http://47.236.26.199:8000'],
  ['gonka19fpma3577v3fnk8nxjkvg442ss8hvglxwqgzz6', 'pM9MGrvN6zoLAuA6SKndq2GT/AY8b9tr8PodsnmV4Bk=', 'http://gonka.spv.re:8000'],
];

/**
 * normal: seed + nodes; noModels: seed, weight, but no `models`/`ml_nodes`;
 * noSeed: nodes but no `seed`; bare: no seed, no nodes, weight 0 (every key omitted).
 */
export type HostKind = 'normal' | 'noModels' | 'noSeed' | 'bare';

/** One ML node of a host; its GPU class fixes its PoC weight level. */
export interface NodeProfile {
  id: string;
  gpu: string;
  baseWeight: number;
}

/** Everything about a host that does not change between epochs. */
export interface HostProfile {
  index: number;
  address: string;
  validatorKey: string;
  /** CometBFT validator address: uppercase hex of SHA-256(pubkey)[0:20]. */
  consensusAddress: string;
  url: string;
  joinEpoch: number;
  leaveEpoch: number;
  kind: HostKind;
  nodes: NodeProfile[];
  /** A node supporting no governance model → trailing unassigned `ml_nodes` group. */
  legacyNode: NodeProfile | null;
  collateral: boolean;
}

/** One ML node in one epoch. */
export interface NodeInEpoch {
  nodeId: string;
  /** poc_weight as stored: the raw PoC result, times the era's global factor in epochs 25–33. */
  pocWeight: number;
  /** The raw PoC result (what the node's hardware earned, before any factor). */
  raw: number;
  /** timeslot_allocation[1]: keeps serving through the next PoC. */
  preserved: boolean;
}

/** Voting power of a participant in one eligible model (epochs formed from 34). */
export interface ModelVotingPower {
  model: string;
  power: number;
}

/** A participant of one epoch, before rendering. */
export interface ParticipantRecord {
  host: HostProfile;
  weight: number;
  /** Sorted ascending by id. */
  models: string[];
  /** groups[i] ↔ models[i]; one extra trailing group for unassigned nodes. */
  groups: NodeInEpoch[][];
  seedSignature: string | null;
  reputation: number;
  /** Eligible models only, sorted by id; empty before epoch 34. */
  votingPowers: ModelVotingPower[];
}

/** Per-model totals of one epoch (what the usage generator scales by). */
export interface EpochSummary {
  hostCount: number;
  /** Σ raw (unscaled) PoC weight per model: what its inference demand scales with. */
  modelWeight: Map<string, number>;
  modelHosts: Map<string, number>;
}

/** Big-GPU classes that serve the large 2026 models. */
const BIG_GPUS = new Set(['h200', 'b200']);

/** Share of big-GPU hosts serving a big model: [at its first hosted epoch, growth per epoch, cap]. */
const BIG_MODEL_GROWTH: Record<string, readonly [number, number, number]> = {
  [KIMI]: [0.04, 0.03, 0.25],
  [MINIMAX]: [0.03, 0.02, 0.15],
};

/** How the nodes of epoch `n` are spread over models (computed once per epoch). */
interface EpochPlan {
  /** Hosted models drawn per node by preference, sorted by id. */
  common: string[];
  /** Models served by selected big-GPU hosts: share of such hosts, and the host always selected. */
  big: { id: string; share: number; anchor: number; key: number }[];
  /** Stored poc_weight factor of epochs 25–33. */
  global: Decimal | null;
  /** Frozen factors of the eligible models (epochs from 34). */
  eligible: Map<string, Decimal>;
}

/** Relative chance that an ML node picks a model (exponential race, stable when the set changes). */
const MODEL_PREFERENCE: Record<string, number> = {
  [QWQ]: 3,
  [QWEN25_7B]: 1.2,
  [QWEN3_235B]: 24,
  [QWEN3_32B]: 8,
  [REDHAT_7B]: 0.25,
};

const GPUS: readonly { name: string; lo: number; hi: number }[] = [
  { name: 'h100', lo: 2200, hi: 2650 },
  { name: 'h200', lo: 3350, hi: 3750 },
  { name: 'a100', lo: 1100, hi: 1400 },
  { name: 'b200', lo: 4900, hi: 5600 },
  { name: 'l40s', lo: 780, hi: 1020 },
  { name: '4090', lo: 430, hi: 650 },
];

const WORDS = ['atlas', 'boreal', 'cobalt', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lumen', 'meridian', 'nova', 'orbit', 'polar', 'quartz', 'ridge', 'sable', 'tundra'];
const DOMAINS = ['net', 'io', 'cloud', 'xyz', 'ai', 'dev', 'tech'];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const modelHashes = new Map<string, number>();
function modelHash(id: string): number {
  let h = modelHashes.get(id);
  if (h === undefined) {
    h = hashString(id);
    modelHashes.set(id, h);
  }
  return h;
}

/** Logistic growth normalised to 0 at epoch 1; ≈0.97 at epoch 36. */
function growth(n: number): number {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const mid = 20;
  const scale = 4.5;
  const s1 = sig((1 - mid) / scale);
  return (sig((n - mid) / scale) - s1) / (1 - s1);
}

function nodeIdStyle(style: number, gpu: string, j: number): string {
  switch (style) {
    case 0:
      return `${gpu}-${LETTERS[j % 26]}${j >= 26 ? Math.floor(j / 26) : ''}`;
    case 1:
      return `mlnode-${j + 1}`;
    case 2:
      return `node-${String(j + 1).padStart(2, '0')}`;
    case 3:
      return `gpu-node-${j + 1}`;
    default:
      return `worker-${j}`;
  }
}

/** Lazily generated host profiles and per-epoch participant sets of one seed. */
export class HostTable {
  private readonly seed: number;
  private readonly cap: number;
  private readonly targets: number[] = [];
  private readonly profiles: HostProfile[] = [];
  private readonly recent = new Map<number, ParticipantRecord[]>();
  private readonly summaries = new Map<number, EpochSummary>();
  private readonly hostedCache = new Map<number, string[]>();
  private readonly plans = new Map<number, EpochPlan>();

  constructor(
    seed: number,
    maxHosts: number,
    /** Models in the registry history (more than the scripted six adds extras). */
    private readonly models = 6,
  ) {
    this.seed = seed;
    // A few hosts leave for good; aim a little higher so the live count approaches maxHosts.
    this.cap = Math.max(GENESIS_HOSTS, Math.round(maxHosts * 1.05));
  }

  /** Number of host slots that have joined by epoch `n` (leavers included). */
  joinedBy(n: number): number {
    if (n <= 1) return GENESIS_HOSTS;
    while (this.targets.length <= n) {
      const k = this.targets.length;
      this.targets.push(k <= 1 ? GENESIS_HOSTS : Math.max(GENESIS_HOSTS, Math.round(GENESIS_HOSTS + (this.cap - GENESIS_HOSTS) * growth(k))));
    }
    return this.targets[n]!;
  }

  private joinEpochOf(i: number): number {
    if (i < GENESIS_HOSTS) return 1;
    if (i >= this.cap) return Number.POSITIVE_INFINITY;
    for (let n = 2; n < 100_000; n++) if (this.joinedBy(n) > i) return n;
    return Number.POSITIVE_INFINITY;
  }

  /** Static profile of host `i` (cached: a few hundred small objects at most). */
  profile(i: number): HostProfile {
    let p = this.profiles[i];
    if (p) return p;
    for (let k = this.profiles.length; k <= i; k++) this.profiles.push(this.makeProfile(k));
    p = this.profiles[i]!;
    return p;
  }

  private makeProfile(i: number): HostProfile {
    const s = this.seed;
    const rnd = stream(s, 'host', i);
    const real = REAL_GENESIS[i];
    const address = real ? real[0] : bech32('gonka', bytesOf(`${s}|account|${i}`, 20));
    const validatorKey = real ? real[1] : base64Of(`${s}|validator-key|${i}`, 32);
    const consensusAddress = sha256(Buffer.from(validatorKey, 'base64')).subarray(0, 20).toString('hex').toUpperCase();
    const url = real ? real[2] : i === 5 ? 'http://node5.gonka.ai:8000' : this.makeUrl(rnd);
    const joinEpoch = this.joinEpochOf(i);
    const leaves = i >= GENESIS_HOSTS && rnd() < 0.07;
    const leaveOffset = 2 + Math.floor(rnd() * 30);
    const leaveEpoch = leaves ? joinEpoch + leaveOffset : Number.POSITIVE_INFINITY;

    let kind: HostKind = 'normal';
    if (i === 3) kind = 'noModels';
    else if (i === 4) kind = 'noSeed';
    else if (i === 10) kind = 'bare';
    else if (i >= GENESIS_HOSTS) {
      const k = rnd();
      if (k < 0.01) kind = 'noSeed';
      else if (k < 0.015) kind = 'noModels';
    } else rnd();

    let count: number;
    const c = rnd();
    if (i < GENESIS_HOSTS) count = [3, 3, 3, 0, 1, 2, 3, 4, 5, 2, 0][i]!;
    else if (c < 0.4) count = 1;
    else if (c < 0.65) count = 2;
    else if (c < 0.8) count = 3;
    else if (c < 0.95) count = intIn(rnd(), 4, 6);
    else count = intIn(rnd(), 7, 16);
    if (kind === 'noModels' || kind === 'bare') count = 0;

    const style = Math.floor(rnd() * 5);
    const mainGpu = GPUS[Math.floor(rnd() * GPUS.length)]!;
    const mixed = rnd() < 0.2;
    const nodes: NodeProfile[] = [];
    for (let j = 0; j < count; j++) {
      const gpu = mixed ? GPUS[Math.floor(rnd() * GPUS.length)]! : mainGpu;
      nodes.push({ id: nodeIdStyle(style, gpu.name, j), gpu: gpu.name, baseWeight: intIn(rnd(), gpu.lo, gpu.hi) });
    }
    const legacy = i === 1 || (i >= GENESIS_HOSTS && count > 0 && rnd() < 0.04);
    const legacyNode = legacy ? { id: 'legacy-4090', gpu: '4090', baseWeight: intIn(rnd(), 520, 680) } : null;
    const collateral = i === 2 || (i >= GENESIS_HOSTS && rnd() < 0.12);
    return { index: i, address, validatorKey, consensusAddress, url, joinEpoch, leaveEpoch, kind, nodes, legacyNode, collateral };
  }

  private makeUrl(rnd: () => number): string {
    const style = rnd();
    if (style < 0.6) {
      const oct = () => 1 + Math.floor(rnd() * 254);
      return `http://${[oct(), oct(), oct(), oct()].join('.')}:8000`;
    }
    const word = WORDS[Math.floor(rnd() * WORDS.length)]!;
    const dom = DOMAINS[Math.floor(rnd() * DOMAINS.length)]!;
    const num = Math.floor(rnd() * 100);
    return style < 0.85 ? `http://gonka-${word}${num}.${dom}:8000` : `https://${word}${num}.gonka-node.${dom}`;
  }

  /** Hosted model ids of epoch `n`, sorted (cached: called per host). */
  hosted(n: number): string[] {
    let h = this.hostedCache.get(n);
    if (!h) {
      h = hostedModelIds(n, this.models);
      this.hostedCache.set(n, h);
    }
    return h;
  }

  /** Indices of hosts in epoch `n`, in host-index order. */
  activeHostIndices(n: number): number[] {
    const out: number[] = [];
    const joined = this.joinedBy(n);
    for (let i = 0; i < joined; i++) if (this.profile(i).leaveEpoch > n) out.push(i);
    return out;
  }

  /** Participants of epoch `n` in stored order (a per-epoch deterministic shuffle). */
  participants(n: number): ParticipantRecord[] {
    const hit = this.recent.get(n);
    if (hit) return hit;
    const orderKey = hash3(hashString('participant-order'), this.seed, n);
    const list = this.activeHostIndices(n)
      .map((i) => ({ i, k: hash3(orderKey, i, 0) }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map(({ i }) => this.record(this.profile(i), n));
    this.recent.set(n, list);
    if (this.recent.size > 4) this.recent.delete(this.recent.keys().next().value!);
    if (!this.summaries.has(n)) this.summaries.set(n, summarize(list));
    return list;
  }

  /** Per-model weight/host totals of epoch `n` (kept for every epoch: a few numbers each). */
  summary(n: number): EpochSummary {
    const s = this.summaries.get(n);
    if (s) return s;
    this.participants(n);
    return this.summaries.get(n)!;
  }

  /** Node-to-model plan of epoch `n`. */
  private plan(n: number): EpochPlan {
    let p = this.plans.get(n);
    if (p) return p;
    const hosted = this.hosted(n);
    const bigIds = n >= PER_MODEL_FROM_EPOCH ? hosted.filter((m) => pocModelSpec(m, this.models)?.big) : [];
    const big = bigIds.map((id) => {
      const spec = pocModelSpec(id, this.models)!;
      const [start, step, cap] = BIG_MODEL_GROWTH[id] ?? [0.03, 0.02, 0.15];
      const key = hash3(hashString('big-model-host'), this.seed, hashString(id));
      // The big-GPU host with the lowest draw always serves it, so even a small chain has one.
      let anchor = -1;
      let best = Number.POSITIVE_INFINITY;
      for (const i of this.activeHostIndices(n)) {
        const h = this.profile(i);
        if (!this.bigCapable(h)) continue;
        const u = hash3(key, i, 0);
        if (u < best) {
          best = u;
          anchor = i;
        }
      }
      return { id, share: Math.min(cap, start + step * (n - spec.hostedFrom)), anchor, key };
    });
    const eligible = new Map<string, Decimal>();
    if (n >= PER_MODEL_FROM_EPOCH) {
      for (const m of hosted) if (isEligible(n, m, this.models)) eligible.set(m, epochFactor(n, m, this.models)!);
    }
    p = { common: hosted.filter((m) => !bigIds.includes(m)), big, global: globalFactor(n), eligible };
    this.plans.set(n, p);
    return p;
  }

  private bigCapable(h: HostProfile): boolean {
    return h.kind === 'normal' && h.nodes.some((x) => BIG_GPUS.has(x.gpu));
  }

  private record(host: HostProfile, n: number): ParticipantRecord {
    const s = this.seed;
    const i = host.index;
    const hostKey = hash3(hashString('host-epoch'), s, i);
    const plan = this.plan(n);
    const models = plan.common;
    const anchor = ANCHORS.indexOf(i);
    const bigHere = this.bigCapable(host) ? plan.big.filter((b) => b.anchor === i || hash3(b.key, i, 0) / 4294967296 < b.share) : [];
    const byModel = new Map<string, NodeProfile[]>();
    host.nodes.forEach((node, j) => {
      let pick: string | undefined;
      if (bigHere.length && BIG_GPUS.has(node.gpu)) pick = bigHere[hash3(hostKey, j, 0xb16) % bigHere.length]!.id;
      else if (j === 0 && anchor >= 0 && anchor < models.length) pick = models[anchor];
      else if (i === 0 && j === 1 && models.length > 1) pick = models[1];
      else {
        let best = Number.POSITIVE_INFINITY;
        for (const m of models) {
          const u = (hash3(hostKey, j, modelHash(m)) + 0.5) / 4294967296;
          const key = -Math.log(u) / (MODEL_PREFERENCE[m] ?? 1);
          if (key < best) {
            best = key;
            pick = m;
          }
        }
      }
      if (pick === undefined) return;
      const list = byModel.get(pick) ?? [];
      list.push(node);
      byModel.set(pick, list);
    });

    const epochKey = hash3(hostKey, n, 7);
    const g = plan.global;
    const toEpoch = (group: NodeProfile[]): NodeInEpoch[] => {
      const cap = Math.floor(group.length / 2);
      let kept = 0;
      return group.map((node) => {
        const nk = hash3(epochKey, hashString(node.id), 1);
        const raw = Math.max(1, Math.round(node.baseWeight * (0.94 + 0.12 * (nk / 4294967296))));
        const pocWeight = g ? Math.max(1, scaleFloor(g, raw)) : raw;
        const preserved = kept < cap && hash3(epochKey, hashString(node.id), 2) / 4294967296 < 0.35;
        if (preserved) kept++;
        return { nodeId: node.id, pocWeight, raw, preserved };
      });
    };

    const assigned: string[] = [];
    const groups: NodeInEpoch[][] = [];
    for (const m of this.hosted(n)) {
      const nodes = byModel.get(m);
      if (!nodes) continue;
      assigned.push(m);
      groups.push(toEpoch(nodes));
    }
    if (host.legacyNode) groups.push(toEpoch([host.legacyNode]));

    const votingPowers: ModelVotingPower[] = [];
    let weight: number;
    if (n < PER_MODEL_FROM_EPOCH) {
      weight = groups.reduce((a, grp) => a + grp.reduce((b, x) => b + x.pocWeight, 0), 0);
    } else {
      // Consensus weight: Σ over eligible models of floor(factor × raw), before collateral.
      weight = 0;
      assigned.forEach((m, k) => {
        const f = plan.eligible.get(m);
        if (!f) return;
        const power = scaleFloor(f, groups[k]!.reduce((a, x) => a + x.pocWeight, 0));
        weight += power;
        if (power > 0) votingPowers.push({ model: m, power });
      });
    }
    if (host.kind === 'noModels') {
      const preserved = intIn(unit(s, 'preserved-weight', i, n), 1200, 2600);
      const f = n >= PER_MODEL_FROM_EPOCH ? plan.eligible.get(QWEN3_235B) : g;
      weight = f ? Math.max(1, scaleFloor(f, preserved)) : preserved;
    }
    if (host.kind === 'bare') weight = 0;
    if (host.collateral && n >= COLLATERAL_FROM_EPOCH && weight >= 10) {
      // weight = 20 %·potential + min(80 %·potential, collateral-backed weight)
      const potential = weight;
      const backed = Math.floor(0.8 * potential * (0.15 + 0.7 * unit(s, 'collateral', i, n)));
      weight = Math.min(potential - 1, Math.floor(0.2 * potential) + Math.min(Math.floor(0.8 * potential), backed));
    }

    const seedSignature =
      host.kind === 'noSeed' || host.kind === 'bare' ? null : fastHex(hash3(hostKey, n, 0x5eed), 64);
    const reputation = Math.min(100, 20 + 10 * (n - host.joinEpoch));
    return { host, weight, models: assigned, groups, seedSignature, reputation, votingPowers };
  }
}

function summarize(list: readonly ParticipantRecord[]): EpochSummary {
  const modelWeight = new Map<string, number>();
  const modelHosts = new Map<string, number>();
  for (const p of list) {
    p.models.forEach((m, k) => {
      const g = p.groups[k]!;
      modelWeight.set(m, (modelWeight.get(m) ?? 0) + g.reduce((a, x) => a + x.raw, 0));
      modelHosts.set(m, (modelHosts.get(m) ?? 0) + 1);
    });
  }
  return { hostCount: list.length, modelWeight, modelHosts };
}
