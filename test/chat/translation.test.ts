// Translation between the OpenAI and Anthropic shapes, both directions, as pure functions:
// requests (system, multi-turn, images, tools and tool results), what a target cannot honour
// (refused by name), upstream streams into neutral events, and neutral events back into either
// shape (chunks, named events, whole bodies), stop reasons and usage included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelConfig } from '../../src/config/catalog-schema.js';
import { AppError } from '../../src/lib/app-error.js';
import { ChatAnswer } from '../../src/modalities/chat/answer.js';
import { buildAnthropicBody } from '../../src/modalities/chat/anthropic/build.js';
import { parseAnthropicMessages } from '../../src/modalities/chat/anthropic/parse.js';
import { AnthropicEventWriter, anthropicMessage } from '../../src/modalities/chat/anthropic/respond.js';
import { AnthropicStreamDecoder } from '../../src/modalities/chat/anthropic/stream.js';
import { costMicro, holdMicro, affordableOutputTokens } from '../../src/modalities/chat/cost.js';
import { buildOpenAiBody } from '../../src/modalities/chat/openai/build.js';
import { parseOpenAiChat } from '../../src/modalities/chat/openai/parse.js';
import { OpenAiChunkWriter, openAiCompletion } from '../../src/modalities/chat/openai/respond.js';
import { OpenAiStreamDecoder } from '../../src/modalities/chat/openai/stream.js';
import { checkTarget } from '../../src/modalities/chat/target.js';
import type { ParsedChat } from '../../src/modalities/chat/types.js';
import { UpstreamError } from '../../src/providers/errors.js';
import type { ChatEvent } from '../../src/providers/chat-types.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const model = (vision = true, tools = true) => ({ id: 'm', params: { context_length: 100000, max_output_tokens: 4096, vision, tools } }) as unknown as ModelConfig;
const op = (parsed: ParsedChat, maxTokens = 256) => ({ taskId: 'chat_1', model: 'm', upstreamModel: 'up-model', request: { ...parsed.request, maxTokens } });

function refused(fn: () => unknown, code: string, param: string): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.code, code);
    assert.equal(err.param, param);
    return true;
  });
}

describe('OpenAI request -> Anthropic upstream', () => {
  const parsed = parseOpenAiChat({
    model: 'claude-sonnet-4',
    user: 'end-user-7',
    stop: 'END',
    temperature: 0.5,
    messages: [
      { role: 'system', content: 'Rule one.' },
      { role: 'developer', content: [{ type: 'text', text: 'Rule two.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'auto' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }, { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":"dogs"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'cats: 3' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'dogs: 5' }] },
      { role: 'user', content: 'Sum them.' },
    ],
    tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
    tool_choice: { type: 'function', function: { name: 'lookup' } },
    parallel_tool_calls: false,
  });

  test('system and developer messages lead; images become blocks; tool calls and results pair up; turns alternate', () => {
    checkTarget(parsed, model(), ['anthropic']);
    assert.deepEqual(buildAnthropicBody(op(parsed)), {
      model: 'up-model',
      max_tokens: 256,
      stream: true,
      system: 'Rule one.\n\nRule two.',
      temperature: 0.5,
      stop_sequences: ['END'],
      metadata: { user_id: 'end-user-7' },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'cats' } },
            { type: 'tool_use', id: 'call_2', name: 'lookup', input: { q: 'dogs' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'cats: 3' }] },
            { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'dogs: 5' }] },
            { type: 'text', text: 'Sum them.' },
          ],
        },
      ],
      tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
      tool_choice: { type: 'tool', name: 'lookup', disable_parallel_tool_use: true },
    });
  });

  test('the same request to an OpenAI upstream keeps its own shape, always streamed with usage', () => {
    const body = buildOpenAiBody(op(parsed), { maxTokensField: 'max_completion_tokens' });
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Rule one.\n\nRule two.' },
      { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'auto' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }, { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":"dogs"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'cats: 3' },
      { role: 'tool', tool_call_id: 'call_2', content: 'dogs: 5' },
      { role: 'user', content: 'Sum them.' },
    ]);
    assert.deepEqual([body.stream, body.stream_options, body.max_completion_tokens, body.tool_choice, body.parallel_tool_calls, body.user, body.stop], [true, { include_usage: true }, 256, { type: 'function', function: { name: 'lookup' } }, false, 'end-user-7', ['END']]);
  });

  test('what Anthropic cannot honour is refused by name; an OpenAI upstream takes it', () => {
    const base = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };
    for (const [extra, param] of [
      [{ seed: 1 }, 'seed'],
      [{ response_format: { type: 'json_object' } }, 'response_format'],
      [{ logit_bias: { '1': 2 } }, 'logit_bias'],
      [{ temperature: 1.5 }, 'temperature'],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png', detail: 'high' } }] }] }, 'messages[0].content[0].image_url.detail'],
      [{ messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'late rule' }] }, 'messages[1]'],
      [{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }, 'messages[1].tool_calls[0].function.arguments'],
    ] as const) {
      const p = parseOpenAiChat({ ...base, ...extra });
      refused(() => checkTarget(p, model(), ['anthropic']), 'unsupported_parameter', param);
      checkTarget(p, model(), ['openai']);
      checkTarget(p, model(), ['any']);
    }
    assert.deepEqual(buildOpenAiBody(op(parseOpenAiChat({ ...base, seed: 9, response_format: { type: 'json_object' } })), { maxTokensField: 'max_tokens' }).seed, 9);
  });

  test('what this gateway does not offer, or does not know, is refused by name at once', () => {
    const base = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };
    refused(() => parseOpenAiChat({ ...base, n: 2 }), 'unsupported_parameter', 'n');
    parseOpenAiChat({ ...base, n: 1, logprobs: false, store: false });
    refused(() => parseOpenAiChat({ ...base, logprobs: true }), 'unsupported_parameter', 'logprobs');
    refused(() => parseOpenAiChat({ ...base, functions: [] }), 'unsupported_parameter', 'functions');
    refused(() => parseOpenAiChat({ ...base, foo: 1 }), 'unknown_parameter', 'foo');
    refused(() => parseOpenAiChat({ ...base, messages: [{ role: 'user', content: 'x', name: 'bob' }] }), 'unsupported_parameter', 'messages[0].name');
    refused(() => parseOpenAiChat({ ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }), 'unsupported_parameter', 'messages[0].content[0]');
    refused(() => parseOpenAiChat({ ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] }), 'invalid_parameter', 'messages[0].content[0].image_url.url');
    refused(() => parseOpenAiChat({ ...base, temperature: 3 }), 'invalid_parameter', 'temperature');
    refused(() => parseOpenAiChat({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }), 'invalid_parameter', 'stop');
    refused(() => parseOpenAiChat({ model: 'x' }), 'missing_parameter', 'messages');
    refused(() => parseOpenAiChat({ ...base, messages: [{ role: 'system', content: 'only a system prompt' }] }), 'invalid_parameter', 'messages');
    refused(() => checkTarget(parseOpenAiChat({ ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' } }] }] }), model(false), ['openai']), 'unsupported_parameter', 'messages[0].content[0]');
    refused(() => checkTarget(parseOpenAiChat({ ...base, tools: [{ type: 'function', function: { name: 'f' } }] }), model(true, false), ['openai']), 'unsupported_parameter', 'tools');
    refused(() => checkTarget(parseOpenAiChat({ ...base, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }), model(), ['openai']), 'invalid_parameter', 'tool_choice.function.name');
  });
});

describe('Anthropic request -> OpenAI upstream', () => {
  const parsed = parseAnthropicMessages({
    model: 'gpt-4.1',
    max_tokens: 500,
    system: [{ type: 'text', text: 'Be kind.', cache_control: { type: 'ephemeral' } }],
    metadata: { user_id: 'u-1' },
    stop_sequences: ['###'],
    messages: [
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'What is it?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'identify', input: { image: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a pixel', is_error: true }, { type: 'text', text: 'And?' }] },
    ],
    tools: [{ name: 'identify', input_schema: { type: 'object', properties: { image: { type: 'integer' } } }, cache_control: { type: 'ephemeral' } }],
    tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  });

  test('blocks become messages: tool_use -> tool_calls, tool_result -> tool messages before the user text', () => {
    assert.equal(parsed.maxTokens?.value, 500);
    checkTarget(parsed, model(), ['openai']);
    const body = buildOpenAiBody(op(parsed, 500), { maxTokensField: 'max_tokens' });
    assert.deepEqual(body, {
      model: 'up-model',
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'text', text: 'What is it?' }] },
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'identify', arguments: '{"image":1}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: a pixel' },
        { role: 'user', content: 'And?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 500,
      stop: ['###'],
      tools: [{ type: 'function', function: { name: 'identify', parameters: { type: 'object', properties: { image: { type: 'integer' } } } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      user: 'u-1',
    });
  });

  test('back to an Anthropic upstream the request is what the client sent, cache marks included', () => {
    const body = buildAnthropicBody(op(parsed, 500));
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be kind.', cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'What is it?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'identify', input: { image: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a pixel' }], is_error: true }, { type: 'text', text: 'And?' }] },
    ]);
    assert.deepEqual(body.tools, [{ name: 'identify', input_schema: { type: 'object', properties: { image: { type: 'integer' } } }, cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(body.tool_choice, { type: 'auto', disable_parallel_tool_use: true });
  });

  test('what an OpenAI upstream cannot honour is refused by name', () => {
    const base = { model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    refused(() => checkTarget(parseAnthropicMessages({ ...base, top_k: 5 }), model(), ['openai']), 'unsupported_parameter', 'top_k');
    refused(() => checkTarget(parseAnthropicMessages({ ...base, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Once upon' }] }), model(), ['openai']), 'unsupported_parameter', 'messages[1]');
    refused(() => checkTarget(parseAnthropicMessages({ ...base, stop_sequences: ['a', 'b', 'c', 'd', 'e'] }), model(), ['openai']), 'unsupported_parameter', 'stop_sequences');
    refused(
      () => checkTarget(parseAnthropicMessages({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://e.com/x.png' } }] }] }] }), model(), ['openai']),
      'unsupported_parameter',
      'messages[0].content[0].content',
    );
    refused(() => parseAnthropicMessages({ ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }), 'unsupported_parameter', 'thinking');
    refused(() => parseAnthropicMessages({ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }), 'unsupported_parameter', 'tools[0].type');
    refused(() => parseAnthropicMessages({ ...base, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] }), 'unsupported_parameter', 'messages[0].content[0]');
    refused(() => parseAnthropicMessages({ model: 'x', messages: base.messages }), 'missing_parameter', 'max_tokens');
    refused(() => parseAnthropicMessages({ ...base, temperature: 1.5 }), 'invalid_parameter', 'temperature');
    refused(() => checkTarget(parseAnthropicMessages({ ...base, output_config: { effort: 'low' } }), model(), ['openai']), 'unsupported_parameter', 'output_config');
    const passed = parseAnthropicMessages({ ...base, top_k: 5, cache_control: { type: 'ephemeral' } });
    checkTarget(passed, model(), ['anthropic']);
    assert.deepEqual([buildAnthropicBody(op(passed)).top_k, buildAnthropicBody(op(passed)).cache_control], [5, { type: 'ephemeral' }]);
  });
});

const collect = <T>(fn: (push: (...items: T[]) => void) => void): T[] => {
  const out: T[] = [];
  fn((...items) => out.push(...items));
  return out;
};

describe('upstream streams -> neutral events', () => {
  test('OpenAI chunks: text, two tool calls by index, finish, usage with cached tokens (and DeepSeek’s name for them)', () => {
    const d = new OpenAiStreamDecoder('OpenAI');
    const chunk = (delta: object, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    const events = collect<ChatEvent>((push) => {
      push(...d.decode(chunk({ role: 'assistant', content: '' })));
      push(...d.decode(chunk({ content: 'Hi' })));
      push(...d.decode(chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] })));
      push(...d.decode(chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"x"' } }] })));
      push(...d.decode(chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] })));
      push(...d.decode(chunk({}, 'tool_calls')));
      push(...d.decode({ id: 'c', choices: [], usage: { prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 30 } } }));
    });
    assert.deepEqual(events, [
      { type: 'text', text: 'Hi' },
      { type: 'tool_call', index: 0, id: 'call_a', name: 'f' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'g' },
      { type: 'tool_arguments', index: 1, json: '{"x"' },
      { type: 'tool_arguments', index: 0, json: '{}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 70, cachedInputTokens: 30, cacheWriteTokens: 0, outputTokens: 20 }, final: true },
    ]);
    assert.deepEqual(new OpenAiStreamDecoder('DeepSeek').decode({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, prompt_cache_hit_tokens: 4 } }), [
      { type: 'usage', usage: { inputTokens: 6, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 2 }, final: true },
    ]);
    assert.throws(() => d.decode({ error: { message: 'boom', type: 'server_error' } }), (e) => e instanceof UpstreamError && e.code === 'upstream_failed');
  });

  test('Anthropic events: usage from message_start merged with message_delta, blocks to text and tool calls, errors classified', () => {
    const d = new AnthropicStreamDecoder('Anthropic');
    const events = collect<ChatEvent>((push) => {
      push(...d.decode('message_start', { type: 'message_start', message: { usage: { input_tokens: 50, cache_read_input_tokens: 7, cache_creation_input_tokens: 3, output_tokens: 1 } } }));
      push(...d.decode('ping', { type: 'ping' }));
      push(...d.decode('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
      push(...d.decode('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Sure.' } }));
      push(...d.decode('content_block_stop', { type: 'content_block_stop', index: 0 }));
      push(...d.decode('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'f', input: {} } }));
      push(...d.decode('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } }));
      push(...d.decode('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } }));
      push(...d.decode('something_new', { type: 'something_new' }));
      push(...d.decode('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 12 } }));
    });
    assert.equal(d.done, false);
    d.decode('message_stop', { type: 'message_stop' });
    assert.equal(d.done, true);
    assert.deepEqual(events, [
      { type: 'usage', usage: { inputTokens: 50, cachedInputTokens: 7, cacheWriteTokens: 3, outputTokens: 1 }, final: false },
      { type: 'text', text: 'Sure.' },
      { type: 'tool_call', index: 0, id: 'toolu_9', name: 'f' },
      { type: 'tool_arguments', index: 0, json: '{"a":' },
      { type: 'tool_arguments', index: 0, json: '1}' },
      { type: 'finish', reason: 'tool_calls', stopSequence: null },
      { type: 'usage', usage: { inputTokens: 50, cachedInputTokens: 7, cacheWriteTokens: 3, outputTokens: 12 }, final: true },
    ]);
    for (const [type, code, retryable] of [
      ['overloaded_error', 'upstream_unavailable', true],
      ['rate_limit_error', 'upstream_rate_limited', true],
      ['invalid_request_error', 'upstream_invalid_request', false],
    ] as const)
      assert.throws(() => new AnthropicStreamDecoder('Anthropic').decode('error', { type: 'error', error: { type, message: 'x' } }), (e) => e instanceof UpstreamError && e.code === code && e.retryable === retryable);
    assert.deepEqual(new AnthropicStreamDecoder('A').decode('message_delta', { delta: { stop_reason: 'stop_sequence', stop_sequence: '###' }, usage: { output_tokens: 2 } })[0], { type: 'finish', reason: 'stop_sequence', stopSequence: '###' });
  });
});

describe('neutral events -> the client’s shape', () => {
  const events: ChatEvent[] = [
    { type: 'usage', usage: { inputTokens: 40, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 0 }, final: false },
    { type: 'text', text: 'Checking.' },
    { type: 'tool_call', index: 0, id: 'call_1', name: 'lookup' },
    { type: 'tool_arguments', index: 0, json: '{"q":' },
    { type: 'tool_arguments', index: 0, json: '"x"}' },
    { type: 'finish', reason: 'tool_calls' },
  ];
  const usage = { inputTokens: 40, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 9 };

  test('OpenAI chunks: one id, role first, tool-call deltas by index, the finish, the usage chunk when asked for', () => {
    const w = new OpenAiChunkWriter('chatcmpl-1', 'claude-sonnet-4', true);
    const chunks = [...w.start(), ...events.flatMap((e) => w.event(e)), ...w.end('tool_calls', usage)] as any[];
    assert.ok(chunks.every((c) => c.id === 'chatcmpl-1' && c.object === 'chat.completion.chunk' && c.model === 'claude-sonnet-4' && c.created === chunks[0].created));
    assert.deepEqual(
      chunks.map((c) => c.choices[0]?.delta ?? null),
      [
        { role: 'assistant', content: '', refusal: null },
        { content: 'Checking.' },
        { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] },
        {},
        null,
      ],
    );
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 0 } });
    assert.equal(new OpenAiChunkWriter('c', 'm', false).end('length', usage).length, 1, 'no usage chunk unless asked');
    assert.equal((new OpenAiChunkWriter('c', 'm', false).end('stop_sequence', usage)[0] as any).choices[0].finish_reason, 'stop');
  });

  test('Anthropic events: message_start with the input usage, a block per text and tool call, message_delta, message_stop', () => {
    const w = new AnthropicEventWriter('msg_1', 'gpt-4.1');
    const out = [...w.start(usage), ...events.flatMap((e) => w.event(e)), ...w.end('tool_calls', null, usage)];
    assert.deepEqual(
      out.map(([name, data]) => [name, (data as any).index ?? null]),
      [
        ['message_start', null],
        ['content_block_start', 0],
        ['content_block_delta', 0],
        ['content_block_stop', 0],
        ['content_block_start', 1],
        ['content_block_delta', 1],
        ['content_block_delta', 1],
        ['content_block_stop', 1],
        ['message_delta', null],
        ['message_stop', null],
      ],
    );
    assert.deepEqual((out[0]![1] as any).message.usage, { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 0 });
    assert.deepEqual((out[4]![1] as any).content_block, { type: 'tool_use', id: 'call_1', name: 'lookup', input: {} });
    assert.deepEqual(out[8]![1], { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 9 } });
  });

  test('whole bodies in both shapes, with stop reasons mapped', () => {
    const answer = new ChatAnswer();
    for (const e of events) answer.add(e);
    const openai = openAiCompletion('chatcmpl-1', 'm', answer, usage) as any;
    assert.deepEqual(openai.choices[0].message, { role: 'assistant', content: 'Checking.', refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] });
    assert.equal(openai.choices[0].finish_reason, 'tool_calls');
    const anthropic = anthropicMessage('msg_1', 'm', answer, usage) as any;
    assert.deepEqual(anthropic.content, [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'x' } }]);
    assert.equal(anthropic.stop_reason, 'tool_use');
    const cut = new ChatAnswer();
    cut.add({ type: 'finish', reason: 'length' });
    assert.equal((anthropicMessage('m', 'm', cut, usage) as any).stop_reason, 'max_tokens');
    assert.equal((openAiCompletion('c', 'm', cut, usage) as any).choices[0].finish_reason, 'length');
  });
});

test('token prices: exact sums rounded up once, holds at the dearest input price, what a balance affords', () => {
  const price = { unit: '1m_tokens' as const, input_micro: 28_000_000, cached_input_micro: 2_800_000, cache_write_micro: 28_000_000, output_micro: 42_000_000 };
  assert.equal(costMicro({ inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 100 }, price), 28_000 + 4_200);
  assert.equal(costMicro({ inputTokens: 0, cachedInputTokens: 3, cacheWriteTokens: 0, outputTokens: 0 }, price), 9, '8.4 micro-credits round up to 9');
  const sonnet = { unit: '1m_tokens' as const, input_micro: 300_000_000, cached_input_micro: 30_000_000, cache_write_micro: 375_000_000, output_micro: 1_500_000_000 };
  assert.equal(holdMicro(100, 50, sonnet), 100 * 375 + 50 * 1500);
  assert.equal(affordableOutputTokens(100 * 375 + 50 * 1500, 100, sonnet), 50);
  assert.equal(affordableOutputTokens(10, 100, sonnet), 0);
  assert.equal(affordableOutputTokens(10, 0, { ...sonnet, input_micro: 0, cache_write_micro: 0, output_micro: 0 }), Number.POSITIVE_INFINITY);
});
