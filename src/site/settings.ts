/**
 * This build's site settings, read once when a page module first loads, and the
 * URL builder for its base path: every page and endpoint links through `urls`.
 * Server-only: the island gets what it needs as props.
 */
import { readSiteConfig, type SiteConfig } from '../config/env.ts';
import { createUrls, type SiteUrls } from '../display/paths.ts';

/** The configuration of this build. */
export const siteConfig: SiteConfig = readSiteConfig();

/** The URL builder for this build's base path. */
export const urls: SiteUrls = createUrls(siteConfig.basePath);
