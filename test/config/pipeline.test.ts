import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readPipelineConfig } from '../../src/config/env.ts';

describe('readPipelineConfig', () => {
  it('defaults to the sample chain with its own cache', () => {
    const c = readPipelineConfig({}, '/srv/site');
    expect(c.apiUrls).toEqual([]);
    expect(c.cachePath).toBe(path.resolve('/srv/site/.cache/sample-chain.sqlite'));
    expect(c.dataDir).toBe(path.resolve('/srv/site/data'));
    expect(c.firstEpoch).toBeNull();
  });

  it('parses comma separated node URLs in order, trimming trailing slashes', () => {
    const c = readPipelineConfig({ GONKA_API_URLS: ' http://node1.gonka.ai:8000/ ,https://node4.gonka.ai', GONKA_FIRST_EPOCH: '40' }, '/x');
    expect(c.apiUrls).toEqual(['http://node1.gonka.ai:8000', 'https://node4.gonka.ai']);
    expect(c.cachePath).toBe(path.resolve('/x/.cache/chain.sqlite'));
    expect(c.firstEpoch).toBe(40);
  });

  it('names the variable and the value it rejects', () => {
    expect(() => readPipelineConfig({ GONKA_API_URLS: 'ftp://x' })).toThrow(/GONKA_API_URLS: "ftp:\/\/x" must be http or https/);
    expect(() => readPipelineConfig({ GONKA_API_URLS: 'http://a?x=1' })).toThrow(ConfigError);
    expect(() => readPipelineConfig({ GONKA_CONCURRENCY: '0' })).toThrow(/GONKA_CONCURRENCY="0"/);
    expect(() => readPipelineConfig({ GONKA_TIMEOUT_MS: 'soon' })).toThrow(/GONKA_TIMEOUT_MS/);
    expect(() => readPipelineConfig({ GONKA_FIRST_EPOCH: '-3' })).toThrow(/GONKA_FIRST_EPOCH/);
  });
});
