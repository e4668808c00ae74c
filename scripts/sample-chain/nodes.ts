/**
 * The sample chain as `npm run data` and the site tests fetch it: two fake nodes
 * of one chain, the first with its usage store switched off as on nodes with the
 * default configuration, the second with it on, so the client's failover and the
 * "store disabled" answer are part of every sample build.
 */
import type { SampleChain } from './chain.ts';
import { startFakeNode, type FakeNode } from './server.ts';

/** Starts both nodes on loopback; close them with `closeNodes`. */
export async function startSampleNodes(chain: SampleChain): Promise<FakeNode[]> {
  return Promise.all([startFakeNode(chain, { statsStorage: false }), startFakeNode(chain, { statsStorage: true })]);
}

/** Closes what `startSampleNodes` started. */
export async function closeNodes(nodes: FakeNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.close()));
}
