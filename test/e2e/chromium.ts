import { existsSync } from 'node:fs';

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
