/**
 * Configuration of the static site, read from the environment in one place.
 * `astro.config.mjs` takes `site`/`base` from here and pages take the data folder
 * and the optional external links from here, so a sub-path deploy (GitHub Pages)
 * changes one variable. Server-only: the island gets what it needs as props.
 */
import path from 'node:path';
import { HOST_URL_PLACEHOLDER, createUrls, hostUrl, normaliseBasePath, type SiteUrls } from './urls.ts';

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
export function readSiteConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SiteConfig {
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
    dataDir: path.resolve(cwd, env.GONKA_DATA_DIR?.trim() || 'data'),
    externalLinks,
    hostUrlTemplate: hostUrlTemplate(env),
  };
}

/** The configuration of this build (read once when a page module first loads). */
export const siteConfig: SiteConfig = readSiteConfig();

/** The URL builder for this build's base path; every page and endpoint links through it. */
export const urls: SiteUrls = createUrls(siteConfig.basePath);
