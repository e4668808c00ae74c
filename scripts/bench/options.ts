/**
 * The benchmark's parameters: defaults at the size docs/performance.md sets its
 * targets for (400 epochs × 500 hosts, 50 ms per request, 3 runs, concurrency 6),
 * `--quick` for a smoke run, and the command-line parser behind `npm run bench -- …`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

/** Everything one benchmark run is parameterised by. */
export interface BenchOptions {
  /** Current epoch of the generated chain (the chain has epochs 1…epochs). */
  epochs: number;
  /** Hosts per epoch once growth saturates. */
  hosts: number;
  /** Models in the sample chain: the six scripted ones plus extras registered in epoch 34. */
  models: number;
  seed: number;
  /** Added by the fake node before every answer. */
  latencyMs: number;
  /** Pace of each answer's body in bytes/s; 0 = unlimited. */
  bandwidth: number;
  /** Runs of the data-step and floor measurements (median reported). */
  runs: number;
  /** Runs of each `astro build` size (the slowest step; median reported). */
  buildRuns: number;
  /** GONKA_CONCURRENCY of the data step, and the floor's parallel downloads. */
  concurrency: number;
  /** Epoch counts the site is built at to show growth (the largest is `epochs`). */
  sizes: number[];
  /** Where chains' caches, data and builds go (wiped first). */
  workDir: string;
  /** The results table. */
  resultsFile: string;
  quick: boolean;
  /** Keep the work folder afterwards (to inspect builds). */
  keep: boolean;
  /** One extra cold data step under `--cpu-prof`, summarised in the results. */
  profile: boolean;
  /** The command line, as the results show it. */
  command: string;
}

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The full-size defaults (docs/performance.md, "Targets"). */
export const DEFAULTS = {
  epochs: 400,
  hosts: 500,
  models: 8,
  seed: 42,
  latencyMs: 50,
  bandwidth: 0,
  runs: 3,
  concurrency: 6,
} as const;

/**
 * `--preset`: mainnet as it is now (460 epochs, about 100 hosts, the sample chain's
 * scripted registry: the two or three hosted models and the history's others, a
 * real node's round trip), in a year at two epochs a day (1,000 epochs), and the
 * stress shape the data-step targets were set for (400 × 500, 8 models).
 */
export const PRESETS = {
  now: { epochs: 460, hosts: 100, models: 6, latencyMs: 80 },
  year: { epochs: 1000, hosts: 100, models: 6, latencyMs: 80 },
  stress: { epochs: DEFAULTS.epochs, hosts: DEFAULTS.hosts, models: DEFAULTS.models, latencyMs: DEFAULTS.latencyMs },
} as const;

/** `--quick`: a smoke run of a minute or so. */
export const QUICK = { epochs: 40, hosts: 60, runs: 1 } as const;

const HELP = `npm run bench -- [options]
  --epochs N        current epoch of the generated chain (default ${DEFAULTS.epochs}; quick ${QUICK.epochs})
  --hosts N         hosts per epoch at saturation (default ${DEFAULTS.hosts}; quick ${QUICK.hosts})
  --models N        models wanted (default ${DEFAULTS.models}; the sample chain's registry is scripted, see results)
  --seed N          chain seed (default ${DEFAULTS.seed})
  --latency MS      fake node latency per request (default ${DEFAULTS.latencyMs})
  --bandwidth B/S   fake node pace per answer body, bytes/s, 0 = unlimited (default 0)
  --runs N          runs of the data step and floor, median reported (default ${DEFAULTS.runs}; quick 1)
  --build-runs N    runs of each astro build size and of Pagefind (default: --runs)
  --concurrency N   GONKA_CONCURRENCY and floor parallelism (default ${DEFAULTS.concurrency})
  --sizes A,B,C     epoch counts to build the site at (default epochs/4, epochs/2, epochs)
  --out FILE        results file (default bench/results.md; with --preset now or year, bench/results-<preset>.md)
  --work DIR        work folder, wiped first (default bench/out/run)
  --preset NAME     now (460 epochs × 100 hosts, 6 models, 80 ms), year (1,000 epochs, otherwise as now)
                    or stress (the defaults); the options above override it
  --quick           ${QUICK.epochs} epochs × ${QUICK.hosts} hosts, 1 run: a smoke run
  --keep            keep the work folder
  --profile         one extra cold data step under --cpu-prof; the results show where its time went
`;

function whole(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new Error(`--${name}=${raw}: expected a whole number ≥ ${min}`);
  return n;
}

/** Parses `argv` (without node and script); throws with a message on a bad value, returns null for --help. */
export function parseBenchArgs(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      epochs: { type: 'string' },
      hosts: { type: 'string' },
      models: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      bandwidth: { type: 'string' },
      runs: { type: 'string' },
      'build-runs': { type: 'string' },
      concurrency: { type: 'string' },
      sizes: { type: 'string' },
      out: { type: 'string' },
      work: { type: 'string' },
      preset: { type: 'string' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return null;
  }
  const quick = values.quick ?? false;
  if (values.preset !== undefined && !Object.hasOwn(PRESETS, values.preset)) {
    throw new Error(`--preset=${values.preset}: expected one of ${Object.keys(PRESETS).join(', ')}`);
  }
  const preset = PRESETS[(values.preset ?? 'stress') as keyof typeof PRESETS];
  const epochs = whole('epochs', values.epochs, quick ? QUICK.epochs : preset.epochs, 4);
  const runs = whole('runs', values.runs, quick ? QUICK.runs : DEFAULTS.runs, 1);
  const buildRuns = whole('build-runs', values['build-runs'], runs, 1);
  const sizes = values.sizes
    ? values.sizes.split(',').map((s) => whole('sizes', s.trim(), 0, 4))
    : [Math.round(epochs / 4), Math.round(epochs / 2), epochs];
  const uniqueSizes = [...new Set(sizes.map((s) => Math.max(4, Math.min(s, epochs))))].sort((a, b) => a - b);
  if (uniqueSizes.at(-1) !== epochs) uniqueSizes.push(epochs); // the full size is always built: wire and browser use it
  return {
    epochs,
    hosts: whole('hosts', values.hosts, quick ? QUICK.hosts : preset.hosts, 11),
    models: whole('models', values.models, preset.models, 1),
    seed: whole('seed', values.seed, DEFAULTS.seed, 0),
    latencyMs: whole('latency', values.latency, preset.latencyMs, 0),
    bandwidth: whole('bandwidth', values.bandwidth, DEFAULTS.bandwidth, 0),
    runs,
    buildRuns,
    concurrency: whole('concurrency', values.concurrency, DEFAULTS.concurrency, 1),
    sizes: uniqueSizes,
    workDir: path.resolve(values.work ?? path.join(ROOT, 'bench/out/run')),
    // Each depth keeps its own results file, so a preset run never replaces the stress run's.
    resultsFile: path.resolve(values.out ?? path.join(ROOT, values.preset && values.preset !== 'stress' ? `bench/results-${values.preset}.md` : 'bench/results.md')),
    quick,
    keep: values.keep ?? false,
    profile: values.profile ?? false,
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
  };
}
