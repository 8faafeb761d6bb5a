// The official `openai` and `@anthropic-ai/sdk` clients, unchanged, against our server with a
// test key: every request reaches aio-echo whatever chat model it names, streamed or not, in
// either shape, with real token counts, and costs nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { countTokens } from 'gpt-tokenizer';
import { startTestServer, type TestServer } from '../helpers/server.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'] },
  },
};
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('official clients against the server with a test key', () => {
  let server: TestServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let account: Awaited<ReturnType<TestServer['account']>>;

  before(async () => {
    server = await startTestServer();
    account = await server.account({ test: true });
    openai = new OpenAI({ apiKey: account.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: account.key, baseURL: server.url, maxRetries: 0 });
  });
  after(async () => {
    await server?.close();
  });

  test('openai chat.completions.create: an answer describing the conversation, with real token counts', async () => {
    const res = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
        { role: 'assistant', content: 'Hi! How can I help?' },
        { role: 'user', content: 'What is 2+2?' },
      ],
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, 'gpt-4.1-mini');
    const text = res.choices[0]!.message.content!;
    assert.match(text, /^Echo from aio-echo \(as gpt-4\.1-mini\): I received 3 messages and a system prompt of 9 characters\./);
    assert.match(text, /Your last user message says: "What is 2\+2\?"/);
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    assert.equal(res.usage!.completion_tokens, countTokens(text));
    assert.ok(res.usage!.prompt_tokens > countTokens('Be brief.Hello thereHi! How can I help?What is 2+2?'));
    assert.equal(res.usage!.total_tokens, res.usage!.prompt_tokens + res.usage!.completion_tokens);
  });

  test('openai streaming: the same answer token by token, then the usage chunk', async () => {
    const body = { model: 'deepseek-chat', messages: [{ role: 'user' as const, content: 'Stream this, please.' }] };
    const whole = await openai.chat.completions.create(body);
    const stream = await openai.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    const ids = new Set<string>();
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    assert.equal(ids.size, 1, 'every chunk carries the same id');
    assert.equal(deltas.join(''), whole.choices[0]!.message.content);
    assert.equal(deltas.length, whole.usage!.completion_tokens, 'one chunk a token');
    assert.equal(finish, 'stop');
    assert.deepEqual(usage, whole.usage);
  });

  test('openai tools: a well-formed tool call, streamed and not; a tool result is answered', async () => {
    const body = { model: 'claude-sonnet-4', messages: [{ role: 'user' as const, content: 'Weather in Paris?' }], tools: [WEATHER_TOOL] };
    const res = await openai.chat.completions.create(body);
    const call = res.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(res.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Weather in Paris?', unit: 'celsius' });

    const streamed = await openai.chat.completions.stream(body).finalChatCompletion();
    const streamedCall = streamed.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(streamedCall.id, call.id);
    assert.equal(streamedCall.function.arguments, call.function.arguments);

    const followUp = await openai.chat.completions.create({
      ...body,
      messages: [...body.messages, res.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '18 degrees and sunny' }],
    });
    assert.match(followUp.choices[0]!.message.content!, /The tool get_weather answered: "18 degrees and sunny"/);
    assert.equal(followUp.choices[0]!.finish_reason, 'stop');
  });

  test('openai: max_tokens cuts the answer (finish_reason length); stop sequences end it', async () => {
    const cut = await openai.chat.completions.create({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'Say a lot.' }] });
    assert.equal(cut.choices[0]!.finish_reason, 'length');
    assert.equal(cut.usage!.completion_tokens, 5);
    const stopped = await openai.chat.completions.create({ model: 'gpt-4.1', stop: ['received'], messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(stopped.choices[0]!.message.content, 'Echo from aio-echo (as gpt-4.1): I ');
    assert.equal(stopped.choices[0]!.finish_reason, 'stop');
  });

  test('images: a vision model takes them, a model without vision refuses them by name', async () => {
    const content: OpenAI.ChatCompletionContentPart[] = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: PIXEL_PNG } },
    ];
    const res = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content }] });
    assert.match(res.choices[0]!.message.content!, /They carry 1 image\./);
    await assert.rejects(openai.chat.completions.create({ model: 'deepseek-chat', messages: [{ role: 'user', content }] }), (err: any) => {
      assert.equal(err.status, 400);
      assert.equal(err.code, 'unsupported_parameter');
      assert.equal(err.param, 'messages[0].content[1]');
      return true;
    });
  });

  test('anthropic messages.create: system, multi-turn, usage in its shape', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-sonnet-4',
      max_tokens: 300,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: [{ type: 'text', text: 'Second question' }] },
      ],
    });
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.equal(msg.stop_reason, 'end_turn');
    const block = msg.content[0]!;
    assert.equal(block.type, 'text');
    const text = (block as Anthropic.TextBlock).text;
    assert.match(text, /I received 3 messages and a system prompt of 14 characters\. Your last user message says: "Second question"\./);
    assert.equal(msg.usage.output_tokens, countTokens(text));
    assert.ok(msg.usage.input_tokens > 0);
  });

  test('anthropic messages.stream: text events add up to the final message; tools stream as input_json_delta', async () => {
    const stream = anthropic.messages.stream({ model: 'gpt-4.1', max_tokens: 300, messages: [{ role: 'user', content: 'Stream please' }] });
    const pieces: string[] = [];
    stream.on('text', (t) => pieces.push(t));
    const final = await stream.finalMessage();
    assert.ok(pieces.length > 10, 'token by token');
    assert.equal((final.content[0] as Anthropic.TextBlock).text, pieces.join(''));
    assert.equal(final.stop_reason, 'end_turn');
    assert.equal(final.usage.output_tokens, pieces.length);

    const toolStream = anthropic.messages.stream({
      model: 'qwen-plus',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } }],
    });
    const toolFinal = await toolStream.finalMessage();
    assert.equal(toolFinal.stop_reason, 'tool_use');
    const use = toolFinal.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'Weather?', days: 1 });

    const answer = await anthropic.messages.create({
      model: 'qwen-plus',
      max_tokens: 300,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: toolFinal.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Rain' }] },
      ],
    });
    assert.match((answer.content[0] as Anthropic.TextBlock).text, /The tool get_weather answered: "Rain"/);
  });

  test('errors come in the shape of the endpoint called, with our codes inside', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'claude-sonnet-4', seed: 7, messages: [{ role: 'user', content: 'x' }] }), (err: any) => {
      assert.ok(err instanceof OpenAI.BadRequestError);
      assert.equal(err.code, 'unsupported_parameter');
      assert.equal(err.param, 'seed');
      assert.match(err.message, /Anthropic Messages API/);
      return true;
    });
    await assert.rejects(anthropic.messages.create({ model: 'gpt-4.1', max_tokens: 10, service_tier: 'standard_only', messages: [{ role: 'user', content: 'x' }] }), (err: any) => {
      const body = err.error;
      assert.equal(err instanceof Anthropic.BadRequestError, true);
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.equal(body.error.code, 'unsupported_parameter');
      assert.equal(body.error.param, 'service_tier');
      return true;
    });
    await assert.rejects(openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }), (err: any) => err.status === 400 && err.code === 'model_not_found');
    await assert.rejects(openai.chat.completions.create({ model: 'aio-poster', messages: [{ role: 'user', content: 'x' }] }), (err: any) => err.code === 'model_not_found' && /image model/.test(err.message));
    const stranger = new Anthropic({ apiKey: 'aio_test_0000000000000000000000000000000000000000', baseURL: server.url, maxRetries: 0 });
    await assert.rejects(stranger.messages.create({ model: 'gpt-4.1', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (err: any) => {
      const body = err.error;
      assert.equal(err instanceof Anthropic.AuthenticationError, true);
      assert.equal(body.error.type, 'authentication_error');
      assert.equal(body.error.code, 'invalid_api_key');
      return true;
    });
    const missing = await server.api('POST', '/v1/messages', { key: account.key, body: { model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] } });
    assert.equal(missing.status, 400);
    assert.deepEqual(Object.keys(missing.body), ['type', 'error']);
    assert.equal(missing.body.error.code, 'missing_parameter');
    assert.equal(missing.body.error.param, 'max_tokens');
    const unknown = await server.api('POST', '/v1/chat/completions', { key: account.key, body: { model: 'gpt-4.1', temprature: 1, messages: [{ role: 'user', content: 'x' }] } });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { error: { message: "Unknown parameter 'temprature'.", type: 'invalid_request_error', param: 'temprature', code: 'unknown_parameter' } });
  });

  test('the route under our base path answers the same, and test requests cost nothing', async () => {
    const res = await server.api('POST', '/api/v1/chat/completions', { key: account.key, body: { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] } });
    assert.equal(res.status, 200);
    assert.match(res.body.choices[0].message.content, /^Echo from aio-echo \(as gpt-4\.1\)/);
    const rows = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', account.userId).execute();
    assert.ok(rows.length >= 10);
    for (const row of rows) {
      assert.equal(row.livemode, 0);
      assert.equal(row.hold_micro, 0);
      assert.equal(row.charged_micro, 0);
      assert.equal(row.status, 'finished');
      assert.equal(row.node, 'local');
      assert.equal(row.prompt, null, 'prompts are not stored unless the operator turns it on');
    }
    const ledger = await server.platform.db.selectFrom('ledger_entries').select('id').where('user_id', '=', account.userId).execute();
    assert.equal(ledger.length, 0);
  });
});
