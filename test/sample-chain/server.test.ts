/**
 * The fake node over real loopback HTTP: same bytes as in-process, request
 * recording, headers, keep-alive, close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleChain, startFakeNode, type FakeNode } from '../../scripts/sample-chain/index.ts';

const INF = '/chain-api/productscience/inference/inference';
const chain = createSampleChain({ currentEpoch: 6, maxHosts: 40 });
let node: FakeNode;

beforeAll(async () => {
  node = await startFakeNode(chain);
});
afterAll(async () => {
  await node.close();
});

describe('startFakeNode', () => {
  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(node.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the same bytes as the in-process handler, with JSON content type', async () => {
    for (const u of ['/v1/epochs/current/participants', '/chain-rpc/status', `${INF}/models_all`, '/v1/epochs/1/participants']) {
      const r = await fetch(node.url + u);
      const local = chain.handle({ method: 'GET', url: u });
      expect(r.status, u).toBe(local.status);
      expect(await r.text(), u).toBe(local.body);
      expect(r.headers.get('content-type')).toBe('application/json');
    }
  });

  it('records method, path, raw query, height header and status', async () => {
    node.resetRequests();
    await (await fetch(`${node.url}${INF}/models_all`, { headers: { 'X-Cosmos-Block-Height': String(chain.lowestHeight) } })).text();
    await (await fetch(`${node.url}${INF}/models_stats_by_time?time_from=1&time_to=2`)).text();
    await (await fetch(`${node.url}/nope`)).text();
    await (await fetch(`${node.url}/chain-rpc/status`, { method: 'POST', body: 'x' })).text();
    expect(node.requests).toEqual([
      { method: 'GET', path: `${INF}/models_all`, query: '', heightHeader: String(chain.lowestHeight), status: 200 },
      { method: 'GET', path: `${INF}/models_stats_by_time`, query: 'time_from=1&time_to=2', status: 200 },
      { method: 'GET', path: '/nope', query: '', status: 404 },
      { method: 'POST', path: '/chain-rpc/status', query: '', status: 405 },
    ]);
    node.resetRequests();
    expect(node.requests).toEqual([]);
  });

  it('echoes the state height and answers unknown paths in plain text', async () => {
    const r = await fetch(`${node.url}${INF}/models_all`, { headers: { 'X-Cosmos-Block-Height': '0' } });
    expect(r.headers.get('x-cosmos-block-height')).toBe(String(chain.latestHeight));
    await r.text();
    const nf = await fetch(`${node.url}/v2/anything`);
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toBe('text/plain');
    expect(await nf.text()).toBe('Not Found');
  });

  it('decodes %2F in one path segment; a raw slash reaches the 501 of a missing route', async () => {
    const ok = await fetch(`${node.url}${INF}/model_capacity/Qwen%2FQwQ-32B`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ found: true });
    const raw = await fetch(`${node.url}${INF}/model_capacity/Qwen/QwQ-32B`);
    expect(raw.status).toBe(501);
    expect(await raw.json()).toEqual({ code: 12, message: 'Not Implemented', details: [] });
  });

  it('statsStorage: false makes /v1/stats/models answer 500 as on default nodes', async () => {
    const off = await startFakeNode(chain, { statsStorage: false });
    try {
      const r = await fetch(`${off.url}/v1/stats/models`);
      expect(r.status).toBe(500);
      expect(await r.text()).toBe('{"error":"stats storage is disabled"}');
      expect(off.requests.at(-1)).toEqual({ method: 'GET', path: '/v1/stats/models', query: '', status: 500 });
      // Bad input is still checked first.
      expect((await fetch(`${off.url}/v1/stats/models?time_from=x`)).status).toBe(400);
    } finally {
      await off.close();
    }
    const on = await fetch(`${node.url}/v1/stats/models`);
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ stats_models: expect.any(Array) });
  });

  it('handles many keep-alive requests in parallel', async () => {
    const urls = Array.from({ length: 40 }, (_, i) => `${node.url}/chain-rpc/block?height=${chain.latestHeight - i}`);
    const heights = await Promise.all(urls.map(async (u) => JSON.parse(await (await fetch(u)).text()).result.block.header.height));
    expect(heights).toEqual(urls.map((_, i) => String(chain.latestHeight - i)));
  });

  it('closes even with open keep-alive connections, and can listen on a given port', async () => {
    const other = await startFakeNode(chain);
    await (await fetch(`${other.url}/chain-rpc/status`)).text();
    await other.close();
    await expect(fetch(`${other.url}/chain-rpc/status`)).rejects.toThrow();
    const port = Number(new URL(other.url).port);
    const again = await startFakeNode(chain, { port });
    expect(again.url).toBe(other.url);
    await again.close();
  });
});
