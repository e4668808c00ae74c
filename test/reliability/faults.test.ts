/**
 * Fault injection: the fake node misbehaves the way public nodes do, and the
 * data step must recover when any node answers, fail clearly and within its
 * time bound when none does, and never publish or cache anything it could not check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { epochIndexSchema } from '../../src/snapshot/schema.ts';
import { createSampleChain, startFakeNode, type FakeNode, type Fault, type FaultRule } from '../../scripts/sample-chain/index.ts';
import { hashes } from '../support/hashes.ts';
import { startProxy } from '../support/scripted-server.ts';

let dir: string;
const nodes: FakeNode[] = [];
const chain = createSampleChain({ currentEpoch: 6, maxHosts: 40 });
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-faults-'))));
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fakeNode(faults: FaultRule[] = []) {
  const n = await startFakeNode(chain, { faults });
  nodes.push(n);
  return n;
}

// A timeout far above what a loaded test machine needs to answer, so only the faults fail requests;
// the tests about timeouts set a short one (SLOW_TIMEOUT) beside a node slower than it.
const env = { GONKA_TIMEOUT_MS: '5000', GONKA_ATTEMPTS: '2', GONKA_MAX_BODY_MB: '1' };
const SLOW_TIMEOUT = { GONKA_TIMEOUT_MS: '1000' };
/** The run options a fault needs: a delay only shows against a timeout shorter than itself. */
const envFor = (fault: Fault) => (fault.kind === 'delay' ? SLOW_TIMEOUT : {});
function run(urls: string[], sub: string, extra: Record<string, string> = {}) {
  const config = readPipelineConfig({ GONKA_API_URLS: urls.join(','), ...env, ...extra }, path.join(dir, sub));
  return runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
}

type P = { weight?: unknown; models?: string[]; ml_nodes?: { ml_nodes: { poc_weight?: unknown }[] }[] };
const firstHost = (b: { active_participants: { participants: P[] } }) => b.active_participants.participants[0]!;

/** Each fault, with a word the failure message must contain. */
const FAULTS: [string, Fault, RegExp][] = [
  ['connection reset', { kind: 'reset' }, /connection failed/],
  ['reset mid-body', { kind: 'reset-mid-body' }, /connection failed|aborted|premature/i],
  ['slow past the timeout', { kind: 'delay', ms: 3000 }, /timed out after 1000 ms/],
  ['500', { kind: 'status', status: 500, body: '{"error":"rpc error: chain unreachable"}' }, /HTTP 500 rpc error: chain unreachable/],
  ['502', { kind: 'status', status: 502, body: 'Bad Gateway' }, /HTTP 502 Bad Gateway/],
  ['503', { kind: 'status', status: 503, body: '' }, /HTTP 503/],
  ['429 with Retry-After', { kind: 'status', status: 429, body: '', headers: { 'retry-after': '0' } }, /HTTP 429/],
  ['truncated JSON', { kind: 'truncate' }, /not JSON/],
  ['HTML page with status 200', { kind: 'html' }, /not JSON \(starts "<!DOCTYPE html>/],
  ['missing field', { kind: 'mutate', edit: (b) => void delete b.active_participants.epoch_id }, /active_participants\.epoch_id/],
  ['negative weight', { kind: 'mutate', edit: (b) => void (firstHost(b).weight = -10) }, /participants\.0\.weight/],
  [
    'fractional poc_weight',
    { kind: 'mutate', edit: (b) => void (firstHost(b).ml_nodes![0]!.ml_nodes[0]!.poc_weight = 12.5) },
    /participants\.0\.ml_nodes\.0\.ml_nodes\.0\.poc_weight/,
  ],
  ['non-numeric string', { kind: 'mutate', edit: (b) => void (firstHost(b).weight = 'heavy') }, /participants\.0\.weight/],
  ['weight beyond 2^53', { kind: 'mutate', edit: (b) => void (firstHost(b).weight = '9007199254740993') }, /safe integer/],
  [
    'models longer than ml_nodes',
    { kind: 'mutate', edit: (b) => void firstHost(b).models!.push('extra/Model', 'more/Model') },
    /participants\.0\.ml_nodes: \d+ node groups for \d+ models/,
  ],
  ['over-large body', { kind: 'pad', bytes: 2 * 1024 * 1024 }, /body larger than 1048576 bytes/],
];

describe('a bad node among good ones', () => {
  /** What a run against healthy nodes writes: every recovered run must write the same bytes. */
  let clean: Record<string, string>;
  beforeAll(async () => {
    const cleanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-faults-clean-'));
    const n = await startFakeNode(chain);
    try {
      const config = readPipelineConfig({ GONKA_API_URLS: n.url, ...env }, cleanDir);
      await runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
      clean = hashes(path.join(cleanDir, 'data'));
    } finally {
      await n.close();
      fs.rmSync(cleanDir, { recursive: true, force: true });
    }
  });

  it.each(FAULTS)('recovers from %s on the first node and names it in the summary', async (_, fault) => {
    // Body edits only make sense on participant sets, and a node that answers every request
    // past the timeout costs each request its full timeout: those two hit the participant sets,
    // the other faults every request.
    const bad = await fakeNode([{ path: fault.kind === 'mutate' || fault.kind === 'delay' ? /^\/v1\/epochs\// : /./, fault }]);
    const good = await fakeNode();
    const s = await run([bad.url, good.url], 'mixed', envFor(fault));
    expect(s.nodeFailures[bad.url]).toBeGreaterThan(0);
    expect(s.nodeFailures[good.url]).toBeUndefined();
    expect(hashes(path.join(dir, 'mixed/data'))).toEqual(clean);
  });

  it('recovers when one node of several is down', async () => {
    const down = await fakeNode();
    await down.down();
    const good = await fakeNode();
    const s = await run([down.url, good.url, down.url.replace(/\d+$/, '9')], 'x');
    expect(s.nodeFailures[down.url]).toBeGreaterThan(0);
    expect(s.available).toBe(5);
  });
});

describe('a single bad node', () => {
  it.each(FAULTS)('fails the run on %s of the current epoch, naming node, request and cause', async (_, fault, cause) => {
    const n = await fakeNode([{ path: '/v1/epochs/current/participants', fault }]);
    const err = await run([n.url], 'x', envFor(fault)).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/GET \/v1\/epochs\/current\/participants failed on every node/);
    expect(err?.message).toContain(n.url);
    expect(err?.message).toMatch(cause);
    expect(fs.existsSync(path.join(dir, 'x/data'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'x/.cache'))).toEqual([]);
  });

  it('ends within the documented bound against a hanging node', async () => {
    const n = await fakeNode([{ path: /./, fault: { kind: 'hang' } }]);
    const t0 = Date.now();
    await expect(run([n.url], 'x', SLOW_TIMEOUT)).rejects.toThrow(/timed out after 1000 ms/);
    // Bound: nodes × attempts × timeout + backoff (docs/reliability.md, "Bounds").
    expect(Date.now() - t0).toBeLessThan(1 * 2 * 1000 + 250 + 1500);
  });

  it('marks a historical epoch with a schema-breaking body unavailable instead of aggregating it', async () => {
    const n = await fakeNode([{ path: '/v1/epochs/4/participants', fault: { kind: 'mutate', edit: (b) => void (firstHost(b).weight = -1) } }]);
    const s = await run([n.url], 'x');
    const index = epochIndexSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'x/data/index.json'), 'utf8')));
    const e4 = index.epochs.find((e) => e.epoch_id === 4)!;
    expect(e4.available).toBe(false);
    expect(!e4.available && e4.reason).toMatch(/participants\.0\.weight/);
    expect(fs.existsSync(path.join(dir, 'x/data/epochs/4.json'))).toBe(false);
    expect(s.unavailable.map((u) => u.epochId)).toContain(4);

    // Not cached as final: once the node is healed the epoch is fetched and published.
    n.setFaults([]);
    await run([n.url], 'x');
    expect(fs.existsSync(path.join(dir, 'x/data/epochs/4.json'))).toBe(true);
  });

  it('retries a 503 on the same node and succeeds without failover', async () => {
    const n = await fakeNode([{ path: '/chain-rpc/status', fault: { kind: 'status', status: 503, body: '' }, times: 1 }]);
    const s = await run([n.url], 'x');
    expect(s.nodeFailures[n.url]).toBe(1);
    expect(n.requests.filter((r) => r.path === '/chain-rpc/status')).toHaveLength(2);
  });
});

describe('stale mode', () => {
  it('fails by default and touches nothing when no node answers', async () => {
    const n = await fakeNode();
    await run([n.url], 'x');
    const before = { data: hashes(path.join(dir, 'x/data')), cache: hashes(path.join(dir, 'x/.cache')) };
    await n.down();
    await expect(run([n.url], 'x')).rejects.toThrow(/failed on every node/);
    expect(hashes(path.join(dir, 'x/data'))).toEqual(before.data);
    expect(hashes(path.join(dir, 'x/.cache'))).toEqual(before.cache);
  });

  it('with GONKA_ALLOW_STALE=1 republishes the last good data from the cache, marked stale', async () => {
    const n = await fakeNode();
    await run([n.url], 'x');
    const good = hashes(path.join(dir, 'x/data'));
    fs.rmSync(path.join(dir, 'x/data'), { recursive: true }); // CI restores only the cache
    await n.down();
    const s = await run([n.url], 'x', { GONKA_ALLOW_STALE: '1' });
    expect(s.stale?.dataFetchedAt).toBe(new Date(chain.nowMs).toISOString());
    const now = hashes(path.join(dir, 'x/data'));
    const { 'index.json': _a, ...epochsNow } = now;
    const { 'index.json': _b, ...epochsGood } = good;
    expect(epochsNow).toEqual(epochsGood);
    const index = epochIndexSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'x/data/index.json'), 'utf8')));
    expect(index.stale?.reason).toMatch(/failed on every node/);
    expect(index.fetched_at).toBe(new Date(chain.nowMs).toISOString());
  });

  it('with GONKA_ALLOW_STALE=1 still fails when the cache has nothing to publish', async () => {
    const n = await fakeNode();
    await n.down();
    await expect(run([n.url], 'x', { GONKA_ALLOW_STALE: '1' })).rejects.toThrow(/cache holds no earlier run/);
  });
});

describe('a past epoch that cannot be completed now', () => {
  it('is listed as unavailable, without failing the run, when its registry state cannot be had', async () => {
    const n = await fakeNode();
    const proxy = await startProxy(n.url, (r) =>
      r.path.endsWith('/models_all') && r.headers['x-cosmos-block-height'] ? { status: 503, body: 'overloaded' } : null,
    );
    try {
      const s = await run([proxy.url], 'x');
      expect(s.currentEpoch).toBe(6);
      expect(s.unavailable.map((u) => u.epochId)).toEqual([1, 2, 3, 4, 5]);
      expect(s.unavailable[1]!.reason).toMatch(/overloaded/);
      // Not cached as final: with the node healthy again the epochs are filled in.
      const healed = await run([n.url], 'x');
      expect(healed.unavailable.map((u) => u.epochId)).toEqual([1]);
    } finally {
      await proxy.close();
    }
  });
});
