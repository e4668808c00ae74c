/**
 * The benchmark run: cold data steps interleaved with download-floor runs (so
 * both see the same load on a shared machine), warm rebuilds with one new
 * epoch, astro builds at several sizes, Pagefind, bytes on the wire, and the
 * browser checks. Every measured step runs in its own process; the fake node
 * runs in another.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UPGRADE_NAMES } from '../../src/aggregate/upgrades.ts';
import { createSampleChain, sampleUpgradeHeight, type RecordedRequest } from '../sample-chain/index.ts';
import { measureInBrowser } from './browser.ts';
import { diffBuilds, pageWeights, pagesToWeigh } from './depth.ts';
import { measureFirstPaint, type PaintRun } from './paint.ts';
import { startChainServer, type FakeNodeSpec } from './chain-server.ts';
import type { InflightFigures } from './inflight.ts';
import { ROOT, type BenchOptions } from './options.ts';
import { summariseProfile } from './profile.ts';
import { runTsStep } from './proc.ts';
import { countKinds, epochNamed, minimalWarmCounts, totalOf, type KindCounts, type WarmEpochs } from './request-kinds.ts';

import { checkTargets, measured, type BenchResults, type BuildFigures, type StepFigures } from './results.ts';
import { astroBuild, folderSize, pagefind, type AstroBuild } from './site.ts';
import type { DataStepRequest, FloorStepRequest, StepReport } from './step-main.ts';
import { GZIP_LEVEL, pageWire, tableRowsInHtml } from './wire.ts';

/** The sample chain's `models_all` page size (its default). */
const REGISTRY_PAGE_SIZE = 2;

const STEP_MAIN = path.join(import.meta.dirname, 'step-main.ts');

/** A progress line for the console. */
export type Log = (line: string) => void;

function specFor(o: BenchOptions, currentEpoch: number): FakeNodeSpec {
  return { seed: o.seed, currentEpoch, hosts: o.hosts, models: o.models, latencyMs: o.latencyMs, bandwidth: o.bandwidth };
}

const stepFigures = (reports: { wallMs: number; cpuMs: number; rssBytes: number }[]): StepFigures => ({
  wallMs: measured(reports.map((r) => r.wallMs)),
  cpuMs: measured(reports.map((r) => r.cpuMs)),
  rssBytes: measured(reports.map((r) => r.rssBytes)),
});

const fromStep = (r: StepReport) => ({ wallMs: r.elapsedMs, cpuMs: r.cpuMs, rssBytes: r.maxRssBytes });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sameCounts = (a: KindCounts, b: KindCounts) => JSON.stringify(a) === JSON.stringify(b);

/** One data step in its own process against a fresh fake node; returns its report and the node's request log. */
async function dataStep(
  o: BenchOptions,
  currentEpoch: number,
  dir: string,
  nodeFlags: string[] = [],
): Promise<{ report: StepReport; requests: RecordedRequest[]; nodeCpuMs: number }> {
  const node = await startChainServer(specFor(o, currentEpoch));
  try {
    const request: DataStepRequest = {
      step: 'data',
      url: node.url,
      nowMs: node.nowMs,
      cachePath: path.join(dir, 'cache.sqlite'),
      dataDir: path.join(dir, 'data'),
      concurrency: o.concurrency,
    };
    const report = await runTsStep<StepReport>(STEP_MAIN, request, nodeFlags);
    return { report, requests: await node.requests(), nodeCpuMs: await node.cpuMs() };
  } finally {
    await node.close();
  }
}

/** The floor in its own process against a fresh fake node (same rendering work on the node as the cold run). */
async function floorStep(o: BenchOptions, requests: RecordedRequest[]): Promise<StepReport> {
  const node = await startChainServer(specFor(o, o.epochs));
  try {
    const request: FloorStepRequest = {
      step: 'floor',
      url: node.url,
      concurrency: o.concurrency,
      requests: requests.map((r) => ({ path: r.path, query: r.query, ...(r.heightHeader !== undefined ? { heightHeader: r.heightHeader } : {}) })),
    };
    return await runTsStep<StepReport>(STEP_MAIN, request);
  } finally {
    await node.close();
  }
}

/** Copies a finished run's cache and data into a fresh folder (each warm run starts from the same state). */
function copyRun(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  fs.copyFileSync(path.join(from, 'cache.sqlite'), path.join(to, 'cache.sqlite'));
  fs.cpSync(path.join(from, 'data'), path.join(to, 'data'), { recursive: true });
}

function gitFacts(): { commit: string; dirtyFiles: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return { commit, dirtyFiles: dirty };
  } catch {
    return { commit: 'unknown', dirtyFiles: 0 };
  }
}

/** Runs the whole benchmark with `o` and returns every figure. */
export async function runBench(o: BenchOptions, log: Log): Promise<BenchResults> {
  const started = performance.now();
  const loadStart = os.loadavg()[0]!;
  fs.rmSync(o.workDir, { recursive: true, force: true });
  fs.mkdirSync(o.workDir, { recursive: true });
  const work = (...p: string[]) => path.join(o.workDir, ...p);

  // 1. Cold data steps, each followed by a floor run replaying the first cold run's requests.
  const coldRuns: { wallMs: number; cpuMs: number; rssBytes: number }[] = [];
  const floorRuns: { wallMs: number; cpuMs: number; rssBytes: number }[] = [];
  const nodeCpu: number[] = [];
  const inflight: InflightFigures[] = [];
  let memoryPeaks: Record<string, number> = {};
  let peakRss = 0;
  let coldRequests: RecordedRequest[] = [];
  let coldCounts: KindCounts | null = null;
  let sameEveryRun = true;
  let floorBytes = 0;
  for (let i = 0; i < o.runs; i++) {
    const dir = work('cold');
    fs.rmSync(dir, { recursive: true, force: true });
    const cold = await dataStep(o, o.epochs, dir);
    coldRuns.push(fromStep(cold.report));
    nodeCpu.push(cold.nodeCpuMs);
    inflight.push(cold.report.detail.inflight as InflightFigures);
    if (cold.report.maxRssBytes > peakRss) {
      peakRss = cold.report.maxRssBytes;
      memoryPeaks = cold.report.detail.memoryPeaks as Record<string, number>;
    }
    const counts = countKinds(cold.requests);
    if (coldCounts && !sameCounts(coldCounts, counts)) sameEveryRun = false;
    if (!coldCounts) {
      coldCounts = counts;
      coldRequests = cold.requests;
    }
    log(`cold data step ${i + 1}/${o.runs}: ${seconds(cold.report.elapsedMs)}, ${cold.requests.length} requests, peak RSS ${(cold.report.maxRssBytes / 2 ** 20).toFixed(0)} MB`);
    const floor = await floorStep(o, coldRequests);
    floorRuns.push(fromStep(floor));
    floorBytes = Number(floor.detail.bodyBytes);
    log(`download floor ${i + 1}/${o.runs}: ${seconds(floor.elapsedMs)}, ${(floorBytes / 2 ** 20).toFixed(1)} MB`);
  }
  const coldDir = work('cold');

  // 1b. With --profile, one more cold run under the V8 profiler (not counted in the figures above).
  let profile: BenchResults['cold']['profile'] = null;
  if (o.profile) {
    const dir = work('profile');
    const prof = await dataStep(o, o.epochs, dir, ['--cpu-prof', '--cpu-prof-dir', path.join(dir, 'cpuprofile')]);
    const file = fs.readdirSync(path.join(dir, 'cpuprofile')).find((f) => f.endsWith('.cpuprofile'))!;
    profile = { ...summariseProfile(path.join(dir, 'cpuprofile', file)), wallMs: prof.report.elapsedMs };
    log(`profiled cold data step: ${seconds(prof.report.elapsedMs)}, profile in ${path.join(dir, 'cpuprofile', file)}`);
  }

  // 2. Warm rebuilds: the cold run's cache and data, the chain one epoch further.
  const warmRuns: { wallMs: number; cpuMs: number; rssBytes: number }[] = [];
  let warmRequests: RecordedRequest[] = [];
  for (let i = 0; i < o.runs; i++) {
    const dir = work('warm');
    copyRun(coldDir, dir);
    const warm = await dataStep(o, o.epochs + 1, dir);
    warmRuns.push(fromStep(warm.report));
    if (warm.requests.length >= warmRequests.length) warmRequests = warm.requests; // judge the worst run
    log(`warm rebuild ${i + 1}/${o.runs}: ${seconds(warm.report.elapsedMs)}, ${warm.requests.length} requests`);
  }
  const readEpoch = (n: number) =>
    JSON.parse(fs.readFileSync(work('warm', 'data', 'epochs', `${n}.json`), 'utf8')) as {
      usage_source: string | null;
      models: { registry_status: string; params_source: { kind: string }; weight_scale: { source: string } }[];
    };
  const newCurrent = readEpoch(o.epochs + 1);
  const finished = readEpoch(o.epochs);
  const groupsOf = (e: typeof newCurrent) => e.models.filter((m) => m.params_source.kind === 'epoch_snapshot').length;
  const pagesOf = (e: typeof newCurrent) => Math.max(1, Math.ceil(e.models.filter((m) => m.registry_status === 'listed').length / REGISTRY_PAGE_SIZE));
  const coldLatest = createSampleChain({ seed: o.seed, currentEpoch: o.epochs, maxHosts: o.hosts, models: o.models }).latestHeight;
  const warmEpochs: WarmEpochs = {
    currentGroups: groupsOf(newCurrent),
    finishedGroups: groupsOf(finished),
    currentRegistryPages: pagesOf(newCurrent),
    finishedRegistryPages: pagesOf(finished),
    currentParams: newCurrent.models.some((m) => m.weight_scale.source.startsWith('params_')),
    currentUsage: newCurrent.usage_source === null ? 0 : 1,
    finishedUsage: finished.usage_source === null ? 0 : 1,
    pendingUpgrades: UPGRADE_NAMES.filter((name) => sampleUpgradeHeight(name) > coldLatest).length,
  };
  // Requests about epochs that had finished before the cache was filled: there must be none.
  const finishedEpochRequests = warmRequests.filter((r) => {
    const e = epochNamed(r.path);
    return e !== null && e < o.epochs;
  }).length;

  // 3. Data for the smaller site sizes: the chain's history is prefix-consistent, so the
  // cold cache serves every finished epoch and only the current one is fetched.
  const dataDirs = new Map<number, string>([[o.epochs, path.join(coldDir, 'data')]]);
  for (const size of o.sizes.filter((s) => s !== o.epochs)) {
    const dir = work(`data-${size}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(coldDir, 'cache.sqlite'), path.join(dir, 'cache.sqlite'));
    await dataStep(o, size, dir);
    fs.rmSync(path.join(dir, 'cache.sqlite'));
    dataDirs.set(size, path.join(dir, 'data'));
  }

  // 4. astro build at each size. The out folders are inside the project on purpose: astro
  // puts its prerender bundle in <out>/.prerender when <out> is inside the working
  // directory, but in the shared <project>/.astro/.prerender otherwise, where builds
  // running at the same time (tests) would delete each other's files.
  const builds: BuildFigures[] = [];
  for (const size of o.sizes) {
    const runs: { wallMs: number; cpuMs: number; rssBytes: number }[] = [];
    let last: AstroBuild | null = null;
    for (let i = 0; i < o.buildRuns; i++) {
      const b = await astroBuild(dataDirs.get(size)!, work(`site-${size}`));
      runs.push({ wallMs: b.wallMs, cpuMs: b.cpuMs, rssBytes: b.peakRssBytes });
      last = b;
      log(`astro build, ${size} epochs, ${i + 1}/${o.buildRuns}: ${seconds(b.wallMs)}, ${b.pages} pages, peak RSS ${(b.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
    }
    const f = stepFigures(runs);
    const pages = last!.pages;
    builds.push({
      ...f,
      epochs: size,
      pages,
      msPerPage: f.wallMs.median / pages,
      pagesPerSecond: pages / (f.wallMs.median / 1000),
      generateMs: last!.generateMs,
      routes: last!.routes,
    });
    if (size !== o.epochs) fs.rmSync(work(`site-${size}`), { recursive: true, force: true });
  }
  const marginalMsPerPage = builds.slice(1).map((b, i) => {
    const a = builds[i]!;
    const pages = Math.max(1, b.pages - a.pages);
    return { from: a.epochs, to: b.epochs, wallMs: (b.wallMs.median - a.wallMs.median) / pages, cpuMs: (b.cpuMs.median - a.cpuMs.median) / pages };
  });

  // 5. Pagefind over the full-size site (rerunning it replaces its own index).
  const site = work(`site-${o.epochs}`);
  const pagefindRuns: { wallMs: number; cpuMs: number; rssBytes: number }[] = [];
  for (let i = 0; i < o.buildRuns; i++) {
    const p = await pagefind(site);
    pagefindRuns.push({ wallMs: p.wallMs, cpuMs: p.cpuMs, rssBytes: p.peakRssBytes });
    log(`pagefind ${i + 1}/${o.buildRuns}: ${seconds(p.wallMs)}`);
  }
  const dist = folderSize(site);

  // 5b. One new epoch: the site built again from the warm rebuild's data (the same cache, one
  // epoch further) and indexed, compared file by file with the full-size build.
  const next = work('site-next');
  await astroBuild(work('warm', 'data'), next);
  await pagefind(next);
  const newEpoch = diffBuilds(site, next, o.epochs);
  const changedCount = Object.values(newEpoch.kinds).reduce((a, k) => a + k.files, 0);
  log(`new epoch: ${changedCount} files changed or added in dist/, ${newEpoch.kinds['finished epoch page'].files + newEpoch.kinds['finished epoch file'].files} of them finished-epoch files`);
  fs.rmSync(next, { recursive: true, force: true });

  // 6. Bytes on the wire: `/` and the newest finished epoch's page.
  const epochPage = `/epochs/${o.epochs - 1}/`;
  const home = pageWire(site, '/');
  const current = JSON.parse(fs.readFileSync(path.join(site, 'v1/models/current.json'), 'utf8')) as { models: unknown[] };
  const homeTableRows = tableRowsInHtml(fs.readFileSync(path.join(site, 'index.html'), 'utf8'));
  const wire = { home, epoch: pageWire(site, epochPage), homeTableRows, homeModels: current.models.length };
  log(`wire: / HTML ${(home.html.gzip / 1024).toFixed(1)} KB, CSS ${(home.cssGzip / 1024).toFixed(1)} KB, JS ${(home.jsGzip / 1024).toFixed(1)} KB gzip`);

  // 7. Browser: layout shift and the refresh's 304s.
  const browser = await measureInBrowser(site, epochPage);
  log(`browser: hydration CLS max ${Math.max(...browser.hydration.map((s) => s.cls)).toFixed(4)}, refreshes ${browser.refresh.refreshes.map((r) => r.status).join(', ')}`);

  // 7b. Page weights and heights, and first paint on a slow link.
  const pages = await pageWeights(site, pagesToWeigh(site, o.epochs));
  log(`pages: ${pages.map((p) => `${p.page} ${(p.htmlGzip / 1024).toFixed(1)} KB, ${p.desktopPx} px`).join('; ')}`);
  const paint = await measureFirstPaint(site, o.quick ? 1 : 5);
  const paintRuns = (runs: PaintRun[]) => runs.map((r) => `${r.topRowMs.toFixed(0)} ms (${r.ratio.toFixed(2)}× the HTML's ${r.htmlEndMs.toFixed(0)} ms)`).join(', ');
  log(`first paint: top row at ${paintRuns(paint.runs)}; a one-row page: ${paintRuns(paint.floor)}`);

  // The current epoch's size, for the parameters table.
  const currentSnap = JSON.parse(fs.readFileSync(path.join(coldDir, 'data', 'epochs', `${o.epochs}.json`), 'utf8')) as {
    totals: { hosts: number };
    models: unknown[];
  };
  const participantsBodyBytes = await currentParticipantsBytes(o);

  const results: Omit<BenchResults, 'targets'> = {
    meta: {
      command: o.command,
      date: new Date().toISOString(),
      ...gitFacts(),
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadStart,
      loadEnd: os.loadavg()[0]!,
      totalMs: performance.now() - started,
    },
    params: {
      epochs: o.epochs,
      hosts: o.hosts,
      modelsAsked: o.models,
      modelsInChain: currentSnap.models.length,
      hostsInCurrentEpoch: currentSnap.totals.hosts,
      participantsBodyBytes,
      seed: o.seed,
      latencyMs: o.latencyMs,
      bandwidth: o.bandwidth,
      runs: o.runs,
      buildRuns: o.buildRuns,
      concurrency: o.concurrency,
      gzipLevel: GZIP_LEVEL,
    },
    cold: {
      ...stepFigures(coldRuns),
      requests: coldCounts!,
      totalRequests: totalOf(coldCounts!),
      sameRequestsEveryRun: sameEveryRun,
      nodeCpuMs: measured(nodeCpu),
      inflight,
      memoryPeaks,
      profile,
    },
    floor: {
      ...stepFigures(floorRuns),
      bodyBytes: floorBytes,
      requests: coldRequests.length,
      ratio: measured(coldRuns.map((r) => r.wallMs)).median / measured(floorRuns.map((r) => r.wallMs)).median,
    },
    warm: {
      ...stepFigures(warmRuns),
      requests: countKinds(warmRequests),
      totalRequests: warmRequests.length,
      minimal: minimalWarmCounts(warmEpochs),
      finishedEpochRequests,
    },
    builds,
    marginalMsPerPage,
    pagefind: stepFigures(pagefindRuns),
    dist,
    wire,
    browser,
    newEpoch,
    pages,
    paint,
  };
  if (!o.keep) {
    // The profile stays: it is the evidence behind the results' profile section.
    for (const name of fs.readdirSync(o.workDir)) if (name !== 'profile') fs.rmSync(work(name), { recursive: true, force: true });
    if (o.profile) fs.rmSync(work('profile', 'data'), { recursive: true, force: true });
    fs.rmSync(work('profile', 'cache.sqlite'), { force: true });
  }
  return { ...results, targets: checkTargets(results) };
}

/** Size of the current epoch's participants answer (the largest body a run fetches). */
async function currentParticipantsBytes(o: BenchOptions): Promise<number> {
  const node = await startChainServer({ ...specFor(o, o.epochs), latencyMs: 0, bandwidth: 0 });
  try {
    const res = await fetch(`${node.url}/v1/epochs/current/participants`);
    return (await res.arrayBuffer()).byteLength;
  } finally {
    await node.close();
  }
}
