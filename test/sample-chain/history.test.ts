/**
 * Generator invariants of the bundled sample chain: determinism, prefix
 * consistency, schema validity of every body, and the scripted features of
 * the history (docs/sample-chain.md). Per-upgrade behaviour is in
 * upgrades.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  epochGroupDataResponse,
  errorBody,
  modelsAllResponse,
  modelsStatsResponse,
  participantsResponse,
  rpcBlockResponse,
  rpcStatusResponse,
} from '../../src/chain/schemas.ts';
import { createSampleChain, sampleUpgradeHeight, type SampleChain } from '../../scripts/sample-chain/index.ts';
import { HostTable } from '../../scripts/sample-chain/hosts.ts';
import {
  AWQ,
  INF,
  KIMI,
  MINIMAX,
  QWEN3_235B,
  QWEN3_32B,
  REDHAT,
  enc,
  epochWindow,
  get,
  group,
  modelPoc,
  num,
  ok,
  participantsOf,
  registry,
  registryIds,
  scaleFloor,
  statsMap,
  sumPoc,
  type Json,
} from './helpers.ts';

const allPoc = (p: Json) => (p.ml_nodes ?? []).reduce((a: number, g: Json) => a + sumPoc(g.ml_nodes), 0);

/** Per-model Σ poc_weight of a participants list (models[i] ↔ ml_nodes[i]). */
function modelWeights(ps: Json[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of ps) (p.models ?? []).forEach((m: string) => out.set(m, (out.get(m) ?? 0) + modelPoc(p, m)));
  return out;
}

const chain = createSampleChain();
const CURRENT = 44;

describe('timeline and options', () => {
  it('has the documented defaults and a fixed clock in the current epoch’s Inference phase', () => {
    expect(chain.options).toEqual({ seed: 42, currentEpoch: CURRENT, maxHosts: 320, models: 6, registryPageSize: 2 });
    const e = chain.epochHeights(CURRENT);
    expect(chain.latestHeight).toBeGreaterThan(e.setNewValidators);
    expect(chain.latestHeight).toBeLessThan(e.nextPocStart);
    expect(chain.nowMs).toBe(chain.blockTimeMs(chain.latestHeight));
    expect(chain.epochHeights(1).pocStart).toBe(300);
    expect(chain.epochHeights(19).length).toBe(17280);
    expect(chain.epochHeights(20).length).toBe(15391);
    expect(chain.epochHeights(21).pocStart - chain.epochHeights(20).pocStart).toBe(15391);
    expect(chain.lowestHeight).toBe(chain.epochHeights(2).createdAt - 10);
    expect(() => createSampleChain({ currentEpoch: 2 })).toThrow(RangeError);
    expect(() => createSampleChain({ registryPageSize: 0 })).toThrow(/registryPageSize/);
  });

  it('lists the upgrades, each inside its epoch after the validator switch', () => {
    const ups = chain.features.upgrades;
    expect(ups.map((u) => [u.version, u.epoch])).toEqual([
      ['v0.2.5', 22],
      ['v0.2.6', 24],
      ['v0.2.8', 25],
      ['v0.2.9', 27],
      ['v0.2.10', 29],
      ['v0.2.11', 31],
      ['v0.2.12', 33],
      ['v0.2.13', 38],
      ['v0.2.14', 41],
    ]);
    for (const u of ups) {
      const e = chain.epochHeights(u.epoch);
      expect(u.height).toBe(e.pocStart + 6000);
      expect(u.height).toBeGreaterThan(e.setNewValidators);
      expect(u.height).toBeLessThan(e.nextPocStart);
      expect(sampleUpgradeHeight(u.version)).toBe(u.height);
    }
    expect(() => sampleUpgradeHeight('v9.9.9')).toThrow(RangeError);
  });

  it('serves /v1/epochs/latest with stage heights from the formulas', () => {
    const b = ok(chain, '/v1/epochs/latest');
    const e = chain.epochHeights(CURRENT);
    expect(b.block_height).toBe(chain.latestHeight);
    expect(b.latest_epoch).toEqual({ index: CURRENT, poc_start_block_height: e.pocStart });
    expect(b.phase).toBe('Inference');
    expect(b.epoch_stages.poc_validation_end).toBe(e.createdAt);
    expect(b.epoch_stages.set_new_validators).toBe(e.setNewValidators);
    expect(b.epoch_stages.next_poc_start).toBe(e.nextPocStart);
    expect(b.epoch_stages.inference_validation_cutoff).toBe(e.nextPocStart - 2);
    expect(b.epoch_stages.poc_generation_wind_down).toBe(e.pocStart + 48);
    expect(b.next_epoch_stages.poc_start).toBe(e.nextPocStart);
    expect(b.epoch_params.epoch_length).toBe(15391);
    expect(b.epoch_params.poc_validation_duration).toBe(480);
  });

  it('has strictly increasing block times ~6.02 s apart, then ~2.5 s from the v0.2.9 height, with 9-digit nanoseconds', () => {
    const fast = chain.features.fastBlocks.fromHeight;
    expect(fast).toBe(sampleUpgradeHeight('v0.2.9'));
    const ranges: [number, number, number][] = [
      [chain.lowestHeight, chain.lowestHeight + 400, 6020],
      [fast - 300, fast, 6020],
      [fast + 1, fast + 400, 2500],
      [chain.latestHeight - 300, chain.latestHeight, 2500],
    ];
    for (const [from, to, spacing] of ranges) {
      let prev = chain.blockTimeMs(from - 1);
      for (let h = from; h <= to; h++) {
        const ms = chain.blockTimeMs(h);
        expect(ms).toBeGreaterThan(prev);
        // Jitter is ±0.4 s per block: below half of either spacing.
        expect(Math.abs(ms - prev - spacing), `block ${h}`).toBeLessThanOrEqual(801);
        prev = ms;
        expect(chain.blockTime(h)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
        expect(Date.parse(chain.blockTime(h))).toBe(ms);
      }
    }
    expect(chain.blockTime(1)).toBe('2025-08-22T08:42:00.713839Z');
    // An epoch of 15391 blocks now lasts ~10.7 h instead of ~25.7 h.
    const [a, b] = epochWindow(chain, 40);
    expect((b - a) / 3_600_000).toBeGreaterThan(10.4);
    expect((b - a) / 3_600_000).toBeLessThan(11);
  });

  it('maps times back to blocks across the block-time change (single-block stats windows)', () => {
    const fast = chain.features.fastBlocks.fromHeight;
    // Before the chain's stats freeze every block's own window holds exactly that block's classic usage.
    for (const h of [fast - 2, fast - 1, fast, fast + 1, fast + 2]) {
      const t = chain.blockTimeMs(h);
      const body = ok(chain, `${INF}/models_stats_by_time?time_from=${t}&time_to=${t}`);
      const expected = [QWEN3_235B, QWEN3_32B, 'Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct']
        .map((m) => [m, chain.blockInference(h, m).classic.inferences] as const)
        .filter(([, n]) => n > 0);
      expect(new Map([...statsMap(body)].map(([m, v]) => [m, v.inferences]))).toEqual(new Map(expected));
    }
  });

  it('links every block to its predecessor', () => {
    const h = chain.latestHeight - 5;
    const a = ok(chain, `/chain-rpc/block?height=${h}`).result;
    const b = ok(chain, `/chain-rpc/block?height=${h + 1}`).result;
    expect(b.block.header.last_block_id.hash).toBe(a.block_id.hash);
    expect(b.block.last_commit.height).toBe(String(h));
    expect(a.block.header.height).toBe(String(h));
    expect(ok(chain, '/chain-rpc/block').result.block.header.height).toBe(String(chain.latestHeight));
  });
});

describe('determinism and prefix consistency', () => {
  const urls = (n: number) => [
    `/v1/epochs/${n}/participants`,
    `${INF}/epoch_group_data/${n}`,
    `${INF}/epoch_group_data/${n}?model_id=${enc(QWEN3_235B)}`,
    `${INF}/epoch_group_data/${n}?model_id=Qwen%2FQwQ-32B`,
    `${INF}/excluded_participants/${n}`,
    `${INF}/epoch_performance_summary/${n}`,
  ];

  it('same options → byte-identical bodies; another seed → different bodies', () => {
    const a = createSampleChain({ currentEpoch: 8, maxHosts: 80 });
    const b = createSampleChain({ currentEpoch: 8, maxHosts: 80 });
    const other = createSampleChain({ currentEpoch: 8, maxHosts: 80, seed: 7 });
    const all = ['/v1/epochs/latest', '/chain-rpc/status', '/chain-rpc/block', `${INF}/models_all`, `${INF}/params`, `${INF}/models_stats_by_time`, `${INF}/all_model_per_token_prices`, ...urls(5), ...urls(8)];
    for (const u of all) expect(get(a, u).body, u).toBe(get(b, u).body);
    const u5 = urls(5);
    for (const u of ['/chain-rpc/block', u5[0]!, u5[1]!, u5[3]!, `${INF}/models_stats_by_time`, `${INF}/all_model_per_token_prices`]) {
      expect(get(other, u).body, u).not.toBe(get(a, u).body);
    }
  });

  it('a shorter history is a byte-identical prefix of a longer one (early epochs)', () => {
    const short = createSampleChain({ currentEpoch: 10 });
    const long = createSampleChain({ currentEpoch: 11 });
    for (let n = 1; n <= 10; n++) expect(get(long, `/v1/epochs/${n}/participants`).body, `epoch ${n}`).toBe(get(short, `/v1/epochs/${n}/participants`).body);
    for (let n = 1; n <= 9; n++) for (const u of urls(n).slice(1)) expect(get(long, u).body, u).toBe(get(short, u).body);
    for (const h of [short.lowestHeight, 100_000, short.latestHeight - 1, short.latestHeight]) {
      expect(get(long, `/chain-rpc/block?height=${h}`).body).toBe(get(short, `/chain-rpc/block?height=${h}`).body);
      expect(get(long, `${INF}/models_all`, h).body).toBe(get(short, `${INF}/models_all`, h).body);
    }
    const windows = [
      [short.blockTimeMs(short.epochStartHeight(4)), short.blockTimeMs(short.epochStartHeight(9) + 77)],
      [short.blockTimeMs(short.lowestHeight), short.nowMs],
    ];
    for (const [f, t] of windows) {
      const u = `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`;
      expect(get(long, u).body).toBe(get(short, u).body);
    }
  });

  it('a shorter history is a byte-identical prefix of a longer one (across the 2026 upgrades)', () => {
    const short = createSampleChain({ currentEpoch: 40, maxHosts: 60 });
    const long = createSampleChain({ currentEpoch: 42, maxHosts: 60 });
    const subs = (n: number) => ok(short, `${INF}/epoch_group_data/${n}`).epoch_group_data.sub_group_models as string[];
    for (let n = 2; n < 40; n++) {
      const list = [...urls(n), ...subs(n).map((m) => `${INF}/epoch_group_data/${n}?model_id=${enc(m)}`)];
      for (const u of list) expect(get(long, u).body, u).toBe(get(short, u).body);
    }
    // Height-addressed bodies at any height both chains have.
    for (const h of [sampleUpgradeHeight('v0.2.9') - 1, sampleUpgradeHeight('v0.2.12'), sampleUpgradeHeight('v0.2.13') + 5, short.latestHeight]) {
      for (const u of [
        `${INF}/models_all`,
        `${INF}/models_all?pagination.key=${enc(Buffer.from(QWEN3_235B).toString('base64'))}`,
        `${INF}/params`,
        `${INF}/all_model_per_token_prices`,
        `${INF}/model_capacity/${enc(KIMI)}`,
        '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.13',
      ]) {
        expect(get(long, u, h).body, `${u} @ ${h}`).toBe(get(short, u, h).body);
      }
    }
    // Usage windows the shorter chain has: chain stats and the dapi's store.
    const f = short.blockTimeMs(sampleUpgradeHeight('v0.2.11') - 5000);
    const t = short.blockTimeMs(short.latestHeight - 10);
    expect(get(long, `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`).body).toBe(get(short, `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`).body);
    expect(get(long, `/v1/stats/models?time_from=${f}&time_to=${t}`).body).toBe(get(short, `/v1/stats/models?time_from=${f}&time_to=${t}`).body);
  });
});

describe('participants', () => {
  const epochs = Array.from({ length: CURRENT - 1 }, (_, i) => i + 2);
  const bodies = new Map<number, Json>(epochs.map((n) => [n, ok(chain, `/v1/epochs/${n}/participants`)]));

  it('every epoch validates and has a coherent envelope', () => {
    for (const [n, b] of bodies) {
      const parsed = participantsResponse.parse(b);
      const e = chain.epochHeights(n);
      expect(parsed.active_participants.epoch_id).toBe(n);
      expect(parsed.active_participants.poc_start_block_height).toBe(e.pocStart);
      expect(parsed.active_participants.created_at_block_height).toBe(e.createdAt);
      expect(parsed.active_participants.effective_block_height).toBe(e.createdAt + 2);
      expect(num(b.active_participants.epoch_group_id)).toBe(n);
      expect(parsed.block?.header.height).toBe(e.createdAt + 1);
      expect(b.addresses).toHaveLength(b.active_participants.participants.length);
      for (const a of b.addresses) expect(a).toMatch(/^[0-9A-F]{40}$/);
      expect(b.active_participants_bytes).toMatch(/^([0-9a-f]{2})+$/);
      expect(b.proof_ops.ops).toHaveLength(2);
      expect(b.validators.length).toBeGreaterThan(0);
      expect(b.validators.length).toBeLessThanOrEqual(30);
      const powers = b.validators.map((v: Json) => num(v.voting_power));
      expect([...powers].sort((x, y) => y - x)).toEqual(powers);
      expect(Object.keys(b)).toEqual(['active_participants', 'addresses', 'active_participants_bytes', 'proof_ops', 'validators', 'block', 'excluded_participants']);
      expect(Array.isArray(b.excluded_participants)).toBe(true);
    }
  });

  it('current = the current epoch', () => {
    expect(get(chain, '/v1/epochs/current/participants').body).toBe(get(chain, `/v1/epochs/${CURRENT}/participants`).body);
  });

  it('pairs models[i] with ml_nodes[i], models sorted, only registry models of that epoch', () => {
    // Problems are collected, not asserted one by one: ~10k participants would make expect() the bottleneck.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => void (ok || problems.push(what));
    for (const [n, b] of bodies) {
      const reg = new Set(registryIds(chain, Math.max(chain.lowestHeight, chain.epochHeights(n).pocStart)));
      for (const p of b.active_participants.participants) {
        const at = `${p.index} in epoch ${n}`;
        const models: string[] = p.models ?? [];
        const groups: Json[] = p.ml_nodes ?? [];
        check(groups.length === models.length || groups.length === models.length + 1, `alignment of ${at}`);
        check(JSON.stringify([...models].sort()) === JSON.stringify(models), `models sorted for ${at}`);
        check(models.every((m) => reg.has(m)), `registry models only for ${at}`);
        check(!('models' in p) || models.length > 0, `no empty models list for ${at}`);
        for (const g of groups) {
          check(g.ml_nodes.length > 0, `non-empty group for ${at}`);
          const preserved = g.ml_nodes.filter((x: Json) => x.timeslot_allocation[1]).length;
          check(preserved <= Math.floor(g.ml_nodes.length / 2), `preserved cap for ${at}`);
          check(g.ml_nodes.every((x: Json) => x.timeslot_allocation[0] === true && !('throughput' in x) && num(x.poc_weight) > 0), `node fields for ${at}`);
        }
        if (p.seed) {
          check(/^[0-9a-f]{128}$/.test(p.seed.signature) && num(p.seed.epoch_index) === n && p.seed.participant === p.index, `seed of ${at}`);
        }
        check(/^gonka1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38}$/.test(p.index), `address ${at}`);
        check(Buffer.from(p.validator_key, 'base64').length === 32, `validator key of ${at}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every required feature in every epoch', () => {
    for (const [n, b] of bodies) {
      const ps: Json[] = b.active_participants.participants;
      const served = new Set(ps.flatMap((p) => p.models ?? []));
      if (served.size >= 2) expect(ps.some((p) => (p.models ?? []).length >= 2), `multi-model host in ${n}`).toBe(true);
      expect(ps.some((p) => (p.ml_nodes ?? []).length === (p.models ?? []).length + 1 && p.models), `trailing group in ${n}`).toBe(true);
      const bare = ps.filter((p) => !('seed' in p) && !('models' in p) && !('ml_nodes' in p));
      expect(bare.length, `host without seed/models in ${n}`).toBeGreaterThan(0);
      expect(ps.some((p) => !('weight' in p)), `omitted zero weight in ${n}`).toBe(true);
      expect(ps.some((p) => 'seed' in p && !('models' in p)), `seeded host without models in ${n}`).toBe(true);
      expect(ps.some((p) => !('seed' in p) && 'models' in p), `unseeded host with models in ${n}`).toBe(true);
      for (const p of ps) {
        if (!p.ml_nodes) continue;
        if (n < 25) expect(num(p.weight ?? 0), `${p.index} in ${n}`).toBe(allPoc(p));
        else if (n < 34) expect(num(p.weight ?? 0)).toBeLessThanOrEqual(allPoc(p));
      }
      if (n >= 25) expect(ps.some((p) => p.ml_nodes && num(p.weight) < allPoc(p)), `collateral in ${n}`).toBe(true);
    }
    const sp = chain.features.specialHosts;
    expect(bodies.get(CURRENT)!.active_participants.participants.find((p: Json) => p.index === sp.bare)).toEqual({
      index: sp.bare,
      validator_key: expect.any(String),
      inference_url: expect.any(String),
    });
  });

  it('from epoch 34: voting_powers per eligible model = floor(factor × Σ poc_weight), weight = their sum (less for collateral)', () => {
    for (const n of [34, 36, 38, 39, 41, CURRENT]) {
      const scalesRoot = group(chain, n).confirmation_weight_scales as Json[];
      const pocAt = ok(chain, `${INF}/params`, chain.epochHeights(n).createdAt).params.poc_params.models as Json[];
      const factor = (m: string) => pocAt.find((x) => x.model_id === m)!.weight_scale_factor;
      let equal = 0;
      let seen = 0;
      for (const p of bodies.get(n)!.active_participants.participants) {
        if (!p.models) continue;
        const vps: Json[] = p.voting_powers ?? [];
        expect(vps.map((v) => v.model_id)).toEqual([...vps.map((v) => v.model_id)].sort());
        for (const v of vps) {
          expect(typeof v.voting_power).toBe(n === 34 ? 'string' : 'number');
          expect(num(v.voting_power)).toBe(scaleFloor(factor(v.model_id), modelPoc(p, v.model_id)));
        }
        const total = vps.reduce((a, v) => a + num(v.voting_power), 0);
        if (p.seed === undefined && p.models === undefined) continue;
        seen++;
        expect(num(p.weight ?? 0)).toBeLessThanOrEqual(total);
        if (num(p.weight ?? 0) === total) equal++;
      }
      expect(equal / seen, `epoch ${n}`).toBeGreaterThan(0.75);
      if (n >= 39) expect(scalesRoot.length).toBeGreaterThan(0);
    }
    for (const n of [25, 33]) expect(bodies.get(n)!.active_participants.participants.some((p: Json) => 'voting_powers' in p)).toBe(false);
  });

  it('encodes integers as strings (and an SDK-style block) exactly in epochs 33 and 34', () => {
    expect(chain.features.stringFormatEpochs).toEqual([33, 34]);
    for (const [n, b] of bodies) {
      const stringy = n === 33 || n === 34;
      const ap = b.active_participants;
      const p = ap.participants.find((x: Json) => x.ml_nodes && x.seed && x.weight);
      for (const v of [ap.epoch_id, ap.poc_start_block_height, ap.created_at_block_height, p.weight, p.ml_nodes[0].ml_nodes[0].poc_weight, b.validators[0].voting_power]) {
        expect(typeof v, `epoch ${n}`).toBe(stringy ? 'string' : 'number');
      }
      expect(typeof b.block.header.height).toBe(stringy ? 'string' : 'number');
      if (stringy) expect(b.block.header.last_block_id.part_set_header).toBeDefined();
      else expect(b.block.header.last_block_id.hash).toMatch(/^[0-9A-F]{64}$/);
      for (const x of b.excluded_participants) expect(typeof x.exclusion_block_height).toBe('number');
    }
  });

  it('grows from the 11 genesis hosts to several hundred; hosts persist, a few leave', () => {
    const table = new HostTable(42, 320);
    expect(table.participants(1)).toHaveLength(11);
    const counts = epochs.map((n) => bodies.get(n)!.active_participants.participants.length);
    expect(counts[0]).toBeLessThan(20);
    expect(counts.at(-1)).toBeGreaterThan(280);
    expect(counts.at(-1)).toBeLessThan(360);
    const idx = (n: number) => new Set(bodies.get(n)!.active_participants.participants.map((p: Json) => p.index));
    const a = idx(30);
    const b = idx(31);
    const left = [...a].filter((x) => !b.has(x)).length;
    expect(left).toBeLessThan(a.size * 0.05);
    const genesis = table.participants(1).map((p) => p.host.address);
    for (const g of genesis) expect(idx(CURRENT).has(g)).toBe(true);
    expect(genesis).toContain('gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp');
  });

  it('scripts the model history epoch by epoch', () => {
    const hostsOf = (n: number, m: string) => bodies.get(n)!.active_participants.participants.filter((p: Json) => (p.models ?? []).includes(m)).length;
    const servedIn = (n: number) => [...new Set(bodies.get(n)!.active_participants.participants.flatMap((p: Json) => p.models ?? []))].sort();
    for (const n of epochs) {
      const models = servedIn(n);
      if (n < 20) expect(models).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct']);
      else expect(models).toContain(QWEN3_235B);
      if (n >= 28 && n <= 30) expect(models, `epoch ${n}`).toEqual([QWEN3_235B]);
      if (n >= 31 && n <= 33) expect(models, `epoch ${n}`).toEqual([QWEN3_235B, QWEN3_32B]);
      if (n >= 34 && n <= 35) expect(models, `epoch ${n}`).toEqual([QWEN3_235B]);
      if (n >= 36 && n <= 39) expect(models, `epoch ${n}`).toEqual([QWEN3_235B, KIMI]);
      if (n >= 40) expect(models, `epoch ${n}`).toEqual([MINIMAX, QWEN3_235B, KIMI]);
      const red = hostsOf(n, REDHAT);
      if (n >= 20 && n <= 23) {
        expect(red).toBeGreaterThanOrEqual(1);
        expect(red).toBeLessThanOrEqual(12);
      } else expect(red).toBe(0);
    }
    // Kimi: a handful of hosts at first, growing to a few tens.
    expect(hostsOf(36, KIMI)).toBeGreaterThanOrEqual(2);
    expect(hostsOf(36, KIMI)).toBeLessThanOrEqual(10);
    expect(hostsOf(CURRENT, KIMI)).toBeGreaterThanOrEqual(10);
    expect(hostsOf(CURRENT, KIMI)).toBeLessThanOrEqual(30);
    expect(hostsOf(CURRENT, KIMI)).toBeGreaterThan(hostsOf(36, KIMI));
    expect(hostsOf(40, MINIMAX)).toBeGreaterThanOrEqual(1);
    // The big models run on h200/b200 nodes only.
    for (const n of [36, 40, CURRENT]) {
      for (const p of bodies.get(n)!.active_participants.participants) {
        for (const m of [KIMI, MINIMAX]) {
          const k = (p.models ?? []).indexOf(m);
          if (k >= 0) for (const x of p.ml_nodes[k].ml_nodes) expect(num(x.poc_weight)).toBeGreaterThan(3000);
        }
      }
    }
    const f = chain.features;
    expect(f.kimi).toEqual({ id: KIMI, registeredEpoch: 33, subGroupFrom: 34, hostedFrom: 36, eligibleFrom: 38, penaltyStartEpoch: 36 });
    expect(f.minimax).toEqual({ id: MINIMAX, registeredEpoch: 38, subGroupFrom: 39, hostedFrom: 40, eligibleFrom: 41, penaltyStartEpoch: 41 });
    expect(f.paramChange.firstEpoch).toBe(26);
    expect(f.qwen235bChange.firstEpoch).toBe(30);
    expect(f.reRegistered).toEqual({ id: QWEN3_32B, epoch: 30, hostedEpochs: [31, 33] });
    expect(f.modelLosingHosts).toEqual({ id: REDHAT, hostedEpochs: [20, 23], unhostedFrom: 24 });
  });

  it('active_participants_bytes is the protobuf encoding of the served set (voting powers included)', () => {
    const decode = (buf: Buffer) => {
      const fields: { f: number; v: number | Buffer }[] = [];
      let i = 0;
      const varint = () => {
        let r = 0;
        let mul = 1;
        for (;;) {
          const x = buf[i++]!;
          r += (x & 127) * mul;
          mul *= 128;
          if (x < 128) return r;
        }
      };
      while (i < buf.length) {
        const tag = varint();
        if ((tag & 7) === 0) fields.push({ f: tag >> 3, v: varint() });
        else {
          const len = varint();
          fields.push({ f: tag >> 3, v: buf.subarray(i, i + len) });
          i += len;
        }
      }
      return fields;
    };
    for (const n of [12, 40]) {
      const b = bodies.get(n)!;
      const fields = decode(Buffer.from(b.active_participants_bytes, 'hex'));
      const ps = fields.filter((x) => x.f === 1);
      expect(ps).toHaveLength(b.active_participants.participants.length);
      expect((ps[0]!.v as Buffer).toString('latin1')).toContain(b.active_participants.participants[0].index);
      expect(fields.find((x) => x.f === 6)?.v).toBe(n);
      expect(fields.find((x) => x.f === 5)?.v).toBe(b.active_participants.created_at_block_height);
      const withVp = b.active_participants.participants.findIndex((p: Json) => p.voting_powers);
      if (n < 34) expect(withVp).toBe(-1);
      else {
        const p = b.active_participants.participants[withVp];
        const vps = decode(ps[withVp]!.v as Buffer).filter((x) => x.f === 8).map((x) => decode(x.v as Buffer));
        expect(vps.map((v) => [(v[0]!.v as Buffer).toString('utf8'), v[1]!.v])).toEqual(p.voting_powers.map((v: Json) => [v.model_id, v.voting_power]));
      }
    }
  });
});

describe('models_all and epoch_group_data', () => {
  const at = (h: number) => registry(chain, h).models;

  it('returns the registry of the queried height, ordered by id, all 13 keys, chain-api types', () => {
    const genesis = at(chain.lowestHeight);
    expect(genesis.map((m) => m.id)).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct']);
    expect(genesis.map((m) => [m.proposed_by, m.throughput_per_nonce])).toEqual([
      ['genesis', '1000'],
      ['genesis', '10000'],
    ]);
    const ev = chain.features.registryEvents;
    expect(ev.map((e) => e.epoch)).toEqual([19, 25, 27, 29, 30, 33, 38]);
    expect(at(ev[0]!.height - 1)).toHaveLength(2);
    expect(at(ev[0]!.height).map((m) => m.id)).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct', QWEN3_235B, QWEN3_32B, REDHAT]);
    expect(at(ev[0]!.height)[0].throughput_per_nonce).toBe('6000');
    const before = at(ev[1]!.height - 1).find((m) => m.id === QWEN3_32B);
    const after = at(ev[1]!.height).find((m) => m.id === QWEN3_32B);
    expect(after.hf_commit).not.toBe(before.hf_commit);
    expect(after.validation_threshold).not.toEqual(before.validation_threshold);
    // Qwen3-235B's 2026 parameters (epoch 29).
    const q = (h: number) => at(h).find((m) => m.id === QWEN3_235B);
    expect(q(ev[3]!.height - 1).model_args).toEqual(['--max-model-len', '240000']);
    expect(q(ev[3]!.height)).toMatchObject({
      model_args: ['--max-model-len', '240000', '--enable-auto-tool-choice', '--tool-call-parser', 'hermes'],
      validation_threshold: { value: '958', exponent: -3 },
    });
    // Re-registration in 30.
    expect(at(ev[4]!.height - 1).map((m) => m.id)).toEqual([QWEN3_235B]);
    expect(at(ev[4]!.height).map((m) => m.id)).toEqual([QWEN3_235B, QWEN3_32B]);
    const latest = registry(chain).models;
    expect(latest.map((m) => m.id)).toEqual([MINIMAX, QWEN3_235B, KIMI]);
    for (const m of latest) {
      expect(Object.keys(m)).toHaveLength(13);
      expect(typeof m.v_ram).toBe('string');
      expect(Array.isArray(m.model_args)).toBe(true);
      expect(typeof m.validation_threshold.value).toBe('string');
      expect(typeof m.validation_threshold.exponent).toBe('number');
      expect(m.hf_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(m).toMatchObject({ context_window: '0', quantization: '', coins_per_input_token: '0', coins_per_output_token: '0' });
    }
    expect(modelsAllResponse.parse({ model: latest }).model).toHaveLength(3);
  });

  it('freezes model params per epoch in sub-group snapshots; per-model weights match participants', () => {
    const snap = (n: number, m: string) => group(chain, n, m).model_snapshot;
    expect(snap(25, QWEN3_32B).hf_commit).toBe('aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df');
    expect(snap(26, QWEN3_32B).hf_commit).not.toBe('aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df');
    expect(snap(10, 'Qwen/QwQ-32B').throughput_per_nonce).toBe('1000');
    expect(snap(20, 'Qwen/QwQ-32B').throughput_per_nonce).toBe('6000');
    expect(snap(29, QWEN3_235B).validation_threshold).toEqual({ value: '970917', exponent: -6 });
    expect(snap(30, QWEN3_235B).validation_threshold).toEqual({ value: '958', exponent: -3 });

    for (const n of [1, 2, 19, 20, 28, 30, 33, 34, 36, 38, 40, CURRENT]) {
      const root = get(chain, `${INF}/epoch_group_data/${n}`);
      expect(root.status).toBe(200);
      const r = root.json().epoch_group_data;
      expect(epochGroupDataResponse.parse(root.json()).epoch_group_data.model_snapshot).toBeNull();
      expect(r.model_id).toBe('');
      expect(r.epoch_index).toBe(String(n));
      for (const v of r.validation_weights) expect(v.voting_power).toBe('0');
      expect(Object.keys(r.validation_weights[0])).toEqual(['member_address', 'weight', 'reputation', 'ml_nodes', 'confirmation_weight', 'voting_power']);
      const subs: string[] = r.sub_group_models;
      if (n > 1) {
        const ps = participantsOf(chain, n).filter((p) => p.seed);
        const weights = modelWeights(ps);
        if (n < 34) expect(new Set(subs)).toEqual(new Set(ps.flatMap((p) => p.models ?? [])));
        else expect(subs).toEqual(n >= 39 ? [QWEN3_235B, KIMI, MINIMAX] : [QWEN3_235B, KIMI]);
        expect(r.total_weight).toBe(String(ps.reduce((a, p) => a + num(p.weight ?? 0), 0)));
        for (const m of subs) {
          const s = group(chain, n, m);
          expect(s.model_id).toBe(m);
          expect(s.sub_group_models).toEqual([]);
          expect(s.model_snapshot.id).toBe(m);
          expect([s.effective_block_height, s.last_block_height, s.number_of_requests]).toEqual(['0', '0', '0']);
          expect(s.confirmation_weight_scales).toEqual([]);
          const w = s.validation_weights.reduce((a: number, v: Json) => a + sumPoc(v.ml_nodes), 0);
          expect(w).toBe(weights.get(m) ?? 0);
          expect(num(s.total_weight)).toBe(s.validation_weights.reduce((a: number, v: Json) => a + num(v.weight), 0));
          if (n >= 34) for (const v of s.validation_weights) expect(num(v.weight)).toBe(sumPoc(v.ml_nodes));
          else for (const v of s.validation_weights) expect(v.weight).toBe(r.validation_weights.find((x: Json) => x.member_address === v.member_address).weight);
          expect(num(s.epoch_group_id)).toBeGreaterThan(num(r.epoch_group_id));
        }
      }
      expect(subs.includes(REDHAT)).toBe(n >= 20 && n < 24);
    }
    expect(get(chain, `${INF}/epoch_group_data/24?model_id=${enc(REDHAT)}`).status).toBe(404);
    expect(get(chain, `${INF}/epoch_group_data/23?model_id=${enc(REDHAT)}`).status).toBe(200);
    expect(get(chain, `${INF}/epoch_group_data/33?model_id=${enc(KIMI)}`).status).toBe(404);
    expect(get(chain, `${INF}/epoch_group_data/34?model_id=${enc(KIMI)}`).status).toBe(200);
    expect(group(chain, CURRENT - 1).last_block_height).not.toBe('0');
    expect(group(chain, CURRENT).last_block_height).toBe('0');
  });

  it('x/group ids advance by one root plus one per sub-group', () => {
    for (let n = 2; n <= CURRENT; n++) {
      const prev = group(chain, n - 1);
      expect(num(group(chain, n).epoch_group_id), `epoch ${n}`).toBe(num(prev.epoch_group_id) + 1 + prev.sub_group_models.length);
    }
  });
});

describe('models_stats_by_time', () => {
  const url = (f: number, t: number) => `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`;
  const stats = (c: SampleChain, f: number, t: number) => statsMap(ok(c, url(f, t)));

  it('is additive over adjacent windows, including across epoch boundaries', () => {
    const s = chain.epochStartHeight(20);
    const a = chain.blockTimeMs(s - 3000);
    const c = chain.blockTimeMs(s + 20_000);
    for (const b of [chain.blockTimeMs(s) - 1, chain.blockTimeMs(s), a + 1_234_567, chain.blockTimeMs(s + 16_000)]) {
      const left = stats(chain, a, b);
      const right = stats(chain, b + 1, c);
      const whole = stats(chain, a, c);
      for (const [m, w] of whole) {
        const l = left.get(m) ?? { inferences: 0, tokens: 0n };
        const r = right.get(m) ?? { inferences: 0, tokens: 0n };
        expect(l.inferences + r.inferences, m).toBe(w.inferences);
        expect(l.tokens + r.tokens, m).toBe(w.tokens);
      }
      for (const m of [...left.keys(), ...right.keys()]) expect(whole.has(m)).toBe(true);
    }
  });

  it('single-block windows add up to the window (inclusive bounds)', () => {
    const h0 = chain.epochStartHeight(12) - 20;
    const total = new Map<string, number>();
    for (let h = h0; h < h0 + 40; h++) {
      const t = chain.blockTimeMs(h);
      for (const [m, v] of stats(chain, t, t)) total.set(m, (total.get(m) ?? 0) + v.inferences);
    }
    const whole = stats(chain, chain.blockTimeMs(h0), chain.blockTimeMs(h0 + 39));
    expect(new Map([...whole].map(([m, v]) => [m, v.inferences]))).toEqual(total);
  });

  it('covers hosted models by weight, plus an unregistered model only in epochs 5–15', () => {
    const e10 = stats(chain, ...epochWindow(chain, 10));
    expect(e10.has(AWQ)).toBe(true);
    expect(e10.get(AWQ)!.inferences).toBeGreaterThan(0);
    expect(stats(chain, ...epochWindow(chain, 4)).has(AWQ)).toBe(false);
    expect(stats(chain, ...epochWindow(chain, 16)).has(AWQ)).toBe(false);
    const e26 = stats(chain, ...epochWindow(chain, 26));
    expect(e26.has(REDHAT)).toBe(false);
    expect(e26.get(QWEN3_235B)!.inferences).toBeGreaterThan(e26.get(QWEN3_32B)!.inferences);
    expect(stats(chain, ...epochWindow(chain, 22)).has(REDHAT)).toBe(true);
    const e29 = stats(chain, ...epochWindow(chain, 29));
    expect([...e29.keys()]).toEqual([QWEN3_235B]);
    expect(registryIds(chain)).not.toContain(AWQ);
    const body = ok(chain, url(...epochWindow(chain, 26)));
    expect(modelsStatsResponse.parse(body).stats_models.length).toBe(body.stats_models.length);
    for (const s of body.stats_models) {
      expect(typeof s.ai_tokens).toBe('string');
      expect(Number.isInteger(s.inferences)).toBe(true);
      expect(s.inferences).toBeGreaterThan(0);
    }
  });

  it('defaults: nothing → the last 24 h before the fixed clock; empty before genesis', () => {
    expect(get(chain, `${INF}/models_stats_by_time`).body).toBe(get(chain, url(chain.nowMs - 86_400_000, chain.nowMs)).body);
    expect(get(chain, `${INF}/models_stats_by_time?time_from=0&time_to=0`).body).toBe(get(chain, `${INF}/models_stats_by_time`).body);
    expect(ok(chain, url(1700000000000, 1700000001000))).toEqual({ stats_models: [] });
    expect(ok(chain, url(chain.nowMs + 1, chain.nowMs + 10_000_000))).toEqual({ stats_models: [] });
    // An old chain's last 24 h still has classic usage.
    const old = createSampleChain({ currentEpoch: 12, maxHosts: 60 });
    expect(ok(old, `${INF}/models_stats_by_time`).stats_models.length).toBeGreaterThan(0);
  });

  it('a query over a whole epoch is cheap', () => {
    const c = createSampleChain({ currentEpoch: 40, maxHosts: 500 });
    const t0 = performance.now();
    for (const n of [27, 28, 29]) get(c, url(...epochWindow(c, n)));
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('every served body validates against src/chain/schemas.ts', () => {
  it('success and error bodies', () => {
    const c = createSampleChain({ currentEpoch: 5, maxHosts: 40 });
    expect(rpcStatusResponse.parse(ok(c, '/chain-rpc/status')).result.sync_info.earliest_block_height).toBe(c.lowestHeight);
    expect(rpcBlockResponse.parse(ok(c, '/chain-rpc/block')).result.block.header.height).toBe(c.latestHeight);
    expect(rpcBlockResponse.parse(ok(c, `/chain-rpc/block?height=${c.lowestHeight}`)).result.block.header.height).toBe(c.lowestHeight);
    for (let n = 2; n <= 5; n++) participantsResponse.parse(ok(c, `/v1/epochs/${n}/participants`));
    modelsAllResponse.parse(ok(c, `${INF}/models_all`));
    modelsStatsResponse.parse(ok(c, `${INF}/models_stats_by_time`));
    epochGroupDataResponse.parse(ok(c, `${INF}/epoch_group_data/3?model_id=Qwen%2FQwQ-32B`));
    const errors = [
      '/v1/epochs/1/participants',
      '/v1/epochs/0/participants',
      '/v1/epochs/x/participants',
      '/v1/epochs/6/participants',
      '/v1/epochs/5',
      '/v1/stats/models?time_from=x',
      '/chain-rpc/block?height=1',
      '/chain-rpc/block?height=0',
      '/chain-rpc/block?height=99999999',
      `${INF}/models_stats_by_time?time_from=5`,
      `${INF}/epoch_group_data/9`,
      `${INF}/models_all?pagination.key=%21`,
      `${INF}/model_capacity/Qwen/QwQ-32B`,
      `${INF}/excluded_participants/x`,
    ];
    for (const u of errors) {
      const r = get(c, u);
      expect(r.status, u).toBeGreaterThanOrEqual(400);
      errorBody.parse(r.json());
    }
    for (const h of ['1', '99999999']) errorBody.parse(get(c, `${INF}/models_all`, h).json());
    errorBody.parse(get(c, '/v1/stats/models', undefined, { statsStorage: false }).json());
  });
});

describe('more models than the scripted history', () => {
  const eight = createSampleChain({ currentEpoch: 40, maxHosts: 60, models: 8 });
  const six = createSampleChain({ currentEpoch: 40, maxHosts: 60 });
  const EXTRAS = ['deepseek-ai/DeepSeek-V4-Flash-0731', 'zai-org/GLM-5.3-Flash'];

  it('registers the extras in epoch 34, in poc_params.models with factor 1, hosted from 35, counting from 37', () => {
    const latest = registryIds(eight);
    expect(latest).toEqual([MINIMAX, QWEN3_235B, ...EXTRAS.slice(0, 1), KIMI, ...EXTRAS.slice(1)]);
    expect(latest).toEqual([...latest].sort());
    const poc = ok(eight, `${INF}/params`).params.poc_params.models as Json[];
    expect(poc.map((m) => m.model_id)).toEqual([QWEN3_235B, KIMI, ...EXTRAS, MINIMAX]);
    for (const id of EXTRAS) expect(poc.find((m) => m.model_id === id)).toMatchObject({ weight_scale_factor: { value: '1', exponent: 0 }, penalty_start_epoch: '37' });
    const hosted = new Set(participantsOf(eight, 36).flatMap((p: Json) => p.models ?? []));
    for (const id of EXTRAS) expect(hosted.has(id), id).toBe(true);
    for (const id of EXTRAS) {
      expect(get(eight, `${INF}/epoch_group_data/34?model_id=${enc(id)}`).status).toBe(404);
      const s35 = group(eight, 35, id);
      expect(s35.model_snapshot.id).toBe(id);
      expect(s35.validation_weights.length).toBeGreaterThan(0);
      expect(s35.validation_weights.every((v: Json) => v.voting_power === '0')).toBe(true);
      const s37 = group(eight, 37, id);
      expect(s37.validation_weights.every((v: Json) => v.voting_power === v.weight)).toBe(true);
    }
  });

  it('leaves the history before the extras exactly as the default chain has it', () => {
    for (const n of [2, 20, 33, 34]) {
      expect(get(eight, `/v1/epochs/${n}/participants`).body).toBe(get(six, `/v1/epochs/${n}/participants`).body);
      expect(get(eight, `${INF}/epoch_group_data/${n}`).body).toBe(get(six, `${INF}/epoch_group_data/${n}`).body);
    }
    expect(get(eight, `${INF}/models_all`, '400000').body).toBe(get(six, `${INF}/models_all`, '400000').body);
  });

  it('rejects a model count it cannot make', () => {
    expect(() => createSampleChain({ models: 0 })).toThrow(/models must be an integer/);
  });
});
