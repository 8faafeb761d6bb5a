// The fake upstreams of the bench, in their own process: OpenAI's Images API (a real 1024x1024
// PNG poster, rendered once at start, as `b64_json`) and OpenAI's chat completions (a JSON
// answer, or `CHUNKS` content chunks, a usage chunk and `[DONE]` as server-sent events). Every
// answer is precomputed where it can be, so this process is the limit the others are measured
// against. Under `/hold/` nothing is ever answered (the connection stays open): a server pointed
// there keeps its tasks waiting, so its intake is measured alone. Prints `{"port":N,...}` on
// stdout once it listens on loopback.
import http from 'node:http';
import { renderPoster } from '../src/providers/local/poster/index.js';

export const CHUNKS = 20;
const WORDS = 'The quick brown fox jumps over the lazy dog while the gateway keeps count of every token it sees'.split(' ');

const png = await renderPoster({ prompt: '"SUMMER DESIGN WEEK" bold editorial poster, warm daylight, modern layout', seed: 7, width: 1024, height: 1024 });
const created = Math.floor(Date.now() / 1000);
const imageBody = Buffer.from(
  JSON.stringify({ created, data: [{ b64_json: png.toString('base64') }], usage: { total_tokens: 4210, input_tokens: 50, output_tokens: 4160 } }),
);

const usage = { prompt_tokens: 24, completion_tokens: CHUNKS, total_tokens: 24 + CHUNKS, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
const text = Array.from({ length: CHUNKS }, (_, i) => `${i ? ' ' : ''}${WORDS[i % WORDS.length]}`);

function chatJson(model: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage,
      system_fingerprint: 'fp_bench',
    }),
  );
}

/** The whole event stream, one `data:` event per write as a real upstream sends them. */
function chatEvents(model: string, withUsage: boolean): string[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices, ...extra })}\n\n`;
  const events = [chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])];
  for (const piece of text) events.push(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
  events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  if (withUsage) events.push(chunk([], { usage }));
  events.push('data: [DONE]\n\n');
  return events;
}

const cache = new Map<string, Buffer | string[]>();
function cached<T extends Buffer | string[]>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (!value) cache.set(key, (value = make()));
  return value;
}

function send(res: http.ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/hold/')) return req.resume();
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    if (!req.headers.authorization?.startsWith('Bearer ')) return send(res, 401, Buffer.from('{"error":{"message":"no key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}'));
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/v1/images/generations') return send(res, 200, imageBody);
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
      const model = body.model ?? 'gpt-4.1-mini';
      if (!body.stream) return send(res, 200, cached(`json:${model}`, () => chatJson(model)));
      const events = cached(`sse:${model}:${!!body.stream_options?.include_usage}`, () => chatEvents(model, !!body.stream_options?.include_usage));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      for (const event of events) res.write(event);
      return res.end();
    }
    send(res, 404, Buffer.from(`{"error":{"message":"Invalid URL (${req.method} ${path})","type":"invalid_request_error","param":null,"code":null}}`));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port, pngBytes: png.length, b64Bytes: imageBody.length, chunks: CHUNKS })}\n`);
});
