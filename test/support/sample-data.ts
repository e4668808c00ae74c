/** Data from the bundled sample chain, made by the real data step, for tests that build the site. */
import path from 'node:path';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { closeNodes, createSampleChain, startSampleNodes } from '../../scripts/sample-chain/index.ts';

/** Runs the data step against the default sample chain into `dir`/data (as `npm run data` does) and returns that folder. */
export async function sampleChainData(dir: string): Promise<string> {
  const chain = createSampleChain();
  const nodes = await startSampleNodes(chain);
  try {
    const config = readPipelineConfig({ GONKA_API_URLS: nodes.map((n) => n.url).join(',') }, dir);
    await runPipeline({ config, source: 'sample', now: () => new Date(chain.nowMs) });
  } finally {
    await closeNodes(nodes);
  }
  return path.join(dir, 'data');
}
