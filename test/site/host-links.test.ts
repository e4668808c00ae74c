/**
 * Host addresses link to a host dashboard through HOST_URL_TEMPLATE, percent-encoded:
 * a second build of the fixture (the `site-fixture` project), whose hosts include
 * an address made of markup and URL syntax.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';
import { buildSite } from '../../scripts/site-build.ts';
import { decode } from '../support/site-html.ts';

const dataDir = inject('dataDir');
const base = inject('basePath');

interface Snap {
  models: Array<{ id: string; hosts: Array<{ address: string }> }>;
}
const index = JSON.parse(fs.readFileSync(path.join(dataDir, 'index.json'), 'utf8')) as { current_epoch: number };
const snaps = new Map<number, Snap>([[index.current_epoch, JSON.parse(fs.readFileSync(path.join(dataDir, 'epochs', `${index.current_epoch}.json`), 'utf8'))]]);

describe('HOST_URL_TEMPLATE', () => {
  it('links every host address to the template, percent-encoded, and escapes the rest', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-hosts-'));
    try {
      const out = path.join(tmp, 'dist');
      const template = 'https://tracker.example/host?participant={address}&tab=models';
      const result = await buildSite({ dataDir, outDir: out, basePath: base, extraEnv: { HOST_URL_TEMPLATE: template } });
      expect(result.status, result.output.slice(-3000)).toBe(0);
      const current = snaps.get(index.current_epoch)!;
      for (const m of current.models.filter((x) => x.hosts.length)) {
        const html = fs.readFileSync(path.join(out, 'models', ...modelSlug(m.id).split('/'), 'index.html'), 'utf8');
        const hrefs = [...html.matchAll(/class="mono host-address"><a href="([^"]*)"/g)].map((h) => decode(h[1]!));
        expect(hrefs).toEqual(m.hosts.map((h) => new URL(template.replace('{address}', encodeURIComponent(h.address))).href));
        expect(html).not.toContain('<img src=x');
      }
      // The fixture has an address made of markup and URL syntax: it stays text and one encoded query value.
      const hostile = current.models.flatMap((x) => x.hosts).find((h) => h.address.includes('<img'));
      expect(hostile).toBeDefined();
      const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
      expect(home).toContain(`href="https://tracker.example/host?participant=${encodeURIComponent(hostile!.address)}&amp;tab=models"`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
