// The playground on the signed-in session, in a real browser against the real server: a newcomer
// signs up and gets an image without pasting a key; nothing in the browser's storage holds a
// secret; a 9:21 result is fully visible; each run shows what it cost and the balance after; a
// key limited to some models offers only those; a live key spends credits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fromCredits } from '../../src/lib/credits.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, shot, storedSecrets, watchErrors } from './browser.js';

describe('the playground runs on the session', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const email = `newcomer-${Date.now()}@example.com`;

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a newcomer signs up and gets an image without pasting a key; no secret is stored in the browser', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Get started' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    await page.getByRole('link', { name: 'Open the playground' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    await page.getByTestId('no-key').waitFor();
    assert.equal(await page.locator('input[type="password"], input[name="api_key"]').count(), 0, 'there is no field to paste a secret into');
    await page.getByRole('button', { name: 'Create a test key for the playground' }).click();
    await page.getByText('Test key created. Press Generate.').waitFor();
    assert.match(await page.getByLabel('API key').locator('option:checked').innerText(), /^Playground · aio_test_\w+… \(Test\)$/);
    assert.equal(await page.getByLabel('Model').inputValue(), 'aio-poster', 'the first model runs live');
    assert.match(await page.getByTestId('count-prompt').innerText(), /^\d+ \/ 4,000 characters$/);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const image = page.getByTestId('pg-image');
    await image.waitFor({ timeout: 30_000 });
    await page.getByTestId('pg-status').getByText('Succeeded').waitFor();
    assert.equal(await page.getByTestId('pg-cost').innerText(), 'free (test key)');
    assert.equal(await page.getByTestId('pg-balance').innerText(), '0 credits');
    await shot(page, 'pg-session-first-image');
    // The key's secret never reached this browser: not in storage, not in the page.
    assert.deepEqual(await storedSecrets(page), []);
    const keys = (await server.platform.keys.list((await server.platform.users.findByEmail(email))!.id)).length;
    assert.equal(keys, 1);
    assert.doesNotMatch(await page.content(), /aio_test_[0-9A-Za-z]{40}/);
    assert.deepEqual(errors, []);
  });

  test('a 9:21 result is shown whole, inside the window', async () => {
    await page.getByLabel('Size').selectOption('9:21');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByTestId('pg-status').getByText('Succeeded').waitFor({ timeout: 30_000 });
    const image = page.getByTestId('pg-image');
    await page.waitForFunction(() => {
      const img = (globalThis as any).document.querySelector('[data-testid="pg-image"]');
      return img && img.complete && img.naturalHeight > img.naturalWidth * 2;
    });
    await image.scrollIntoViewIfNeeded();
    const seen = await image.evaluate((img: any) => {
      const g = globalThis as any;
      const box = img.getBoundingClientRect();
      // object-fit: contain draws the whole picture inside the box, letterboxed: where is it?
      const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
      const w = img.naturalWidth * scale;
      const h = img.naturalHeight * scale;
      const drawn = { left: box.left + (box.width - w) / 2, top: box.top + (box.height - h) / 2, right: box.left + (box.width + w) / 2, bottom: box.top + (box.height + h) / 2 };
      const clippedBy: string[] = [];
      for (let el = img.parentElement; el && el !== g.document.body; el = el.parentElement) {
        const style = g.getComputedStyle(el);
        if (style.overflow === 'visible' && style.overflowY === 'visible') continue;
        const r = el.getBoundingClientRect();
        if (drawn.top < r.top - 1 || drawn.bottom > r.bottom + 1 || drawn.left < r.left - 1 || drawn.right > r.right + 1) clippedBy.push(el.className);
      }
      return { fit: g.getComputedStyle(img).objectFit, drawn, clippedBy, viewport: [g.innerWidth, g.innerHeight], natural: [img.naturalWidth, img.naturalHeight] };
    });
    assert.equal(seen.fit, 'contain');
    assert.deepEqual(seen.clippedBy, [], 'no box cuts the picture off');
    assert.ok(seen.drawn.top >= 0 && seen.drawn.bottom <= seen.viewport[1]! + 1, `the whole picture fits the window: ${JSON.stringify(seen)}`);
    assert.ok(seen.drawn.bottom - seen.drawn.top > 300, `it is shown at a useful size: ${JSON.stringify(seen.drawn)}`);
    await shot(page, 'pg-session-9x21');
  });

  test('a live key: the run shows what it cost and the balance after; a limited key offers only its models', async () => {
    const user = (await server.platform.users.findByEmail(email))!;
    await server.platform.ledger.credit(user.id, fromCredits(10), 'grant', 'welcome');
    await page.goto('/dashboard/keys');
    await page.getByLabel('Name', { exact: false }).first().fill('Production');
    await page.getByRole('radio', { name: /Live/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key-value').waitFor();
    await page.goto('/dashboard/playground?model=aio-poster');
    await page.getByLabel('API key').selectOption({ label: (await page.getByLabel('API key').locator('option', { hasText: 'Production' }).innerText()).trim() });
    await page.getByText('Costs 1 credit per image if it succeeds.').waitFor();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByTestId('pg-status').getByText('Succeeded').waitFor({ timeout: 30_000 });
    await page.getByTestId('pg-cost').getByText('1 credit charged').waitFor();
    await page.getByTestId('pg-balance').getByText('9 credits').waitFor();
    await shot(page, 'pg-session-live');
    // The choice is remembered by id (not a secret) across reloads.
    await page.reload();
    assert.match(await page.getByLabel('API key').locator('option:checked').innerText(), /^Production/);
    assert.deepEqual(await storedSecrets(page), []);

    // A key that may use two models: the playground offers exactly those.
    await server.platform.keys.create(user.id, { name: 'Voice only', test: true, allowedModels: ['aio-voice', 'aio-tune'] });
    await page.reload();
    await page.getByLabel('API key').selectOption({ label: (await page.getByLabel('API key').locator('option', { hasText: 'Voice only' }).innerText()).trim() });
    await page.getByText('This key may use 2 of the models.').waitFor();
    const offered = await page.locator('#pg-model option').evaluateAll((els) => els.map((o) => (o as any).value).sort());
    assert.deepEqual(offered, ['aio-tune', 'aio-voice']);
    assert.deepEqual(errors, []);
  });
});
