/**
 * The benchmark's handle on a fake node running in its own process
 * (fake-node-main.ts): start it, read its request log, stop it.
 */
import path from 'node:path';
import type { RecordedRequest } from '../sample-chain/index.ts';
import { collectOutput, forkTs } from './proc.ts';

/** What the fake node serves and how it paces answers. */
export interface FakeNodeSpec {
  seed: number;
  currentEpoch: number;
  hosts: number;
  models: number;
  latencyMs: number;
  /** Bytes per second per answer; 0 = unlimited. */
  bandwidth: number;
}

/** A fake node in a child process. */
export interface ChainServer {
  url: string;
  /** The chain's fixed clock (fetched_at of the snapshots). */
  nowMs: number;
  /** Every request served so far, in arrival order. */
  requests(): Promise<RecordedRequest[]>;
  /** The node process's CPU time so far (it shares the machine's cores with the measured step). */
  cpuMs(): Promise<number>;
  /** Forgets the request log. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const MAIN = path.join(import.meta.dirname, 'fake-node-main.ts');

/** Starts a fake node process for `spec` and waits until it listens. */
export async function startChainServer(spec: FakeNodeSpec): Promise<ChainServer> {
  const child = forkTs(MAIN, [JSON.stringify(spec)]);
  const output = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { kind: string }) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) => reject(new Error(`fake node exited (${code}) while waiting for ${kind}:\n${output().slice(-4000)}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next<{ url: string; nowMs: number }>('ready');
  return {
    url: ready.url,
    nowMs: ready.nowMs,
    async requests() {
      const reply = next<{ requests: RecordedRequest[] }>('requests');
      child.send({ kind: 'requests' });
      return (await reply).requests;
    },
    async cpuMs() {
      const reply = next<{ cpuMs: number }>('cpu');
      child.send({ kind: 'cpu' });
      return (await reply).cpuMs;
    },
    async reset() {
      const reply = next('reset');
      child.send({ kind: 'reset' });
      await reply;
    },
    async close() {
      if (child.exitCode === null && child.connected) child.send({ kind: 'close' });
      await exited;
    },
  };
}
