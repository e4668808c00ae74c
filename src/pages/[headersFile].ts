// `dist/_headers`: Cache-Control rules for Netlify and Cloudflare Pages, generated from the
// epoch index because the current epoch's URLs change with every build (src/site/cache-headers.ts).
// Astro skips files whose name starts with `_`, so a one-path dynamic route writes the file.
import type { APIRoute, GetStaticPaths } from 'astro';
import { renderHeadersFile } from '../site/cache-headers.ts';
import { urls } from '../site/settings.ts';
import { loadSite } from '../site/load.ts';

export const getStaticPaths = (() => [{ params: { headersFile: '_headers' } }]) satisfies GetStaticPaths;

export const GET: APIRoute = () => {
  const site = loadSite();
  const body = renderHeadersFile({ basePath: urls.base, currentEpoch: site.currentEpoch, epochs: site.epochs });
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
