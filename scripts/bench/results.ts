/**
 * The shape of one benchmark's figures (written as JSON beside the Markdown
 * table), the median helper every repeated measurement goes through, and the
 * targets of docs/performance.md ("Targets") evaluated against the figures.
 */
import type { BrowserFigures } from './browser.ts';
import type { ChangedFiles, PageWeight } from './depth.ts';
import type { PaintFigures } from './paint.ts';
import type { InflightFigures } from './inflight.ts';
import type { ProfileSummary } from './profile.ts';
import type { RouteCost } from './site.ts';
import type { KindCounts } from './request-kinds.ts';
import type { PageWire } from './wire.ts';

/** A repeated measurement: every run and the median. */
export interface Measured {
  median: number;
  runs: number[];
}

/** Median of the runs (mean of the middle two for an even count). */
export function measured(runs: number[]): Measured {
  const s = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, runs };
}

/** A timed step run several times. */
export interface StepFigures {
  wallMs: Measured;
  cpuMs: Measured;
  rssBytes: Measured;
}

/** One site size: astro build figures. */
export interface BuildFigures extends StepFigures {
  epochs: number;
  pages: number;
  msPerPage: number;
  pagesPerSecond: number;
  /** From the last run: astro's route-generation phase and its time per kind of route. */
  generateMs: number | null;
  routes: RouteCost[];
}

export interface BenchResults {
  meta: {
    command: string;
    date: string;
    commit: string;
    /** Files changed in the checkout when the bench ran (others work in it at the same time). */
    dirtyFiles: number;
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    platform: string;
    /** 1-minute load average at start and end: other work on a shared machine. */
    loadStart: number;
    loadEnd: number;
    totalMs: number;
  };
  params: {
    epochs: number;
    hosts: number;
    modelsAsked: number;
    /** Models in the current epoch's snapshot (the sample chain's registry is scripted). */
    modelsInChain: number;
    /** Hosts and participants body of the current epoch. */
    hostsInCurrentEpoch: number;
    participantsBodyBytes: number;
    seed: number;
    latencyMs: number;
    bandwidth: number;
    runs: number;
    buildRuns: number;
    concurrency: number;
    gzipLevel: number;
  };
  cold: StepFigures & {
    requests: KindCounts;
    totalRequests: number;
    /** True when every run made the same requests per kind. */
    sameRequestsEveryRun: boolean;
    /** CPU the fake node spent serving one cold run (it shares the cores). */
    nodeCpuMs: Measured;
    /** Use of the request slots, per run. */
    inflight: InflightFigures[];
    /** process.memoryUsage() peaks of the run with the highest RSS: live heap vs GC slack. */
    memoryPeaks: Record<string, number>;
    /** With --profile: where an extra cold run's time went. */
    profile: (ProfileSummary & { wallMs: number }) | null;
  };
  floor: StepFigures & { bodyBytes: number; requests: number; ratio: number };
  warm: StepFigures & {
    requests: KindCounts;
    totalRequests: number;
    minimal: KindCounts;
    /** Requests naming an epoch that was already finished and cached (participants, epoch_group_data). */
    finishedEpochRequests: number;
  };
  builds: BuildFigures[];
  /** Added build time per added page between consecutive sizes (ms): flat = linear growth. */
  marginalMsPerPage: { from: number; to: number; wallMs: number; cpuMs: number }[];
  pagefind: StepFigures;
  dist: { bytes: number; files: number };
  wire: { home: PageWire; epoch: PageWire; homeTableRows: number; homeModels: number };
  browser: BrowserFigures;
  /** What one new epoch changes in dist/. */
  newEpoch: ChangedFiles;
  /** Gzip HTML and height of the heaviest page of each kind. */
  pages: PageWeight[];
  /** `/` on a slow link with a slowed CPU. */
  paint: PaintFigures;
  targets: TargetCheck[];
}

/**
 * At most this many files change per new epoch besides Pagefind's index, whatever
 * the depth: per model ever listed its page, its JSON and its newest block (charts
 * and tables reach the current epoch), plus a fixed set (the two epochs' pages and
 * files, the list pages, the newest block of `/epochs/`, `_headers`).
 */
export const changedFilesBound = (models: number) => 3 * models + 24;

/** The slowest acceptable first paint of `/`'s top model row, as a multiple of the HTML's arrival. */
export const PAINT_RATIO_TARGET = 1.3;

/** One performance target and whether this run met it. */
export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

const MB = 1024 * 1024;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const equalCounts = (a: KindCounts, b: KindCounts) => (Object.keys(a) as (keyof KindCounts)[]).every((k) => a[k] === b[k]);

/** Evaluates the performance targets against the figures (sizes scale: "400 × 500" means the run's full size). */
export function checkTargets(r: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const full = r.builds.at(-1)!;
  const growth = r.marginalMsPerPage;
  const linear = growth.length < 2 || growth.at(-1)!.wallMs <= 1.5 * Math.max(growth[0]!.wallMs, 1);
  const hydrationCls = Math.max(...r.browser.hydration.map((s) => s.cls));
  const revalidations = r.browser.refresh.refreshes.slice(1);
  return [
    {
      name: 'Warm rebuild requests',
      target: 'only the current epoch and the new epoch; 0 for cached finished epochs',
      value: `${r.warm.totalRequests} (minimum ${Object.values(r.warm.minimal).reduce((a, b) => a + b, 0)}), ${r.warm.finishedEpochRequests} for cached epochs`,
      met: equalCounts(r.warm.requests, r.warm.minimal) && r.warm.finishedEpochRequests === 0,
    },
    {
      name: 'Cold data step vs download floor',
      target: '≤ 1.5×',
      value: `${r.floor.ratio.toFixed(2)}× (${(r.cold.wallMs.median / 1000).toFixed(1)} s vs ${(r.floor.wallMs.median / 1000).toFixed(1)} s)`,
      met: r.floor.ratio <= 1.5,
    },
    {
      name: 'Data step peak memory',
      target: '≤ 400 MB',
      value: `${(Math.max(...r.cold.rssBytes.runs) / MB).toFixed(0)} MB cold (max of runs), ${(Math.max(...r.warm.rssBytes.runs) / MB).toFixed(0)} MB warm`,
      met: Math.max(...r.cold.rssBytes.runs, ...r.warm.rssBytes.runs) <= 400 * MB,
    },
    {
      name: 'astro build per page',
      target: `≤ 20 ms per page at ${full.epochs} epochs`,
      value: `${full.msPerPage.toFixed(1)} ms (${full.pages} pages in ${(full.wallMs.median / 1000).toFixed(1)} s)`,
      met: full.msPerPage <= 20,
    },
    {
      name: 'astro build growth',
      target: 'linear in epochs',
      value: growth.map((g) => `${g.from}→${g.to}: ${g.wallMs.toFixed(1)} ms/added page`).join(', ') || 'one size only',
      met: linear,
    },
    {
      name: '`/` HTML',
      target: '≤ 25 KB gzip, full table inside',
      value: `${kb(r.wire.home.html.gzip)}, ${r.wire.homeTableRows}/${r.wire.homeModels} rows`,
      met: r.wire.home.html.gzip <= 25 * 1024 && r.wire.homeTableRows === r.wire.homeModels && r.wire.homeModels > 0,
    },
    {
      name: '`/` JS',
      target: '≤ 70 KB gzip',
      value: kb(r.wire.home.jsGzip),
      met: r.wire.home.jsGzip <= 70 * 1024,
    },
    (() => {
      const k = r.newEpoch.kinds;
      const finished = k['finished epoch page'].files + k['finished epoch file'].files;
      const counted = Object.entries(k).filter(([kind]) => kind !== 'Pagefind index').reduce((a, [, v]) => a + v.files, 0);
      const models = r.newEpoch.models;
      return {
        name: 'Files changed by one new epoch',
        target: `no finished-epoch file; at most ${changedFilesBound(models)} others (3 per model ever listed + 24), not growing with epochs`,
        value: `${finished} finished-epoch files, ${counted} in all besides Pagefind's ${k['Pagefind index'].files}`,
        met: finished === 0 && counted <= changedFilesBound(models),
      };
    })(),
    ...r.pages.map((p) => ({
      name: `${p.label} size`,
      target: `≤ ${p.targetGzipKb} KB gzip, ≤ ${p.targetDesktopPx} px tall on a desktop`,
      value: `${kb(p.htmlGzip)}, ${p.desktopPx} px (${p.phonePx} px on a phone)`,
      met: p.htmlGzip <= p.targetGzipKb * 1024 && p.desktopPx <= p.targetDesktopPx,
    })),
    (() => {
      const ratio = measured(r.paint.runs.map((x) => x.ratio)).median;
      return {
        name: 'First paint of the top model row',
        target: `≤ ${PAINT_RATIO_TARGET}× the HTML's arrival (Fast-3G-like link, CPU 4× slower)`,
        value: `${ratio.toFixed(2)}× (median of ${r.paint.runs.length}: ${r.paint.runs.map((x) => `${x.topRowMs.toFixed(0)} / ${x.htmlEndMs.toFixed(0)} ms`).join(', ')}; a one-row page: ${measured(r.paint.floor.map((x) => x.ratio)).median.toFixed(2)}×)`,
        met: ratio <= PAINT_RATIO_TARGET,
      };
    })(),
    {
      name: 'Layout shift at hydration',
      target: 'none',
      value: `CLS ${hydrationCls.toFixed(4)} (max over ${r.browser.hydration.length} visits)`,
      met: hydrationCls === 0,
    },
    {
      name: 'Refresh of unchanged current.json',
      target: 'no body (304)',
      value: r.browser.refresh.refreshes.map((x) => `${x.status}${x.bodyBytes ? ` ${kb(x.bodyBytes)}` : ''}`).join(', '),
      met: revalidations.length > 0 && revalidations.every((x) => x.status === 304 && x.bodyBytes === 0),
    },
  ];
}
