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

/** A fresh browser profile (own cookies and localStorage), English and light unless told otherwise. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  opts: { locale?: string; width?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: opts.locale ?? 'en-US', viewport: { width: opts.width ?? 1280, height: 860 }, colorScheme: opts.colorScheme ?? 'light' });
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

/** Console errors and uncaught exceptions of a page (a signed-out load must log none). */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/**
 * Makes every page of `context` add up its Cumulative Layout Shift as the browser reports it
 * (layout-shift entries not caused by recent input), readable with `cumulativeLayoutShift`.
 */
export async function recordLayoutShift(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = globalThis as unknown as { __cls: number; __shifts: string[] };
    w.__cls = 0;
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: { nodeName?: string; className?: string } }[] }[]) {
        if (entry.hadRecentInput) continue;
        w.__cls += entry.value;
        w.__shifts.push(`${entry.value.toFixed(4)} ${(entry.sources ?? []).map((s) => `${s.node?.nodeName ?? '?'}.${String(s.node?.className ?? '')}`).join(', ')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The page's CLS so far, and what shifted (for the failure message). */
export async function cumulativeLayoutShift(page: Page): Promise<{ cls: number; shifts: string[] }> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { __cls: number; __shifts: string[] };
    return { cls: w.__cls, shifts: w.__shifts };
  });
}

/** Waits until the page has settled: no spinner, no pending request for a moment. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !(globalThis as any).document.querySelector('.spinner'), undefined, { timeout: 15_000 });
  await page.waitForTimeout(300);
}

/** How much wider than the window the page is (0 when it does not scroll sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
}

/** Tables whose columns do not fit their card: they scroll inside their box, or stick out of it. */
export function overflowingTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const out: string[] = [];
    for (const table of doc.querySelectorAll('main table')) {
      const wrap = table.closest('.table-wrap') ?? table.parentElement;
      const card = table.closest('.card, .doc-section, .docs-endpoint, section') ?? wrap;
      const t = table.getBoundingClientRect();
      const c = card.getBoundingClientRect();
      const name = table.getAttribute('data-testid') ?? table.className;
      if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`${name}: ${wrap.scrollWidth}px of columns in ${wrap.clientWidth}px`);
      else if (t.right > c.right + 1 || t.left < c.left - 1) out.push(`${name}: ${Math.round(t.width)}px wide, its card ${Math.round(c.width)}px`);
    }
    return out;
  });
}

/** Every value in localStorage and sessionStorage that looks like an API key secret. */
export function storedSecrets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const found: string[] = [];
    for (const store of [g.localStorage, g.sessionStorage])
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        const v = store.getItem(k) ?? '';
        if (/aio_(test_)?[0-9A-Za-z]{20,}/.test(`${k} ${v}`)) found.push(`${k}=${v}`);
      }
    return found;
  });
}
