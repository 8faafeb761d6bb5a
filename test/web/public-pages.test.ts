// The public pages in a real browser against the real server: the catalog with its type filter,
// the ideogram-v4 model page with every fact of the product page (and that it is test only here), a page of every other modality
// (endpoint, price unit in words, output type), pricing, Chinese, and the SPA fallback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, shot, watchErrors } from './browser.js';

describe('public web pages', () => {
  let server: TestServer;
  let browser: Browser;
  let models: { id: string; provider: string; type: string; endpoint: string; output_type: string; example: Record<string, unknown>; price: { unit: string; credits: number; rates: Record<string, number> } }[];
  before(async () => {
    server = await startTestServer();
    browser = await launch();
    models = (await server.api('GET', '/api/v1/models')).body.data;
  });
  const count = (n: number) => (globalThis as any).document.querySelectorAll('.model-card').length === n;
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, opts: { locale?: string; width?: number } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, server.url, opts);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(path);
    return { page, errors };
  }

  test('the server answers page loads with the app, and API paths with JSON', async () => {
    const html = await fetch(`${server.url}/models/ideogram-v4`, { headers: { accept: 'text/html' } });
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    const body = await html.text();
    assert.match(body, /<div id="root">/);
    const script = body.match(/\/assets\/[^"]+\.js/)?.[0];
    assert.ok(script, 'index.html references a hashed script');
    const asset = await fetch(`${server.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const compressed = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(compressed.headers.get('content-encoding'), 'br', 'assets go out pre-compressed');
    assert.match(compressed.headers.get('content-type') ?? '', /javascript/);
    assert.match(compressed.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await compressed.text(), await asset.text());
    for (const path of ['/api/v1/nothing', '/files/nothing.png', '/assets/missing-abc.js']) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /json/, path);
    }
    const api = await fetch(`${server.url}/no-such-page`);
    assert.equal(api.status, 404, 'a non-browser client keeps the JSON 404');
    assert.equal((await fetch(`${server.url}/healthz`, { headers: { accept: 'text/html' } })).headers.get('content-type')?.includes('json'), true);
  });

  test('home page and the model catalog with filters', async () => {
    const { page, errors } = await open('/');
    await page.getByRole('heading', { level: 1, name: 'One API key. Every media model.' }).waitFor();
    await page.locator('.model-card').first().waitFor();
    await shot(page, 'home');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    const cards = page.locator('.model-card');
    await cards.first().waitFor();
    assert.equal(await cards.count(), models.length);
    const ideogram = cards.filter({ hasText: 'Ideogram V4' });
    assert.match(await ideogram.innerText(), /12 credits/);
    assert.match(await ideogram.innerText(), /\$0\.12/);
    assert.match(await ideogram.innerText(), /Image/);
    assert.match(await ideogram.innerText(), /Strong typography/);
    // The type filter: each modality in the catalog, exactly its models, each with its type badge.
    for (const type of [...new Set(models.map((m) => m.type))]) {
      await page.getByLabel('Type', { exact: true }).selectOption(type);
      await page.waitForFunction(count, models.filter((m) => m.type === type).length);
      assert.equal(await page.locator(`.model-card:not([data-type="${type}"])`).count(), 0, type);
    }
    await page.getByLabel('Type', { exact: true }).selectOption('');
    await page.waitForFunction(count, models.length);
    await page.getByLabel('Provider').selectOption('Ideogram');
    await page.waitForFunction(count, models.filter((m) => m.provider === 'Ideogram').length);
    assert.match(page.url(), /provider=Ideogram/);
    await shot(page, 'catalog-filtered');
    await page.getByLabel('Provider').selectOption('');
    await page.waitForFunction(count, models.length);
    await shot(page, 'catalog');
    await ideogram.getByRole('link', { name: 'Ideogram V4' }).click();
    await page.getByRole('heading', { level: 1, name: 'ideogram-v4 API' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/models/ideogram-v4');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('the ideogram-v4 page carries every fact of the product page', async () => {
    const { page, errors } = await open('/models/ideogram-v4');
    await page.getByRole('heading', { level: 1, name: 'ideogram-v4 API' }).waitFor();
    await page.locator('#related .model-card').first().waitFor();
    await shot(page, 'model-ideogram-v4');
    assert.equal(await page.getByTestId('model-id').innerText(), 'ideogram-v4');
    assert.equal(await page.getByTestId('endpoint').innerText(), '/api/v1/images/generations');
    assert.equal(await page.getByTestId('task-endpoint').innerText(), '/api/v1/tasks/{task_id}');
    const facts = await page.getByTestId('facts').innerText();
    for (const fact of ['Bearer API key', 'dashboard', 'Not needed', 'image', 'Input types: text']) assert.ok(facts.includes(fact), `facts show ${fact}`);
    await page.locator('#faq').waitFor();
    const text = await page.locator('main').innerText();
    // No upstream is set up in a test install: the page says so, and never "Live".
    assert.match(text, /Image API · Test only/);
    assert.doesNotMatch(text, /API · Live/);
    assert.match(text, /Ideogram V4 on API in One's image endpoint \/api\/v1\/images\/generations/);
    for (const cap of ['Strong typography and design output', 'Flexible size presets', 'Turbo, Default, and Quality rendering modes', 'PNG, JPEG, and WEBP output']) assert.ok(text.includes(cap), cap);

    // Parameters: name, type, allowed values, default, required.
    const row = (name: string) => page.locator(`[data-testid="params"] tr[data-param="${name}"]`);
    assert.match(await row('prompt').innerText(), /prompt[\s\S]*string[\s\S]*Required/);
    assert.match(await row('model').innerText(), /Use "ideogram-v4"/);
    assert.equal(await page.getByTestId('default-model').innerText(), 'ideogram-v4');
    assert.equal(await page.getByTestId('default-size').innerText(), '1:1');
    assert.equal(await page.getByTestId('default-rendering_speed').innerText(), 'BALANCED');
    assert.equal(await page.getByTestId('default-output_format').innerText(), 'png');
    const sizes = await row('size').innerText();
    for (const size of ['1:1', '16:9', '9:16', '3:4', '4:3', '3:2', '2:3', '9:21', '21:9']) assert.ok(sizes.includes(size), size);
    assert.match(sizes, /Optional/);
    for (const speed of ['TURBO', 'BALANCED', 'QUALITY']) assert.ok((await row('rendering_speed').innerText()).includes(speed), speed);
    for (const format of ['png', 'jpeg', 'webp']) assert.ok((await row('output_format').innerText()).includes(format), format);

    // The curl example: this origin, the model's defaults and example prompt.
    const curl = await page.getByTestId('curl').innerText();
    assert.ok(curl.startsWith(`curl -X POST ${server.url}/api/v1/images/generations`), curl);
    assert.match(curl, /Authorization: Bearer aio_your_api_key/);
    const json = JSON.parse(curl.slice(curl.indexOf("'") + 1, curl.lastIndexOf("'")));
    assert.deepEqual(json, models.find((m) => m.id === 'ideogram-v4')!.example, 'the curl posts the model\'s example request');
    assert.equal(json.model, 'ideogram-v4');
    assert.match(String(json.prompt), /SUMMER DESIGN WEEK/);
    assert.equal(await page.getByTestId('output-type').innerText(), 'image');

    // Price, steps, use cases, FAQ, related models on the same endpoint.
    assert.equal(await page.getByTestId('price-headline').innerText(), '12 credits per image (~$0.12)');
    assert.equal(await page.getByTestId('price-credits').innerText(), '12');
    assert.equal(await page.getByTestId('price-usd').innerText(), '$0.12');
    assert.match(text, /Per successful request/);
    for (const step of ['Create an API key', 'Call the endpoint', 'Check the task status']) assert.ok(text.includes(step), step);
    for (const useCase of ['Create posters and social graphics with accurate text', 'Produce multiple aspect ratios from one prompt']) assert.ok(text.includes(useCase), useCase);
    assert.match(text, /How much does Ideogram V4 cost\?/);
    assert.match(text, /Ideogram V4 costs 12 credits per image \(~\$0\.12\), billed per successful request\./);
    assert.match(text, /Which output formats are supported\?/);
    assert.match(await page.locator('#related').innerText(), /AIO Poster/);
    assert.match(await page.locator('#example').innerText(), /aio-poster/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('switching to 中文 translates the page and is remembered', async () => {
    const { page, errors } = await open('/models/ideogram-v4');
    await page.getByRole('heading', { level: 1, name: 'ideogram-v4 API' }).waitFor();
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByText('图像 API · 仅限测试').waitFor();
    await page.locator('#faq').waitFor();
    const text = await page.locator('main').innerText();
    for (const s of [
      'Ideogram V4 通过 API in One 的图像端点 /api/v1/images/generations 调用：排版与设计能力强，一个 API 密钥即可调用，按成功请求计费。',
      '请求体中的 model 字段。',
      '鉴权',
      'Bearer API 密钥',
      '不需要',
      '能力',
      '强排版与设计输出',
      '参数',
      '必填',
      '可选',
      '示例请求',
      '同端点可切换模型',
      '接入流程',
      '查询任务状态',
      '任务状态查询',
      '查询任务的状态、进度和结果。',
      '价格',
      '按成功请求',
      '使用场景',
      '制作文字准确的海报和社交图片',
      '常见问题',
      'Ideogram V4 每张图片 12 积分（约 $0.12），按成功请求计费。',
    ])
      assert.ok(text.includes(s), `Chinese page shows ${s}`);
    assert.equal(await page.getByTestId('price-headline').innerText(), '每张图片 12 积分（约 $0.12）');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await shot(page, 'model-ideogram-v4-zh');
    await page.reload();
    await page.getByText('图像 API · 仅限测试').waitFor();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '价格' }).click();
    await page.getByRole('heading', { level: 1, name: '价格' }).waitFor();
    await page.getByTestId('pricing-table').waitFor();
    await shot(page, 'pricing-zh');
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pricing' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('a model page of every modality: its endpoint, the example posted there, the price unit in words, the output type', async () => {
    const units: Record<string, [RegExp, RegExp]> = {
      image: [/ credits? per image \(~\$/, /^每张图片 /],
      second: [/ credits? per second \(~\$/, /^每秒 /],
      '1k_characters': [/ credits? per 1,000 characters \(~\$/, /^每千字符 /],
      run: [/ credits? per run \(~\$/, /^每次运行 /],
      megapixel: [/ credits? per megapixel \(~\$/, /^每百万像素 /],
      '1m_tokens': [/ credits? per million tokens \(~\$/, /^每百万 tokens /],
    };
    const { page, errors } = await open('/models');
    for (const type of [...new Set(models.map((m) => m.type))]) {
      const model = models.find((m) => m.type === type)!;
      await page.goto(`/models/${model.id}`);
      await page.getByRole('heading', { level: 1, name: `${model.id} API` }).waitFor();
      assert.equal(await page.getByTestId('endpoint').innerText(), model.endpoint, model.id);
      assert.equal(await page.getByTestId('output-type').innerText(), model.output_type, model.id);
      const curl = await page.getByTestId('curl').innerText();
      assert.ok(curl.startsWith(`curl -X POST ${server.url}${model.endpoint}`), curl);
      assert.deepEqual(JSON.parse(curl.slice(curl.indexOf("'") + 1, curl.lastIndexOf("'"))), model.example);
      const headline = await page.getByTestId('price-headline').innerText();
      assert.match(headline, units[model.price.unit]![0], `${model.id}: ${headline}`);
      assert.ok(headline.startsWith(model.price.credits.toLocaleString('en-US', { maximumFractionDigits: 6 })), headline);
      if (Object.keys(model.price.rates).length) assert.match(await page.getByTestId('price-rates').innerText(), / per /);
      for (const p of (await server.api('GET', `/api/v1/models/${model.id}`)).body.parameters) await page.locator(`[data-testid="params"] tr[data-param="${p.name}"]`).waitFor();
      await shot(page, `model-${type}`);
    }
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    for (const type of [...new Set(models.map((m) => m.type))]) {
      const model = models.find((m) => m.type === type)!;
      await page.goto(`/models/${model.id}`);
      const headline = page.getByTestId('price-headline');
      await headline.waitFor();
      assert.match(await headline.innerText(), units[model.price.unit]![1], model.id);
      assert.match(await headline.innerText(), /积分（约 \$[\d.]+）$/, model.id);
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('pricing lists every model with credits and dollars', async () => {
    const { page, errors } = await open('/pricing');
    const table = page.getByTestId('pricing-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), models.length);
    const ideogram = await rows.filter({ hasText: 'ideogram-v4' }).innerText();
    assert.match(ideogram, /12/);
    assert.match(ideogram, /\$0\.12/);
    assert.match(await rows.filter({ hasText: 'aio-poster' }).innerText(), /\$0\.01/);
    await page.getByText('redemption codes', { exact: false }).waitFor();
    await shot(page, 'pricing');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('an unknown model and an unknown page say so, and the phone layout works', async () => {
    const { page, errors } = await open('/models/nope-1', { width: 390 });
    await page.getByText('There is no model “nope-1”').waitFor();
    await shot(page, 'model-not-found-mobile');
    await page.goto('/models/ideogram-v4');
    await page.getByRole('heading', { level: 1, name: 'ideogram-v4 API' }).waitFor();
    await page.getByTestId('curl').waitFor();
    await shot(page, 'model-ideogram-v4-mobile');
    await page.goto('/somewhere/else');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await shot(page, 'not-found');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
