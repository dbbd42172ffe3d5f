import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** A headless Chromium for the browser tests, and where it came from. */
export interface Browser {
  executablePath: string;
  args: string[];
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
}

const SYSTEM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * CHROMIUM_PATH if set; else Debian's /usr/bin/chromium when installed; else the Chromium that
 * the npm package @sparticuz/chromium ships inside it (unpacked on first use), so `npm test`
 * needs nothing outside npm. E2E_CHROMIUM=npm picks the npm one even where Debian's exists.
 */
export async function findChromium(): Promise<Browser> {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH, args: FLAGS, source: 'CHROMIUM_PATH' };
  if (process.env.E2E_CHROMIUM !== 'npm' && existsSync(SYSTEM)) return { executablePath: SYSTEM, args: FLAGS, source: 'system' };
  const { default: chromium } = await import('@sparticuz/chromium');
  // Its own flags (headless shell, single process, software GL) plus ours, without repeats.
  const args = [...new Set([...chromium.args, ...FLAGS.filter((f) => f !== '--headless')])];
  return { executablePath: await chromium.executablePath(), args, source: 'npm' };
}

/**
 * A headless Chromium with a profile of its own in `userDataDir`, that may reach only this
 * machine: any other request is refused and its URL pushed to `offLoopback` (the test fails on it).
 */
export async function launchLoopbackBrowser(
  label: string,
  userDataDir: string,
  offLoopback: string[],
  viewport?: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const browser = await findChromium();
  console.log(`${label}: Chromium from ${browser.source} (${browser.executablePath})`);
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: browser.executablePath, headless: true, args: browser.args, ...(viewport ? { viewport } : {}) });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname)) return route.continue();
    offLoopback.push(url.href);
    return route.abort();
  });
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}
