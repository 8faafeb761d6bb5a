// Live keys against fake upstreams that follow the providers' published contracts, through the
// whole gateway: charged once on success; three 500s fail the task and give the credits back.
import assert from 'node:assert/strict';
import { fromCredits } from '../../src/lib/credits.js';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startFakeFal, type FakeFal } from '../fakes/fal-server.js';
import { startFakeIdeogram, type FakeIdeogram } from '../fakes/ideogram-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SEED_PROMPT = 'A clean editorial poster reading "SUMMER DESIGN WEEK", bold typography, warm daylight, modern layout';

describe('live requests through real upstream adapters', () => {
  let ideogram: FakeIdeogram;
  let openai: FakeOpenAI;
  let fal: FakeFal;
  let server: TestServer;

  before(async () => {
    [ideogram, openai, fal] = await Promise.all([startFakeIdeogram(), startFakeOpenAI(), startFakeFal()]);
    server = await startTestServer({
      env: {
        IDEOGRAM_API_KEY: ideogram.apiKey,
        IDEOGRAM_BASE_URL: ideogram.url,
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
        FAL_KEY: fal.apiKey,
        FAL_BASE_URL: fal.url,
        AIO_POLL_MS: '10',
        AIO_RETRY_BASE_MS: '10',
      },
    });
  });
  after(async () => {
    await server?.close();
    await Promise.all([ideogram?.close(), openai?.close(), fal?.close()]);
  });

  async function generate(key: string, body: object) {
    const created = await server.api('POST', '/api/v1/images/generations', { key, body });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    return server.waitForTask(created.body.id, key, 20_000);
  }

  test("ideogram-v4: the seed's request succeeds, charges 12 credits once, and the fake saw a valid request", async () => {
    ideogram.reset();
    const account = await server.account({ credits: 30 });
    const task = await generate(account.key, { model: 'ideogram-v4', prompt: SEED_PROMPT, size: '1:1', rendering_speed: 'BALANCED', output_format: 'png' });
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.node, 'node63');
    assert.deepEqual(task.cost, { credits: 12, charged: true });
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(18), reserved: 0 });
    const req = ideogram.apiRequests().at(-1);
    assert.equal(req!.path, '/v1/ideogram-v4/generate');
    assert.equal(req!.headers['api-key'], ideogram.apiKey);
    assert.match(String(req!.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.deepEqual(req!.fields, { text_prompt: SEED_PROMPT, rendering_speed: 'DEFAULT', resolution: '2048x2048' });
    const image = await fetch(task.output.images[0].url);
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 2048, 2048]);
    assert.equal(typeof task.output.images[0].seed, 'number');
  });

  test('ideogram-v4 21:9 webp: asks for 3072x1280 and centre-crops to exactly 2987x1280', async () => {
    ideogram.reset();
    const account = await server.account({ credits: 12 });
    const task = await generate(account.key, { model: 'ideogram-v4', prompt: 'wide', size: '21:9', output_format: 'webp', seed: 99 });
    assert.equal(task.status, 'succeeded');
    const last = ideogram.apiRequests().at(-1)!;
    assert.equal(last.fields!.resolution, '3072x1280');
    assert.equal(last.fields!.seed, '99');
    const meta = await sharp(Buffer.from(await (await fetch(task.output.images[0].url)).arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 2987, 1280]);
  });

  test('ideogram-v4: three 500s fail the task with a clear code and return the 12 credits', async () => {
    ideogram.reset();
    const before = ideogram.apiRequests().length;
    ideogram.failNext(3, 500);
    const account = await server.account({ credits: 12 });
    const task = await generate(account.key, { model: 'ideogram-v4', prompt: SEED_PROMPT });
    assert.equal(task.status, 'failed');
    assert.equal(task.error.code, 'upstream_unavailable');
    assert.equal(task.attempts, 3);
    assert.deepEqual(task.cost, { credits: 12, charged: false });
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(12), reserved: 0 });
    assert.equal(ideogram.apiRequests().length - before, 3);
    assert.ok(!JSON.stringify(task).includes(ideogram.apiKey), 'the upstream secret never shows');
  });

  test('ideogram-v4: an unsafe result fails at once (no retry) and refunds', async () => {
    ideogram.reset();
    ideogram.unsafe = true;
    const account = await server.account({ credits: 12 });
    const task = await generate(account.key, { model: 'ideogram-v4', prompt: 'something unsafe' });
    ideogram.reset();
    assert.equal(task.status, 'failed');
    assert.equal(task.error.code, 'content_policy_violation');
    assert.equal(task.attempts, 1);
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(12), reserved: 0 });
  });

  test('gpt-image-1: succeeds through the fake OpenAI, charged once; three 500s refund', async () => {
    openai.reset();
    const account = await server.account({ credits: 10 });
    const seenBefore = openai.apiRequests().length;
    const task = await generate(account.key, { model: 'gpt-image-1', prompt: 'a red fox', size: '16:9', rendering_speed: 'QUALITY', output_format: 'jpeg' });
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.node, 'node71');
    assert.deepEqual(task.cost, { credits: 5, charged: true });
    const req = openai.apiRequests()[seenBefore];
    assert.equal(req!.path, '/v1/images/generations');
    assert.equal(req!.headers.authorization, `Bearer ${openai.apiKey}`);
    assert.deepEqual(
      { model: (req!.body as any).model, size: (req!.body as any).size, quality: (req!.body as any).quality },
      { model: 'gpt-image-1', size: '1536x1024', quality: 'high' },
    );
    const meta = await sharp(Buffer.from(await (await fetch(task.output.images[0].url)).arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1536, 864]);

    openai.failNext(3, 500);
    const failed = await generate(account.key, { model: 'gpt-image-1', prompt: 'a blue fox' });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'upstream_unavailable');
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(5), reserved: 0 });
  });

  test('flux-dev through the fal queue: submitted, polled, fetched, charged once', async () => {
    fal.reset();
    const falBefore = fal.apiRequests().length;
    const account = await server.account({ credits: 3 });
    const task = await generate(account.key, { model: 'flux-dev', prompt: 'a lighthouse at dusk', size: '3:2', seed: 5 });
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.node, 'node80');
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(0), reserved: 0 });
    const paths = fal.apiRequests().slice(falBefore).map((r) => `${r.method} ${r.path}`);
    assert.ok(paths[0]!.startsWith('POST /fal-ai/flux/dev'));
    assert.ok(paths.some((p) => p.includes('/status')));
  });

  test('a model whose node trips its breaker reports unavailable, and admins see node health', async () => {
    const admin = await server.platform.users.create({ email: `admin-${Date.now()}@example.com`, admin: true });
    const { key } = await server.platform.keys.create(admin.id, {});
    const nodes = await server.api('GET', '/api/v1/admin/nodes', { key });
    assert.equal(nodes.status, 200);
    const node63 = nodes.body.data.find((n: any) => n.id === 'node63');
    assert.equal(node63.configured, true);
    assert.ok(node63.succeeded >= 2);
    const account = await server.account({ credits: 0 });
    assert.equal((await server.api('GET', '/api/v1/admin/nodes', { key: account.key })).status, 403);
  });
});
