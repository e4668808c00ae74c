// Static site: every page and JSON endpoint is prerendered into dist/.
// Site URL and base path come from the environment (src/config/env.ts) so a
// GitHub Pages sub-path deploy only sets BASE_PATH.
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
import { readSiteConfig } from './src/config/env.ts';

const site = readSiteConfig();

export default defineConfig({
  output: 'static',
  site: site.siteUrl,
  base: site.basePath,
  trailingSlash: 'always',
  integrations: [react()],
  // Two routes writing one file would silently drop a page; model slugs are built never to collide.
  prerenderConflictBehavior: 'error',
  devToolbar: { enabled: false },
  // The stylesheet (about 5 KB gzip) goes into every page: a separate file costs a
  // render-blocking round trip after the HTML, the largest share of the time to first
  // paint on a slow link (docs/performance.md, "First paint"), and a page then needs
  // no other file to look right, however long a cache keeps it.
  build: { inlineStylesheets: 'always' },
  // A Content-Security-Policy in every page's <head>: scripts only from the site
  // itself (plus Astro's hashes of its own inline scripts), WebAssembly for
  // Pagefind, no plugins, no foreign frames, fetches and forms only to the site.
  security: {
    csp: {
      algorithm: 'SHA-256',
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      // Bar widths are set with style attributes; hashes cannot cover attributes.
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  vite: {
    build: {
      // Never inline page scripts into the HTML: an inlined script that imports Pagefind's
      // pagefind.js at run time keeps an unresolved __VITE_PRELOAD__ (withastro/astro#17265).
      assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined),
    },
  },
});
