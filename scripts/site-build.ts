/**
 * `npm run build:site`: astro build and the Pagefind index into a fresh folder
 * beside `dist/`, then swapped into place, so a failed build leaves the previous
 * `dist/` exactly as it was. Also used by the tests to build into any folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pagefind from 'pagefind';
import { environment, readDistDir } from '../src/config/env.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BuildResult {
  status: number | null;
  output: string;
}

/** Runs node with `args`, collecting its output (or showing it live with `inherit`). */
function run(args: string[], env: NodeJS.ProcessEnv, inherit: boolean): Promise<BuildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: inherit ? 'inherit' : 'pipe' });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', (err) => (output += String(err)));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/**
 * The Pagefind index of `siteDir` through Pagefind's Node API (it drives its own
 * binary, installed with the package), into `siteDir/pagefind/`.
 */
async function indexSearch(siteDir: string, inherit: boolean): Promise<BuildResult> {
  try {
    const { index, errors } = await pagefind.createIndex();
    if (!index) return { status: 1, output: `pagefind: ${errors.join('; ')}` };
    const added = await index.addDirectory({ path: siteDir });
    const written = await index.writeFiles({ outputPath: path.join(siteDir, 'pagefind') });
    const problems = [...errors, ...added.errors, ...written.errors];
    const output = `pagefind: indexed ${added.page_count} pages${problems.length ? `; ${problems.join('; ')}` : ''}\n`;
    if (inherit) process.stdout.write(output);
    return { status: problems.length || added.page_count === 0 ? 1 : 0, output };
  } finally {
    await pagefind.close();
  }
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

/** Runs `astro build --outDir outDir`, then, if that passed, the Pagefind index into it. */
export async function buildSite(opts: {
  outDir: string;
  dataDir?: string;
  basePath?: string;
  extraEnv?: NodeJS.ProcessEnv;
  /** Show the tools' output live instead of collecting it. */
  inherit?: boolean;
}): Promise<BuildResult> {
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
  const astro = await run([path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', buildDir], env, inherit);
  if (!inside) {
    if (astro.status === 0) moveDir(buildDir, outDir);
    else fs.rmSync(buildDir, { recursive: true, force: true });
  }
  if (astro.status !== 0) return astro;
  const search = await indexSearch(outDir, inherit);
  return { status: search.status, output: astro.output + search.output };
}

/** Builds into `dist.build-<pid>` beside `dist/` and swaps it in only when everything succeeded. */
async function main(): Promise<number> {
  const dist = readDistDir(environment(ROOT), ROOT);
  const fresh = `${dist}.build-${process.pid}`;
  const old = `${dist}.old-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  const result = await buildSite({ outDir: fresh, inherit: true });
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().then((code) => process.exit(code));
