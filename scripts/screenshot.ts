/**
 * Saves screenshots of the built site (dist/) for the README and for review:
 * `npm run screenshot` writes docs/screenshot.png (`/` on a desktop with the model
 * dialog open), docs/screenshot-phone.png (the top of `/` on a 390 px wide phone) and
 * docs/screenshot-dark.png (`/` on a desktop in the dark theme).
 * `--all <dir>` also writes desktop and phone shots of every page type.
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
const docs = path.resolve('docs');
const allIndex = args.indexOf('--all');
const allDir = allIndex >= 0 ? path.resolve(args[allIndex + 1] ?? 'screenshots') : null;

const site = readSiteData(dataDir);
// The first row of `/`: the snapshot lists models by effective weight.
const top = site.home.snapshot.models[0];
const server = await startStaticServer(dist);
const browser = await launchChromium();
try {
  /** `full`: the whole page; a number: the page's top that many CSS pixels tall. */
  const shoot = async (urlPath: string, file: string, width: number, height: number, colorScheme: 'light' | 'dark' = 'light', full: boolean | number = false) => {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: width < 500 ? 2 : 1, colorScheme });
    await page.goto(new URL(urlPath, server.url).href, { waitUntil: 'networkidle' });
    if (urlPath.includes('model=')) await page.waitForSelector('dialog[open]');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot(typeof full === 'number' ? { path: file, fullPage: true, clip: { x: 0, y: 0, width, height: full } } : { path: file, fullPage: full });
    await page.close();
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  };
  const dialogUrl = top ? `./?model=${encodeURIComponent(top.id)}` : './';
  await shoot(dialogUrl, path.join(docs, 'screenshot.png'), 1280, 860);
  // Tall enough to reach the first model cards below the epoch's header.
  await shoot('./', path.join(docs, 'screenshot-phone.png'), 390, 844, 'light', 1900);
  await shoot('./', path.join(docs, 'screenshot-dark.png'), 1280, 860, 'dark');
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
