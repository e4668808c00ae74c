/**
 * Launches the system's headless Chromium (Debian `chromium`) through playwright-core,
 * which downloads no browser of its own. Fails with a clear message when it is missing.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where `.ci/run` / apt install Chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A headless Chromium for tests and screenshots. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
