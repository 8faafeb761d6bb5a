// A fake OpenAI chat-completions API following /work/shared/spec/upstreams-media-chat.md 5a:
// `POST /v1/chat/completions`, Bearer auth, the main fields checked strictly (unknown ones are
// 400 `unknown_parameter`), non-streamed `chat.completion` objects or SSE chunks (`data:
// {chunk}`, the same id/created in every chunk, tool-call deltas by index, a usage chunk with
// `choices: []` when `stream_options.include_usage`, then `data: [DONE]`). Errors in OpenAI's
// envelope. Token counts come from gpt-tokenizer, so usage is what a real upstream would say.
// Failure modes besides the shared ones: an error chunk after some chunks, a connection cut
// half-way, a slow first token, a pause between chunks.
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { countTokens, decode, encode } from 'gpt-tokenizer';
import { type FakeOptions, type FakeUpstream, type RecordedRequest, sendJson, startFake } from './http-helpers.js';

export type { RecordedRequest };

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const ROLES = ['developer', 'system', 'user', 'assistant', 'tool'];
const FIELDS = [
  'model', 'messages', 'stream', 'stream_options', 'max_completion_tokens', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'seed', 'user', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'reasoning_effort', 'service_tier',
  'prompt_cache_key', 'safety_identifier',
];

export interface ChatUsageReport {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface FakeOpenAIChat extends FakeUpstream {
  /** The text the model answers (tokenised: one chunk per token). */
  reply: string;
  /** Answer tools with a call to the first tool, with these arguments. */
  toolArguments?: Record<string, unknown>;
  /** Prompt tokens reported as read from the cache. */
  cachedTokens: number;
  /** The usage of every answer that was written to its end, in order. */
  usages: ChatUsageReport[];
  /** Answers whose connection the client closed before the end. */
  abandoned: number;
  /** After `n` content chunks, the next answer sends an error chunk and ends (no [DONE]). */
  errorAfter(n: number): void;
  /** After `n` content chunks, the next answer's connection is destroyed. */
  cutAfter(n: number): void;
  /** Headers at once, then this long before the first chunk. */
  firstTokenDelay(ms: number): void;
  /** This long between two chunks. */
  chunkDelay(ms: number): void;
  /** Streams wait after their headers until the returned function is called. */
  pause(): () => void;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const invalid = (message: string, param: string | null, code: string | null = 'invalid_value') => new ApiError(400, message, 'invalid_request_error', param, code);
const errorJson = (message: string, type: string, param: string | null, code: string | null) => ({ error: { message, type, param, code } });

export async function startFakeOpenAIChat(opts: FakeOptions = {}): Promise<FakeOpenAIChat> {
  let errorAfter: number | undefined;
  let cutAfter: number | undefined;
  let firstDelay = 0;
  let chunkDelay = 0;
  let gate: Promise<void> | undefined;
  const core = await startFake(
    {
      keyPrefix: 'sk-proj-',
      errorBody: (status) =>
        status >= 500
          ? errorJson('The server had an error while processing your request. Sorry about that!', 'server_error', null, null)
          : status === 429
            ? errorJson('Rate limit reached for requests. Please try again later.', 'requests', null, 'rate_limit_exceeded')
            : errorJson(`Request failed with status ${status}.`, 'invalid_request_error', null, null),
      rateLimited: (res) => sendJson(res, 429, errorJson('Rate limit reached for requests. Please try again later.', 'requests', null, 'rate_limit_exceeded')),
      handle,
    },
    opts,
  );
  const fake = Object.assign(core.fake, {
    reply: 'The quick brown fox jumps over the lazy dog, twice, to be sure.',
    toolArguments: undefined as Record<string, unknown> | undefined,
    cachedTokens: 0,
    usages: [] as ChatUsageReport[],
    abandoned: 0,
    errorAfter: (n: number) => void (errorAfter = n),
    cutAfter: (n: number) => void (cutAfter = n),
    firstTokenDelay: (ms: number) => void (firstDelay = ms),
    chunkDelay: (ms: number) => void (chunkDelay = ms),
    pause() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  }) as FakeOpenAIChat;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    Object.assign(fake, { reply: 'The quick brown fox jumps over the lazy dog, twice, to be sure.', toolArguments: undefined, cachedTokens: 0, abandoned: 0 });
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
        checkAuth(req.headers.authorization, fake.apiKey);
        return sendJson(res, 200, { object: 'list', data: ['gpt-4.1', 'gpt-4.1-mini'].map((id) => ({ id, object: 'model', created: 1744316542, owned_by: 'system' })) });
      }
      if (rec.method !== 'POST' || rec.path !== '/v1/chat/completions') throw new ApiError(404, `Invalid URL (${rec.method} ${rec.path})`, 'invalid_request_error', null, null);
      checkAuth(req.headers.authorization, fake.apiKey);
      const body = parseBody(rec);
      await answer(res, body);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendJson(res, err.status, errorJson(err.message, err.type, err.param, err.code));
    }
  }

  async function answer(res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    const id = `chatcmpl-${Math.random().toString(36).slice(2, 14)}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model as string;
    const cap = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
    const prompt = countTokens(JSON.stringify(body.messages), AS_TEXT) + (body.tools ? countTokens(JSON.stringify(body.tools), AS_TEXT) : 0);
    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    const call = tools?.length && fake.toolArguments && body.tool_choice !== 'none' ? { name: tools[0]!.function.name, args: JSON.stringify(fake.toolArguments) } : undefined;
    let tokens = encode(call ? call.args : fake.reply, AS_TEXT);
    let finish = call ? 'tool_calls' : 'stop';
    if (!call && cap !== undefined && tokens.length > cap) {
      tokens = tokens.slice(0, cap);
      finish = 'length';
    }
    const cached = Math.min(fake.cachedTokens, prompt);
    const usage: ChatUsageReport = {
      prompt_tokens: prompt,
      completion_tokens: tokens.length,
      total_tokens: prompt + tokens.length,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    if (!body.stream) {
      const message: Record<string, unknown> = { role: 'assistant', content: call ? null : decode(tokens), refusal: null };
      if (call) message.tool_calls = [{ id: 'call_fake1', type: 'function', function: { name: call.name, arguments: call.args } }];
      fake.usages.push(usage);
      return sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: 'fp_fake' });
    }
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        fake.abandoned++;
      }
    });
    let flushed: Promise<void> = Promise.resolve();
    const send = (data: unknown) => {
      if (closed) return;
      flushed = new Promise<void>((resolve) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`, () => resolve()));
    };
    const myErrorAfter = errorAfter;
    const myCutAfter = cutAfter;
    errorAfter = cutAfter = undefined;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    if (gate) await gate;
    if (firstDelay) await sleep(firstDelay);
    send(chunk({ role: 'assistant', content: call ? null : '', refusal: null }));
    if (call) send(chunk({ tool_calls: [{ index: 0, id: 'call_fake1', type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (let i = 0; i < tokens.length; i++) {
      if (closed) return;
      if (i === myErrorAfter) {
        send({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } });
        return void res.end();
      }
      if (i === myCutAfter) {
        // Cut after what was sent has left: the client reads it, then the connection ends mid-answer.
        await flushed;
        return void res.destroy();
      }
      if (chunkDelay && i > 0) await sleep(chunkDelay);
      const piece = decode([tokens[i]!]);
      send(chunk(call ? { tool_calls: [{ index: 0, function: { arguments: piece } }] } : { content: piece }));
    }
    if (closed) return;
    send(chunk({}, finish));
    if (includeUsage) send({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [], usage });
    send('[DONE]');
    fake.usages.push(usage);
    res.end();
  }
}

function checkAuth(header: string | undefined, apiKey: string): void {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) throw new ApiError(401, "You didn't provide an API key.", 'invalid_request_error', null, null);
  if (match[1] !== apiKey) throw new ApiError(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
}

function parseBody(rec: RecordedRequest): Record<string, unknown> {
  const body = rec.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('We could not parse the JSON body of your request.', null, null);
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields)) if (!FIELDS.includes(name)) throw invalid(`Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter');
  if (typeof fields.model !== 'string' || !fields.model) throw invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  if (!Array.isArray(fields.messages) || fields.messages.length === 0) throw invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  fields.messages.forEach((m: unknown, i: number) => {
    const msg = m as Record<string, unknown>;
    if (!ROLES.includes(msg?.role as string)) throw invalid(`Invalid value: '${String(msg?.role)}'.`, `messages[${i}].role`);
    if (msg.role === 'tool' && typeof msg.tool_call_id !== 'string') throw invalid("Missing required parameter: 'messages[i].tool_call_id'.", `messages[${i}].tool_call_id`, 'missing_required_parameter');
    if (msg.role !== 'assistant' && msg.content === undefined) throw invalid(`Missing required parameter: 'messages[${i}].content'.`, `messages[${i}].content`, 'missing_required_parameter');
  });
  if (fields.stream_options !== undefined && fields.stream !== true) throw invalid('The stream_options parameter is only allowed when stream is enabled.', 'stream_options');
  for (const name of ['max_completion_tokens', 'max_tokens'])
    if (fields[name] !== undefined && (!Number.isInteger(fields[name]) || (fields[name] as number) < 1)) throw invalid(`Invalid '${name}': expected a positive integer.`, name);
  if (fields.temperature !== undefined && (typeof fields.temperature !== 'number' || fields.temperature < 0 || fields.temperature > 2)) throw invalid("Invalid 'temperature'.", 'temperature', 'decimal_out_of_range');
  if (Array.isArray(fields.stop) && fields.stop.length > 4) throw invalid("Invalid 'stop': array too long.", 'stop', 'array_above_max_length');
  return fields;
}
