/**
 * Child-process entry of the benchmark's fake node: generates the sample chain
 * and serves it on loopback, apart from the measured step, so the node's memory
 * is not counted in the step's RSS and its CPU does not share the step's event
 * loop (it still shares the machine's cores). Talks to the parent over IPC:
 * `ready` with the URL, then answers `requests` (the log), `cpu` (the node's
 * CPU time so far), `reset` and `close`.
 */
import { createSampleChain, startFakeNode } from '../sample-chain/index.ts';
import type { FakeNodeSpec } from './chain-server.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as FakeNodeSpec;
const chain = createSampleChain({ seed: spec.seed, currentEpoch: spec.currentEpoch, maxHosts: spec.hosts, models: spec.models });
const node = await startFakeNode(chain, {
  ...(spec.latencyMs > 0 ? { latencyMs: spec.latencyMs } : {}),
  ...(spec.bandwidth > 0 ? { bytesPerSecond: spec.bandwidth } : {}),
});

process.on('message', async (m: { kind: string }) => {
  if (m.kind === 'requests') process.send!({ kind: 'requests', requests: node.requests });
  if (m.kind === 'cpu') {
    const cpu = process.cpuUsage();
    process.send!({ kind: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  if (m.kind === 'reset') {
    node.resetRequests();
    process.send!({ kind: 'reset' });
  }
  if (m.kind === 'close') {
    await node.close();
    process.disconnect();
    process.exit(0);
  }
});
// Without the parent there is nothing to serve.
process.on('disconnect', () => process.exit(0));
process.send!({ kind: 'ready', url: node.url, nowMs: chain.nowMs, latestHeight: chain.latestHeight });
