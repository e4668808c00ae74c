/**
 * CLI: serve a sample chain until killed.
 *   npx tsx scripts/sample-chain/serve.ts [--port N] [--epochs N] [--seed N] [--hosts N] [--models N] [--page-size N] [--no-stats]
 * `--epochs` is the current epoch (default 44); `--no-stats` makes `/v1/stats/models`
 * answer 500 like a node without stats storage.
 */
import { parseArgs } from 'node:util';
import { createSampleChain, startFakeNode } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    hosts: { type: 'string' },
    models: { type: 'string' },
    'page-size': { type: 'string' },
    'no-stats': { type: 'boolean' },
    host: { type: 'string' },
  },
});

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const chain = createSampleChain({
  ...(values.epochs !== undefined ? { currentEpoch: num(values.epochs)! } : {}),
  ...(values.seed !== undefined ? { seed: num(values.seed)! } : {}),
  ...(values.hosts !== undefined ? { maxHosts: num(values.hosts)! } : {}),
  ...(values.models !== undefined ? { models: num(values.models)! } : {}),
  ...(values['page-size'] !== undefined ? { registryPageSize: num(values['page-size'])! } : {}),
});
const node = await startFakeNode(chain, {
  ...(values.port !== undefined ? { port: num(values.port)! } : {}),
  ...(values.host !== undefined ? { host: values.host } : {}),
  ...(values['no-stats'] ? { statsStorage: false } : {}),
});
console.log(node.url);
console.error(
  `sample chain: seed ${chain.options.seed}, current epoch ${chain.currentEpoch}, latest height ${chain.latestHeight}, ` +
    `now ${new Date(chain.nowMs).toISOString()}, lowest height ${chain.lowestHeight}`,
);
const stop = () => void node.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
