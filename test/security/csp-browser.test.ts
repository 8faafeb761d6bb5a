// The Content-Security-Policy in a real browser: every public and dashboard page renders with no
// CSP violation (the app needs nothing inline), a generated image shows, and another site
// cannot frame the dashboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD, uniqueEmail } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, watchErrors } from '../web/browser.js';

describe('CSP in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const violations: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    errors = watchErrors(page);
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
    });
    await context.exposeBinding('reportViolation', (_src, text: string) => violations.push(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (globalThis as any).reportViolation(`${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`),
      );
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('public pages, sign-up and the dashboard with a generated image: no violation', async () => {
    for (const path of ['/', '/models', '/models/aio-poster', '/pricing', '/signin']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    await page.goto('/signup');
    const email = uniqueEmail('csp');
    const signup = await page.evaluate(
      async ([e, p]) => (await fetch('/api/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: e, password: p }) })).status,
      [email, PASSWORD],
    );
    assert.equal(signup, 201);

    const user = (await server.platform.users.findByEmail(email))!;
    const { key } = await server.platform.keys.create(user.id, { test: true });
    const created = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'CSP check' } });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    assert.equal((await server.waitForTask(created.body.id, key)).status, 'succeeded');

    for (const path of ['/dashboard', '/dashboard/keys', '/dashboard/usage', '/dashboard/playground', '/dashboard/credits', '/dashboard/profile']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`/dashboard/usage/${created.body.id}`);
    const image = page.locator('img[src*="/files/"]').first();
    await image.waitFor();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete, await image.elementHandle());
    assert.ok((await image.evaluate((el) => (el as HTMLImageElement).naturalWidth)) > 0, 'the generated image is shown');

    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  });

  test('a page of another site cannot frame the dashboard', async () => {
    const other = await context.newPage();
    const refused: string[] = [];
    other.on('console', (msg) => refused.push(msg.text()));
    await other.setContent(`<iframe id="f" src="${server.url}/dashboard"></iframe>`);
    await other.waitForTimeout(1000);
    const frame = other.frames().find((f) => f !== other.mainFrame());
    // The browser refuses to render it: the frame holds no app.
    const rendered = frame ? await frame.evaluate(() => !!document.getElementById('root')).catch(() => false) : false;
    assert.equal(rendered, false, 'the dashboard rendered inside a foreign frame');
    assert.ok(refused.some((t) => /frame-ancestors|X-Frame-Options/i.test(t)), refused.join('\n'));
    await other.close();
  });
});
