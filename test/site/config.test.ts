import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SiteConfigError, readSiteConfig } from '../../src/config/env.ts';

describe('readSiteConfig', () => {
  it('defaults to the root path, no site URL, data/ and no external links', () => {
    const c = readSiteConfig({}, '/repo');
    expect(c).toEqual({ siteUrl: undefined, basePath: '/', dataDir: path.resolve('/repo', 'data'), externalLinks: [] });
  });

  it('reads every variable', () => {
    const c = readSiteConfig(
      {
        SITE_URL: 'https://example.github.io',
        BASE_PATH: 'gonka-models',
        GONKA_DATA_DIR: 'test/data',
        HOST_DASHBOARD_URL: 'https://dash.example/',
        TIMELINE_URL: 'https://timeline.example/x',
      },
      '/repo',
    );
    expect(c.siteUrl).toBe('https://example.github.io/');
    expect(c.basePath).toBe('/gonka-models/');
    expect(c.dataDir).toBe('/repo/test/data');
    expect(c.externalLinks).toEqual([
      { label: 'Host dashboard', href: 'https://dash.example/' },
      { label: 'Timeline', href: 'https://timeline.example/x' },
    ]);
  });

  it('names the variable of a bad value', () => {
    expect(() => readSiteConfig({ SITE_URL: 'example.com' })).toThrow(SiteConfigError);
    expect(() => readSiteConfig({ SITE_URL: 'example.com' })).toThrow(/^SITE_URL="example.com"/);
    expect(() => readSiteConfig({ TIMELINE_URL: 'javascript:alert(1)' })).toThrow(/^TIMELINE_URL=.*http or https/);
    expect(() => readSiteConfig({ BASE_PATH: '/../up/' })).toThrow(/^BASE_PATH=/);
  });

  it('reads HOST_URL_TEMPLATE: an http(s) URL with {address} outside the scheme and host', () => {
    expect(readSiteConfig({}).hostUrlTemplate).toBeUndefined();
    const t = 'https://tracker.example/?participant={address}';
    expect(readSiteConfig({ HOST_URL_TEMPLATE: ` ${t} ` }).hostUrlTemplate).toBe(t);
    expect(readSiteConfig({ HOST_URL_TEMPLATE: 'http://x.example/h/{address}' }).hostUrlTemplate).toBe('http://x.example/h/{address}');
    expect(() => readSiteConfig({ HOST_URL_TEMPLATE: 'https://tracker.example/' })).toThrow(/^HOST_URL_TEMPLATE=.*\{address\}/);
    expect(() => readSiteConfig({ HOST_URL_TEMPLATE: 'javascript:alert("{address}")' })).toThrow(/^HOST_URL_TEMPLATE=.*http or https/);
    expect(() => readSiteConfig({ HOST_URL_TEMPLATE: 'tracker.example/{address}' })).toThrow(SiteConfigError);
    expect(() => readSiteConfig({ HOST_URL_TEMPLATE: 'https://{address}.tracker.example/' })).toThrow(/scheme or host/);
    expect(() => readSiteConfig({ HOST_URL_TEMPLATE: 'https://tracker.example{address}/' })).toThrow(/scheme or host/);
  });
});
