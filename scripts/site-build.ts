/**
 * `npm run build:site`: astro build and the Pagefind index into a fresh folder
 * beside `dist/`, then swapped into place, so a failed build leaves the previous
 * `dist/` exactly as it was. Also used by the tests to build into any folder.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BuildResult {
  status: number | null;
  output: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, inherit: boolean): BuildResult {
  const res = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: inherit ? 'inherit' : 'pipe',
  });
  return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? String(res.error) : ''}` };
}

/** Moves a folder over `to` (replacing it), copying when they are on different file systems. */
function moveDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.cpSync(from, to, { recursive: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

/** Runs `astro build --outDir outDir`, then, if that passed, `pagefind --site outDir`. */
export function buildSite(opts: {
  outDir: string;
  dataDir?: string;
  basePath?: string;
  extraEnv?: NodeJS.ProcessEnv;
  /** Show the tools' output live instead of collecting it. */
  inherit?: boolean;
}): BuildResult {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Under vitest NODE_ENV=test (and VITEST*); a build inheriting them would bundle React's development build.
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
  Object.assign(env, opts.extraEnv, { ASTRO_TELEMETRY_DISABLED: '1' });
  if (opts.dataDir) env.GONKA_DATA_DIR = opts.dataDir;
  if (opts.basePath) env.BASE_PATH = opts.basePath;
  const inherit = opts.inherit ?? false;
  // astro keeps its prerender bundle in <outDir>/.prerender only when outDir is inside the
  // project; otherwise in the shared .astro/.prerender, where two builds at once delete each
  // other's chunks. So a build for a folder elsewhere goes to a private folder here, then moves.
  const outDir = path.resolve(opts.outDir);
  const inside = outDir.startsWith(ROOT + path.sep);
  const buildDir = inside ? outDir : path.join(ROOT, '.astro', `out-${process.pid}-${Date.now()}`);
  const astro = run([path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', buildDir], env, inherit);
  if (!inside) {
    if (astro.status === 0) moveDir(buildDir, outDir);
    else fs.rmSync(buildDir, { recursive: true, force: true });
  }
  if (astro.status !== 0) return astro;
  const pagefind = run([path.join(ROOT, 'node_modules/pagefind/lib/runner/bin.cjs'), '--site', outDir], env, inherit);
  return { status: pagefind.status, output: astro.output + pagefind.output };
}

/** Builds into `dist.build-<pid>` beside `dist/` and swaps it in only when everything succeeded. */
function main(): number {
  const dist = path.resolve(ROOT, process.env.GONKA_DIST_DIR?.trim() || 'dist');
  const fresh = `${dist}.build-${process.pid}`;
  const old = `${dist}.old-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  const result = buildSite({ outDir: fresh, inherit: true });
  if (result.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    console.error('\nsite build failed; the previous dist/ is unchanged.');
    return 1;
  }
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(fresh, dist);
  fs.rmSync(old, { recursive: true, force: true });
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main());
