/** Small helpers shared by the sample-chain tests: in-process requests and the paginated registry. */
import { expect } from 'vitest';
import type { SampleChain } from '../../scripts/sample-chain/index.ts';

export const INF = '/chain-api/productscience/inference/inference';
export const QWEN3_235B = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
export const QWEN3_32B = 'Qwen/Qwen3-32B-FP8';
export const REDHAT = 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16';
export const KIMI = 'moonshotai/Kimi-K2.6';
export const MINIMAX = 'MiniMaxAI/MiniMax-M2.7';
export const AWQ = 'Qwen/Qwen2.5-7B-Instruct-AWQ';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One in-process request. */
export function get(c: SampleChain, url: string, heightHeader?: string | number, extra: { statsStorage?: boolean } = {}) {
  const r = c.handle({ method: 'GET', url, ...(heightHeader !== undefined ? { heightHeader: String(heightHeader) } : {}), ...extra });
  return { status: r.status, body: r.body, json: (): Json => JSON.parse(r.body), headers: r.headers };
}

/** A 200 body as JSON (fails the test otherwise). */
export function ok(c: SampleChain, url: string, heightHeader?: string | number): Json {
  const r = get(c, url, heightHeader);
  expect(r.status, `${url} @ ${heightHeader ?? 'latest'}: ${r.body.slice(0, 200)}`).toBe(200);
  return r.json();
}

export const enc = encodeURIComponent;
export const b64 = (id: string) => Buffer.from(id, 'utf8').toString('base64');

/** The whole registry at a height, following `pagination.next_key`; also returns the pages. */
export function registry(c: SampleChain, h?: number): { models: Json[]; pages: Json[] } {
  const pages: Json[] = [];
  let key: string | null = null;
  for (let i = 0; i < 100; i++) {
    const body: Json = ok(c, `${INF}/models_all${key === null ? '' : `?pagination.key=${enc(key)}`}`, h);
    pages.push(body);
    key = body.pagination.next_key;
    if (key === null) break;
  }
  return { models: pages.flatMap((p) => p.model), pages };
}

export const registryIds = (c: SampleChain, h?: number) => registry(c, h).models.map((m) => m.id as string);

export function participantsOf(c: SampleChain, n: number | 'current'): Json[] {
  return ok(c, `/v1/epochs/${n}/participants`).active_participants.participants;
}

export function group(c: SampleChain, n: number, model = '', h?: number): Json {
  return ok(c, `${INF}/epoch_group_data/${n}${model ? `?model_id=${enc(model)}` : ''}`, h).epoch_group_data;
}

export const num = (v: unknown) => Number(v);
export const sumPoc = (nodes: Json[]) => nodes.reduce((a: number, x: Json) => a + num(x.poc_weight), 0);

/** Σ poc_weight of a participant's ml_nodes group for `model` (0 if it does not serve it). */
export function modelPoc(p: Json, model: string): number {
  const k = (p.models ?? []).indexOf(model);
  return k < 0 ? 0 : sumPoc(p.ml_nodes[k].ml_nodes);
}

/** Exact floor(value × 10^exponent × raw), as the chain truncates. */
export function scaleFloor(f: { value: string; exponent: number }, raw: number): number {
  const v = BigInt(f.value) * BigInt(raw);
  return Number(f.exponent >= 0 ? v * 10n ** BigInt(f.exponent) : v / 10n ** BigInt(-f.exponent));
}

/** Usage of a chain stats body as model → {inferences, tokens}. */
export function statsMap(body: Json): Map<string, { inferences: number; tokens: bigint }> {
  return new Map(body.stats_models.map((s: Json) => [s.model, { inferences: num(s.inferences), tokens: BigInt(s.ai_tokens) }]));
}

/** Block-time window [start, end] of effective epoch `n` (ms). */
export function epochWindow(c: SampleChain, n: number): [number, number] {
  return [c.blockTimeMs(c.epochStartHeight(n)), c.blockTimeMs(Math.min(c.latestHeight, c.epochStartHeight(n + 1) - 1))];
}
