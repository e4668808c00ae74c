/**
 * The site built under a sub-path (the `site` project builds the sample chain's
 * data at `/gonka-models/`, as a GitHub Pages project site is served): no link
 * escapes the base path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { walk } from '../deploy/link-check.ts';

const dist = inject('distDir');
const base = inject('basePath');
const htmlFiles = walk(dist).filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));

describe('a build under a sub-path', () => {
  it('starts every root-relative href and src with the base path', () => {
    expect(base).not.toBe('/'); // the test build uses a sub-path so this can fail
    for (const f of htmlFiles) {
      const page = fs.readFileSync(path.join(dist, f), 'utf8');
      for (const [, attr, value] of page.matchAll(/\s(href|src|component-url|renderer-url|action)="([^"]*)"/g)) {
        if (value!.startsWith('/')) expect(value!.startsWith(base), `${f}: ${attr}="${value}"`).toBe(true);
      }
    }
  });

});
