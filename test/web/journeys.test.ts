// The signed-in journeys in a real browser against the real server: sign up, create a key and
// see it once, generate in the playground with it (chosen by name: the browser never holds the
// secret), find the task in usage, run a video, audio and tool model in the playground and see
// each result by type; an admin makes a
// redemption code that the user redeems and grants credits with a note; revoking the key makes
// the public API refuse it. Every page visited is saved to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { tempDir } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, shot, watchErrors } from './browser.js';

describe('dashboard journeys', () => {
  let server: TestServer;
  let browser: Browser;
  let user: BrowserContext;
  let page: Page;
  let errors: string[];
  const email = `person-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  let key = '';

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    user = await newContext(browser, server.url);
    page = await user.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = (p: Page, name: string) => p.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  const dashNav = (p: Page, name: string) => p.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name, exact: true }).click();

  test('sign up lands on a dashboard that says what to do next', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Get started' }).click();
    await heading(page, 'Create your account');
    await shot(page, 'signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The browser's own validation stops a too-short password before the server sees it.
    assert.equal(new URL(page.url()).pathname, '/signup');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading(page, 'Welcome');
    await page.getByText(`Signed in as ${email}`).waitFor();
    await page.getByRole('link', { name: 'Create a key' }).waitFor();
    await page.getByText('No tasks yet').waitFor();
    await shot(page, 'dashboard-overview-new');
  });

  test('create a test key: shown once with a copy button, listed by prefix', async () => {
    await page.getByRole('link', { name: 'Create a key' }).click();
    await heading(page, 'API keys');
    await page.getByText('No keys yet').waitFor();
    await shot(page, 'keys-empty');
    await page.getByLabel('Name', { exact: false }).first().fill('My first key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-key-value');
    await secret.waitFor();
    key = (await secret.innerText()).trim();
    assert.match(key, /^aio_test_[0-9A-Za-z]{40}$/);
    await page.getByTestId('new-key').getByRole('button', { name: 'Copy' }).waitFor();
    await page.getByText('it will not be shown again').waitFor();
    const row = page.getByTestId('keys-table').locator('tbody tr').filter({ hasText: 'My first key' });
    await row.waitFor();
    const rowText = await row.innerText();
    assert.match(rowText, /aio_test_/);
    assert.match(rowText, /Test/);
    assert.match(rowText, /Active/);
    assert.match(rowText, /Never/);
    assert.ok(!rowText.includes(key), 'the list shows the prefix only');
    await shot(page, 'keys-created');
    // Once: after a reload the secret is gone from the page.
    await page.reload();
    await page.getByTestId('keys-table').waitFor();
    assert.ok(!(await page.locator('main').innerText()).includes(key));
  });

  test('the playground generates with that key and shows the image', async () => {
    await dashNav(page, 'Playground');
    await heading(page, 'Playground');
    const keyField = page.getByLabel('API key', { exact: true });
    assert.match(await keyField.locator('option:checked').innerText(), /^My first key · aio_test_\w+… \(Test\)$/, 'the key is chosen by name, its secret stays on the server');
    assert.ok(!(await page.content()).includes(key), 'the secret is not in the page');
    assert.equal(await page.getByLabel('Model').inputValue(), 'aio-poster', 'a model that runs live comes first');
    assert.equal(await page.getByLabel('Size').inputValue(), '1:1');
    assert.equal(await page.getByLabel('Rendering speed').inputValue(), 'BALANCED');
    assert.equal(await page.getByLabel('Output format').inputValue(), 'png');
    assert.match(await page.getByLabel('Prompt', { exact: true }).inputValue(), /SUMMER DESIGN WEEK/);
    assert.match(await page.getByTestId('count-prompt').innerText(), /^\d+ \/ 4,000 characters$/);
    await page.getByText('Free with a test key.').waitFor();
    await shot(page, 'playground-ready');
    await page.getByLabel('Size').selectOption('16:9');
    await page.getByLabel('Output format').selectOption('webp');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const image = page.getByTestId('pg-image');
    await image.waitFor({ timeout: 30_000 });
    await page.getByTestId('pg-status').getByText('Succeeded').waitFor();
    await page.waitForFunction(() => {
      const img = (globalThis as any).document.querySelector('[data-testid="pg-image"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    const natural = await image.evaluate((img: any) => [img.naturalWidth, img.naturalHeight]);
    assert.ok(natural[0] > natural[1], `16:9 is wider than tall: ${natural}`);
    const src = await image.getAttribute('src');
    assert.match(src ?? '', /\/files\/.+\.webp$/);
    assert.equal(await page.getByRole('link', { name: 'Download' }).getAttribute('href'), src);
    await shot(page, 'playground-result');
  });

  test('usage lists the task, with its detail and image', async () => {
    await dashNav(page, 'Usage');
    await heading(page, 'Usage');
    const table = page.getByTestId('tasks-table');
    await table.waitFor();
    const row = table.locator('tbody tr').first();
    const text = await row.innerText();
    assert.match(text, /aio-poster/);
    assert.match(text, /Succeeded/);
    assert.match(text, /0 credits/);
    await row.locator('img').waitFor();
    await page.getByText('Credits per day (last 30 days)').waitFor();
    await shot(page, 'usage');
    await row.getByRole('link', { name: 'aio-poster' }).click();
    await page.getByTestId('task-image').waitFor();
    const detail = await page.locator('main').innerText();
    assert.match(detail, /SUMMER DESIGN WEEK/);
    assert.match(detail, /size: 16:9/);
    assert.match(detail, /output_format: webp/);
    await shot(page, 'usage-task-detail');
    await page.getByRole('link', { name: /Back to usage/ }).click();
    await heading(page, 'Usage');
  });

  test('the playground runs a model of every other modality and shows its result by type', async () => {
    const models: { id: string; type: string; parameters: { name: string; widget?: string; required: boolean }[] }[] = (await server.api('GET', '/api/v1/models')).body.data;
    // A real local picture for the tools, small enough to go inline as a data: URL through the file picker.
    const picture = path.join(tempDir(), 'input.png');
    await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="#fde68a"/><circle cx="160" cy="120" r="80" fill="#4f46e5"/></svg>')).png().toFile(picture);
    const result: Record<string, string> = { video: 'pg-video', audio: 'pg-audio', tool: 'before-after' };
    const types = ['video', 'audio', 'tool'].filter((type) => models.some((m) => m.type === type));
    for (const type of types) {
      const model = models.find((m) => m.type === type)!;
      await page.goto(`/dashboard/playground?model=${encodeURIComponent(model.id)}`);
      await heading(page, 'Playground');
      assert.equal(await page.getByLabel('Model').inputValue(), model.id);
      // The form is the model's example request (a tool gets the local picture); a test key runs it on the built-in renderer.
      const imageParam = model.parameters.find((p) => p.widget === 'image' && p.required);
      if (imageParam) {
        await page.getByTestId(`file-input-${imageParam.name}`).setInputFiles(picture);
        await page.getByTestId(`file-${imageParam.name}`).getByText('input.png').waitFor();
        assert.match(await page.getByTestId('pg-curl').innerText(), /"data:image\/png;base64,/, 'a small picture goes inline');
      }
      await page.getByRole('button', { name: type === 'tool' ? 'Run' : 'Generate', exact: true }).click();
      await page.getByTestId(result[type]!).waitFor({ timeout: 60_000 });
      await page.getByTestId('pg-status').getByText('Succeeded').waitFor();
      assert.match(await page.getByTestId('pg-cost').innerText(), /free \(test key\)/);
      if (type === 'video') {
        const video = page.getByTestId('pg-video');
        assert.match((await video.getAttribute('src')) ?? '', /\/files\/.+\.mp4$/);
        assert.ok(await video.getAttribute('poster'), 'the video shows its thumbnail as the poster');
      }
      if (type === 'audio') assert.match((await page.getByTestId('pg-audio').getAttribute('src')) ?? '', /\/files\//);
      if (type === 'tool') {
        await page.getByTestId('after-image').waitFor();
        await page.getByRole('button', { name: 'Side by side' }).click();
        assert.match((await page.getByTestId('before-image').getAttribute('src')) ?? '', /^blob:/, 'the input picture is shown from this browser');
      }
      await shot(page, `playground-${type}`);
    }
    // A picture too large to inline (the JSON body limit is 64 KB) is uploaded first and sent as its aio-file:// URI.
    const tool = models.find((m) => m.type === 'tool' && m.parameters.some((p) => p.widget === 'image' && p.required));
    if (tool) {
      const large = path.join(tempDir(), 'large.png');
      await sharp({ create: { width: 400, height: 400, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toFile(large);
      const param = tool.parameters.find((p) => p.widget === 'image' && p.required)!.name;
      await page.goto(`/dashboard/playground?model=${encodeURIComponent(tool.id)}`);
      await page.getByTestId(`file-input-${param}`).setInputFiles(large);
      await page.getByTestId(`file-${param}`).getByText('uploaded').waitFor();
      assert.match(await page.getByTestId('pg-curl').innerText(), /"aio-file:\/\/[^"]+"/);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.getByTestId('after-image').waitFor({ timeout: 60_000 });
      await page.getByTestId('pg-status').getByText('Succeeded').waitFor();
      assert.match((await page.getByTestId('before-image').getAttribute('src')) ?? '', /^blob:/, 'the uploaded picture is shown from this browser');
      await shot(page, 'playground-tool-uploaded');
    }
    assert.deepEqual(errors, []);
  });

  test('an admin generates a redemption code; the user redeems it and sees it in the ledger', async () => {
    const adminEmail = `admin-${Date.now()}@example.com`;
    await server.platform.users.create({ email: adminEmail, password, admin: true });
    const adminContext = await newContext(browser, server.url);
    const admin = await adminContext.newPage();
    const adminErrors = watchErrors(admin);
    await admin.goto('/admin/codes');
    await heading(admin, 'Sign in'); // sent to sign in, then back
    await shot(admin, 'signin');
    await admin.getByLabel('Email').fill(adminEmail);
    await admin.getByLabel('Password').fill(password);
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(admin, 'Admin');
    assert.equal(new URL(admin.url()).pathname, '/admin/codes');
    await admin.getByLabel('How many').fill('2');
    await admin.getByLabel('Credits each').fill('50');
    await admin.getByLabel('Note').fill('Launch promo');
    await admin.getByRole('button', { name: 'Generate codes' }).click();
    const fresh = admin.getByTestId('new-codes').locator('li code');
    await fresh.first().waitFor();
    assert.equal(await fresh.count(), 2);
    const code = (await fresh.first().innerText()).trim();
    assert.ok(code.length >= 8, code);
    const csv = admin.getByRole('link', { name: 'Export CSV' });
    assert.equal(await csv.getAttribute('href'), '/api/admin/redemption-codes?format=csv');
    await shot(admin, 'admin-codes');

    await dashNav(page, 'Top up & orders');
    await heading(page, 'Top up & orders');
    await page.getByText('Top-ups are by redemption code only').waitFor();
    await page.getByLabel('Redemption code').fill('NOT-A-REAL-CODE');
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.ok((await page.getByRole('alert').innerText()).length > 10, 'the API error is shown in words');
    await page.getByLabel('Redemption code').fill(code);
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await page.getByText('50 credits added. Your balance is now 50 credits.').waitFor();
    await page.getByText('No orders yet.').waitFor();
    await shot(page, 'billing-redeemed');

    await dashNav(page, 'Credits');
    await heading(page, 'Credits');
    const redeem = page.getByTestId('ledger').locator('tbody tr[data-kind="redeem"]');
    await redeem.waitFor();
    assert.match(await redeem.innerText(), /Redeemed code[\s\S]*\+50[\s\S]*50/);
    assert.equal((await page.getByTestId('balance').innerText()).trim(), '50');
    await shot(page, 'credits-ledger');

    // The admin grants credits with a note; it shows in the user's ledger with that note.
    await admin.getByRole('navigation', { name: 'Admin', exact: true }).getByRole('link', { name: 'Users', exact: true }).click();
    await admin.getByLabel('Search by email').fill(email);
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    const userRow = admin.getByTestId('admin-users').locator(`tbody tr[data-email="${email}"]`);
    await userRow.waitFor();
    await admin.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="admin-users"] tbody tr').length === 1);
    assert.match(await userRow.innerText(), /50/);
    await userRow.getByRole('button', { name: /^Grant credits/ }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Amount (credits)').fill('25');
    await dialog.getByLabel('Note').fill('Welcome bonus');
    await shot(admin, 'admin-grant-dialog');
    await dialog.getByRole('button', { name: 'Grant credits' }).click();
    await admin.getByText(`Done: ${email} now has 75 credits.`).waitFor();
    await shot(admin, 'admin-users');

    await page.reload();
    const grant = page.getByTestId('ledger').locator('tbody tr[data-kind="grant"]');
    await grant.waitFor();
    assert.match(await grant.innerText(), /Grant[\s\S]*Welcome bonus[\s\S]*\+25[\s\S]*75/);
    await page.getByLabel('Kind').selectOption('redeem');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="ledger"] tbody tr').length === 1);
    assert.match(page.url(), /kind=redeem/);
    await shot(page, 'credits-ledger-filtered');

    for (const [tab, path] of [
      ['Models', '/admin/models'],
      ['Nodes', '/admin/nodes'],
      ['All tasks', '/admin/tasks'],
      ['Redemption codes', '/admin/codes'],
    ] as const) {
      await admin.getByRole('navigation', { name: 'Admin', exact: true }).getByRole('link', { name: tab, exact: true }).click();
      await admin.waitForURL(`**${path}`);
      await admin.locator('.card').last().locator('table, .node-grid, .empty').first().waitFor();
      await shot(admin, `admin-${path.split('/').pop()}`);
    }
    assert.match(await admin.locator('main').innerText(), /Launch promo/);
    assert.match(await admin.locator('main').innerText(), new RegExp(email.replace(/[.]/g, '\\.')), 'the redeemed code shows who redeemed it');

    // Prices are the admin's to change; the public API follows at once.
    await admin.getByRole('navigation', { name: 'Admin', exact: true }).getByRole('link', { name: 'Models', exact: true }).click();
    const poster = admin.locator('tr[data-model="aio-poster"]');
    await poster.getByLabel('Price (credits)').fill('2');
    await poster.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Saved aio-poster.').waitFor();
    assert.equal((await server.api('GET', '/api/v1/models/aio-poster')).body.price.credits, 2);
    assert.deepEqual(adminErrors, []);
    await adminContext.close();
  });

  test('a new browser gets a one-click test key in the playground', async () => {
    const other = await newContext(browser, server.url, { width: 420 });
    const p = await other.newPage();
    const otherErrors = watchErrors(p);
    await p.goto('/signup');
    await p.getByLabel('Email').fill(`second-${Date.now()}@example.com`);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Create account' }).click();
    await heading(p, 'Welcome');
    await p.goto('/dashboard/playground?model=aio-poster');
    await p.getByTestId('no-key').waitFor();
    assert.equal(await p.getByRole('button', { name: 'Generate', exact: true }).isDisabled(), true);
    await shot(p, 'playground-no-key-mobile');
    await p.getByRole('button', { name: 'Create a test key for the playground' }).click();
    await p.getByText('Test key created. Press Generate.').waitFor();
    assert.match(await p.getByLabel('API key', { exact: true }).locator('option:checked').innerText(), /^Playground · aio_test_/);
    await p.getByRole('button', { name: 'Generate', exact: true }).click();
    await p.getByTestId('pg-image').waitFor({ timeout: 30_000 });
    await shot(p, 'playground-result-mobile');
    assert.deepEqual(otherErrors, []);
    await other.close();
  });

  test('revoking the key: confirmed, then the public API refuses it', async () => {
    const before = await fetch(`${server.url}/api/v1/tasks/task_nothing`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(before.status, 404, 'the key works before');
    await dashNav(page, 'API keys');
    await heading(page, 'API keys');
    await page.getByRole('button', { name: 'Revoke My first key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Requests with this key will be refused at once.').waitFor();
    await shot(page, 'keys-revoke-confirm');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('The key “My first key” was revoked.').waitFor();
    // Revoked keys are hidden unless asked for.
    await page.getByText('No keys yet').waitFor();
    await page.getByLabel('Show revoked keys (1)').check();
    const row = page.getByTestId('keys-table').locator('tbody tr').filter({ hasText: 'My first key' });
    await row.getByText('Revoked').waitFor();
    assert.match(await row.innerText(), /\d/, 'last used is now set');
    assert.ok(!(await row.innerText()).includes('Never'));
    await shot(page, 'keys-revoked');
    const refused = await fetch(`${server.url}/api/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'aio-poster', prompt: 'after revoke' }),
    });
    assert.equal(refused.status, 401);
    assert.equal((await fetch(`${server.url}/api/v1/tasks/task_nothing`, { headers: { authorization: `Bearer ${key}` } })).status, 401);
    // The playground does not offer the revoked key; it offers to make a new one.
    await dashNav(page, 'Playground');
    await page.getByTestId('no-key').waitFor();
  });

  test('profile: change password, sign out, sign in again; 中文 dashboard', async () => {
    await dashNav(page, 'Profile');
    await heading(page, 'Profile');
    assert.equal(await page.getByTestId('profile-email').innerText(), email);
    await page.getByLabel('Current password').fill('wrong password!');
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Repeat new password').fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Current password').fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await shot(page, 'profile');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'One API key. Every media model.');
    await page.goto('/dashboard/credits');
    await heading(page, 'Sign in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Credits');
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await heading(page, '积分');
    await page.getByRole('navigation', { name: '控制台' }).getByRole('link', { name: '概览' }).click();
    await heading(page, '欢迎');
    await shot(page, 'dashboard-overview-zh');
    await page.getByRole('navigation', { name: '控制台' }).getByRole('link', { name: 'API 密钥' }).click();
    await heading(page, 'API 密钥');
    await shot(page, 'keys-zh');
    assert.deepEqual(errors, []);
  });
});
