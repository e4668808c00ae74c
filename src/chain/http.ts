/**
 * The one HTTP helper every chain request goes through: node-fetch with
 * keep-alive agents, a per-request timeout, bounded concurrency, retries with
 * backoff for transient faults, failover across nodes, and zod validation of
 * the body (a body that breaks the schema is a node fault, so the next node is tried).
 */
import http from 'node:http';
import https from 'node:https';
import fetch, { FetchError } from 'node-fetch';
import pLimit from 'p-limit';
import type { z } from 'zod';
import { errorBody } from './schemas.ts';
import { ChainRequestError, type AttemptFailure, type FailureKind } from './errors.ts';

export interface ChainHttpOptions {
  /** Base URLs in failover order. */
  urls: string[];
  timeoutMs: number;
  /** Attempts per node for transient faults. */
  attempts: number;
  concurrency: number;
  /** First backoff delay; doubles per attempt. */
  backoffMs?: number;
  /** Longest Retry-After honoured on a 429 before moving to the next node. */
  maxRetryAfterMs?: number;
  /** Largest body accepted; a larger one is refused as invalid. */
  maxBodyBytes: number;
}

/** What the run summary reports about network use. */
export interface HttpStats {
  requests: number;
  /** Faults per node: no answer, or an answer that is not valid. */
  failures: Record<string, number>;
}

export interface GetOptions {
  query?: Record<string, string | number>;
  /** Sent as `X-Cosmos-Block-Height` (docs/chain-api.md, "Historical queries"). */
  height?: number;
}

const UNAVAILABLE = /failed to load state at height|version does not exist|is not available, lowest height|height must be greater than 0/i;
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds a request's path and query as one string: the request's name in messages and cache keys. */
export function requestName(path: string, opts: GetOptions = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) q.set(k, String(v));
  const qs = q.toString();
  return `${path}${qs ? `?${qs}` : ''}${opts.height !== undefined ? ` @${opts.height}` : ''}`;
}

/** Formats a zod error as `field.path: message` lines. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function errorMessage(text: string): string {
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) {
      const b = parsed.data;
      if ('message' in b) return b.message;
      if (typeof b.error === 'string') return b.error;
      return b.error.data ?? b.error.message ?? 'JSON-RPC error';
    }
  } catch {
    // not JSON: nginx plain text or an HTML error page
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || '(empty body)';
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

interface Attempt {
  ok: boolean;
  value?: unknown;
  failure?: AttemptFailure;
  waitMs?: number;
}

/** HTTP access to a set of Gonka nodes. */
export class ChainHttp {
  readonly stats: HttpStats = { requests: 0, failures: {} };
  private readonly limit;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  constructor(readonly opts: ChainHttpOptions) {
    if (opts.urls.length === 0) throw new Error('ChainHttp needs at least one node URL');
    this.limit = pLimit(opts.concurrency);
    this.agents.http.maxSockets = opts.concurrency;
    this.agents.https.maxSockets = opts.concurrency;
  }

  /** GETs `path` and validates the JSON body with `schema`, trying every node in turn. */
  async get<S extends z.ZodType>(schema: S, path: string, opts: GetOptions = {}): Promise<z.output<S>> {
    const name = requestName(path, opts);
    const failures: AttemptFailure[] = [];
    for (const node of this.opts.urls) {
      for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
        const res = await this.limit(() => this.attempt(schema, node, path, opts));
        if (res.ok) return res.value as z.output<S>;
        const failure = res.failure!;
        failures.push(failure);
        // A definitive answer (pruned, not found) is the node working; only faults count against it.
        if (failure.kind !== 'unavailable' && failure.kind !== 'rejected') {
          this.stats.failures[node] = (this.stats.failures[node] ?? 0) + 1;
        }
        if (failure.kind !== 'transient' || attempt === this.opts.attempts) break;
        const backoff = (this.opts.backoffMs ?? 250) * 2 ** (attempt - 1);
        const wait = res.waitMs ?? backoff;
        if (wait > (this.opts.maxRetryAfterMs ?? 30_000)) break;
        await sleep(wait);
      }
    }
    throw new ChainRequestError(name, decisiveKind(failures), decisiveStatus(failures), failures);
  }

  /** Closes keep-alive sockets so the process can exit. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async attempt(schema: z.ZodType, node: string, path: string, opts: GetOptions): Promise<Attempt> {
    const url = new URL(node + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.height !== undefined) headers['x-cosmos-block-height'] = String(opts.height);
    const fail = (kind: FailureKind, status: number | null, message: string, waitMs?: number): Attempt => ({
      ok: false,
      failure: { node, kind, status, message },
      waitMs,
    });

    this.stats.requests++;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(url.href, {
        headers,
        agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        size: this.opts.maxBodyBytes,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      const e = err as Error & { type?: string; code?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return fail('transient', null, `timed out after ${this.opts.timeoutMs} ms`);
      }
      if (err instanceof FetchError && e.type === 'max-size') {
        return fail('invalid', null, `body larger than ${this.opts.maxBodyBytes} bytes (GONKA_MAX_BODY_MB)`);
      }
      return fail('transient', null, `connection failed (${e.code ?? e.message})`);
    }

    if (status < 200 || status >= 300) {
      const message = errorMessage(text);
      if (TRANSIENT_STATUS.has(status)) return fail('transient', status, message, status === 429 ? retryAfterMs(retryAfter) ?? undefined : undefined);
      if (UNAVAILABLE.test(message)) return fail('unavailable', status, message);
      // 501: the gateway has no route for the path (e.g. a model id with `/` in a one-segment route): definitive.
      return fail(status < 500 || status === 501 ? 'rejected' : 'failed', status, message);
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail('invalid', status, `body is not JSON (starts ${JSON.stringify(text.slice(0, 40))})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return fail('invalid', status, `response does not match the schema: ${describeIssues(parsed.error)}`);
    return { ok: true, value: parsed.data };
  }
}

// A definitive answer outranks a fault: if any node said "pruned" or "not found",
// that is what the caller must act on, even when another node was merely down.
const RANK: FailureKind[] = ['rejected', 'unavailable', 'invalid', 'failed', 'transient'];

function decisiveKind(failures: AttemptFailure[]): FailureKind {
  return RANK.find((k) => failures.some((f) => f.kind === k)) ?? 'transient';
}

function decisiveStatus(failures: AttemptFailure[]): number | null {
  const kind = decisiveKind(failures);
  return failures.find((f) => f.kind === kind)?.status ?? null;
}
