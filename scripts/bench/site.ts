/**
 * The site steps, measured as separate processes: `astro build` (the CLI, as
 * `npm run build:site` runs it) from a data folder into an out folder, then the
 * Pagefind binary over that folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, runMeasured, type MeasuredCommand } from './proc.ts';
import { ROOT } from './options.ts';

const ASTRO = path.join(ROOT, 'node_modules/astro/bin/astro.mjs');

/** Time astro spent generating one kind of route (from its per-route log lines). */
export interface RouteCost {
  kind: string;
  count: number;
  ms: number;
}

/** One astro build: time, pages written, peak RSS, and where the generation time went. */
export interface AstroBuild {
  wallMs: number;
  cpuMs: number;
  pages: number;
  peakRssBytes: number;
  /** astro's own "generating static routes … Completed in" figure (ms), null if not found. */
  generateMs: number | null;
  routes: RouteCost[];
}

const ROUTE_KINDS: [string, RegExp][] = [
  ['epoch pages', /^\/epochs\/\d+\/index\.html$/],
  ['epoch JSON', /^\/v1\/models\/epochs\/\d+\.json$/],
  ['epoch CSV', /^\/v1\/models\/epochs\/\d+\.csv$/],
  ['model pages', /^\/models\/.+\/index\.html$/],
  ['model JSON', /^\/v1\/models\/(?!epochs[./]|current\.json|schema\.json).+\.json$/],
];

const toMs = (n: string, unit: string) => Number(n) * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1);

/** Sums astro's per-route timings (`├─ /path (+12ms)`) by kind of route. */
export function routeCosts(output: string): RouteCost[] {
  const costs = new Map<string, RouteCost>();
  for (const m of output.matchAll(/[├└]─ (\S+) \(\+(\d+(?:\.\d+)?)(ms|s|m)\)/g)) {
    const kind = ROUTE_KINDS.find(([, re]) => re.test(m[1]!))?.[0] ?? 'other';
    const c = costs.get(kind) ?? { kind, count: 0, ms: 0 };
    c.count++;
    c.ms += toMs(m[2]!, m[3]!);
    costs.set(kind, c);
  }
  return [...costs.values()].sort((a, b) => b.ms - a.ms);
}

/** astro's "generating static routes" phase time from its output. */
function generatePhaseMs(output: string): number | null {
  const m = /generating static routes[\s\S]*?Completed in (\d+(?:\.\d+)?)(ms|s|m)/.exec(output);
  return m ? toMs(m[1]!, m[2]!) : null;
}

/** Every file under `dir`, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

function check(what: string, r: MeasuredCommand): void {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.output.slice(-6000)}`);
}

/** Builds the site from `dataDir` into a fresh `outDir` and counts its HTML pages. */
export async function astroBuild(dataDir: string, outDir: string): Promise<AstroBuild> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const r = await runMeasured(ASTRO, ['build', '--outDir', outDir], { node: true, env: cleanEnv({ GONKA_DATA_DIR: dataDir }) });
  check(`astro build of ${dataDir}`, r);
  const pages = filesUnder(outDir).filter((f) => f.endsWith('.html')).length;
  // astro colours its output when it thinks the terminal can show it.
  const plain = r.output.replace(/\x1b\[[0-9;]*m/g, '');
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, pages, peakRssBytes: r.peakRssBytes, generateMs: generatePhaseMs(plain), routes: routeCosts(plain) };
}

/** The Pagefind binary the npm wrapper would run (run directly so its own RSS is what is watched). */
async function pagefindBinary(): Promise<string> {
  const { resolveBinaryPath } = (await import(path.join(ROOT, 'node_modules/pagefind/lib/resolveBinary.js'))) as {
    resolveBinaryPath(names: string[]): string;
  };
  return resolveBinaryPath(['pagefind_extended', 'pagefind']);
}

/** Indexes `outDir` with Pagefind (as scripts/site-build.ts does). */
export async function pagefind(outDir: string): Promise<{ wallMs: number; cpuMs: number; peakRssBytes: number }> {
  const r = await runMeasured(await pagefindBinary(), ['--site', outDir], { env: cleanEnv() });
  check(`pagefind --site ${outDir}`, r);
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssBytes: r.peakRssBytes };
}

/** Total bytes and file count of a folder. */
export function folderSize(dir: string): { bytes: number; files: number } {
  const files = filesUnder(dir);
  return { bytes: files.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0), files: files.length };
}
