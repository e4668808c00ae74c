/**
 * Bundled sample chain: a deterministic, mainnet-shaped Gonka history and a
 * fake node serving it over HTTP in the exact real formats (see
 * the chain API spec kept beside the project, shared/chain-api/SPEC.md). Test and sample tooling only; the client
 * in src/ never imports it.
 */
export { createSampleChain } from './chain.ts';
export type { EpochHeights, SampleChain, SampleChainFeatures, SampleChainOptions } from './chain.ts';
export { startFakeNode } from './server.ts';
export type { FakeNode, FakeNodeOptions, RecordedRequest } from './server.ts';
export type { Fault, FaultRule } from './faults.ts';
export type { FakeRequest } from './routes.ts';
export type { FakeResponse } from './responses.ts';
