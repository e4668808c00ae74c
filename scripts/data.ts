/**
 * `npm run data`: fetches the chain and writes snapshots under `data/`.
 * With GONKA_API_URLS unset it starts the bundled sample chain on loopback and
 * fetches from it over HTTP through the same client.
 */
import fs from 'node:fs';
import { ConfigError, readPipelineConfig } from '../src/config/env.ts';
import { CacheBusyError } from '../src/cache/store.ts';
import { runPipeline } from '../src/pipeline/run.ts';
import { formatSummary, progressLine } from '../src/pipeline/report.ts';
import { closeNodes, createSampleChain, startSampleNodes, type FakeNode } from './sample-chain/index.ts';

async function main(): Promise<number> {
  const config = readPipelineConfig();
  let nodes: FakeNode[] = [];
  let now: (() => Date) | undefined;
  if (config.apiUrls.length === 0) {
    const chain = createSampleChain();
    nodes = await startSampleNodes(chain);
    config.apiUrls = nodes.map((n) => n.url);
    // The sample chain has a fixed clock, so two runs write byte-identical data/.
    now = () => new Date(chain.nowMs);
    console.error(
      `SAMPLE DATA: GONKA_API_URLS is not set, so this run uses the bundled sample chain at ${config.apiUrls.join(', ')} (generated data, not the real network; the first node has its usage store off, as nodes do by default).`,
    );
  }
  const started = Date.now();
  const tty = process.stderr.isTTY;
  try {
    const summary = await runPipeline({
      config,
      source: nodes.length ? 'sample' : config.apiUrls,
      now,
      onProgress: tty ? (p) => process.stderr.write(`\r${progressLine(p, Date.now() - started)}\x1b[K`) : undefined,
    });
    if (tty) process.stderr.write('\n');
    const text = formatSummary(summary);
    console.log(text);
    // In GitHub Actions the run's figures also go to the job summary.
    if (process.env.GITHUB_STEP_SUMMARY) {
      fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### Data step\n\n\`\`\`\n${text}\n\`\`\`\n`);
    }
    return 0;
  } finally {
    await closeNodes(nodes);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    const known = e instanceof ConfigError || e instanceof CacheBusyError || e.name === 'ChainRequestError';
    console.error(`\ndata step failed; the cache and data/ are unchanged.\n${known ? e.message : (e.stack ?? e.message)}`);
    process.exit(1);
  },
);
