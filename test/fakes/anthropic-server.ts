// A fake Anthropic Messages API following /work/shared/spec/upstreams-media-chat.md 5b:
// `POST /v1/messages` with `x-api-key` and `anthropic-version: 2023-06-01`; `model`,
// `max_tokens` and alternating `messages` (first from the user) required; a `message` object, or
// named SSE events in the contract's order (message_start with the input usage, per block
// content_block_start / content_block_delta* / content_block_stop, message_delta with the stop
// reason and the cumulative usage, message_stop; `ping`s in between). Errors as
// `{"type":"error","error":{type,message}}`. Failure modes besides the shared ones: an `error`
// event after the 200 (overloaded), a connection cut half-way, a slow first token, a pause
// between chunks.
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { countTokens, decode, encode } from 'gpt-tokenizer';
import { type FakeOptions, type FakeUpstream, type RecordedRequest, sendJson, startFake } from './http-helpers.js';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const FIELDS = ['model', 'max_tokens', 'messages', 'system', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'tools', 'tool_choice', 'thinking', 'metadata', 'service_tier'];
const TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

export interface AnthropicUsageReport {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export interface FakeAnthropic extends FakeUpstream {
  reply: string;
  /** Answer tools with a tool_use of the first tool, with this input. */
  toolInput?: Record<string, unknown>;
  /** Input tokens reported as read from and written to the cache (taken out of input_tokens). */
  cacheRead: number;
  cacheWrite: number;
  usages: AnthropicUsageReport[];
  abandoned: number;
  /** After `n` deltas the next answer sends an `error` event (overloaded_error) and ends. */
  errorAfter(n: number): void;
  cutAfter(n: number): void;
  firstTokenDelay(ms: number): void;
  chunkDelay(ms: number): void;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const errorJson = (status: number, message: string) => ({ type: 'error', error: { type: TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message } });
const invalid = (message: string) => new ApiError(400, message);

export async function startFakeAnthropic(opts: FakeOptions = {}): Promise<FakeAnthropic> {
  let errorAfter: number | undefined;
  let cutAfter: number | undefined;
  let firstDelay = 0;
  let chunkDelay = 0;
  const core = await startFake(
    {
      keyPrefix: 'sk-ant-api03-',
      errorBody: (status) => errorJson(status, status === 529 ? 'Overloaded' : status >= 500 ? 'Internal server error' : `Request failed (${status})`),
      rateLimited: (res) => sendJson(res, 429, errorJson(429, 'Number of request tokens has exceeded your per-minute rate limit')),
      handle,
    },
    opts,
  );
  const fake = Object.assign(core.fake, {
    reply: 'Certainly. Here is a short answer from the fake Claude.',
    toolInput: undefined as Record<string, unknown> | undefined,
    cacheRead: 0,
    cacheWrite: 0,
    usages: [] as AnthropicUsageReport[],
    abandoned: 0,
    errorAfter: (n: number) => void (errorAfter = n),
    cutAfter: (n: number) => void (cutAfter = n),
    firstTokenDelay: (ms: number) => void (firstDelay = ms),
    chunkDelay: (ms: number) => void (chunkDelay = ms),
  }) as FakeAnthropic;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    Object.assign(fake, { reply: 'Certainly. Here is a short answer from the fake Claude.', toolInput: undefined, cacheRead: 0, cacheWrite: 0, abandoned: 0 });
    fake.usages.length = 0;
    fake.requests.length = 0;
    errorAfter = cutAfter = undefined;
    firstDelay = chunkDelay = 0;
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    try {
      // GET /v1/models: the models the key may use (the admin pages' connection test).
      if (rec.method === 'GET' && rec.path === '/v1/models') {
        if (req.headers['x-api-key'] !== fake.apiKey) throw new ApiError(401, 'invalid x-api-key');
        return sendJson(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-20250514', last_id: 'claude-sonnet-4-20250514' });
      }
      if (rec.method !== 'POST' || rec.path !== '/v1/messages') throw new ApiError(404, `Not found: ${rec.method} ${rec.path}`);
      if (req.headers['x-api-key'] !== fake.apiKey) throw new ApiError(401, 'invalid x-api-key');
      if (req.headers['anthropic-version'] !== '2023-06-01') throw invalid('anthropic-version: header is required');
      await answer(res, parseBody(rec));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendJson(res, err.status, errorJson(err.status, err.message));
    }
  }

  async function answer(res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    const id = `msg_${Math.random().toString(36).slice(2, 14)}`;
    const model = body.model as string;
    const prompt = countTokens(JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]), AS_TEXT);
    const cacheRead = Math.min(fake.cacheRead, prompt);
    const cacheWrite = Math.min(fake.cacheWrite, prompt - cacheRead);
    const input = prompt - cacheRead - cacheWrite;
    const tools = body.tools as Array<{ name: string }> | undefined;
    const tool = tools?.length && fake.toolInput && (body.tool_choice as { type?: string } | undefined)?.type !== 'none' ? tools[0]!.name : undefined;
    let tokens = encode(tool ? JSON.stringify(fake.toolInput) : fake.reply, AS_TEXT);
    let stop = tool ? 'tool_use' : 'end_turn';
    if (!tool && tokens.length > (body.max_tokens as number)) {
      tokens = tokens.slice(0, body.max_tokens as number);
      stop = 'max_tokens';
    }
    const usage: AnthropicUsageReport = { input_tokens: input, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: tokens.length };
    if (!body.stream) {
      fake.usages.push(usage);
      const content = tool ? [{ type: 'tool_use', id: 'toolu_fake01', name: tool, input: fake.toolInput }] : [{ type: 'text', text: decode(tokens) }];
      return sendJson(res, 200, { id, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage });
    }
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        fake.abandoned++;
      }
    });
    let flushed: Promise<void> = Promise.resolve();
    const send = (event: string, data: Record<string, unknown>) => {
      if (closed) return;
      flushed = new Promise<void>((resolve) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`, () => resolve()));
    };
    const myErrorAfter = errorAfter;
    const myCutAfter = cutAfter;
    errorAfter = cutAfter = undefined;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    send('message_start', {
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    });
    if (firstDelay) await sleep(firstDelay);
    send('ping', {});
    send('content_block_start', { index: 0, content_block: tool ? { type: 'tool_use', id: 'toolu_fake01', name: tool, input: {} } : { type: 'text', text: '' } });
    for (let i = 0; i < tokens.length; i++) {
      if (closed) return;
      if (i === myErrorAfter) {
        send('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
        return void res.end();
      }
      if (i === myCutAfter) {
        // Cut after what was sent has left: the client reads it, then the connection ends mid-answer.
        await flushed;
        return void res.destroy();
      }
      if (chunkDelay && i > 0) await sleep(chunkDelay);
      const piece = decode([tokens[i]!]);
      send('content_block_delta', { index: 0, delta: tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece } });
    }
    if (closed) return;
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: tokens.length } });
    send('message_stop', {});
    fake.usages.push(usage);
    res.end();
  }
}

function parseBody(rec: RecordedRequest): Record<string, unknown> {
  const body = rec.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Invalid JSON body');
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields)) if (!FIELDS.includes(name)) throw invalid(`${name}: Extra inputs are not permitted`);
  if (typeof fields.model !== 'string' || !fields.model) throw invalid('model: Field required');
  if (!Number.isInteger(fields.max_tokens) || (fields.max_tokens as number) < 1) throw invalid('max_tokens: Field required');
  if (!Array.isArray(fields.messages) || !fields.messages.length) throw invalid('messages: Field required');
  let previous: string | undefined;
  fields.messages.forEach((m: unknown, i: number) => {
    const msg = m as { role?: string; content?: unknown };
    if (msg.role !== 'user' && msg.role !== 'assistant') throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (i === 0 && msg.role !== 'user') throw invalid('messages: first message must use the "user" role');
    if (msg.role === previous) throw invalid('messages: roles must alternate between "user" and "assistant"');
    previous = msg.role;
    if (Array.isArray(msg.content))
      for (const block of msg.content as Array<Record<string, unknown>>) if (block.type === 'text' && !block.text) throw invalid(`messages.${i}: text content blocks must be non-empty`);
  });
  if (fields.temperature !== undefined && (typeof fields.temperature !== 'number' || fields.temperature < 0 || fields.temperature > 1)) throw invalid('temperature: Input should be less than or equal to 1');
  return fields;
}
