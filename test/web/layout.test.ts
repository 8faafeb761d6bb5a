// The comfort of every page in a real browser: no console error on a signed-out load; dark when
// the system is dark (and a switch); no page wider than a 390 px phone; every table's columns fit
// their card at 1280 px in English and Chinese; layout shift under 0.1 on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fromCredits } from '../../src/lib/credits.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { cumulativeLayoutShift, launch, newContext, overflowingTables, recordLayoutShift, settle, shot, sidewaysOverflow, watchConsole } from './browser.js';

const PASSWORD = 'correct horse battery';
const PUBLIC = ['/', '/models', '/models/ideogram-v4', '/models/aio-voice', '/models/kling-v2.6-pro', '/pricing', '/docs', '/signin', '/signup'];

describe('every page, comfortable', () => {
  let server: TestServer;
  let browser: Browser;
  let email: string;
  let taskId: string;
  let dashboard: string[];

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    // An account with something on every page: keys of each kind (one revoked, one at its limit,
    // one limited to models), live and test tasks, grants and charges.
    email = `layout-${Date.now()}@example.com`;
    const { platform } = server;
    // An administrator, so the admin pages are checked too.
    const user = await platform.users.create({ email, password: PASSWORD, admin: true });
    await platform.ledger.credit(user.id, fromCredits(40), 'grant', 'Welcome credits for the layout check');
    const live = await platform.keys.create(user.id, { name: 'Production server with a long descriptive name', creditLimit: fromCredits(2), allowedModels: ['aio-poster', 'aio-voice', 'aio-motion'] });
    const test = await platform.keys.create(user.id, { name: 'CI', test: true });
    const old = await platform.keys.create(user.id, { name: 'Old laptop', test: true });
    await platform.keys.revoke(old.record.id, user.id);
    const run = async (key: string, body: object) => (await server.api('POST', '/api/v1/images/generations', { key, body, headers: { prefer: 'wait' } })).body;
    taskId = (await run(live.key, { model: 'aio-poster', prompt: 'A poster reading "LAYOUT"', size: '9:21' })).id;
    await run(live.key, { model: 'aio-poster', prompt: 'A second poster with a much longer prompt that goes on and on to test how a long line wraps in a table cell' });
    await run(test.key, { model: 'aio-poster', prompt: 'A test poster' });
    dashboard = [
      '/dashboard',
      '/dashboard/playground',
      '/dashboard/keys',
      '/dashboard/usage',
      `/dashboard/usage/${taskId}`,
      '/dashboard/credits',
      '/dashboard/credits?view=entries',
      '/dashboard/billing',
      '/dashboard/profile',
    ];
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(opts: { width?: number; locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, server.url, opts);
    await recordLayoutShift(context);
    const page = await context.newPage();
    await page.goto('/signin');
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/dashboard');
    return { context, page };
  }

  /** The admin pages, as the admin navigation links them. */
  async function adminPages(page: Page): Promise<string[]> {
    await page.goto('/admin');
    const nav = page.locator('main nav.tabs');
    await nav.locator('a').first().waitFor();
    return nav.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  }

  test('a signed-out load of any page logs no console error (and the session check answers 200)', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const errors = watchConsole(page);
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    for (const path of [...PUBLIC, '/dashboard/keys', '/no-such-page']) {
      await page.goto(path);
      await settle(page);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(failed, [], 'no request of a signed-out page fails');
    await context.close();
  });

  test('with prefers-color-scheme: dark the pages are dark; the switch picks light and keeps it', async () => {
    const { context, page } = await signedIn({ colorScheme: 'dark' });
    // As a string: functions defined inside would be wrapped by the TypeScript loader's helpers.
    const background = (): Promise<{ page: number; card: number | null; text: number }> =>
      page.evaluate(`(() => {
        const lum = (css) => { const [r, g, b] = css.match(/\\d+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
        const card = document.querySelector('.card, .model-card, .stat');
        return { page: lum(getComputedStyle(document.body).backgroundColor), card: card ? lum(getComputedStyle(card).backgroundColor) : null, text: lum(getComputedStyle(document.body).color) };
      })()`);
    for (const path of ['/', '/models', '/pricing', '/docs', '/dashboard', '/dashboard/keys', '/dashboard/credits']) {
      await page.goto(path);
      await settle(page);
      const b = await background();
      assert.ok(b.page < 0.15, `${path}: the page is dark (${b.page.toFixed(2)})`);
      if (b.card !== null) assert.ok(b.card < 0.2, `${path}: its cards are dark (${b.card.toFixed(2)})`);
      assert.ok(b.text > 0.7, `${path}: the text is light (${b.text.toFixed(2)})`);
    }
    await shot(page, 'dark-credits');
    // The switch: system → light → dark → system; the choice outlives a reload.
    await page.getByRole('button', { name: /Colour theme: as the system/ }).click();
    assert.ok((await background()).page > 0.9, 'light when chosen');
    await page.reload();
    await settle(page);
    assert.ok((await background()).page > 0.9, 'still light after a reload');
    await page.getByRole('button', { name: /Colour theme: light/ }).click();
    await page.getByRole('button', { name: /Colour theme: dark/ }).click();
    assert.ok((await background()).page < 0.15, 'back to the system (dark)');
    await context.close();
  });

  test('no dashboard page (nor a public one) scrolls sideways on a 390 px phone', async () => {
    const { context, page } = await signedIn({ width: 390 });
    const wide: string[] = [];
    for (const path of [...dashboard, ...(await adminPages(page)), ...PUBLIC.filter((p) => !p.startsWith('/sign'))]) {
      await page.goto(path);
      await settle(page);
      const over = await sidewaysOverflow(page);
      if (over > 0) wide.push(`${path} is ${over}px too wide`);
      if (path === '/dashboard/keys') await shot(page, 'phone-keys');
    }
    // The header's menus open without widening the page either.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: /Account menu for/ }).click();
    if ((await sidewaysOverflow(page)) > 0) wide.push('the open header menu');
    assert.deepEqual(wide, []);
    await context.close();
  });

  test('every table’s columns fit its card at 1280 px, in English and Chinese', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const { context, page } = await signedIn({ locale });
      const problems: string[] = [];
      for (const path of [...dashboard, ...(await adminPages(page)), '/pricing', '/models/ideogram-v4', '/models/kling-v2.6-pro', '/docs']) {
        await page.goto(path);
        await settle(page);
        if (path.startsWith('/models/')) await page.locator('[data-testid="params"]').waitFor();
        if (path === '/docs') await page.locator('.docs-endpoint').first().waitFor();
        for (const p of await overflowingTables(page)) problems.push(`${locale} ${path}: ${p}`);
      }
      await page.goto('/dashboard/keys');
      await settle(page);
      await shot(page, `keys-1280-${locale}`);
      // Every key action is on screen, not behind a scrollbar.
      for (const button of await page.locator('[data-testid="keys-table"] td.actions button').all()) {
        const box = (await button.boundingBox())!;
        const card = (await page.locator('[data-testid="keys-table"]').locator('xpath=ancestor::section[1]').boundingBox())!;
        if (box.x + box.width > card.x + card.width) problems.push(`${locale}: ${await button.innerText()} sticks out of its card`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test('the header has an account menu: dashboard, keys, profile, admin, sign out', async () => {
    const { context, page } = await signedIn();
    const button = page.getByRole('button', { name: `Account menu for ${email}` });
    await button.click();
    const menu = page.locator('.account-popover');
    for (const [name, href] of [['Dashboard', '/dashboard'], ['API keys', '/dashboard/keys'], ['Profile', '/dashboard/profile'], ['Admin', '/admin']] as const)
      assert.equal(await menu.getByRole('link', { name, exact: true }).getAttribute('href'), href, name);
    await page.keyboard.press('Escape');
    assert.equal(await menu.isVisible(), false, 'Escape closes it');
    await button.click();
    await menu.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await button.click();
    await menu.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await context.close();
  });

  test('layout shift stays under 0.1 on every page', async () => {
    const { context, page } = await signedIn();
    const shifts: string[] = [];
    for (const path of [...PUBLIC.filter((p) => !p.startsWith('/sign')), ...dashboard, ...(await adminPages(page))]) {
      await page.goto(path);
      await settle(page);
      await page.waitForTimeout(500);
      const { cls, shifts: what } = await cumulativeLayoutShift(page);
      if (cls >= 0.1) shifts.push(`${path}: ${cls.toFixed(3)} (${what.join('; ')})`);
    }
    await context.close();
    // Signed out too (the header, the public pages).
    const anon = await newContext(browser, server.url);
    await recordLayoutShift(anon);
    const p2 = await anon.newPage();
    for (const path of PUBLIC) {
      await p2.goto(path);
      await settle(p2);
      await p2.waitForTimeout(500);
      const { cls, shifts: what } = await cumulativeLayoutShift(p2);
      if (cls >= 0.1) shifts.push(`signed out ${path}: ${cls.toFixed(3)} (${what.join('; ')})`);
    }
    await anon.close();
    assert.deepEqual(shifts, []);
  });
});
