// Live keys against fake OpenAI-chat, Anthropic and DeepSeek upstreams written from the
// contracts, on SQLite and PostgreSQL: a request is charged exactly its usage times the price; a
// client that leaves is charged by the upstream's final usage (or, past the deadline, by the
// tokenizer's count of what was generated); failures before the first byte fail over, after it
// the stream is the client's; 402s send nothing upstream. The ledger equals the balances after
// every test.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { countTokens } from 'gpt-tokenizer';
import { MICRO } from '../../src/lib/credits.js';
import { UsageService } from '../../src/services/usage.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import type { TestServer } from '../helpers/server.js';
import { assertLedgerMatches, finishedRow, postChat, readSse, startChatRig, until, type ChatRig } from './rig.js';

after(dropCreatedDatabases);

// Catalog prices in micro-credits per token (credits per million tokens = micro-credits per token).
const MINI = { input: 40, cached: 10, output: 160 };
const SONNET = { input: 300, cached: 30, write: 375, output: 1500 };
const DEEPSEEK = { input: 28, output: 42 };

type Account = Awaited<ReturnType<TestServer['account']>>;

for (const target of await dbTargets()) {
  describe(`chat billing on ${target.name}`, { skip: target.skip }, () => {
    let rig: ChatRig;
    let server: TestServer;
    const accounts: Account[] = [];
    const account = async (credits: number) => {
      const a = await server.account({ credits });
      accounts.push(a);
      return a;
    };
    const balance = async (a: Account) => (await server.platform.ledger.balances(a.userId)).balance;

    before(async () => {
      rig = await startChatRig(await target.create());
      server = rig.server;
    });
    after(async () => {
      await rig?.close();
    });
    afterEach(async () => {
      for (const a of accounts.splice(0)) await assertLedgerMatches(server, a);
      rig.resetFakes();
    });

    test('OpenAI shape, non-streamed: charged exactly usage x price, cached tokens at their price', async () => {
      rig.openai.cachedTokens = 5;
      const a = await account(100);
      const client = new OpenAI({ apiKey: a.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const res = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'system', content: 'Be exact.' }, { role: 'user', content: 'Count to three.' }] });
      const usage = rig.openai.usages[0]!;
      assert.deepEqual(res.usage, usage, 'the client sees the upstream usage');
      assert.equal(res.choices[0]!.message.content, rig.openai.reply);
      const cost = (usage.prompt_tokens - 5) * MINI.input + 5 * MINI.cached + usage.completion_tokens * MINI.output;
      assert.equal(await balance(a), 100 * MICRO - cost);
      const sent = rig.openai.apiRequests()[0]!;
      assert.equal(sent.headers.authorization, `Bearer ${rig.openai.apiKey}`);
      const body = sent.body as Record<string, any>;
      assert.equal(body.model, 'gpt-4.1-mini');
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(body.max_completion_tokens, 32768, "without max_tokens: the model's output limit (the balance covers it)");
      assert.deepEqual(body.messages, [{ role: 'system', content: 'Be exact.' }, { role: 'user', content: 'Count to three.' }]);
      const row = await finishedRow(server, a.userId);
      assert.deepEqual([row.end_reason, row.usage_source, row.node, row.finish_reason], ['stop', 'upstream', 'node110', 'stop']);
      assert.equal(row.charged_micro, cost);
      assert.ok(row.ttft_ms !== null && row.latency_ms !== null && row.latency_ms >= row.ttft_ms);
      const capture = await server.platform.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', row.id).where('kind', '=', 'capture').executeTakeFirstOrThrow();
      assert.equal(capture.reserved_delta, -cost);
      assert.match(capture.note!, new RegExp(`chat gpt-4.1-mini node=node110 in=${usage.prompt_tokens - 5} cached=5 cache_write=0 out=${usage.completion_tokens} end=stop`));
    });

    test('OpenAI shape to Claude, streamed: translated to Messages, cache reads and writes billed at their prices', async () => {
      rig.anthropic.cacheRead = 10;
      rig.anthropic.cacheWrite = 20;
      const a = await account(50);
      const client = new OpenAI({ apiKey: a.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'claude-sonnet-4',
        max_tokens: 300,
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'You are Claude.' },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi.' },
          { role: 'user', content: 'Tell me something.' },
        ],
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, rig.anthropic.reply);
      const up = rig.anthropic.usages[0]!;
      assert.equal(usage!.prompt_tokens, up.input_tokens + 10 + 20);
      assert.equal(usage!.prompt_tokens_details!.cached_tokens, 10);
      assert.equal(usage!.completion_tokens, up.output_tokens);
      const cost = up.input_tokens * SONNET.input + 10 * SONNET.cached + 20 * SONNET.write + up.output_tokens * SONNET.output;
      assert.equal(await balance(a), 50 * MICRO - cost);
      const sent = rig.anthropic.apiRequests()[0]!;
      assert.equal(sent.headers['x-api-key'], rig.anthropic.apiKey);
      assert.equal(sent.headers['anthropic-version'], '2023-06-01');
      assert.deepEqual(sent.body, {
        model: 'claude-sonnet-4-20250514',
        max_tokens: 300,
        stream: true,
        system: 'You are Claude.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Tell me something.' }] },
        ],
      });
    });

    test('Anthropic shape to GPT with a tool: translated to chat completions, the tool call comes back as tool_use', async () => {
      rig.openai.toolArguments = { city: 'Oslo' };
      const a = await account(20);
      const client = new Anthropic({ apiKey: a.key, baseURL: server.url, maxRetries: 0 });
      const final = await client.messages
        .stream({
          model: 'gpt-4.1-mini',
          max_tokens: 100,
          system: [{ type: 'text', text: 'Use tools.' }],
          messages: [{ role: 'user', content: 'Weather in Oslo?' }],
          tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
          tool_choice: { type: 'any', disable_parallel_tool_use: true },
        })
        .finalMessage();
      assert.equal(final.stop_reason, 'tool_use');
      const use = final.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
      assert.deepEqual([use.id, use.name, use.input], ['call_fake1', 'get_weather', { city: 'Oslo' }]);
      const up = rig.openai.usages[0]!;
      assert.equal(final.usage.input_tokens, up.prompt_tokens);
      assert.equal(final.usage.output_tokens, up.completion_tokens);
      assert.equal(await balance(a), 20 * MICRO - (up.prompt_tokens * MINI.input + up.completion_tokens * MINI.output));
      const body = rig.openai.apiRequests()[0]!.body as Record<string, any>;
      assert.deepEqual(body.messages, [{ role: 'system', content: 'Use tools.' }, { role: 'user', content: 'Weather in Oslo?' }]);
      assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]);
      assert.equal(body.tool_choice, 'required');
      assert.equal(body.parallel_tool_calls, false);
      assert.equal(body.max_completion_tokens, 100);
    });

    test('a client that leaves after the first chunks is charged by the upstream’s final usage', async () => {
      rig.openai.reply = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
      rig.openai.chunkDelay(15);
      const a = await account(10);
      const abort = new AbortController();
      const res = await postChat(server, '/v1/chat/completions', a.key, { model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Count.' }] }, abort.signal);
      assert.equal(res.status, 200);
      let contentChunks = 0;
      await readSse(res, (m) => {
        if (JSON.parse(m.data).choices?.[0]?.delta?.content) contentChunks++;
        return contentChunks < 2;
      });
      abort.abort();
      const row = await finishedRow(server, a.userId);
      assert.equal(row.end_reason, 'client_gone');
      assert.equal(row.usage_source, 'upstream');
      const up = rig.openai.usages[0]!;
      assert.ok(up, 'the platform read the upstream to its end');
      assert.equal(rig.openai.abandoned, 0);
      assert.equal(row.output_tokens, up.completion_tokens);
      assert.equal(up.completion_tokens, countTokens(rig.openai.reply), 'the whole answer was generated (and billed upstream)');
      const cost = up.prompt_tokens * MINI.input + up.completion_tokens * MINI.output;
      assert.equal(row.charged_micro, cost);
      assert.equal(await balance(a), 10 * MICRO - cost);
    });

    test('past the deadline the upstream is dropped and what was generated is counted: never zero, never the hold', async () => {
      rig.openai.reply = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
      rig.openai.chunkDelay(150);
      const a = await account(10);
      const abort = new AbortController();
      const res = await postChat(server, '/v1/chat/completions', a.key, { model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Talk slowly.' }] }, abort.signal);
      await readSse(res, (m) => !JSON.parse(m.data).choices?.[0]?.delta?.content);
      abort.abort();
      const row = await finishedRow(server, a.userId);
      assert.equal(row.end_reason, 'client_gone');
      assert.equal(row.usage_source, 'counted');
      await until(() => rig.openai.abandoned === 1, 'the upstream request was aborted at the deadline');
      assert.equal(rig.openai.usages.length, 0);
      assert.equal(row.input_tokens, row.prompt_tokens_counted);
      assert.ok(row.output_tokens > 0 && row.output_tokens < countTokens(rig.openai.reply), `${row.output_tokens} tokens generated before the deadline`);
      const cost = row.input_tokens * MINI.input + row.output_tokens * MINI.output;
      assert.equal(row.charged_micro, cost);
      assert.ok(cost > 0 && cost < row.hold_micro);
      assert.equal(await balance(a), 10 * MICRO - cost);
    });

    test('the first node answers 503 before any byte: the request succeeds on the second, charged once', async () => {
      rig.dsA.failNext(1, 503);
      const a = await account(5);
      const res = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Hello' }] } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.choices[0].message.content, rig.dsB.reply);
      assert.equal(rig.dsA.apiRequests().length, 1);
      assert.equal(rig.dsB.apiRequests().length, 1);
      assert.equal(rig.dsB.apiRequests()[0]!.path, '/v1/chat/completions');
      assert.equal((rig.dsB.apiRequests()[0]!.body as any).max_tokens, 8192, 'DeepSeek takes max_tokens');
      const row = await finishedRow(server, a.userId);
      assert.deepEqual([row.node, row.attempts, row.end_reason], ['ds-b', 2, 'stop']);
      const up = rig.dsB.usages[0]!;
      assert.equal(await balance(a), 5 * MICRO - (up.prompt_tokens * DEEPSEEK.input + up.completion_tokens * DEEPSEEK.output));
      const health = server.platform.router.snapshot().find((n) => n.id === 'ds-a')!;
      assert.equal(health.last_error?.includes('503'), true);
    });

    test('an error event after the 200 but before any content also fails over; a slow first token past the idle timeout too', async () => {
      rig.dsA.errorAfter(0);
      const a = await account(5);
      const res = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model: 'deepseek-chat', stream: false, messages: [{ role: 'user', content: 'Hi' }] } });
      assert.equal(res.status, 200);
      assert.equal((await finishedRow(server, a.userId)).node, 'ds-b');

      rig.resetFakes();
      rig.dsA.firstTokenDelay(4000);
      const b = await account(5);
      const slow = await server.api('POST', '/v1/chat/completions', { key: b.key, body: { model: 'deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] } });
      assert.equal(slow.status, 200);
      const row = await finishedRow(server, b.userId);
      assert.deepEqual([row.node, row.attempts], ['ds-b', 2]);
      await until(() => rig.dsA.abandoned === 1, 'the silent upstream was let go');
    });

    test('with one node, a first token that never comes is a 504 in the endpoint’s shape, and nothing is charged', async () => {
      rig.anthropic.firstTokenDelay(4000);
      const a = await account(5);
      const res = await server.api('POST', '/v1/messages', { key: a.key, body: { model: 'claude-sonnet-4', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] } });
      assert.equal(res.status, 504);
      assert.deepEqual([res.body.type, res.body.error.type, res.body.error.code], ['error', 'timeout_error', 'upstream_timeout']);
      const row = await finishedRow(server, a.userId);
      assert.deepEqual([row.end_reason, row.charged_micro, row.usage_source], ['timeout', 0, null]);
      assert.equal(await balance(a), 5 * MICRO);
    });

    test('after the first content the stream is the client’s: an upstream error ends it, and what was generated is charged', async () => {
      rig.dsA.errorAfter(4);
      const a = await account(5);
      const client = new OpenAI({ apiKey: a.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
      let text = '';
      await assert.rejects(
        (async () => {
          for await (const chunk of await client.chat.completions.create({ model: 'deepseek-chat', stream: true, messages: [{ role: 'user', content: 'Go' }] })) text += chunk.choices[0]?.delta.content ?? '';
        })(),
        (err: any) => err instanceof OpenAI.APIError && err.code === 'upstream_failed' && /What was generated until then was charged/.test(err.message),
      );
      assert.ok(text.length > 0, 'the client had content before the error');
      assert.equal(rig.dsB.apiRequests().length, 0, 'no failover once the client has content');
      const row = await finishedRow(server, a.userId);
      assert.deepEqual([row.end_reason, row.usage_source, row.error_code], ['upstream_error', 'counted', 'upstream_failed']);
      assert.equal(row.output_tokens, countTokens(text));
      assert.equal(row.input_tokens, row.prompt_tokens_counted);
      assert.equal(row.charged_micro, row.input_tokens * DEEPSEEK.input + row.output_tokens * DEEPSEEK.output);
      assert.equal(await balance(a), 5 * MICRO - row.charged_micro);
    });

    test('Anthropic: an overloaded error event mid-stream reaches the client as an error event; input tokens from message_start', async () => {
      rig.anthropic.errorAfter(3);
      const a = await account(5);
      const res = await postChat(server, '/v1/messages', a.key, { model: 'claude-sonnet-4', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Go' }] });
      const events: Array<{ event?: string; data: string }> = [];
      await readSse(res, (m) => void events.push(m));
      const names = events.map((e) => e.event);
      assert.deepEqual(names.slice(0, 2), ['message_start', 'content_block_start']);
      assert.equal(names.at(-1), 'error');
      const error = JSON.parse(events.at(-1)!.data);
      assert.deepEqual([error.type, error.error.type, error.error.code], ['error', 'overloaded_error', 'upstream_unavailable']);
      const row = await finishedRow(server, a.userId);
      assert.equal(row.end_reason, 'upstream_error');
      const sentInput = JSON.parse(events[0]!.data).message.usage.input_tokens;
      assert.equal(row.input_tokens, sentInput, "the upstream's own input count, from message_start");
      assert.equal(row.output_tokens, 3);
      assert.equal(row.charged_micro, row.input_tokens * SONNET.input + 3 * SONNET.output);
    });

    test('a stream cut half-way: the client gets an error chunk, the generated part is charged', async () => {
      rig.openai.cutAfter(5);
      const a = await account(5);
      const res = await postChat(server, '/v1/chat/completions', a.key, { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'Go' }] });
      const datas: string[] = [];
      await readSse(res, (m) => void datas.push(m.data));
      assert.notEqual(datas.at(-1), '[DONE]');
      assert.equal(JSON.parse(datas.at(-1)!).error.code, 'upstream_unavailable');
      const row = await finishedRow(server, a.userId);
      assert.deepEqual([row.end_reason, row.usage_source, row.output_tokens], ['upstream_error', 'counted', 5]);
      assert.equal(row.charged_micro, row.input_tokens * 200 + 5 * 800);
    });

    test('402 with max_tokens names what the balance affords and sends nothing; without it the cap is lowered to fit', async () => {
      const a = await account(1);
      const body = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Write an essay.' }] };
      const refused = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { ...body, max_completion_tokens: 2000 } });
      assert.equal(refused.status, 402);
      assert.equal(refused.body.error.code, 'insufficient_credits');
      assert.equal(refused.body.error.param, 'max_completion_tokens');
      const affordable = Number(/room for about (\d+) output tokens/.exec(refused.body.error.message)?.[1]);
      assert.ok(affordable > 100 && affordable < 2000, refused.body.error.message);
      assert.equal(rig.openai.apiRequests().length, 0, 'nothing was sent upstream');
      const fits = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { ...body, max_completion_tokens: affordable } });
      assert.equal(fits.status, 200);
      const lowered = await server.api('POST', '/v1/chat/completions', { key: a.key, body });
      assert.equal(lowered.status, 200);
      const row = await finishedRow(server, a.userId);
      const sent = rig.openai.apiRequests().at(-1)!.body as Record<string, number>;
      assert.equal(sent.max_completion_tokens, row.max_output_tokens);
      assert.ok(row.max_output_tokens < 32768 && row.hold_micro <= 1 * MICRO, 'the cap was lowered to what the balance covers');

      const poor = await account(0.001);
      const none = await server.api('POST', '/v1/messages', { key: poor.key, body: { model: 'gpt-4.1', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] } });
      assert.equal(none.status, 402);
      assert.deepEqual([none.body.error.type, none.body.error.code], ['billing_error', 'insufficient_credits']);
      const tiny = await server.api('POST', '/v1/chat/completions', { key: poor.key, body });
      assert.equal(tiny.status, 402, 'not even a useful minimum');
      assert.equal(rig.openai.apiRequests().length, 2);
    });

    test('per-key limits: the allow-list (403) and the credit limit (402 key_credit_limit_reached)', async () => {
      const a = await account(100);
      await server.platform.db.updateTable('api_keys').set({ allowed_models: JSON.stringify(['deepseek-chat']), credit_limit: 200_000 }).where('id', '=', a.keyId).execute();
      const blocked = await server.api('POST', '/v1/messages', { key: a.key, body: { model: 'gpt-4.1', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] } });
      assert.equal(blocked.status, 403);
      assert.deepEqual([blocked.body.error.type, blocked.body.error.code], ['permission_error', 'model_not_allowed']);
      const limited = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model: 'deepseek-chat', max_tokens: 8000, messages: [{ role: 'user', content: 'x' }] } });
      assert.equal(limited.status, 402);
      assert.equal(limited.body.error.code, 'key_credit_limit_reached');
      const ok = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model: 'deepseek-chat', max_tokens: 1000, messages: [{ role: 'user', content: 'x' }] } });
      assert.equal(ok.status, 200);
      const key = await server.platform.db.selectFrom('api_keys').select('spent').where('id', '=', a.keyId).executeTakeFirstOrThrow();
      const row = await finishedRow(server, a.userId);
      assert.equal(Number(key.spent), row.charged_micro, "the key's spend is what it was charged");
    });

    test('the usage report counts chat requests: tokens, credits, latency, end reasons, per key; no prompts stored', async () => {
      const a = await account(10);
      for (const model of ['gpt-4.1-mini', 'deepseek-chat']) {
        const res = await server.api('POST', '/v1/chat/completions', { key: a.key, body: { model, messages: [{ role: 'user', content: 'Report me.' }] } });
        assert.equal(res.status, 200);
      }
      const report = await new UsageService(server.platform.db).report(a.userId, 7);
      const rows = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', a.userId).execute();
      const total = rows.reduce((n, r) => n + r.charged_micro, 0);
      assert.equal(Math.round(report.by_day.at(-1)!.credits * MICRO), total);
      assert.equal(report.by_day.at(-1)!.tasks, 2);
      assert.deepEqual(report.chat.by_model.map((m) => m.model).sort(), ['deepseek-chat', 'gpt-4.1-mini']);
      const mini = report.chat.by_model.find((m) => m.model === 'gpt-4.1-mini')!;
      const miniRow = rows.find((r) => r.model === 'gpt-4.1-mini')!;
      assert.deepEqual([mini.requests, mini.input_tokens, mini.output_tokens, mini.avg_latency_ms], [1, miniRow.input_tokens, miniRow.output_tokens, miniRow.latency_ms]);
      assert.deepEqual(report.chat.by_key, [{ api_key_id: a.keyId, requests: 2, input_tokens: rows.reduce((n, r) => n + r.input_tokens, 0), output_tokens: rows.reduce((n, r) => n + r.output_tokens, 0), credits: total / MICRO }]);
      assert.equal(report.chat.recent.length, 2);
      assert.equal(report.chat.recent[0]!.end_reason, 'stop');
      assert.ok(rows.every((r) => r.prompt === null && r.completion === null));
    });
  });

  describe(`100 parallel streams on ${target.name}`, { skip: target.skip }, () => {
    let rig: ChatRig;
    before(async () => {
      rig = await startChatRig(await target.create(), { AIO_CHAT_IDLE_TIMEOUT_MS: '60000' });
    });
    after(async () => {
      await rig?.close();
    });

    test('on a balance covering three holds exactly three are accepted, and the balance never goes below zero', async () => {
      const { server } = rig;
      const body = { model: 'gpt-4.1-mini', stream: true, max_tokens: 1000, messages: [{ role: 'user', content: 'Parallel hello' }] };
      // One request on another account tells the hold of this body.
      const probe = await server.account({ credits: 10 });
      const first = await postChat(server, '/v1/chat/completions', probe.key, body);
      await readSse(first, () => undefined);
      const hold = (await finishedRow(server, probe.userId)).hold_micro;
      rig.resetFakes();

      const a = await server.account({});
      await server.platform.ledger.credit(a.userId, Math.floor(hold * 3.5), 'grant', 'test');
      const release = rig.openai.pause();
      const statuses: number[] = [];
      const requests = Array.from({ length: 100 }, async () => {
        const res = await postChat(server, '/v1/chat/completions', a.key, body);
        statuses.push(res.status);
        if (res.status === 200) await readSse(res, () => undefined);
        else await res.text();
        return res.status;
      });
      for (let waited = 0; statuses.length < 97 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      assert.equal(statuses.length, 97, 'the refusals came at once');
      assert.ok(statuses.every((s) => s === 402));
      await until(() => rig.openai.apiRequests().length >= 3, 'the accepted reached the upstream');
      assert.equal(rig.openai.apiRequests().length, 3, 'only the accepted reached the upstream');
      const { balance: during } = await server.platform.ledger.balances(a.userId);
      assert.ok(during >= 0 && during < hold);
      release();
      const all = await Promise.all(requests);
      assert.equal(all.filter((s) => s === 200).length, 3);
      assert.equal(all.filter((s) => s === 402).length, 97);
      const charged = (await server.platform.db.selectFrom('chat_requests').select('charged_micro').where('user_id', '=', a.userId).execute()).reduce((n, r) => n + r.charged_micro, 0);
      const up = rig.openai.usages;
      assert.equal(up.length, 3);
      assert.equal(charged, up.reduce((n, u) => n + u.prompt_tokens * MINI.input + u.completion_tokens * MINI.output, 0));
      assert.equal((await server.platform.ledger.balances(a.userId)).balance, Math.floor(hold * 3.5) - charged);
      await assertLedgerMatches(server, a);
      await assertLedgerMatches(server, probe);
    });
  });
}
