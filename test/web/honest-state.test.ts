// On a default install (no upstream credentials) only the built-in models run live. In a real
// browser: every card, the pricing table, the model pages and the playground say which models run
// live and which are test only, list what runs live first, never call a paused model "Live", and
// speak to customers (no node names, environment variables or "production route").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, settle, shot, watchErrors } from './browser.js';

interface ApiModel {
  id: string;
  type: string;
  available: boolean;
}

/** What customers must not be shown: operators' words. */
const OPERATOR_WORDS = /node\d+|_API_KEY|_BASE_URL|\bFAL_KEY\b|production route|backend node|后端节点|生产路由/;

describe('what runs live, said honestly', () => {
  let server: TestServer;
  let browser: Browser;
  let models: ApiModel[];
  before(async () => {
    server = await startTestServer();
    browser = await launch();
    models = (await server.api('GET', '/api/v1/models')).body.data;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, locale?: string): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, server.url, { locale });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(path);
    return { page, errors };
  }

  /** `[data-model, data-state]` of the elements matching `selector`, in page order. */
  const states = (page: Page, selector: string) =>
    page.locator(selector).evaluateAll((els) => els.map((el) => [el.getAttribute('data-model'), el.querySelector('[data-state]')?.getAttribute('data-state') ?? el.getAttribute('data-state')]));

  test('a default install has models of both kinds (the premise)', () => {
    assert.ok(models.some((m) => m.available), 'the built-in models run live');
    assert.ok(models.some((m) => !m.available), 'models without an upstream do not');
    assert.equal(models.find((m) => m.id === 'aio-poster')?.available, true);
    assert.equal(models.find((m) => m.id === 'ideogram-v4')?.available, false);
  });

  test('every card on the home page and the catalog marks its state; live ones come first', async () => {
    for (const path of ['/', '/models']) {
      const { page, errors } = await open(path);
      await page.locator('.model-card').first().waitFor();
      const cards = await states(page, '.model-card');
      assert.ok(cards.length > 0);
      for (const [id, state] of cards) {
        const model = models.find((m) => m.id === id)!;
        assert.equal(state, model.available ? 'live' : 'test_only', `${path}: ${id}`);
        const text = await page.locator(`.model-card[data-model="${id}"] .state-badge`).innerText();
        assert.equal(text.trim().split('\n')[0], model.available ? 'Live' : 'Test only', `${path}: ${id} says ${text}`);
      }
      const firstTestOnly = cards.findIndex(([, s]) => s === 'test_only');
      assert.ok(firstTestOnly > 0 && cards.slice(firstTestOnly).every(([, s]) => s === 'test_only'), `${path}: live models first: ${cards.map((c) => c[1]).join(',')}`);
      if (path === '/models') assert.equal(cards.length, models.length);
      assert.doesNotMatch(await page.locator('main').innerText(), OPERATOR_WORDS);
      await shot(page, `state${path === '/' ? '-home' : '-catalog'}`);
      assert.deepEqual(errors, []);
      await page.context().close();
    }
  });

  test('the catalog filters by availability', async () => {
    const { page } = await open('/models');
    await page.locator('.model-card').first().waitFor();
    await page.getByLabel('Availability').selectOption('live');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.model-card').length === n, models.filter((m) => m.available).length);
    assert.equal(await page.locator('.model-card[data-state="test_only"]').count(), 0);
    assert.match(page.url(), /state=live/);
    await page.context().close();
  });

  test('the pricing table has an availability column, live models first', async () => {
    const { page } = await open('/pricing');
    await page.getByTestId('pricing-table').waitFor();
    const rows = await states(page, '[data-testid="pricing-table"] tbody tr');
    assert.equal(rows.length, models.length);
    for (const [id, state] of rows) assert.equal(state, models.find((m) => m.id === id)!.available ? 'live' : 'test_only', id!);
    const first = rows.findIndex(([, s]) => s === 'test_only');
    assert.ok(rows.slice(first).every(([, s]) => s === 'test_only'));
    const badge = (id: string) => page.locator(`[data-testid="pricing-table"] tr[data-model="${id}"] .state-badge`).innerText();
    assert.equal((await badge('ideogram-v4')).split('\n')[0], 'Test only');
    assert.equal((await badge('aio-poster')).split('\n')[0], 'Live');
    await page.context().close();
  });

  test('model pages: "Test only" with the reason for a model without an upstream, "Live" only for one that runs live; no operator words', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      for (const model of models) {
        const { page, errors } = await open(`/models/${model.id}`, locale);
        await page.getByRole('heading', { level: 1, name: `${model.id} API` }).waitFor();
        await page.locator('#faq').waitFor();
        const hero = await page.locator('.model-hero').innerText();
        if (locale === 'en-US') {
          if (model.available) {
            assert.match(hero, /API · Live/, model.id);
            assert.doesNotMatch(hero, /not available/, model.id);
          } else {
            assert.match(hero, /API · Test only/, model.id);
            assert.doesNotMatch(hero, /API · Live/, `${model.id}: never "Live" for a model that cannot run live`);
            assert.equal(await page.locator('.model-hero .state-badge').getAttribute('data-state'), 'test_only', model.id);
            assert.match(hero, /Test keys \(aio_test_…\) work/, model.id);
          }
        } else {
          assert.match(hero, model.available ? /可正式调用/ : /仅限测试/, model.id);
        }
        await settle(page);
        assert.doesNotMatch(await page.locator('main').innerText(), OPERATOR_WORDS, `${locale} ${model.id}`);
        if (model.id === 'ideogram-v4') await shot(page, `state-model-ideogram-v4-${locale}`);
        assert.deepEqual(errors, []);
        await page.context().close();
      }
    }
  });

  test('the playground marks each model, and a live key cannot start one that is not set up', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(`state-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    await page.goto('/dashboard/playground');
    await page.getByRole('button', { name: 'Create a test key for the playground' }).click();
    await page.getByLabel('API key').waitFor();
    const options = await page.locator('#pg-model option').evaluateAll((els) => els.map((o) => [(o as any).value, o.getAttribute('data-state'), o.textContent]));
    const taskModels = models.filter((m) => m.type !== 'chat');
    assert.equal(options.length, taskModels.length);
    for (const [id, state, label] of options) {
      const model = models.find((m) => m.id === id)!;
      assert.equal(state, model.available ? 'live' : 'test_only', id);
      assert.match(label!, model.available ? /· Live$/ : /· Test only$/, label!);
    }
    // The first choice of each type runs live; a test key runs the others too.
    assert.equal(await page.getByLabel('Model').inputValue(), 'aio-poster');
    await page.getByLabel('Model').selectOption('ideogram-v4');
    await page.locator('.model-picker .state-badge[data-state="test_only"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).isEnabled(), true, 'a test key runs a test-only model');
    // A live key: the same model cannot run, and the page says why.
    const user = (await server.platform.users.findByEmail((await page.evaluate(() => (globalThis as any).document.querySelector('.account-button')?.getAttribute('aria-label') ?? '')).replace(/^Account menu for /, '')))!;
    const { record } = await server.platform.keys.create(user.id, { name: 'Live one' });
    await page.reload();
    await page.getByLabel('API key').selectOption(record.id);
    await page.getByText('is not set up for live requests on this server').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).isDisabled(), true);
    await shot(page, 'state-playground-live-key');
    await context.close();
  });
});
