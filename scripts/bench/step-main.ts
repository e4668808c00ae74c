/**
 * Child-process entry of one measured step, so each step's peak RSS is its own.
 * The request is a JSON file named by the first argument; the result goes back over IPC with the
 * process's maxRSS, taken after the work, when it covers the whole step.
 *   data:  one data step (runPipeline) against a fake node, timed around the run
 *   floor: the download floor (floor.ts) against a fake node
 */
import fs from 'node:fs';
import path from 'node:path';
import { readPipelineConfig } from '../../src/config/env.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import { downloadFloor, type ReplayRequest } from './floor.ts';
import { trackInflight } from './inflight.ts';

/** A data step: where to fetch from and where cache and data live. */
export interface DataStepRequest {
  step: 'data';
  url: string;
  nowMs: number;
  cachePath: string;
  dataDir: string;
  concurrency: number;
}

/** A floor run: the requests to replay and how many at once. */
export interface FloorStepRequest {
  step: 'floor';
  url: string;
  requests: ReplayRequest[];
  concurrency: number;
}

export type StepRequest = DataStepRequest | FloorStepRequest;

/** What every step reports. */
export interface StepReport {
  elapsedMs: number;
  /** User + system CPU time of the measured part. */
  cpuMs: number;
  maxRssBytes: number;
  /** Step-specific figures. */
  detail: Record<string, unknown>;
}

async function dataStep(r: DataStepRequest): Promise<Omit<StepReport, 'maxRssBytes' | 'cpuMs'>> {
  const config = readPipelineConfig(
    {
      GONKA_API_URLS: r.url,
      GONKA_CACHE_PATH: r.cachePath,
      GONKA_DATA_DIR: r.dataDir,
      GONKA_CONCURRENCY: String(r.concurrency),
    },
    path.dirname(r.dataDir),
  );
  const stopTracking = trackInflight(r.concurrency);
  const started = performance.now();
  const s = await runPipeline({ config, source: 'sample', now: () => new Date(r.nowMs) });
  const elapsedMs = performance.now() - started;
  const inflight = stopTracking();
  return {
    elapsedMs,
    detail: {
      currentEpoch: s.currentEpoch,
      available: s.available,
      unavailable: s.unavailable.length,
      fromCache: s.fromCache,
      computed: s.computed,
      requests: s.requests,
      cacheHits: s.cacheHits,
      inflight,
      written: s.write.written.length,
      unchanged: s.write.unchanged,
    },
  };
}

async function floorStep(r: FloorStepRequest): Promise<Omit<StepReport, 'maxRssBytes' | 'cpuMs'>> {
  const f = await downloadFloor(r.url, r.requests, r.concurrency);
  return { elapsedMs: f.elapsedMs, detail: { requests: f.requests, bodyBytes: f.bodyBytes, statuses: f.statuses } };
}

const request = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as StepRequest;
// Peak of each part of the memory, sampled: with maxRSS it tells live data from GC slack.
const peaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[k] = Math.max(peaks[k], m[k]);
};
const sampler = setInterval(sample, 50);
const cpuBefore = process.cpuUsage();
const out = request.step === 'data' ? await dataStep(request) : await floorStep(request);
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
sample();
const report: StepReport = {
  ...out,
  detail: { ...out.detail, memoryPeaks: peaks },
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
process.send!({ kind: 'result', value: report }, () => process.exit(0));
