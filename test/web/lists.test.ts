// Lists and keys in a real browser: a filter starts again from the first page (never skipping the
// newest matches); a filter that matches nothing says so, with a way back; the credits page reads
// as money (one line per task); a key is edited (its limit reached shows), rolled (a new secret,
// once; the old one refused) and revoked keys can be hidden.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fromCredits } from '../../src/lib/credits.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, shot, watchErrors } from './browser.js';

const PASSWORD = 'correct horse battery';

describe('lists, filters and keys', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let liveKey: string;
  let liveId: string;
  const voiceIds: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    const email = `lists-${Date.now()}@example.com`;
    const user = await server.platform.users.create({ email, password: PASSWORD });
    await server.platform.ledger.credit(user.id, fromCredits(10), 'grant', 'Starter credits');
    const test = await server.platform.keys.create(user.id, { name: 'CI', test: true });
    const live = await server.platform.keys.create(user.id, { name: 'Server' });
    liveKey = live.key;
    liveId = live.record.id;
    // 3 voice tasks first (the oldest), then 22 posters: the voice tasks are on page 2 unfiltered.
    for (let i = 0; i < 3; i++) {
      const res = await server.api('POST', '/api/v1/audio/generations', { key: test.key, body: { model: 'aio-voice', text: `voice ${i}` } });
      voiceIds.push(res.body.id);
    }
    for (let i = 0; i < 22; i++) await server.api('POST', '/api/v1/images/generations', { key: test.key, body: { model: 'aio-poster', prompt: `poster ${i}` } });
    // Two live tasks that cost 1 credit each.
    for (let i = 0; i < 2; i++) await server.api('POST', '/api/v1/images/generations', { key: live.key, body: { model: 'aio-poster', prompt: `live ${i}` }, headers: { prefer: 'wait' } });
    for (const id of voiceIds) await server.waitForTask(id, test.key, 30_000);
    const context = await newContext(browser, server.url);
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto('/signin');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const rows = () => page.getByTestId('tasks-table').locator('tbody tr');

  test('a filter chosen on page 2 shows the newest matches from page 1', async () => {
    await page.goto('/dashboard/usage');
    await rows().first().waitFor();
    assert.equal(await rows().count(), 20);
    await page.getByRole('button', { name: /Next/ }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByLabel('Model', { exact: true }).selectOption('aio-voice');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="tasks-table"] tbody tr').length === 3);
    const ids = await rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-task-id')));
    assert.deepEqual(ids, [...voiceIds].reverse(), 'all three voice tasks, newest first');
    assert.equal(await page.getByText('Page 2').count(), 0, 'back on the first page');
    await shot(page, 'usage-filtered');
  });

  test('a filter that matches nothing says so, and clears', async () => {
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No task matches these filters.').waitFor();
    assert.equal(await page.getByText('No tasks yet').count(), 0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="tasks-table"] tbody tr').length === 20);
    assert.doesNotMatch(page.url(), /status=|model=/);
    assert.equal(await page.getByText('Page 2').count(), 0, 'the first page, not the one left before filtering');
  });

  test('credits read as money: one line per task with what it cost, and the lines add up', async () => {
    await page.goto('/dashboard/credits');
    const ledger = page.getByTestId('ledger');
    await ledger.locator('tbody tr').first().waitFor();
    const lines = await ledger.locator('tbody tr').evaluateAll((els) => els.map((el) => [el.getAttribute('data-kind'), el.getAttribute('data-status'), (el as any).innerText]));
    // The two live tasks (the test ones cost nothing and make no entries), then the grant.
    assert.deepEqual(lines.map(([k, s]) => [k, s]), [['task', 'charged'], ['task', 'charged'], ['grant', null]]);
    assert.match(lines[0]![2], /Task[\s\S]*aio-poster[\s\S]*charged[\s\S]*-1[\s\S]*\b8\b/);
    assert.match(lines[1]![2], /-1[\s\S]*\b9\b/);
    assert.match(lines[2]![2], /Grant[\s\S]*Starter credits[\s\S]*\+10[\s\S]*\b10\b/);
    assert.equal((await page.getByTestId('balance').innerText()).trim(), '8');
    // The holds are one switch away.
    await page.getByLabel('Show every entry (holds and releases)').check();
    await ledger.locator('tbody tr[data-kind="hold"]').first().waitFor();
    assert.equal(await ledger.locator('tbody tr[data-kind="hold"]').count(), 2);
    await page.getByLabel('Kind').selectOption('release');
    await page.getByText('Nothing matches this filter.').waitFor();
    await shot(page, 'credits-statement');
  });

  test('a key is edited: its limit, and "Limit reached" once it has spent it', async () => {
    await page.goto('/dashboard/keys');
    const row = page.getByTestId('keys-table').locator(`tr[data-key-id="${liveId}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit Server' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Server (prod)');
    await dialog.getByLabel('Credit limit').fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved “Server (prod)”.').waitFor();
    await row.getByText('Limit reached').waitFor();
    assert.match(await row.innerText(), /2 \/ 2/);
    const refused = await server.api('POST', '/api/v1/images/generations', { key: liveKey, body: { model: 'aio-poster', prompt: 'one more' } });
    assert.equal(refused.body.error.code, 'key_credit_limit_reached');
    await shot(page, 'keys-limit-reached');
  });

  test('a key is rolled: the new secret is shown once, the old one is refused, the key stays', async () => {
    const row = page.getByTestId('keys-table').locator(`tr[data-key-id="${liveId}"]`);
    await row.getByRole('button', { name: 'Roll Server (prod)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll key' }).click();
    const secret = (await page.getByTestId('new-key-value').innerText()).trim();
    assert.match(secret, /^aio_[0-9A-Za-z]{40}$/);
    assert.notEqual(secret, liveKey);
    await page.getByText('The new secret of “Server (prod)”').waitFor();
    assert.equal((await server.api('GET', '/api/v1/tasks', { key: liveKey })).status, 401, 'the old secret is refused');
    assert.equal((await server.api('GET', '/api/v1/tasks', { key: secret })).body.data.length, 2, 'the new one sees the key’s tasks');
    await page.reload();
    assert.ok(!(await page.locator('main').innerText()).includes(secret), 'shown once');
    assert.deepEqual(errors, []);
  });
});
