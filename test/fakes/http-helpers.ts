// What the fake upstreams share: a real node:http server on 127.0.0.1 port 0 that records every
// request, hosts generated images at temporary URLs, and plays the failure modes tests ask for.
// Each fake only supplies its routes, its auth and its error bodies.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { UpstreamError, type UpstreamErrorCode } from '../../src/providers/errors.js';
import type { ProviderContext } from '../../src/providers/types.js';

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The raw body bytes. */
  raw: Buffer;
  /** A JSON body, parsed (undefined when the body is not JSON). */
  body?: unknown;
  /** Multipart form fields, when the fake parsed a form. */
  fields?: Record<string, string>;
  /** Whether this was a request for a hosted image rather than the API. */
  file: boolean;
}

export type ErrorBody = string | object | undefined;

/** Failure modes every fake supports; set them per test. */
export interface FakeModes {
  /** Answer the next `n` API requests with `status` (and `body`, else the upstream's usual error body). */
  failNext(n: number, status: number, body?: ErrorBody): void;
  /** The upstream judges the content unsafe (each fake answers the way its upstream does). */
  unsafe: boolean;
  /** Answer API requests with 429. */
  rateLimit: boolean;
  /** Generated image URLs (or base64 images) hold bytes that are not an image. */
  garbage: boolean;
  /** Delay every API answer by `ms` (0 turns it off). */
  slow(ms: number): void;
  /** Back to normal: no failures queued, no modes on. */
  reset(): void;
}

export interface FakeUpstream extends FakeModes {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** The API requests only (hosted image downloads left out). */
  apiRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface FakeCore {
  fake: FakeUpstream;
  /** A real image of exactly width x height (or junk bytes in garbage mode). */
  makeImage(width: number, height: number, format?: ImageFormat, seed?: number): Promise<Buffer>;
  /** Serves `data` at a fresh temporary URL on this server; answers the absolute URL. */
  host(data: Buffer, contentType: string, ttlMs?: number): string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest) => Promise<void>;

export interface FakeOptions {
  apiKey?: string;
}

interface FakeSpec {
  keyPrefix: string;
  /** The body the upstream sends with `status` when a test queued a failure without one. */
  errorBody(status: number): ErrorBody;
  /** The upstream's 429 answer. */
  rateLimited(res: http.ServerResponse): void;
  handle: Handler;
}

const FILE_PREFIX = '/_files/';

export async function startFake(spec: FakeSpec, opts: FakeOptions = {}): Promise<FakeCore> {
  const apiKey = opts.apiKey ?? `${spec.keyPrefix}${randomBytes(12).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const failures: Array<{ status: number; body: ErrorBody }> = [];
  const files = new Map<string, { data: Buffer; contentType: string; expires: number; sig: string }>();
  const closing = new AbortController();
  let delayMs = 0;

  const modes = { unsafe: false, rateLimit: false, garbage: false };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = await readBody(req);
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        raw,
        body: parseJson(raw, req.headers['content-type']),
        file: url.pathname.startsWith(FILE_PREFIX),
      };
      requests.push(rec);
      if (rec.file) return serveFile(url, res);

      if (delayMs > 0) {
        try {
          await sleep(delayMs, undefined, { signal: closing.signal });
        } catch {
          return void res.destroy();
        }
        if (res.destroyed) return;
      }
      const failure = failures.shift();
      if (failure) return sendError(res, failure.status, failure.body);
      if (modes.rateLimit) return spec.rateLimited(res);
      await spec.handle(req, res, rec);
    })().catch((err: Error) => {
      if (!res.headersSent) sendText(res, 500, `fake upstream bug: ${err.stack ?? err.message}`);
      else res.destroy();
    });
  });

  function serveFile(url: URL, res: http.ServerResponse): void {
    const file = files.get(url.pathname.slice(FILE_PREFIX.length));
    if (!file) return sendText(res, 404, 'Not Found');
    if (url.searchParams.get('sig') !== file.sig || Date.now() > file.expires) return sendText(res, 403, 'AccessDenied: Request has expired');
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.data.length });
    res.end(file.data);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;

  const fake: FakeUpstream = {
    url: base,
    apiKey,
    requests,
    apiRequests: () => requests.filter((r) => !r.file),
    get unsafe() {
      return modes.unsafe;
    },
    set unsafe(v: boolean) {
      modes.unsafe = v;
    },
    get rateLimit() {
      return modes.rateLimit;
    },
    set rateLimit(v: boolean) {
      modes.rateLimit = v;
    },
    get garbage() {
      return modes.garbage;
    },
    set garbage(v: boolean) {
      modes.garbage = v;
    },
    failNext(n, status, body) {
      for (let i = 0; i < n; i++) failures.push({ status, body: body ?? spec.errorBody(status) });
    },
    slow(ms) {
      delayMs = ms;
    },
    reset() {
      failures.length = 0;
      delayMs = 0;
      Object.assign(modes, { unsafe: false, rateLimit: false, garbage: false });
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  return {
    fake,
    async makeImage(width, height, format = 'png', seed = 0) {
      if (modes.garbage) return Buffer.from('<html><body>definitely not an image</body></html>');
      return makeImage(width, height, format, seed);
    },
    host(data, contentType, ttlMs = 10 * 60_000) {
      const ext = contentType.split('/')[1] ?? 'bin';
      const name = `${randomUUID()}.${ext}`;
      const sig = randomBytes(16).toString('hex');
      const expires = Date.now() + ttlMs;
      files.set(name, { data, contentType, expires, sig });
      return `${base}${FILE_PREFIX}${name}?exp=${Math.floor(expires / 1000)}&sig=${sig}`;
    },
  };
}

/** A real image of exactly width x height: a solid colour picked from the seed. */
export async function makeImage(width: number, height: number, format: ImageFormat = 'png', seed = 0): Promise<Buffer> {
  const background = { r: (seed * 97) % 256, g: (seed * 57 + 80) % 256, b: (seed * 31 + 160) % 256 };
  return sharp({ create: { width, height, channels: 3, background } }).toFormat(format).toBuffer();
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().startsWith('application/json') || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** An object body goes out as JSON, a string as text, undefined as an empty body. */
export function sendError(res: http.ServerResponse, status: number, body: ErrorBody): void {
  if (body === undefined) {
    res.writeHead(status, { 'Content-Length': 0 });
    return void res.end();
  }
  if (typeof body === 'string') return sendText(res, status, body);
  sendJson(res, status, body);
}

/** A random seed in the range the upstreams use. */
export function randomSeed(): number {
  return randomBytes(4).readUInt32BE() % 2147483648;
}

// --- for the adapter tests -------------------------------------------------------------

/** The context the worker hands an adapter, pointed at a fake. */
export function contextFor(fake: { url: string; apiKey: string }, overrides: Partial<ProviderContext> & { apiKey?: string } = {}): ProviderContext {
  const { apiKey = fake.apiKey, ...rest } = overrides;
  return { signal: new AbortController().signal, credentials: { apiKey, baseUrl: fake.url }, timeoutMs: 5000, log: { info() {}, warn() {} }, ...rest };
}

/** Asserts `promise` rejects with an UpstreamError of that classification, naming none of `secrets`. */
export async function rejectsUpstream(
  promise: Promise<unknown>,
  expected: { code: UpstreamErrorCode; retryable: boolean; status?: number },
  secrets: string[] = [],
): Promise<UpstreamError> {
  let caught: unknown;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof UpstreamError, `expected an UpstreamError, got ${String(caught)}`);
  assert.equal(caught.code, expected.code, `code (message: ${caught.message})`);
  assert.equal(caught.retryable, expected.retryable, 'retryable');
  if (expected.status !== undefined) assert.equal(caught.status, expected.status, 'status');
  for (const secret of secrets) assert.ok(!caught.message.includes(secret), `the error message leaks a secret: ${caught.message}`);
  return caught;
}

/** A base URL nothing listens on: a fake started and closed again. */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
