// Browser-test helpers: Debian's Chromium driven by playwright-core, screenshots of every page
// visited in test-artifacts/screenshots/, and a check that the web app is built.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'web', 'dist');
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireBuiltWeb(): void {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('web/dist is missing: run `node bin/build-web.js` first (npm test does it).');
}

export async function launch(): Promise<Browser> {
  requireBuiltWeb();
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (own cookies and localStorage), English unless told otherwise. */
export async function newContext(browser: Browser, baseURL: string, opts: { locale?: string; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: opts.locale ?? 'en-US', viewport: { width: opts.width ?? 1280, height: 860 } });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Fails the test on any uncaught error in the page (a broken page must not pass quietly). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Sticky header and panels would be drawn where the scroll left them.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
