/** Data from the bundled sample chain, made by the real data step, for tests that build the site. */
import path from 'node:path';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { closeNodes, createSampleChain, startSampleNodes, type SampleChainOptions } from '../../scripts/sample-chain/index.ts';

/**
 * Runs the data step against the sample chain (the default one unless `options` say
 * otherwise) into `dir`/data with its cache in `dir`/.cache, as `npm run data` does,
 * and returns the data folder. A second call on the same `dir` is a warm run.
 */
export async function sampleChainData(dir: string, options: SampleChainOptions = {}): Promise<string> {
  const chain = createSampleChain(options);
  const nodes = await startSampleNodes(chain);
  try {
    const config = readPipelineConfig({ GONKA_API_URLS: nodes.map((n) => n.url).join(',') }, dir);
    await runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
  } finally {
    await closeNodes(nodes);
  }
  return path.join(dir, 'data');
}
