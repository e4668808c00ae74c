/**
 * CLI: serve a sample chain until killed.
 *   npx tsx scripts/sample-chain/serve.ts [--port N] [--epochs N] [--seed N] [--hosts N]
 * `--epochs` is the current epoch (default 36).
 */
import { parseArgs } from 'node:util';
import { createSampleChain, startFakeNode } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    hosts: { type: 'string' },
    host: { type: 'string' },
  },
});

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const chain = createSampleChain({
  ...(values.epochs !== undefined ? { currentEpoch: num(values.epochs)! } : {}),
  ...(values.seed !== undefined ? { seed: num(values.seed)! } : {}),
  ...(values.hosts !== undefined ? { maxHosts: num(values.hosts)! } : {}),
});
const node = await startFakeNode(chain, {
  ...(values.port !== undefined ? { port: num(values.port)! } : {}),
  ...(values.host !== undefined ? { host: values.host } : {}),
});
console.log(node.url);
console.error(
  `sample chain: seed ${chain.options.seed}, current epoch ${chain.currentEpoch}, latest height ${chain.latestHeight}, ` +
    `now ${new Date(chain.nowMs).toISOString()}, lowest height ${chain.lowestHeight}`,
);
const stop = () => void node.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
