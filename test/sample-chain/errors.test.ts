/**
 * Exact error statuses and bodies of the sample chain (docs/chain-api.md),
 * and identity formats (bech32 checksums, CometBFT addresses).
 */
import { describe, expect, it } from 'vitest';
import { createSampleChain, type SampleChain } from '../../scripts/sample-chain/index.ts';

const INF = '/chain-api/productscience/inference/inference';

function get(c: SampleChain, url: string, heightHeader?: string, method = 'GET') {
  const r = c.handle({ method, url, ...(heightHeader !== undefined ? { heightHeader } : {}) });
  return { status: r.status, body: r.body, headers: r.headers };
}

const chain = createSampleChain({ currentEpoch: 12, maxHosts: 60 });
const L = chain.latestHeight;
const LOW = chain.lowestHeight;

const rpcErr = (data: string, code = -32603, message = 'Internal error') =>
  JSON.stringify({ jsonrpc: '2.0', id: -1, error: { code, message, data } }, null, 2);

describe('/v1 errors', () => {
  it.each([
    ['/v1/epochs/12', 400, '{"error":"Only getting info for current epoch is supported at the moment"}'],
    ['/v1/epochs/current', 400, '{"error":"Only getting info for current epoch is supported at the moment"}'],
    ['/v1/epochs/abc/participants', 400, '{"error":"Invalid epoch id"}'],
    ['/v1/epochs/-1/participants', 400, '{"error":"Invalid epoch id"}'],
    ['/v1/epochs/18446744073709551616/participants', 400, '{"error":"Invalid epoch id"}'],
    ['/v1/epochs/0/participants', 400, '{"error":"Epoch enumeration starts with 1"}'],
    ['/v1/epochs/13/participants', 404, '{"error":"No active participants found for the specified epoch. Looks like PoC failed!"}'],
    ['/v1/epochs/18446744073709551615/participants', 404, '{"error":"No active participants found for the specified epoch. Looks like PoC failed!"}'],
  ])('%s → %i', (url, status, body) => {
    const r = get(chain, url);
    expect(r.status).toBe(status);
    expect(r.body).toBe(body);
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('epoch 1 is pruned on this node: 500 naming the real heights', () => {
    const r = get(chain, '/v1/epochs/1/participants');
    expect(r.status).toBe(500);
    const h = chain.epochHeights(1).createdAt + 1;
    expect(JSON.parse(r.body)).toEqual({
      error: `error in json rpc client, with http response metadata: (Status: 200 OK, Protocol HTTP/1.1). RPC error -32603 - Internal error: height ${h} is not available, lowest height is ${LOW}`,
    });
    expect(get(chain, '/v1/epochs/2/participants').status).toBe(200);
  });
});

describe('/chain-rpc errors', () => {
  it.each([
    ['/chain-rpc/block?height=100', rpcErr(`height 100 is not available, lowest height is ${LOW}`)],
    [`/chain-rpc/block?height=${LOW - 1}`, rpcErr(`height ${LOW - 1} is not available, lowest height is ${LOW}`)],
    ['/chain-rpc/block?height=99999999', rpcErr(`height 99999999 must be less than or equal to the current blockchain height ${L}`)],
    [`/chain-rpc/block?height=${L + 1}`, rpcErr(`height ${L + 1} must be less than or equal to the current blockchain height ${L}`)],
    ['/chain-rpc/block?height=0', rpcErr('height must be greater than 0, but got 0')],
    ['/chain-rpc/block?height=-5', rpcErr('height must be greater than 0, but got -5')],
  ])('%s → 500', (url, body) => {
    const r = get(chain, url);
    expect(r.status).toBe(500);
    expect(r.body).toBe(body);
  });

  it('accepts the lowest, the latest, a quoted height and an empty one', () => {
    expect(get(chain, `/chain-rpc/block?height=${LOW}`).status).toBe(200);
    expect(get(chain, `/chain-rpc/block?height=${L}`).body).toBe(get(chain, '/chain-rpc/block').body);
    expect(get(chain, `/chain-rpc/block?height=%22${L}%22`).body).toBe(get(chain, '/chain-rpc/block').body);
    expect(get(chain, '/chain-rpc/block?height=').body).toBe(get(chain, '/chain-rpc/block').body);
    expect(get(chain, '/chain-rpc/block?height=abc').status).toBe(500);
  });

  it('status shows the pruned node’s earliest block', () => {
    const s = JSON.parse(get(chain, '/chain-rpc/status').body).result.sync_info;
    expect(s.latest_block_height).toBe(String(L));
    expect(s.earliest_block_height).toBe(String(LOW));
    expect(s.latest_block_time).toBe(chain.blockTime(L));
    expect(s.catching_up).toBe(false);
  });
});

describe('/chain-api errors and X-Cosmos-Block-Height', () => {
  const gw = (code: number, message: string) => JSON.stringify({ code, message, details: [] });

  it.each([
    [String(LOW - 1), gw(2, `codespace sdk code 18: invalid request: failed to load state at height ${LOW - 1}; version does not exist (latest height: ${L})`)],
    ['2', gw(2, `codespace sdk code 18: invalid request: failed to load state at height 2; version does not exist (latest height: ${L})`)],
    [String(L + 1), gw(2, 'codespace sdk code 26: invalid height: cannot query with height in the future; please provide a valid height')],
    ['-3', gw(2, 'codespace sdk code 18: invalid request: cannot query with height < 0; please provide a valid height')],
  ])('models_all at height %s → 500', (h, body) => {
    const r = get(chain, `${INF}/models_all`, h);
    expect(r.status).toBe(500);
    expect(r.body).toBe(body);
  });

  it('absent or 0 header = latest; the used height is echoed', () => {
    const latest = get(chain, `${INF}/models_all`);
    expect(latest.status).toBe(200);
    expect(latest.headers['x-cosmos-block-height']).toBe(String(L));
    expect(get(chain, `${INF}/models_all`, '0').body).toBe(latest.body);
    expect(get(chain, `${INF}/models_all`, String(LOW)).headers['x-cosmos-block-height']).toBe(String(LOW));
    const bad = get(chain, `${INF}/models_all`, 'abc');
    expect(bad.status).toBe(500);
    expect(JSON.parse(bad.body).message).toContain('invalid height header');
  });

  it('models_stats_by_time: time_to < time_from is checked first', () => {
    const invalid = gw(2, 'invalid time period');
    for (const q of ['time_from=1765250762292', 'time_from=10&time_to=9', `time_from=${chain.nowMs}&time_to=0`]) {
      const r = get(chain, `${INF}/models_stats_by_time?${q}`);
      expect(r.status, q).toBe(500);
      expect(r.body, q).toBe(invalid);
    }
    expect(get(chain, `${INF}/models_stats_by_time?time_to=${chain.nowMs}`).status).toBe(200);
    expect(get(chain, `${INF}/models_stats_by_time?time_from=10&time_to=10`).body).toBe('{"stats_models":[]}');
    const mismatch = get(chain, `${INF}/models_stats_by_time?time_from=yesterday&time_to=1`);
    expect(mismatch.status).toBe(400);
    expect(JSON.parse(mismatch.body)).toMatchObject({ code: 3, details: [] });
  });

  it('models_stats_by_time at a historical height only sees blocks up to it', () => {
    const h = chain.epochStartHeight(10) + 100;
    const url = `${INF}/models_stats_by_time?time_from=${chain.blockTimeMs(h - 50)}&time_to=${chain.nowMs}`;
    const sorted = (body: string) => (JSON.parse(body).stats_models as { model: string }[]).sort((a, b) => (a.model < b.model ? -1 : 1));
    const upTo = sorted(get(chain, `${INF}/models_stats_by_time?time_from=${chain.blockTimeMs(h - 50)}&time_to=${chain.blockTimeMs(h)}`).body);
    expect(upTo.length).toBeGreaterThan(0);
    expect(sorted(get(chain, url, String(h)).body)).toEqual(upTo);
    expect(sorted(get(chain, url).body)).not.toEqual(upTo);
  });

  it('epoch_group_data: 404 code 5 for unknown epochs and unhosted models, 400 for a bad index', () => {
    const notFound = gw(5, 'not found');
    for (const u of [
      `${INF}/epoch_group_data/13`,
      `${INF}/epoch_group_data/0`,
      `${INF}/epoch_group_data/3?model_id=Qwen%2FQwen3-32B-FP8`,
      `${INF}/epoch_group_data/5?model_id=no%2Fsuch-model`,
    ]) {
      const r = get(chain, u);
      expect(r.status, u).toBe(404);
      expect(r.body, u).toBe(notFound);
    }
    const bad = get(chain, `${INF}/epoch_group_data/x`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).code).toBe(3);
    expect(get(chain, `${INF}/epoch_group_data/1?model_id=Qwen%2FQwQ-32B`).status).toBe(200);
    expect(get(chain, `${INF}/epoch_group_data/12`, String(chain.epochHeights(12).createdAt - 1)).status).toBe(404);
  });

  it('every height-addressed route shares the height errors', () => {
    const future = gw(2, 'codespace sdk code 26: invalid height: cannot query with height in the future; please provide a valid height');
    const pruned = gw(2, `codespace sdk code 18: invalid request: failed to load state at height 2; version does not exist (latest height: ${L})`);
    for (const u of [
      `${INF}/params`,
      `${INF}/excluded_participants/5`,
      `${INF}/epoch_performance_summary/5`,
      `${INF}/all_model_per_token_prices`,
      `${INF}/model_per_token_price/Qwen%2FQwQ-32B`,
      `${INF}/model_capacity/Qwen%2FQwQ-32B`,
      '/chain-api/cosmos/upgrade/v1beta1/applied_plan/v0.2.5',
      `${INF}/models_all?pagination.limit=1`,
    ]) {
      expect(get(chain, u, String(L + 1)).body, u).toBe(future);
      expect(get(chain, u, '2').body, u).toBe(pruned);
      expect(get(chain, u, String(L)).status, u).toBe(200);
      expect(get(chain, u, String(L)).headers['x-cosmos-block-height']).toBe(String(L));
    }
  });

  it('epoch-addressed lists: 400 code 3 for a bad index, empty lists for unknown epochs', () => {
    for (const route of ['excluded_participants', 'epoch_performance_summary']) {
      for (const bad of ['x', '-1', '18446744073709551616']) {
        const r = get(chain, `${INF}/${route}/${bad}`);
        expect(r.status, bad).toBe(400);
        expect(r.body).toBe(gw(3, `type mismatch, parameter: epoch_index, error: strconv.ParseUint: parsing ${JSON.stringify(bad)}: invalid syntax`));
      }
      for (const n of ['0', '13', '999', '18446744073709551615']) expect(get(chain, `${INF}/${route}/${n}`).status).toBe(200);
    }
    expect(get(chain, `${INF}/excluded_participants/999`).body).toBe('{"items":[]}');
    expect(get(chain, `${INF}/epoch_performance_summary/0`).body).toBe('{"epochPerformanceSummary":[]}');
  });

  it('models_all: a bad pagination key or limit → 400 code 3', () => {
    const r = get(chain, `${INF}/models_all?pagination.key=%25%25`);
    expect(r.status).toBe(400);
    expect(r.body).toBe(gw(3, 'type mismatch, parameter: pagination.key, error: illegal base64 data at input byte 0'));
    const unknown = get(chain, `${INF}/models_all?pagination.key=${Buffer.from('x/y').toString('base64')}`);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({ code: 3, message: 'invalid request: pagination key "x/y" names no model', details: [] });
    expect(get(chain, `${INF}/models_all?pagination.limit=-1`).body).toBe(
      gw(3, 'type mismatch, parameter: pagination.limit, error: strconv.ParseUint: parsing "-1": invalid syntax'),
    );
  });

  it('per-model price and capacity: an id with a raw slash has no route → 501 code 12', () => {
    for (const u of [`${INF}/model_per_token_price/Qwen/QwQ-32B`, `${INF}/model_capacity/a/b/c`]) {
      const r = get(chain, u);
      expect(r.status, u).toBe(501);
      expect(r.body).toBe(gw(12, 'Not Implemented'));
    }
  });

  it('/v1/stats/models: 400 on bad times, 500 without stats storage', () => {
    const bad = get(chain, '/v1/stats/models?time_from=10&time_to=9');
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('{"error":"code=400, message=invalid time period: time_to must be >= time_from"}');
    const off = chain.handle({ method: 'GET', url: '/v1/stats/models', statsStorage: false });
    expect([off.status, off.body]).toEqual([500, '{"error":"stats storage is disabled"}']);
  });

  it('unknown paths → 404 text/plain; non-GET → 405', () => {
    for (const u of ['/', '/v1/epochs', `${INF}/no_such_route`, '/chain-rpc/validators', '/v1/epochs/5/participants/x', '/v1/stats/summary/time', '/chain-api/cosmos/upgrade/v1beta1/applied_plan']) {
      const r = get(chain, u);
      expect(r.status, u).toBe(404);
      expect(r.body).toBe('Not Found');
      expect(r.headers['content-type']).toBe('text/plain');
    }
    expect(get(chain, '/chain-rpc/status', undefined, 'POST').status).toBe(405);
  });
});

describe('identity formats', () => {
  const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  function bech32Valid(addr: string): boolean {
    const sep = addr.lastIndexOf('1');
    const hrp = addr.slice(0, sep);
    const data = [...addr.slice(sep + 1)].map((ch) => CHARSET.indexOf(ch));
    if (data.some((d) => d < 0)) return false;
    const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let chk = 1;
    const values = [...[...hrp].map((ch) => ch.charCodeAt(0) >> 5), 0, ...[...hrp].map((ch) => ch.charCodeAt(0) & 31), ...data];
    for (const v of values) {
      const top = chk >>> 25;
      chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
      for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GEN[i]!) >>> 0;
    }
    return chk === 1;
  }

  it('generated addresses carry valid bech32 checksums (the real genesis ones too)', () => {
    const body = JSON.parse(get(chain, '/v1/epochs/12/participants').body);
    const ps = body.active_participants.participants as { index: string }[];
    expect(ps.length).toBeGreaterThan(11);
    for (const p of ps) expect(bech32Valid(p.index), p.index).toBe(true);
    expect(bech32Valid('gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp')).toBe(true);
    expect(bech32Valid('gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cq')).toBe(false);
  });

  it('addresses[] are CometBFT addresses of the validator keys (matches the real genesis hosts)', () => {
    const body = JSON.parse(get(chain, '/v1/epochs/12/participants').body);
    const ps = body.active_participants.participants as { index: string }[];
    const byIndex = new Map(ps.map((p, i) => [p.index, body.addresses[i]]));
    expect(byIndex.get('gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le')).toBe('139ECB529EDB0BCDF45C583D4DC2FDC95F66B1E8');
    expect(byIndex.get('gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp')).toBe('DC5C5FF1D8FEF209750C860793127AA70A2D2131');
    expect(byIndex.get('gonka1kx9mca3xm8u8ypzfuhmxey66u0ufxhs7nm6wc5')).toBe('32AF6CCC1F5C023A30E954E61F06B0BAD8838067');
  });
});
