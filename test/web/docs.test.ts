// The Docs page in a real browser: in the navigation, rendered from the server's OpenAPI
// document, listing every public endpoint of it, with the guides (authentication, errors and
// codes, tasks, Prefer: wait, idempotency, test mode), curl / JavaScript / Python examples and a
// finished task for every task route; in English and Chinese.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, shot, watchConsole } from './browser.js';

describe('the Docs page', () => {
  let server: TestServer;
  let browser: Browser;
  let operations: { method: string; path: string; summary: string; taskRoute: boolean }[];
  before(async () => {
    server = await startTestServer();
    browser = await launch();
    const doc = (await server.api('GET', '/api/v1/openapi.json')).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, summary: op.summary, taskRoute: '202' in op.responses })),
    );
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('is in the navigation and lists every public endpoint of the OpenAPI document, each with curl, JavaScript and Python', async () => {
    assert.ok(operations.length >= 20, 'the document has the API’s routes');
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const errors = watchConsole(page);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Docs' }).click();
    await page.getByRole('heading', { level: 1, name: 'API documentation' }).waitFor();
    await page.locator('.docs-endpoint').first().waitFor();
    for (const id of ['authentication', 'errors', 'tasks', 'prefer-wait', 'idempotency', 'test-mode']) await page.locator(`section#${id} h2`).waitFor();
    const errorCodes = await page.getByTestId('error-codes').innerText();
    for (const code of ['insufficient_credits', 'invalid_api_key', 'model_not_allowed', 'idempotency_key_reused', 'rate_limit_exceeded', 'model_unavailable']) assert.ok(errorCodes.includes(code), code);
    const listed = await page.locator('.docs-endpoint').evaluateAll((els) => els.map((el) => el.getAttribute('data-endpoint')));
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      assert.ok(listed.includes(key), `the docs list ${key}`);
      const section = page.locator(`.docs-endpoint[data-endpoint="${key}"]`);
      assert.ok((await section.innerText()).includes(op.path), key);
    }
    assert.equal(listed.length, operations.length, 'and nothing the document does not have');

    // The image route: its body fields, the three examples, and the finished task.
    const images = page.locator('.docs-endpoint[data-endpoint="POST /api/v1/images/generations"]');
    const text = await images.innerText();
    for (const field of ['model', 'prompt', 'size', 'webhook_url', 'idempotency-key', 'prefer']) assert.ok(text.includes(field), field);
    const code = images.locator('pre');
    assert.match(await code.first().innerText(), /^curl -X POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/images\/generations/);
    assert.match(await code.first().innerText(), /Prefer: wait/);
    await images.getByRole('button', { name: 'JavaScript' }).click();
    assert.match(await code.first().innerText(), /await fetch\('http:\/\/127\.0\.0\.1:\d+\/api\/v1\/images\/generations'/);
    await images.getByRole('button', { name: 'Python' }).click();
    const python = await code.first().innerText();
    assert.match(python, /requests\.post\(/);
    assert.match(python, /json=\{/);
    const finished = JSON.parse(await code.nth(1).innerText());
    assert.equal(finished.status, 'succeeded');
    assert.equal(finished.object, 'task');
    assert.ok(finished.output.images[0].url.includes('/files/'));
    // Every task route shows its finished task.
    for (const op of operations.filter((o) => o.taskRoute && o.path.startsWith('/api/v1/'))) {
      const json = await page.locator(`.docs-endpoint[data-endpoint="${op.method} ${op.path}"] pre`).nth(1).innerText();
      assert.equal(JSON.parse(json).status, 'succeeded', op.path);
    }
    // The public catalog needs no key; an upload is multipart.
    assert.match(await page.locator('.docs-endpoint[data-endpoint="GET /api/v1/models"]').innerText(), /No API key needed/);
    assert.match(await page.locator('.docs-endpoint[data-endpoint="POST /api/v1/files"] pre').first().innerText(), /-F file=@picture\.png/);
    await shot(page, 'docs');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('in Chinese: the guides and the summaries', async () => {
    const context = await newContext(browser, server.url, { locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = watchConsole(page);
    await page.goto('/docs');
    await page.getByRole('heading', { level: 1, name: 'API 文档' }).waitFor();
    await page.locator('.docs-endpoint').first().waitFor();
    const text = await page.locator('main').innerText();
    for (const s of ['鉴权', '错误与错误码', '任务与生命周期', '幂等', '测试模式', '创建图像生成任务', '端点']) assert.ok(text.includes(s), s);
    assert.equal(await page.locator('.docs-endpoint').count(), operations.length);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
