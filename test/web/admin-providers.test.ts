// The admin pages in a real browser: the first-run checklist, and connecting a provider (a fake
// OpenAI) from the Providers tab — test the connection, save it, see it connected with only the
// key's last four characters — after which a live request on its model succeeds with no restart;
// editing keeps the stored key; disabling stops it. Also: the page fits a phone and, in Chinese,
// a laptop. Screenshots go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fromCredits } from '../../src/lib/credits.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { launch, newContext, shot, watchErrors } from './browser.js';

describe('admin: providers from the admin pages', () => {
  let server: TestServer;
  let fake: FakeOpenAI;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let liveKey = '';
  let connectionId = '';
  const email = `owner-${Date.now()}@example.com`;
  const password = 'correct horse battery';

  const live = () =>
    server.api('POST', '/api/v1/images/generations', {
      key: liveKey,
      headers: { prefer: 'wait=30' },
      body: { model: 'gpt-image-1', prompt: 'A lighthouse at dawn', size: '1:1' },
    });

  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer();
    await server.platform.users.create({ email, password, admin: true });
    const customer = await server.platform.users.create({ email: `customer-${Date.now()}@example.com` });
    await server.platform.ledger.credit(customer.id, fromCredits(100), 'grant', 'test');
    liveKey = (await server.platform.keys.create(customer.id, {})).key;
    browser = await launch();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  test('the admin signs in and sees the first-run checklist', async () => {
    await page.goto('/admin/providers');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
    const checklist = page.getByTestId('admin-setup');
    await checklist.waitFor();
    assert.equal(await checklist.locator('li[data-step="connect_provider"]').getAttribute('data-done'), 'false');
    assert.match(await checklist.innerText(), /Connect a provider[\s\S]*Set a price[\s\S]*Make a key/);
    // The catalog file's nodes are listed read-only, saying which variable they miss.
    const fileNode = page.getByTestId('file-connections').locator('[data-connection="node71"]');
    await fileNode.waitFor();
    assert.match(await fileNode.innerText(), /Not configured[\s\S]*OPENAI_API_KEY/);
    assert.equal(await fileNode.getByRole('button', { name: /^Edit/ }).count(), 0, 'read-only');
    await shot(page, 'admin-providers-empty');
    const before = await live();
    assert.equal(before.status, 503, 'not live before the provider is connected');
  });

  test('add OpenAI: test the connection, save, and it is connected with the key hidden', async () => {
    await page.getByRole('button', { name: '+ Add provider' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Connect a provider' }).waitFor();
    assert.equal(await dialog.getByLabel('Provider').inputValue(), 'openai');
    await dialog.getByLabel('Name').fill('OpenAI – team');
    await dialog.getByLabel('Base URL').fill(fake.url);
    await dialog.getByLabel('API key').fill('sk-proj-typo');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByTestId('connection-test-result');
    await result.getByText(/OpenAI refused the key \(401\)/).waitFor();
    await dialog.getByLabel('API key').fill(fake.apiKey);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await result.getByText(/^Connected: OpenAI accepted the key/).waitFor();
    assert.ok(await dialog.getByRole('checkbox', { name: 'gpt-image-1' }).isChecked(), 'the usual models are chosen');
    await shot(page, 'admin-providers-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const notice = page.getByText(/^Saved openai-[a-z0-9]+\. It serves requests now\.$/);
    await notice.waitFor();
    connectionId = /Saved (\S+)\./.exec(await notice.innerText())![1]!;

    const card = page.getByTestId('connections').locator(`[data-connection="${connectionId}"]`);
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /OpenAI – team[\s\S]*Connected/);
    assert.ok(text.includes(`…${fake.apiKey.slice(-4)}`), text);
    assert.ok(!(await page.locator('body').innerText()).includes(fake.apiKey), 'the key is never shown again');
    const stored = await page.evaluate(() => JSON.stringify({ ...(globalThis as any).localStorage }) + JSON.stringify({ ...(globalThis as any).sessionStorage }));
    assert.ok(!stored.includes(fake.apiKey), 'nor kept in browser storage');
    await page.getByTestId('admin-setup').locator('li[data-step="connect_provider"][data-done="true"]').waitFor();
    await shot(page, 'admin-providers-connected');
  });

  test('a live request on its model succeeds at once, without a restart', async () => {
    const res = await live();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'succeeded', JSON.stringify(res.body.error));
    assert.equal(res.body.node, connectionId);
  });

  test('test, edit (the stored key is kept) and disable from the card', async () => {
    const card = page.getByTestId('connections').locator(`[data-connection="${connectionId}"]`);
    await card.getByRole('button', { name: `Test connection: ${connectionId}` }).click();
    await card.getByText(/✓ Connected: OpenAI accepted the key/).waitFor();

    await card.getByRole('button', { name: `Edit: ${connectionId}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Leave empty to keep the stored key (…${fake.apiKey.slice(-4)}).`).waitFor();
    assert.equal(await dialog.getByLabel('API key').inputValue(), '');
    await dialog.getByLabel('Concurrency').fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved ${connectionId}. It serves requests now.`).waitFor();
    await page.getByTestId('connections').locator(`[data-connection="${connectionId}"]`).getByText(/^2 · Priority 0 · Weight 1$/).waitFor();
    assert.equal((await live()).body.status, 'succeeded', 'the stored key still works');

    await page.getByTestId('connections').locator(`[data-connection="${connectionId}"]`).getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByRole('heading', { name: `Disable ${connectionId}?` }).waitFor();
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await page.getByTestId('connections').locator(`[data-connection="${connectionId}"]`).getByText('Disabled', { exact: true }).waitFor();
    assert.equal((await live()).status, 503, 'no longer routed');
    await shot(page, 'admin-providers-disabled');
  });

  test("users: no refused actions on yourself; a user's detail shows keys, tasks and ledger", async () => {
    await page.getByRole('navigation', { name: 'Admin', exact: true }).getByRole('link', { name: 'Users', exact: true }).click();
    const mine = page.getByTestId('admin-users').locator(`tbody tr[data-email="${email}"]`);
    await mine.waitFor();
    assert.match(await mine.innerText(), /\(you\)/);
    assert.equal(await mine.getByRole('button', { name: 'Disable' }).count(), 0, 'an admin is not offered to disable themselves');
    const customer = page.getByTestId('admin-users').locator('tbody tr[data-email^="customer-"]');
    await customer.getByRole('link').click();
    await page.getByTestId('user-facts').waitFor();
    assert.match(new URL(page.url()).search, /^\?id=usr_/);
    await page.getByTestId('user-keys').getByText(/^aio_/).waitFor();
    await page.getByTestId('tasks-table').locator('tbody tr').first().waitFor();
    assert.equal(await page.getByTestId('tasks-table').locator('tbody tr').count(), 2, 'the two live tasks of this test');
    await page.getByTestId('user-ledger').locator('tbody tr[data-kind="grant"]').waitFor();
    await page.getByRole('button', { name: 'Make admin' }).waitFor();
    await page.getByRole('button', { name: 'Set password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New password').fill('another long password');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await page.getByText(/^The password of customer-.* was changed\.$/).waitFor();
    await shot(page, 'admin-user-detail');
  });

  test('the page fits a phone, and a laptop in Chinese', async () => {
    for (const [locale, width, name] of [
      ['en-US', 390, 'admin-providers-phone'],
      ['zh-CN', 1280, 'admin-providers-zh'],
    ] as const) {
      const ctx = await newContext(browser, server.url, { locale, width });
      await ctx.addCookies((await context.cookies()).map((c) => ({ ...c })));
      const p = await ctx.newPage();
      const pageErrors = watchErrors(p);
      await p.goto('/admin/providers');
      await p.getByTestId('connections').locator(`[data-connection="${connectionId}"]`).waitFor();
      const sideways = await p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).document.documentElement.clientWidth);
      assert.ok(sideways <= 0, `${name}: the page scrolls sideways by ${sideways}px`);
      if (locale === 'zh-CN') await p.getByRole('link', { name: '服务商', exact: true }).waitFor();
      await shot(p, name);
      assert.deepEqual(pageErrors, []);
      await ctx.close();
    }
    assert.deepEqual(errors, []);
  });
});
