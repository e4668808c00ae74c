/**
 * Configuration of the data step, read from the environment in one place.
 * Every variable is documented in the README and in `.env.example`.
 */
import path from 'node:path';

export interface PipelineConfig {
  /** Node base URLs to fetch from, in failover order; empty = start the bundled sample chain. */
  apiUrls: string[];
  /** SQLite file behind the Keyv cache. */
  cachePath: string;
  /** Folder the snapshots are written to. */
  dataDir: string;
  /** First epoch to fetch; null = as far back as the nodes serve. */
  firstEpoch: number | null;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Attempts per node for transient faults (1 = no retry). */
  attempts: number;
  /** Largest response body accepted, in bytes. */
  maxBodyBytes: number;
  /** When no node answers, publish the last good data from the cache, marked stale, instead of failing. */
  allowStale: boolean;
}

/** Thrown for a bad environment variable; the message names the variable and the value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected a whole number from 1 to ${max}`);
  }
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name}=${JSON.stringify(env[name])}: expected 1 or 0`);
}

/** Parses `GONKA_API_URLS` (comma separated); rejects anything but http(s) base URLs. */
export function parseApiUrls(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new ConfigError(`GONKA_API_URLS: ${JSON.stringify(s)} is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ConfigError(`GONKA_API_URLS: ${JSON.stringify(s)} must be http or https`);
      }
      if (url.search || url.hash || url.username || url.password) {
        throw new ConfigError(`GONKA_API_URLS: ${JSON.stringify(s)} must be a plain base URL (no query, fragment or credentials)`);
      }
      return url.href.replace(/\/+$/, '');
    });
}

/** Reads the pipeline configuration from `env` (default: `process.env`), relative to `cwd`. */
export function readPipelineConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PipelineConfig {
  const firstRaw = env.GONKA_FIRST_EPOCH?.trim();
  let firstEpoch: number | null = null;
  if (firstRaw) {
    if (!/^\d+$/.test(firstRaw) || Number(firstRaw) < 1) {
      throw new ConfigError(`GONKA_FIRST_EPOCH=${JSON.stringify(firstRaw)}: expected an epoch number ≥ 1`);
    }
    firstEpoch = Number(firstRaw);
  }
  const apiUrls = parseApiUrls(env.GONKA_API_URLS);
  return {
    apiUrls,
    // The sample chain gets its own cache so sample data never mixes with a real node's.
    cachePath: path.resolve(cwd, env.GONKA_CACHE_PATH?.trim() || (apiUrls.length ? '.cache/chain.sqlite' : '.cache/sample-chain.sqlite')),
    dataDir: path.resolve(cwd, env.GONKA_DATA_DIR?.trim() || 'data'),
    firstEpoch,
    concurrency: positiveInt(env, 'GONKA_CONCURRENCY', 6, 64),
    timeoutMs: positiveInt(env, 'GONKA_TIMEOUT_MS', 15_000, 600_000),
    attempts: positiveInt(env, 'GONKA_ATTEMPTS', 3, 10),
    maxBodyBytes: positiveInt(env, 'GONKA_MAX_BODY_MB', 128, 4096) * 1024 * 1024,
    allowStale: flag(env, 'GONKA_ALLOW_STALE'),
  };
}
