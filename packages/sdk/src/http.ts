// One HTTP call with the SDK's guarantees: the API key, a timeout per attempt, retries of network
// failures, 429 and 5xx (waiting for Retry-After when the server gives it, otherwise a growing
// back-off with jitter), one Idempotency-Key per call reused by every retry of a POST, and typed
// errors. Only `fetch`: Node 20+ and browsers.
import { AioError, ConnectionError, errorFromResponse } from './errors.js';

export interface ClientOptions {
  /** `aio_...` (live) or `aio_test_...` (test mode). */
  apiKey?: string;
  /** The server, e.g. `https://api.example.com`; default `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number;
  /** Longest wait for an answer's headers, per attempt; default 60 000 ms. */
  timeoutMs?: number;
  /** Longest Retry-After the SDK waits for before giving up; default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Another fetch (a test double, a proxy-aware one); default the global fetch. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** For a POST: your own key; by default one is made per call and reused by its retries. */
  idempotencyKey?: string;
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}

export interface CallArgs extends RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8000;

export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.ceil(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const aborted = (signal: AbortSignal | undefined, err: unknown) =>
  new AioError('The request was aborted.', { code: 'aborted', cause: signal?.reason ?? err });

export class Transport {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(readonly options: ClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  url(path: string, query?: CallArgs['query']): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** A JSON call: the parsed body of a 2xx answer, or a typed error. */
  async json<T>(method: string, path: string, args: CallArgs = {}): Promise<T> {
    const res = await this.send(method, path, args);
    return (await res.json()) as T;
  }

  /** Any call: the 2xx Response (its body unread, e.g. a stream or bytes), or a typed error. */
  async send(method: string, path: string, args: CallArgs = {}): Promise<Response> {
    const maxRetries = args.maxRetries ?? this.options.maxRetries ?? 2;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...args.headers };
    const url = this.url(path, args.query);
    // The key goes to this server only, never to another host a result URL may point at (a bucket).
    if (this.options.apiKey && new URL(url).origin === new URL(this.baseUrl).origin) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (args.body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = args.idempotencyKey ?? newIdempotencyKey();
    const body = args.body === undefined ? undefined : JSON.stringify(args.body);

    for (let attempt = 0; ; attempt++) {
      const last = attempt >= maxRetries;
      let res: Response;
      try {
        res = await this.attempt(url, { method, headers, body }, args);
      } catch (err) {
        if (args.signal?.aborted) throw aborted(args.signal, err);
        if (last) throw new ConnectionError(`Could not reach ${this.baseUrl}: ${(err as Error).message ?? err}`, { code: 'connection_error', cause: err });
        await sleep(this.backoff(attempt), args.signal).catch((e) => Promise.reject(aborted(args.signal, e)));
        continue;
      }
      if (res.ok) return res;
      const parsed = await res.json().catch(() => null);
      const error = errorFromResponse(res.status, parsed, res.headers.get('x-request-id'));
      const retryable = RETRY_STATUSES.has(res.status) || error.code === 'idempotency_request_in_progress';
      if (!retryable || last) throw error;
      const wait = retryAfterMs(res.headers.get('retry-after')) ?? this.backoff(attempt);
      if (wait > (this.options.maxRetryAfterMs ?? 60_000)) throw error;
      await sleep(wait, args.signal).catch((e) => Promise.reject(aborted(args.signal, e)));
    }
  }

  /**
   * One fetch, aborted when no headers came within the timeout, or whenever the caller's signal
   * fires (also later, while a streamed body is read).
   */
  private async attempt(url: string, init: RequestInit, args: CallArgs): Promise<Response> {
    const timeoutMs = args.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const controller = new AbortController();
    if (args.signal) args.signal.addEventListener('abort', () => controller.abort(args.signal!.reason), { once: true });
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      return await this.fetch(url, { ...init, signal: controller.signal });
    } catch (err) {
      // Say why: fetch reports every abort alike.
      throw controller.signal.aborted && !args.signal?.aborted ? controller.signal.reason : err;
    } finally {
      clearTimeout(timer);
    }
  }

  private backoff(attempt: number): number {
    const ms = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return ms / 2 + Math.random() * (ms / 2);
  }
}
