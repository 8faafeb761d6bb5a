// The chat adapters against the fakes, without the platform: a stream of neutral events; a
// failure before the first byte rejects the call (classified, retryable or not), a failure
// after it is thrown by the iterator; the upstream request is aborted when the consumer stops;
// `timeoutMs` bounds the wait for headers and every silence, never the whole answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chatWithAnthropic } from '../../src/providers/anthropic/chat.js';
import { UpstreamError } from '../../src/providers/errors.js';
import { openAiChat } from '../../src/providers/openai/chat.js';
import type { ChatEvent, ChatOpInput, ChatStream } from '../../src/providers/chat-types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from '../fakes/openai-chat-server.js';
import { until } from './rig.js';

const input: ChatOpInput = {
  taskId: 'chat_test',
  model: 'm',
  upstreamModel: 'up-1',
  request: { system: [{ type: 'text', text: 'Sys' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], maxTokens: 64, extras: {} },
};
const compatible = openAiChat({ name: 'DeepSeek', path: '/chat/completions', maxTokensField: 'max_tokens' });

async function drain(stream: ChatStream): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

describe('chat adapters', () => {
  let openai: FakeOpenAIChat;
  let anthropic: FakeAnthropic;
  before(async () => {
    [openai, anthropic] = await Promise.all([startFakeOpenAIChat(), startFakeAnthropic()]);
  });
  after(async () => {
    await Promise.all([openai?.close(), anthropic?.close()]);
  });
  const openaiCtx = (o = {}) => contextFor({ url: `${openai.url}/v1`, apiKey: openai.apiKey }, o);

  test('OpenAI-compatible: the request, then text, finish and the final usage', async () => {
    openai.reset();
    const events = await drain(await compatible(input, openaiCtx()));
    const sent = openai.apiRequests()[0]!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${openai.apiKey}`);
    assert.equal(sent.headers.accept, 'text/event-stream');
    assert.deepEqual(sent.body, { model: 'up-1', messages: [{ role: 'system', content: 'Sys' }, { role: 'user', content: 'Hello' }], stream: true, stream_options: { include_usage: true }, max_tokens: 64 });
    const text = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('');
    assert.equal(text, openai.reply);
    const u = openai.usages[0]!;
    assert.deepEqual(events.slice(-2), [
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: u.prompt_tokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: u.completion_tokens }, final: true },
    ]);
  });

  test('Anthropic: headers, body, events in order, usage merged from message_start and message_delta', async () => {
    anthropic.reset();
    anthropic.cacheRead = 4;
    const events = await drain(await chatWithAnthropic(input, contextFor(anthropic)));
    const sent = anthropic.apiRequests()[0]!;
    assert.deepEqual([sent.path, sent.headers['x-api-key'], sent.headers['anthropic-version']], ['/v1/messages', anthropic.apiKey, '2023-06-01']);
    assert.deepEqual(sent.body, { model: 'up-1', max_tokens: 64, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], stream: true, system: 'Sys' });
    const u = anthropic.usages[0]!;
    assert.deepEqual(events[0], { type: 'usage', usage: { inputTokens: u.input_tokens, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 1 }, final: false });
    assert.deepEqual(events.at(-1), { type: 'usage', usage: { inputTokens: u.input_tokens, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: u.output_tokens }, final: true });
    assert.equal(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), anthropic.reply);
  });

  test('before the first byte: the call rejects, classified; no secret in the message', async () => {
    anthropic.reset();
    anthropic.failNext(1, 529);
    await rejectsUpstream(chatWithAnthropic(input, contextFor(anthropic)), { code: 'upstream_unavailable', retryable: true, status: 529 }, [anthropic.apiKey]);
    anthropic.failNext(1, 429);
    await rejectsUpstream(chatWithAnthropic(input, contextFor(anthropic)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
    await rejectsUpstream(chatWithAnthropic(input, contextFor(anthropic, { apiKey: 'sk-ant-wrong' })), { code: 'upstream_auth_failed', retryable: false, status: 401 }, ['sk-ant-wrong']);
    openai.reset();
    openai.failNext(1, 400);
    await rejectsUpstream(compatible(input, openaiCtx()), { code: 'upstream_invalid_request', retryable: false, status: 400 });
    await rejectsUpstream(compatible(input, contextFor({ url: await deadUrl(), apiKey: 'k' })), { code: 'upstream_unavailable', retryable: true });
    openai.slow(400);
    await rejectsUpstream(compatible(input, openaiCtx({ timeoutMs: 100 })), { code: 'upstream_timeout', retryable: true });
  });

  test('after the first byte: the iterator throws (an error event, a cut, a silence past the timeout)', async () => {
    anthropic.reset();
    anthropic.errorAfter(2);
    const overloaded = await chatWithAnthropic(input, contextFor(anthropic));
    await assert.rejects(drain(overloaded), (e) => e instanceof UpstreamError && e.code === 'upstream_unavailable' && e.retryable);
    openai.reset();
    openai.cutAfter(3);
    await assert.rejects(drain(await compatible(input, openaiCtx())), (e) => e instanceof UpstreamError && e.code === 'upstream_unavailable' && /mid-answer|before the answer was complete/.test(e.message));
    openai.reset();
    openai.firstTokenDelay(500);
    const silent = await compatible(input, openaiCtx({ timeoutMs: 150 }));
    await assert.rejects(drain(silent), (e) => e instanceof UpstreamError && e.code === 'upstream_timeout');
    await until(() => openai.abandoned === 1);
  });

  test('a slow but steady stream is never cut by the timeout, which bounds silences only', async () => {
    openai.reset();
    openai.reply = 'a b c d e f g h i j';
    openai.chunkDelay(60);
    const events = await drain(await compatible(input, openaiCtx({ timeoutMs: 200 })));
    assert.equal(events.filter((e) => e.type === 'text').length, 10, 'about 600 ms in all, each gap 60 ms');
  });

  test('when the consumer stops, the upstream request is aborted', async () => {
    for (const [fake, open] of [
      [openai, () => compatible(input, openaiCtx())],
      [anthropic, () => chatWithAnthropic(input, contextFor(anthropic))],
    ] as const) {
      fake.reset();
      fake.chunkDelay(50);
      let seen = 0;
      for await (const e of await open()) if (e.type === 'text' && ++seen === 2) break;
      await until(() => fake.abandoned === 1);
      fake.reset();
      fake.chunkDelay(50);
      const stream = await open();
      const reading = drain(stream);
      stream.close();
      await reading;
      await until(() => fake.abandoned === 1);
    }
  });
});
