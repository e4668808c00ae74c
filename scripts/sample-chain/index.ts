/**
 * Bundled sample chain: a deterministic, mainnet-shaped Gonka history and a
 * fake node serving it over HTTP in the exact real formats (see
 * docs/chain-api.md and docs/sample-chain.md). Test and sample tooling only;
 * the client in src/ never imports it.
 */
export { createSampleChain, sampleUpgradeHeight, sampleUpgrades } from './chain.ts';
export type { EpochHeights, SampleChain, SampleChainFeatures, SampleChainOptions, SampleUpgrade, ScriptedModel } from './chain.ts';
export { startFakeNode } from './server.ts';
export { closeNodes, startSampleNodes } from './nodes.ts';
export type { FakeNode, FakeNodeOptions, RecordedRequest } from './server.ts';
export type { Fault, FaultRule } from './faults.ts';
export type { FakeRequest } from './routes.ts';
export type { FakeResponse } from './responses.ts';
export type { BlockUsage, ModelUsage } from './usage.ts';
