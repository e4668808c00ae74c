/**
 * All configuration, read from the environment in one place: the data step's,
 * the site's (`astro.config.mjs` takes `site`/`base` from here, so a sub-path
 * deploy changes one variable) and where the build writes. `.env`, when present,
 * is read first; variables already set in the environment win. Every variable is
 * documented in the README and in `.env.example`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { HOST_URL_PLACEHOLDER, hostUrl, normaliseBasePath } from '../display/paths.ts';

/** Where snapshots are written and read, relative to the project. */
export const DEFAULT_DATA_DIR = 'data';
/** Where the built site goes. */
export const DEFAULT_DIST_DIR = 'dist';

let dotEnvLoaded = false;

/**
 * `process.env` with `cwd`/.env applied once (variables already set win). The
 * readers below default to it, so the data step, the site build and the Astro
 * config see the same settings; tests pass their own objects.
 */
export function environment(cwd = process.cwd()): NodeJS.ProcessEnv {
  if (!dotEnvLoaded) {
    dotEnvLoaded = true;
    const file = path.join(cwd, '.env');
    if (fs.existsSync(file)) {
      for (const [k, v] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) if (process.env[k] === undefined) process.env[k] = v;
    }
  }
  return process.env;
}

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
export function readPipelineConfig(env: NodeJS.ProcessEnv = environment(), cwd = process.cwd()): PipelineConfig {
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
    dataDir: path.resolve(cwd, env.GONKA_DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    firstEpoch,
    concurrency: positiveInt(env, 'GONKA_CONCURRENCY', 6, 64),
    timeoutMs: positiveInt(env, 'GONKA_TIMEOUT_MS', 15_000, 600_000),
    attempts: positiveInt(env, 'GONKA_ATTEMPTS', 3, 10),
    maxBodyBytes: positiveInt(env, 'GONKA_MAX_BODY_MB', 128, 4096) * 1024 * 1024,
    allowStale: flag(env, 'GONKA_ALLOW_STALE'),
  };
}

// --- the site ---------------------------------------------------------------------------

export interface ExternalLink {
  /** Text shown in the header navigation. */
  label: string;
  href: string;
}

export interface SiteConfig {
  /** Absolute origin (plus optional path) the site is deployed at; undefined = no canonical/absolute URLs. */
  siteUrl: string | undefined;
  /** Path prefix every URL starts with: `/` or `/sub/path/` (always with both slashes). */
  basePath: string;
  /** Folder holding `index.json` and `epochs/<N>.json` (the data step's output). */
  dataDir: string;
  /** Extra header links (host dashboard, timeline), only those configured. */
  externalLinks: ExternalLink[];
  /** `HOST_URL_TEMPLATE`: a host page URL with `{address}`; host addresses link there when set. */
  hostUrlTemplate?: string | undefined;
}

/** Thrown for a bad site environment variable; the message names the variable and the value. */
export class SiteConfigError extends Error {
  override name = 'SiteConfigError';
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SiteConfigError(`${name}=${JSON.stringify(raw)}: expected an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SiteConfigError(`${name}=${JSON.stringify(raw)}: expected an http or https URL`);
  }
  return url.href;
}

/**
 * `HOST_URL_TEMPLATE`: an absolute http(s) URL containing `{address}` in its path,
 * query or fragment (never in the scheme or host, so no address can pick the site
 * a link goes to).
 */
function hostUrlTemplate(env: NodeJS.ProcessEnv): string | undefined {
  const name = 'HOST_URL_TEMPLATE';
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const bad = (why: string) => new SiteConfigError(`${name}=${JSON.stringify(raw)}: ${why}`);
  if (!raw.includes(HOST_URL_PLACEHOLDER)) throw bad(`expected a URL containing ${HOST_URL_PLACEHOLDER}, e.g. https://tracker.example/?participant=${HOST_URL_PLACEHOLDER}`);
  if (!/^https?:\/\//i.test(raw)) throw bad('expected an absolute http or https URL');
  const a = hostUrl(raw, 'gonka1a');
  const b = hostUrl(raw, 'gonka1b');
  if (a === null || b === null) throw bad('not a valid URL once {address} is filled in');
  if (new URL(a).origin !== new URL(b).origin) throw bad(`${HOST_URL_PLACEHOLDER} must not be part of the scheme or host`);
  return raw;
}

/** Reads the site configuration from `env` (default: `process.env`), relative to `cwd`. */
export function readSiteConfig(env: NodeJS.ProcessEnv = environment(), cwd = process.cwd()): SiteConfig {
  const siteUrl = httpUrl(env, 'SITE_URL');
  let basePath: string;
  try {
    basePath = normaliseBasePath(env.BASE_PATH);
  } catch (err) {
    throw new SiteConfigError(`BASE_PATH=${JSON.stringify(env.BASE_PATH)}: ${(err as Error).message}`);
  }
  const externalLinks: ExternalLink[] = [];
  const dashboard = httpUrl(env, 'HOST_DASHBOARD_URL');
  if (dashboard) externalLinks.push({ label: 'Host dashboard', href: dashboard });
  const timeline = httpUrl(env, 'TIMELINE_URL');
  if (timeline) externalLinks.push({ label: 'Timeline', href: timeline });
  return {
    siteUrl,
    basePath,
    dataDir: path.resolve(cwd, env.GONKA_DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    externalLinks,
    hostUrlTemplate: hostUrlTemplate(env),
  };
}

/** `GONKA_DIST_DIR`: where `npm run build:site` puts the site (default dist/). */
export function readDistDir(env: NodeJS.ProcessEnv = environment(), cwd = process.cwd()): string {
  return path.resolve(cwd, env.GONKA_DIST_DIR?.trim() || DEFAULT_DIST_DIR);
}
