/**
 * Generator invariants of the bundled sample chain: determinism, prefix
 * consistency, schema validity of every body, and the scripted features of
 * the history (SPEC §3, §5, §9; brief of scripts/sample-chain).
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
import { createSampleChain, type SampleChain } from '../../scripts/sample-chain/index.ts';
import { HostTable } from '../../scripts/sample-chain/hosts.ts';

const INF = '/chain-api/productscience/inference/inference';
const QWEN3_32B = 'Qwen/Qwen3-32B-FP8';
const REDHAT = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
const KIMI = 'moonshotai/Kimi-K2.6';
const AWQ = 'Qwen/Qwen2.5-7B-Instruct-AWQ';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function get(c: SampleChain, url: string, heightHeader?: string) {
  const r = c.handle({ method: 'GET', url, ...(heightHeader !== undefined ? { heightHeader } : {}) });
  return { status: r.status, body: r.body, json: (): Json => JSON.parse(r.body), headers: r.headers };
}

function participantsOf(c: SampleChain, n: number | 'current'): Json[] {
  const r = get(c, `/v1/epochs/${n}/participants`);
  expect(r.status).toBe(200);
  return r.json().active_participants.participants;
}

const num = (v: unknown) => Number(v);
const sumPoc = (p: Json) =>
  (p.ml_nodes ?? []).reduce((a: number, g: Json) => a + g.ml_nodes.reduce((b: number, x: Json) => b + num(x.poc_weight), 0), 0);

/** Per-model Σ poc_weight of a participants list (SPEC §5.2 recipe). */
function modelWeights(ps: Json[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of ps) {
    (p.models ?? []).forEach((m: string, i: number) => {
      const w = p.ml_nodes[i].ml_nodes.reduce((a: number, x: Json) => a + num(x.poc_weight), 0);
      out.set(m, (out.get(m) ?? 0) + w);
    });
  }
  return out;
}

function statsMap(body: Json): Map<string, { inferences: number; tokens: bigint }> {
  return new Map(body.stats_models.map((s: Json) => [s.model, { inferences: s.inferences, tokens: BigInt(s.ai_tokens) }]));
}

const chain = createSampleChain();

describe('timeline and options', () => {
  it('has the documented defaults and a fixed clock in the current epoch’s Inference phase', () => {
    expect(chain.options).toEqual({ seed: 42, currentEpoch: 36, maxHosts: 320, models: 6 });
    const e = chain.epochHeights(36);
    expect(chain.latestHeight).toBeGreaterThan(e.setNewValidators);
    expect(chain.latestHeight).toBeLessThan(e.nextPocStart);
    expect(chain.nowMs).toBe(chain.blockTimeMs(chain.latestHeight));
    expect(chain.epochHeights(1).pocStart).toBe(300);
    expect(chain.epochHeights(19).length).toBe(17280);
    expect(chain.epochHeights(20).length).toBe(15391);
    expect(chain.epochHeights(21).pocStart - chain.epochHeights(20).pocStart).toBe(15391);
    expect(chain.lowestHeight).toBe(chain.epochHeights(2).createdAt - 10);
    expect(() => createSampleChain({ currentEpoch: 2 })).toThrow(RangeError);
  });

  it('serves /v1/epochs/latest with stage heights from the formulas', () => {
    const b = get(chain, '/v1/epochs/latest').json();
    const e = chain.epochHeights(36);
    expect(b.block_height).toBe(chain.latestHeight);
    expect(b.latest_epoch).toEqual({ index: 36, poc_start_block_height: e.pocStart });
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

  it('has strictly increasing block times ~6.02 s apart, rendered with 9-digit nanoseconds', () => {
    let prev = 0;
    for (let h = chain.lowestHeight; h < chain.lowestHeight + 500; h++) {
      const ms = chain.blockTimeMs(h);
      expect(ms).toBeGreaterThan(prev);
      if (prev) expect(Math.abs(ms - prev - 6020)).toBeLessThanOrEqual(801);
      prev = ms;
      expect(chain.blockTime(h)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(Date.parse(chain.blockTime(h))).toBe(ms);
    }
    expect(chain.blockTime(1)).toBe('2025-08-22T08:42:00.713839Z');
  });

  it('links every block to its predecessor', () => {
    const h = chain.latestHeight - 5;
    const a = get(chain, `/chain-rpc/block?height=${h}`).json().result;
    const b = get(chain, `/chain-rpc/block?height=${h + 1}`).json().result;
    expect(b.block.header.last_block_id.hash).toBe(a.block_id.hash);
    expect(b.block.last_commit.height).toBe(String(h));
    expect(a.block.header.height).toBe(String(h));
    expect(get(chain, '/chain-rpc/block').json().result.block.header.height).toBe(String(chain.latestHeight));
  });
});

describe('determinism and prefix consistency', () => {
  const urls = (n: number) => [
    `/v1/epochs/${n}/participants`,
    `${INF}/epoch_group_data/${n}`,
    `${INF}/epoch_group_data/${n}?model_id=Qwen%2FQwQ-32B`,
  ];

  it('same options → byte-identical bodies; another seed → different bodies', () => {
    const a = createSampleChain({ currentEpoch: 8, maxHosts: 80 });
    const b = createSampleChain({ currentEpoch: 8, maxHosts: 80 });
    const other = createSampleChain({ currentEpoch: 8, maxHosts: 80, seed: 7 });
    const all = ['/v1/epochs/latest', '/chain-rpc/status', '/chain-rpc/block', `${INF}/models_all`, `${INF}/models_stats_by_time`, ...urls(5), ...urls(8)];
    for (const u of all) expect(get(a, u).body, u).toBe(get(b, u).body);
    for (const u of ['/chain-rpc/block', ...urls(5), `${INF}/models_stats_by_time`]) expect(get(other, u).body, u).not.toBe(get(a, u).body);
  });

  it('a shorter history is a byte-identical prefix of a longer one', () => {
    const short = createSampleChain({ currentEpoch: 10 });
    const long = createSampleChain({ currentEpoch: 11 });
    for (let n = 1; n <= 10; n++) expect(get(long, `/v1/epochs/${n}/participants`).body, `epoch ${n}`).toBe(get(short, `/v1/epochs/${n}/participants`).body);
    for (let n = 1; n <= 9; n++) for (const u of urls(n).slice(1)) expect(get(long, u).body, u).toBe(get(short, u).body);
    for (const h of [short.lowestHeight, 100_000, short.latestHeight - 1, short.latestHeight]) {
      expect(get(long, `/chain-rpc/block?height=${h}`).body).toBe(get(short, `/chain-rpc/block?height=${h}`).body);
      expect(get(long, `${INF}/models_all`, String(h)).body).toBe(get(short, `${INF}/models_all`, String(h)).body);
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
});

describe('participants', () => {
  const epochs = Array.from({ length: 35 }, (_, i) => i + 2);
  const bodies = new Map<number, Json>(epochs.map((n) => [n, get(chain, `/v1/epochs/${n}/participants`).json()]));

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
    }
  });

  it('current = the current epoch', () => {
    expect(get(chain, '/v1/epochs/current/participants').body).toBe(get(chain, '/v1/epochs/36/participants').body);
  });

  it('pairs models[i] with ml_nodes[i], models sorted, only registry models of that epoch', () => {
    // Problems are collected, not asserted one by one: ~10k participants would make expect() the bottleneck.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => void (ok || problems.push(what));
    for (const [n, b] of bodies) {
      const registry = new Set(get(chain, `${INF}/models_all`, String(Math.max(chain.lowestHeight, chain.epochHeights(n).pocStart))).json().model.map((m: Json) => m.id));
      for (const p of b.active_participants.participants) {
        const at = `${p.index} in epoch ${n}`;
        const models: string[] = p.models ?? [];
        const groups: Json[] = p.ml_nodes ?? [];
        check(groups.length === models.length || groups.length === models.length + 1, `alignment of ${at}`);
        check(JSON.stringify([...models].sort()) === JSON.stringify(models), `models sorted for ${at}`);
        check(models.every((m) => registry.has(m)), `registry models only for ${at}`);
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
      expect(ps.some((p) => (p.models ?? []).length >= 2), `multi-model host in ${n}`).toBe(true);
      expect(ps.some((p) => (p.ml_nodes ?? []).length === (p.models ?? []).length + 1 && p.models), `trailing group in ${n}`).toBe(true);
      const bare = ps.filter((p) => !('seed' in p) && !('models' in p) && !('ml_nodes' in p));
      expect(bare.length, `host without seed/models in ${n}`).toBeGreaterThan(0);
      expect(ps.some((p) => !('weight' in p)), `omitted zero weight in ${n}`).toBe(true);
      expect(ps.some((p) => 'seed' in p && !('models' in p)), `seeded host without models in ${n}`).toBe(true);
      expect(ps.some((p) => !('seed' in p) && 'models' in p), `unseeded host with models in ${n}`).toBe(true);
      for (const p of ps) {
        if (!p.ml_nodes) continue;
        if (n < 25) expect(num(p.weight), `${p.index} in ${n}`).toBe(sumPoc(p));
        else expect(num(p.weight)).toBeLessThanOrEqual(sumPoc(p));
      }
      if (n >= 25) expect(ps.some((p) => p.ml_nodes && num(p.weight) < sumPoc(p)), `collateral in ${n}`).toBe(true);
    }
    const sp = chain.features.specialHosts;
    expect(bodies.get(36)!.active_participants.participants.find((p: Json) => p.index === sp.bare)).toEqual({
      index: sp.bare,
      validator_key: expect.any(String),
      inference_url: expect.any(String),
    });
  });

  it('encodes integers as strings (and an SDK-style block) exactly in epochs 33 and 34', () => {
    for (const [n, b] of bodies) {
      const stringy = n === 33 || n === 34;
      const ap = b.active_participants;
      const p = ap.participants.find((x: Json) => x.ml_nodes && x.seed);
      for (const v of [ap.epoch_id, ap.poc_start_block_height, ap.created_at_block_height, p.weight, p.ml_nodes[0].ml_nodes[0].poc_weight, b.validators[0].voting_power]) {
        expect(typeof v, `epoch ${n}`).toBe(stringy ? 'string' : 'number');
      }
      expect(typeof b.block.header.height).toBe(stringy ? 'string' : 'number');
      if (stringy) expect(b.block.header.last_block_id.part_set_header).toBeDefined();
      else expect(b.block.header.last_block_id.hash).toMatch(/^[0-9A-F]{64}$/);
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
    for (const g of genesis) expect(idx(36).has(g)).toBe(true);
    expect(genesis).toContain('gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp');
  });

  it('scripts the model history: Kimi from 28, RedHat hosted 20–29 then none, only genesis models before 20', () => {
    const hostsOf = (n: number, m: string) => bodies.get(n)!.active_participants.participants.filter((p: Json) => (p.models ?? []).includes(m)).length;
    for (const n of epochs) {
      const models = new Set(bodies.get(n)!.active_participants.participants.flatMap((p: Json) => p.models ?? []));
      if (n < 20) expect([...models].sort()).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct']);
      else expect(models.has('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8')).toBe(true);
      expect(models.has(KIMI)).toBe(n >= 28);
      const red = hostsOf(n, REDHAT);
      if (n >= 20 && n <= 29) {
        expect(red).toBeGreaterThanOrEqual(1);
        expect(red).toBeLessThanOrEqual(12);
      } else expect(red).toBe(0);
    }
    expect(chain.features.kimi.firstEpoch).toBe(28);
    expect(chain.features.paramChange.firstEpoch).toBe(32);
    expect(chain.features.modelLosingHosts.unhostedFrom).toBe(30);
  });

  it('active_participants_bytes is the protobuf encoding of the served set', () => {
    const b = bodies.get(12)!;
    const buf = Buffer.from(b.active_participants_bytes, 'hex');
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
    const ps = fields.filter((x) => x.f === 1);
    expect(ps).toHaveLength(b.active_participants.participants.length);
    expect((ps[0]!.v as Buffer).toString('latin1')).toContain(b.active_participants.participants[0].index);
    expect(fields.find((x) => x.f === 6)?.v).toBe(12);
    expect(fields.find((x) => x.f === 5)?.v).toBe(b.active_participants.created_at_block_height);
  });
});

describe('models_all and epoch_group_data', () => {
  const at = (h: number) => get(chain, `${INF}/models_all`, String(h)).json().model as Json[];

  it('returns the registry of the queried height, ordered by id, all 13 keys, chain-api types', () => {
    const genesis = at(chain.lowestHeight);
    expect(genesis.map((m) => m.id)).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct']);
    expect(genesis.map((m) => [m.proposed_by, m.throughput_per_nonce])).toEqual([
      ['genesis', '1000'],
      ['genesis', '10000'],
    ]);
    const ev = chain.features.registryEvents;
    expect(at(ev[0]!.height - 1)).toHaveLength(2);
    expect(at(ev[0]!.height).map((m) => m.id)).toEqual([
      'Qwen/QwQ-32B',
      'Qwen/Qwen2.5-7B-Instruct',
      'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8',
      'Qwen/Qwen3-32B-FP8',
      REDHAT,
    ]);
    expect(at(ev[0]!.height)[0].throughput_per_nonce).toBe('6000');
    expect(at(ev[1]!.height).map((m) => m.id)).toContain(KIMI);
    expect(at(ev[1]!.height - 1).map((m) => m.id)).not.toContain(KIMI);
    const latest = get(chain, `${INF}/models_all`).json().model as Json[];
    expect(latest.map((m) => m.id)).toEqual([...latest.map((m) => m.id)].sort());
    expect(latest).toHaveLength(6);
    for (const m of latest) {
      expect(Object.keys(m)).toHaveLength(13);
      expect(typeof m.v_ram).toBe('string');
      expect(Array.isArray(m.model_args)).toBe(true);
      expect(typeof m.validation_threshold.value).toBe('string');
      expect(typeof m.validation_threshold.exponent).toBe('number');
      expect(m.hf_commit).toMatch(/^[0-9a-f]{40}$/);
    }
    const k = latest.find((m) => m.id === KIMI);
    expect(k).toMatchObject({ v_ram: '640', throughput_per_nonce: '800', units_of_compute_per_token: '20000', validation_threshold: { value: '96', exponent: -2 } });
    expect(modelsAllResponse.parse({ model: latest }).model).toHaveLength(6);
    const before = at(ev[2]!.height - 1).find((m) => m.id === QWEN3_32B);
    const after = at(ev[2]!.height).find((m) => m.id === QWEN3_32B);
    expect(after.hf_commit).not.toBe(before.hf_commit);
    expect(after.validation_threshold).not.toEqual(before.validation_threshold);
  });

  it('freezes model params per epoch in sub-group snapshots; per-model weights match participants', () => {
    const snap = (n: number, m: string) => get(chain, `${INF}/epoch_group_data/${n}?model_id=${encodeURIComponent(m)}`).json().epoch_group_data.model_snapshot;
    expect(snap(31, QWEN3_32B).hf_commit).toBe('aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df');
    expect(snap(32, QWEN3_32B).hf_commit).not.toBe('aa55da1ecc13d006e8b8e4f54579b1ea8c3db2df');
    expect(snap(10, 'Qwen/QwQ-32B').throughput_per_nonce).toBe('1000');
    expect(snap(20, 'Qwen/QwQ-32B').throughput_per_nonce).toBe('6000');

    for (const n of [1, 2, 19, 20, 28, 30, 33, 36]) {
      const root = get(chain, `${INF}/epoch_group_data/${n}`);
      expect(root.status).toBe(200);
      const r = root.json().epoch_group_data;
      expect(epochGroupDataResponse.parse(root.json()).epoch_group_data.model_snapshot).toBeNull();
      expect(r.model_id).toBe('');
      expect(r.epoch_index).toBe(String(n));
      const subs: string[] = r.sub_group_models;
      if (n > 1) {
        const ps = participantsOf(chain, n).filter((p) => p.seed);
        expect(new Set(subs)).toEqual(new Set(ps.flatMap((p) => p.models ?? [])));
        const weights = modelWeights(ps);
        for (const m of subs) {
          const s = get(chain, `${INF}/epoch_group_data/${n}?model_id=${encodeURIComponent(m)}`).json().epoch_group_data;
          expect(s.model_id).toBe(m);
          expect(s.sub_group_models).toEqual([]);
          expect(s.model_snapshot.id).toBe(m);
          const w = s.validation_weights.reduce((a: number, v: Json) => a + v.ml_nodes.reduce((b: number, x: Json) => b + num(x.poc_weight), 0), 0);
          expect(w).toBe(weights.get(m));
          expect(num(s.total_weight)).toBe(s.validation_weights.reduce((a: number, v: Json) => a + num(v.weight), 0));
          expect(num(s.epoch_group_id)).toBeGreaterThan(num(r.epoch_group_id));
        }
      }
      expect(subs.includes(REDHAT)).toBe(n >= 20 && n < 30);
    }
    expect(get(chain, `${INF}/epoch_group_data/30?model_id=${encodeURIComponent(REDHAT)}`).status).toBe(404);
    expect(get(chain, `${INF}/epoch_group_data/29?model_id=${encodeURIComponent(REDHAT)}`).status).toBe(200);
    expect(get(chain, `${INF}/epoch_group_data/27?model_id=${encodeURIComponent(KIMI)}`).status).toBe(404);
    expect(get(chain, `${INF}/epoch_group_data/28?model_id=${encodeURIComponent(KIMI)}`).status).toBe(200);
    expect(get(chain, `${INF}/epoch_group_data/35`).json().epoch_group_data.last_block_height).not.toBe('0');
    expect(get(chain, `${INF}/epoch_group_data/36`).json().epoch_group_data.last_block_height).toBe('0');
  });
});

describe('models_stats_by_time', () => {
  const url = (f: number, t: number) => `${INF}/models_stats_by_time?time_from=${f}&time_to=${t}`;
  const stats = (c: SampleChain, f: number, t: number) => statsMap(get(c, url(f, t)).json());

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
    const epochWindow = (n: number) => [chain.blockTimeMs(chain.epochStartHeight(n)), chain.blockTimeMs(chain.epochStartHeight(n + 1) - 1)] as const;
    const e10 = stats(chain, ...epochWindow(10));
    expect(e10.has(AWQ)).toBe(true);
    expect(e10.get(AWQ)!.inferences).toBeGreaterThan(0);
    expect(stats(chain, ...epochWindow(4)).has(AWQ)).toBe(false);
    expect(stats(chain, ...epochWindow(16)).has(AWQ)).toBe(false);
    const e35 = stats(chain, ...epochWindow(35));
    expect(e35.has(KIMI)).toBe(true);
    expect(e35.has(REDHAT)).toBe(false);
    expect(e35.get('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8')!.inferences).toBeGreaterThan(e35.get(QWEN3_32B)!.inferences);
    expect(stats(chain, ...epochWindow(25)).has(REDHAT)).toBe(true);
    const registry = new Set(get(chain, `${INF}/models_all`).json().model.map((m: Json) => m.id));
    expect(registry.has(AWQ)).toBe(false);
    const body = get(chain, url(...epochWindow(35))).json();
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
    expect(get(chain, url(1700000000000, 1700000001000)).json()).toEqual({ stats_models: [] });
    // A window after the latest block only sees existing blocks.
    expect(get(chain, url(chain.nowMs + 1, chain.nowMs + 10_000_000)).json()).toEqual({ stats_models: [] });
  });

  it('a query over a whole epoch is cheap', () => {
    const c = createSampleChain({ currentEpoch: 40, maxHosts: 500 });
    const t0 = performance.now();
    for (const n of [37, 38, 39]) get(c, url(c.blockTimeMs(c.epochStartHeight(n)), c.blockTimeMs(c.epochStartHeight(n + 1) - 1)));
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('every served body validates against src/chain/schemas.ts', () => {
  it('success and error bodies', () => {
    const c = createSampleChain({ currentEpoch: 5, maxHosts: 40 });
    expect(rpcStatusResponse.parse(get(c, '/chain-rpc/status').json()).result.sync_info.earliest_block_height).toBe(c.lowestHeight);
    expect(rpcBlockResponse.parse(get(c, '/chain-rpc/block').json()).result.block.header.height).toBe(c.latestHeight);
    expect(rpcBlockResponse.parse(get(c, `/chain-rpc/block?height=${c.lowestHeight}`).json()).result.block.header.height).toBe(c.lowestHeight);
    for (let n = 2; n <= 5; n++) participantsResponse.parse(get(c, `/v1/epochs/${n}/participants`).json());
    modelsAllResponse.parse(get(c, `${INF}/models_all`).json());
    modelsStatsResponse.parse(get(c, `${INF}/models_stats_by_time`).json());
    epochGroupDataResponse.parse(get(c, `${INF}/epoch_group_data/3?model_id=Qwen%2FQwQ-32B`).json());
    const errors = [
      '/v1/epochs/1/participants',
      '/v1/epochs/0/participants',
      '/v1/epochs/x/participants',
      '/v1/epochs/6/participants',
      '/v1/epochs/5',
      '/chain-rpc/block?height=1',
      '/chain-rpc/block?height=0',
      '/chain-rpc/block?height=99999999',
      `${INF}/models_stats_by_time?time_from=5`,
      `${INF}/epoch_group_data/9`,
    ];
    for (const u of errors) {
      const r = get(c, u);
      expect(r.status, u).toBeGreaterThanOrEqual(400);
      errorBody.parse(r.json());
    }
    for (const h of ['1', '99999999']) errorBody.parse(get(c, `${INF}/models_all`, h).json());
  });
});

describe('more models than the scripted six', () => {
  const eight = createSampleChain({ currentEpoch: 36, maxHosts: 60, models: 8 });
  const six = createSampleChain({ currentEpoch: 36, maxHosts: 60 });

  it('registers the extras in epoch 34 and hosts all eight from epoch 35', () => {
    const latest = get(eight, `${INF}/models_all`).json().model.map((m: Json) => m.id);
    expect(latest).toHaveLength(8);
    expect(latest).toEqual([...latest].sort());
    expect(latest).toContain('deepseek-ai/DeepSeek-V4-Flash-0731');
    expect(latest).toContain('zai-org/GLM-5.3-Flash');
    const hosted = new Set(participantsOf(eight, 36).flatMap((p: Json) => p.models ?? []));
    expect(hosted.has('deepseek-ai/DeepSeek-V4-Flash-0731')).toBe(true);
    expect(hosted.has('zai-org/GLM-5.3-Flash')).toBe(true);
    const e35 = get(eight, `${INF}/epoch_group_data/35?model_id=${encodeURIComponent('zai-org/GLM-5.3-Flash')}`);
    expect(e35.status).toBe(200);
    expect(e35.json().epoch_group_data.model_snapshot.id).toBe('zai-org/GLM-5.3-Flash');
  });

  it('leaves the history before the extras exactly as the default chain has it', () => {
    for (const n of [2, 20, 33, 34]) {
      expect(get(eight, `/v1/epochs/${n}/participants`).body).toBe(get(six, `/v1/epochs/${n}/participants`).body);
    }
    expect(get(eight, `${INF}/models_all`, '400000').body).toBe(get(six, `${INF}/models_all`, '400000').body);
  });

  it('rejects a model count it cannot make', () => {
    expect(() => createSampleChain({ models: 0 })).toThrow(/models must be an integer/);
  });
});
