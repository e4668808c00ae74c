import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainHttp } from '../../src/chain/http.ts';
import { ChainClient } from '../../src/chain/client.ts';
import { ChainRequestError } from '../../src/chain/errors.ts';
import { decimal, paramsResponse, participantsResponse } from '../../src/chain/schemas.ts';
import { deadUrl, startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

const SAMPLES = new URL('../fixtures/spec-samples/', import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8'));
const participants106 = sample('v1_epochs_current_participants.json');

const servers: ScriptedServer[] = [];
const track = (s: ScriptedServer) => (servers.push(s), s);
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const httpFor = (urls: string[], over: Partial<ConstructorParameters<typeof ChainHttp>[0]> = {}) =>
  new ChainHttp({ urls, timeoutMs: 2000, attempts: 3, concurrency: 4, backoffMs: 5, maxBodyBytes: 1024 * 1024, ...over });

async function failure(p: Promise<unknown>): Promise<ChainRequestError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChainRequestError);
  return err as ChainRequestError;
}

describe('ChainHttp failover and retries', () => {
  it('fails over from a refused node to the next one', async () => {
    // The live node first: started after, it could be given the port just freed for the dead one.
    const good = track(await startScriptedServer(() => ({ status: 200, body: participants106 })));
    const dead = await deadUrl();
    const http = httpFor([dead, good.url]);
    const body = await new ChainClient(http).participants('current');
    expect(body.active_participants.epoch_id).toBe(106);
    expect(good.requests).toHaveLength(1);
    expect(http.stats.failures[dead]).toBe(3); // connection errors are transient: retried, then failover
    http.close();
  });

  it('retries 502/503 on the same node with backoff and then succeeds', async () => {
    const s = track(
      await startScriptedServer((_, n) => (n <= 2 ? { status: n === 1 ? 502 : 503, body: 'bad gateway' } : { status: 200, body: participants106 })),
    );
    const http = httpFor([s.url]);
    await new ChainClient(http).participants(106);
    expect(s.requests).toHaveLength(3);
    http.close();
  });

  it('honours Retry-After on 429', async () => {
    const s = track(
      await startScriptedServer((_, n) =>
        n === 1 ? { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '0.3' } } : { status: 200, body: participants106 },
      ),
    );
    const http = httpFor([s.url]);
    const t0 = performance.now();
    await new ChainClient(http).participants(106);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(s.requests).toHaveLength(2);
    http.close();
  });

  it('moves on when Retry-After is longer than it will wait', async () => {
    const slow = track(await startScriptedServer(() => ({ status: 429, body: '', headers: { 'retry-after': '3600' } })));
    const good = track(await startScriptedServer(() => ({ status: 200, body: participants106 })));
    const http = httpFor([slow.url, good.url], { maxRetryAfterMs: 1000 });
    await new ChainClient(http).participants(106);
    expect(slow.requests).toHaveLength(1);
    http.close();
  });

  it('times out a hanging node, then tries the next', async () => {
    const hang = track(await startScriptedServer(() => 'hang'));
    const good = track(await startScriptedServer(() => ({ status: 200, body: participants106 })));
    const http = httpFor([hang.url, good.url], { timeoutMs: 150, attempts: 2 });
    await new ChainClient(http).participants(106);
    expect(hang.requests).toHaveLength(2);
    expect(good.requests).toHaveLength(1);
    http.close();
  });

  it('does not retry a 404 on the same node and reports the node message', async () => {
    const body = sample('error_v1_epoch_not_found.json');
    const a = track(await startScriptedServer(() => ({ status: 404, body })));
    const b = track(await startScriptedServer(() => ({ status: 404, body })));
    const http = httpFor([a.url, b.url]);
    const err = await failure(new ChainClient(http).participants(107));
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(err.kind).toBe('rejected');
    expect(err.status).toBe(404);
    expect(err.reason).toContain('Looks like PoC failed');
    expect(err.message).toContain('/v1/epochs/107/participants');
    http.close();
  });

  it('classifies pruned history as unavailable and asks the next node once', async () => {
    const pruned = track(await startScriptedServer(() => ({ status: 500, body: sample('error_v1_participants_pruned_node.json') })));
    const archive = track(await startScriptedServer(() => ({ status: 200, body: participants106 })));
    const http = httpFor([pruned.url, archive.url]);
    await new ChainClient(http).participants(106);
    expect(pruned.requests).toHaveLength(1);

    const only = httpFor([pruned.url]);
    const err = await failure(new ChainClient(only).modelsAll(500000));
    expect(err.kind).toBe('unavailable');
    http.close();
    only.close();
  });

  it('recognises the chain-api pruned-height body', async () => {
    const s = track(await startScriptedServer(() => ({ status: 500, body: sample('error_chain_api_pruned_height.json') })));
    const http = httpFor([s.url]);
    const err = await failure(new ChainClient(http).modelsAll(500000));
    expect(err.kind).toBe('unavailable');
    expect(err.reason).toContain('failed to load state at height 500000');
    expect(s.requests[0]!.headers['x-cosmos-block-height']).toBe('500000');
    http.close();
  });

  it('names the URL and the field path of a schema violation, and tries the next node', async () => {
    const broken = structuredClone(participants106);
    broken.active_participants.participants[2].ml_nodes[0].ml_nodes[1].poc_weight = 'lots';
    const bad = track(await startScriptedServer(() => ({ status: 200, body: broken })));
    const http = httpFor([bad.url]);
    const err = await failure(new ChainClient(http).participants(106));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('/v1/epochs/106/participants');
    expect(err.message).toContain('active_participants.participants.2.ml_nodes.0.ml_nodes.1.poc_weight');
    expect(bad.requests).toHaveLength(1);

    const good = track(await startScriptedServer(() => ({ status: 200, body: participants106 })));
    const both = httpFor([bad.url, good.url]);
    await expect(new ChainClient(both).participants(106)).resolves.toBeTruthy();
    http.close();
    both.close();
  });

  it('rejects an HTML error page served with status 200', async () => {
    const s = track(await startScriptedServer(() => ({ status: 200, body: '<html><body>502 Bad Gateway</body></html>' })));
    const http = httpFor([s.url]);
    const err = await failure(new ChainClient(http).participants(106));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('not JSON');
    http.close();
  });

  it('keeps the limit on requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = track(
      await startScriptedServer(() => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => inFlight--, 40);
        return { status: 200, body: { stats_models: [] }, delayMs: 40 };
      }),
    );
    const http = httpFor([s.url], { concurrency: 3 });
    const client = new ChainClient(http);
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.chainModelsStats(i, i + 1)));
    expect(s.requests).toHaveLength(12);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    http.close();
  });
});

describe('client endpoints', () => {
  it('sends both time_from and time_to, and keeps every stats row exact', async () => {
    const s = track(await startScriptedServer(() => ({ status: 200, body: sample('chain_api_models_stats_by_time.json') })));
    const http = httpFor([s.url]);
    const stats = await new ChainClient(http).chainModelsStats(1765250762292, 1765296580538);
    expect(s.requests[0]!.query.get('time_from')).toBe('1765250762292');
    expect(s.requests[0]!.query.get('time_to')).toBe('1765296580538');
    // A node's order is random; the aggregation sorts (src/aggregate/epoch.ts).
    expect(stats).toHaveLength(sample('chain_api_models_stats_by_time.json').stats_models.length);
    expect(stats.find((x) => x.model === 'Qwen/QwQ-32B')).toEqual({ model: 'Qwen/QwQ-32B', ai_tokens: '1934481', inferences: 612 });
    http.close();
  });

  it('reads block times from the CometBFT envelope with string heights', async () => {
    const s = track(await startScriptedServer(() => ({ status: 200, body: sample('chain_rpc_block.json') })));
    const http = httpFor([s.url]);
    const b = await new ChainClient(http).block(1642389);
    expect(b).toEqual({ height: 1642389, time: '2025-12-09T03:26:02.292Z', ms: 1765250762292 });
    http.close();
  });

  it('returns null for a model with no sub-group in the epoch (404 code 5)', async () => {
    const s = track(await startScriptedServer(() => ({ status: 404, body: { code: 5, message: 'not found', details: [] } })));
    const http = httpFor([s.url]);
    await expect(new ChainClient(http).epochGroup(106, 'Qwen/QwQ-32B')).resolves.toBeNull();
    expect(s.requests[0]!.query.get('model_id')).toBe('Qwen/QwQ-32B');
    http.close();
  });

  it('follows models_all pages by next_key to the end, whatever the page size', async () => {
    const ids = ['a/1', 'b/2', 'c/3'];
    const key = (id: string) => Buffer.from(id).toString('base64');
    const s = track(
      await startScriptedServer((r) => {
        const from = r.query.get('pagination.key');
        const i = from === null ? 0 : ids.findIndex((id) => key(id) === from);
        return { status: 200, body: { model: [{ id: ids[i] }], pagination: { next_key: ids[i + 1] ? key(ids[i + 1]!) : null, total: '3' } } };
      }),
    );
    const http = httpFor([s.url]);
    const models = await new ChainClient(http).modelsAll(1234);
    expect(models.map((m) => m.id)).toEqual(ids);
    expect(s.requests.map((r) => r.query.get('pagination.key'))).toEqual([null, key('b/2'), key('c/3')]);
    expect(s.requests.every((r) => r.headers['x-cosmos-block-height'] === '1234')).toBe(true);
    // Fields no proposal sets arrive as the gateway's defaults, kept as strings.
    expect(models[0]).toMatchObject({ context_window: '0', quantization: '', coins_per_input_token: '0', coins_per_output_token: '0' });
    http.close();
  });

  it('stops with an error when a registry page key does not advance', async () => {
    const s = track(await startScriptedServer(() => ({ status: 200, body: { model: [{ id: 'a/1' }], pagination: { next_key: 'YQ==' } } })));
    const http = httpFor([s.url]);
    await expect(new ChainClient(http).modelsAll()).rejects.toThrow(/models_all: page 2 gave the next key "YQ==" again without advancing/);
    expect(s.requests).toHaveLength(2);
    http.close();
  });

  it('treats a gateway’s 501 as “not served” (no retry, no node fault) and puts a model id into one path segment', async () => {
    const s = track(await startScriptedServer(() => ({ status: 501, body: { code: 12, message: 'Not Implemented', details: [] } })));
    const http = httpFor([s.url], { attempts: 3 });
    const client = new ChainClient(http);
    await expect(client.modelCapacity('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8', 99)).resolves.toBeNull();
    await expect(client.modelPrices()).resolves.toBeNull();
    await expect(client.appliedPlanHeight('v0.2.12')).resolves.toBeNull();
    expect(s.requests.map((r) => r.path)).toEqual([
      '/chain-api/productscience/inference/inference/model_capacity/Qwen%2FQwen3-235B-A22B-Instruct-2507-FP8',
      '/chain-api/productscience/inference/inference/all_model_per_token_prices',
      '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.12',
    ]);
    expect(http.stats.failures).toEqual({});
    http.close();
  });

  it('reads an upgrade height, 0 when it has not run', async () => {
    const s = track(await startScriptedServer((r) => ({ status: 200, body: { height: r.path.endsWith('v0.2.12') ? '3834323' : '0' } })));
    const client = new ChainClient(httpFor([s.url]));
    expect(await client.appliedPlanHeight('v0.2.12')).toBe(3834323);
    expect(await client.appliedPlanHeight('v0.2.99')).toBe(0);
    client.http.close();
  });
});

describe('schemas follow the tolerance rules of docs/chain-api.md', () => {
  it('accepts string-encoded integers and absent keys, and rejects unsafe weights', () => {
    const v = structuredClone(participants106);
    const ap = v.active_participants;
    ap.epoch_id = '106';
    ap.created_at_block_height = '1642387';
    ap.participants[0].weight = '9317';
    delete ap.participants[0].ml_nodes[0].ml_nodes[0].poc_weight;
    const parsed = participantsResponse.parse(v);
    expect(parsed.active_participants.epoch_id).toBe(106);
    expect(parsed.active_participants.participants[0]!.weight).toBe(9317);
    expect(parsed.active_participants.participants[0]!.ml_nodes[0]!.ml_nodes[0]!.poc_weight).toBe(0);
    const noModels = parsed.active_participants.participants.find((p) => p.index.startsWith('gonka1d7p0'));
    expect(noModels?.models).toEqual([]);
    expect(noModels?.ml_nodes).toEqual([]);

    const unsafe = structuredClone(participants106);
    unsafe.active_participants.participants[0].weight = 2 ** 53;
    expect(participantsResponse.safeParse(unsafe).success).toBe(false);
    const negative = structuredClone(participants106);
    negative.active_participants.participants[0].ml_nodes[0].ml_nodes[0].poc_weight = -5;
    expect(participantsResponse.safeParse(negative).success).toBe(false);
  });

  it('keeps decimals exact as strings, and refuses a JSON number that has already lost digits', () => {
    const ok = paramsResponse.parse({ params: { poc_params: { models: [{ model_id: 'k', weight_scale_factor: { value: '12620856201975851', exponent: -16 } }] } } });
    expect(ok.params.poc_params.models[0]!.weight_scale_factor).toEqual({ value: '12620856201975851', exponent: -16 });
    expect(decimal.parse({ value: 3593, exponent: '-4' })).toEqual({ value: '3593', exponent: -4 });
    // As JSON.parse reads `12620856201975851` sent as a number: already a lost digit (…852).
    const bad = paramsResponse.safeParse(JSON.parse('{"params":{"poc_params":{"models":[{"model_id":"k","weight_scale_factor":{"value":12620856201975851,"exponent":-16}}]}}}'));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path.join('.')).toBe('params.poc_params.models.0.weight_scale_factor.value');
    expect(bad.error!.issues[0]!.message).toMatch(/cannot be read exactly/);
    // Before v0.2.12 the per-model list does not exist.
    expect(paramsResponse.parse({ params: { poc_params: { weight_scale_factor: { value: '25', exponent: -1 } } } }).params.poc_params.models).toEqual([]);
  });
});
