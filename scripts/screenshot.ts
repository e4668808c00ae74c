/**
 * Saves screenshots of the built site (dist/) for the README and for review:
 * `npm run screenshot` writes docs/screenshot.png (`/` with the model dialog open).
 * `--all <dir>` also writes desktop and 390 px phone shots of every page type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readDistDir, readSiteConfig } from '../src/config/env.ts';
import { readSiteData } from '../src/site/load.ts';
import { launchChromium } from './preview/chromium.ts';
import { startStaticServer } from './preview/static-server.ts';

const args = process.argv.slice(2);
const config = readSiteConfig();
const dist = readDistDir();
const dataDir = config.dataDir;
const out = path.resolve('docs/screenshot.png');
const allIndex = args.indexOf('--all');
const allDir = allIndex >= 0 ? path.resolve(args[allIndex + 1] ?? 'screenshots') : null;

const site = readSiteData(dataDir);
// The first row of `/`: the snapshot lists models by effective weight.
const top = site.home.snapshot.models[0];
const server = await startStaticServer(dist);
const browser = await launchChromium();
try {
  const shoot = async (urlPath: string, file: string, width: number, height: number, colorScheme: 'light' | 'dark' = 'light', full = false) => {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: width < 500 ? 2 : 1, colorScheme });
    await page.goto(new URL(urlPath, server.url).href, { waitUntil: 'networkidle' });
    if (urlPath.includes('model=')) await page.waitForSelector('dialog[open]');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: full });
    await page.close();
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  };
  const dialogUrl = top ? `./?model=${encodeURIComponent(top.id)}` : './';
  await shoot(dialogUrl, out, 1280, 860);
  if (allDir) {
    const model = site.models[0]!;
    const epochs = [...site.snapshots.keys()].sort((a, b) => a - b);
    const pages: Array<[string, string]> = [
      ['home', './'],
      ['home-dialog', dialogUrl],
      ['epochs', 'epochs/'],
      ['epoch-oldest', `epochs/${epochs[0]}/`],
      ['models', 'models/'],
      ['model', `models/${model.slug.split('/').map(encodeURIComponent).join('/')}/`],
      ['search', 'search/?q=Qwen3'],
    ];
    for (const [name, p] of pages) {
      await shoot(p, path.join(allDir, `${name}-desktop.png`), 1280, 860, 'light', true);
      await shoot(p, path.join(allDir, `${name}-phone.png`), 390, 844, 'light', true);
    }
    await shoot('./', path.join(allDir, 'home-dark.png'), 1280, 860, 'dark', true);
    await shoot(dialogUrl, path.join(allDir, 'home-dialog-dark.png'), 1280, 860, 'dark');
  }
} finally {
  await browser.close();
  await server.close();
}
