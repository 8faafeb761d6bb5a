// Per-key and per-node limits on chat, the operator's content setting, and money that is settled
// once: requests and tokens per minute (429 with Retry-After, in the endpoint's shape), a node at
// its concurrency (503 model_busy), prompts stored only when the operator says so, a second
// settlement refused, and requests a dead process left running released at start.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MICRO } from '../../src/lib/credits.js';
import { nowIso } from '../../src/lib/time.js';
import { ChatStore } from '../../src/modalities/chat/store.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { assertLedgerMatches, postChat, readSse, startChatRig } from './rig.js';

after(dropCreatedDatabases);

const hello = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello' }] };

describe('per-key rate limits on chat', () => {
  test('requests per minute: the existing limiter answers 429 with Retry-After, in each endpoint’s shape', async () => {
    const server = await startTestServer({ env: { AIO_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const a = await server.account({ test: true });
      assert.equal((await server.api('POST', '/v1/chat/completions', { key: a.key, body: hello })).status, 200);
      assert.equal((await server.api('POST', '/v1/messages', { key: a.key, body: { ...hello, max_tokens: 20 } })).status, 200);
      const openai = await server.api('POST', '/v1/chat/completions', { key: a.key, body: hello });
      assert.equal(openai.status, 429);
      assert.equal(openai.body.error.code, 'rate_limit_exceeded');
      assert.ok(Number(openai.headers.get('retry-after')) >= 1);
      const anthropic = await server.api('POST', '/v1/messages', { key: a.key, body: { ...hello, max_tokens: 20 } });
      assert.deepEqual([anthropic.status, anthropic.body.error.type, anthropic.body.error.code], [429, 'rate_limit_error', 'rate_limit_exceeded']);
    } finally {
      await server.close();
    }
  });

  test('tokens per minute: a prompt the bucket cannot cover waits; the answer’s tokens count too', async () => {
    const server = await startTestServer({ env: { AIO_TOKENS_PER_MINUTE: '200' } });
    try {
      const a = await server.account({ test: true });
      const long = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'word '.repeat(83) }] };
      assert.equal((await server.api('POST', '/v1/chat/completions', { key: a.key, body: long })).status, 200, 'a full bucket lets one through');
      const first = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', a.userId).executeTakeFirstOrThrow();
      const [prompt, answer] = [first.prompt_tokens_counted, first.output_tokens];
      assert.ok(200 - prompt >= prompt && 200 - prompt - answer < prompt, `the prompt alone (${prompt}) would fit again; with the answer (${answer}) it does not`);
      const refused = await server.api('POST', '/v1/chat/completions', { key: a.key, body: long });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'rate_limit_exceeded');
      assert.match(refused.body.error.message, /200 tokens a minute/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      const other = await server.account({ test: true });
      assert.equal((await server.api('POST', '/v1/chat/completions', { key: other.key, body: long })).status, 200, 'per key');
    } finally {
      await server.close();
    }
  });

  test('with AIO_CHAT_STORE_CONTENT=1 the operator keeps prompts and answers; the answer is unchanged', async () => {
    const server = await startTestServer({ env: { AIO_CHAT_STORE_CONTENT: '1' } });
    try {
      const a = await server.account({ test: true });
      const res = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { ...hello, messages: [{ role: 'system', content: 'Keep me' }, ...hello.messages] } });
      assert.equal(res.status, 200);
      const row = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', a.userId).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.prompt!), { system: [{ type: 'text', text: 'Keep me' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
      assert.equal(row.completion, res.body.choices[0].message.content);
    } finally {
      await server.close();
    }
  });
});

describe('per-node concurrency', () => {
  test('a node at its concurrency answers 503 model_busy until a stream ends', async () => {
    const rig = await startChatRig(`${tempDir()}/aio.sqlite`, { AIO_CHAT_IDLE_TIMEOUT_MS: '60000' }, (catalog) => {
      for (const node of catalog.nodes) if (node.id === 'node110') node.concurrency = 1;
    });
    try {
      const a = await rig.server.account({ credits: 10 });
      const release = rig.openai.pause();
      const first = postChat(rig.server, '/v1/chat/completions', a.key, { ...hello, stream: true, max_tokens: 50 });
      while (rig.openai.apiRequests().length === 0) await new Promise((r) => setTimeout(r, 10));
      const busy = await rig.server.api('POST', '/v1/chat/completions', { key: a.key, body: { ...hello, max_tokens: 50 } });
      assert.equal(busy.status, 503);
      assert.equal(busy.body.error.code, 'model_busy');
      assert.equal(busy.headers.get('retry-after'), '1');
      release();
      const res = await first;
      assert.equal(res.status, 200);
      await readSse(res, () => undefined);
      assert.equal((await rig.server.api('POST', '/v1/chat/completions', { key: a.key, body: { ...hello, max_tokens: 50 } })).status, 200);
      await assertLedgerMatches(rig.server, a);
    } finally {
      await rig.close();
    }
  });
});

for (const target of await dbTargets()) {
  describe(`chat settlement on ${target.name}`, { skip: target.skip }, () => {
    test('a request is settled once; a second settlement writes nothing', async () => {
      const server = await startTestServer({ databaseUrl: await target.create() });
      try {
        const a = await server.account({ credits: 3 });
        const res = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model: 'aio-echo', max_tokens: 10, messages: [{ role: 'user', content: 'once' }] } });
        assert.equal(res.status, 200);
        const store = new ChatStore(server.platform.db, server.platform.ledger);
        const row = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', a.userId).executeTakeFirstOrThrow();
        assert.equal(row.status, 'finished');
        const zero = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
        const again = await store.finish({ ...row, hold_micro: 1000 }, { node: 'x', attempts: 1, usage: zero, usageSource: null, costMicro: 0, chargedMicro: 0, endReason: 'stop', finishReason: null, errorCode: null, firstTokenAt: null, ttftMs: null, latencyMs: 1, completion: null });
        assert.equal(again, false);
        assert.equal((await server.platform.ledger.balances(a.userId)).balance, 3 * MICRO, 'aio-echo is free');
        await assertLedgerMatches(server, a);
      } finally {
        await server.close();
      }
    });

    test('requests a dead process left running are released in full at the next start', async () => {
      const url = await target.create();
      const first = await startTestServer({ databaseUrl: url });
      const a = await first.account({ credits: 2 });
      const store = new ChatStore(first.platform.db, first.platform.ledger);
      const id = `chat_abandoned${Date.now()}`;
      await store.begin({
        id, user_id: a.userId, api_key_id: a.keyId, model: 'gpt-4.1', livemode: 1, shape: 'openai', stream: 1, status: 'running', node: 'node110', attempts: 1,
        price: '{}', max_output_tokens: 100, prompt_tokens_counted: 10, hold_micro: 500_000, cost_micro: 0, charged_micro: 0, input_tokens: 0, cached_input_tokens: 0,
        cache_write_tokens: 0, output_tokens: 0, usage_source: null, end_reason: null, finish_reason: null, error_code: null, request_id: null, created_at: nowIso(),
        first_token_at: null, finished_at: null, ttft_ms: null, latency_ms: null, prompt: null, completion: null,
      });
      assert.deepEqual(await first.platform.ledger.balances(a.userId), { balance: 1_500_000, reserved: 500_000 });
      await first.close();
      const second = await startTestServer({ databaseUrl: url });
      try {
        for (let i = 0; i < 200 && (await second.platform.ledger.balances(a.userId)).reserved > 0; i++) await new Promise((r) => setTimeout(r, 25));
        assert.deepEqual(await second.platform.ledger.balances(a.userId), { balance: 2 * MICRO, reserved: 0 });
        const row = await second.platform.db.selectFrom('chat_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.end_reason, row.charged_micro], ['finished', 'interrupted', 0]);
        await assertLedgerMatches(second, a);
      } finally {
        await second.close();
      }
    });
  });
}
