import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashes } from '../support/hashes.ts';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonka-sitebuild-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `npm run build:site` with its data and output folders pointed into the test folder. */
async function buildSite(dataDir: string) {
  const { VITEST: _, NODE_ENV: __, ...env } = process.env;
  try {
    await exec(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/site-build.ts')], {
      cwd: root,
      env: { ...env, GONKA_DATA_DIR: dataDir, GONKA_DIST_DIR: path.join(dir, 'dist') },
      maxBuffer: 64 * 1024 * 1024,
    });
    return 0;
  } catch (err) {
    return (err as { code: number }).code;
  }
}

describe('npm run build:site', () => {
  it('leaves the previous dist/ exactly as it was when the build fails', async () => {
    const data = path.join(dir, 'data');
    fs.cpSync(path.join(root, 'test/fixtures/site-basic/data'), data, { recursive: true });
    expect(await buildSite(data)).toBe(0);
    const before = hashes(path.join(dir, 'dist'));
    expect(Object.keys(before)).toContain('index.html');

    fs.writeFileSync(path.join(data, 'index.json'), '{"schema_version": 1, "epochs": "broken"');
    expect(await buildSite(data)).toBe(1);
    expect(hashes(path.join(dir, 'dist'))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['data', 'dist']); // no half-built folder left behind
  }, 240_000);
});
