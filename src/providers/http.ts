// The one way adapters talk HTTP: a per-call timeout joined with the task's abort signal,
// network failures classified as retryable, and non-2xx statuses classified by errorForStatus.
// Error messages carry the upstream's words (trimmed) but never our credentials.
import { CallSignal } from '../lib/call-signal.js';
import type { ProducedMedia, ProviderContext } from './types.js';
import { UpstreamError, errorForStatus } from './errors.js';

const MAX_DETAIL = 300;

/** Each answer's call, whose deadline also bounds reading its body; the readers below end it. */
const calls = new WeakMap<Response, CallSignal>();
const bodyRead = (res: Response) => calls.get(res)?.done();

export async function upstreamFetch(provider: string, url: string, init: RequestInit, ctx: ProviderContext): Promise<Response> {
  const res = await upstreamRequest(provider, url, init, ctx);
  if (!res.ok) {
    const detail = await readDetail(res);
    throw errorForStatus(provider, res.status, detail, ctx.credentials.apiKey);
  }
  return res;
}

/**
 * As upstreamFetch (timeout, abort, network failures classified) but hands back a non-2xx
 * response untouched, for an upstream whose error bodies need their own reading (fal).
 */
export async function upstreamRequest(provider: string, url: string, init: RequestInit, ctx: ProviderContext): Promise<Response> {
  const call = new CallSignal(ctx.signal, ctx.timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal: call.signal });
    calls.set(res, call);
    return res;
  } catch (err) {
    call.done();
    const e = err as Error;
    if (ctx.signal.aborted) throw new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
    if (call.timedOut || e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new UpstreamError('upstream_timeout', `${provider} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`, { retryable: true, cause: e });
    throw new UpstreamError('upstream_unavailable', `${provider} could not be reached (${describeNetworkError(e)})`, { retryable: true, cause: e });
  }
}

/** Reads a JSON body, classifying a malformed one as a retryable upstream fault. */
export async function readJson<T>(provider: string, res: Response, ctx?: ProviderContext): Promise<T> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw bodyReadError(provider, err, ctx);
  } finally {
    bodyRead(res);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamError('upstream_bad_response', `${provider} answered with a body that is not JSON`, { retryable: true, status: res.status });
  }
}

/** Reads a binary body, classifying one that stops arriving. */
export async function readBytes(provider: string, res: Response, ctx: ProviderContext): Promise<Buffer> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (err) {
    throw bodyReadError(provider, err, ctx);
  } finally {
    bodyRead(res);
  }
}

/** Downloads a file the upstream points at (its URLs expire: fetch at once). */
export async function downloadMedia(provider: string, url: string, ctx: ProviderContext, headers: Record<string, string> = {}): Promise<ProducedMedia> {
  const res = await upstreamRequest(provider, url, { method: 'GET', headers }, ctx);
  if (!res.ok) {
    await res.body?.cancel();
    bodyRead(res);
    // A result link that answers 4xx has expired or was never served: generate again.
    throw new UpstreamError('upstream_bad_response', `${provider}'s result link answered ${res.status}`, { retryable: true, status: res.status });
  }
  const data = await readBytes(provider, res, ctx);
  if (data.length === 0) throw new UpstreamError('upstream_bad_response', `${provider}'s result link answered an empty body`, { retryable: true });
  const contentType = res.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
  return { data, contentType };
}

/**
 * The shared ending of every operation whose upstream answers with links: refuses an answer
 * without any (or with an entry lacking its link), then downloads each link in order. The bytes
 * are not checked here: the modality probes them and refuses what is not the promised media.
 */
export async function downloadResults(
  provider: string,
  urls: ReadonlyArray<string | null | undefined>,
  ctx: ProviderContext,
  headers: Record<string, string> = {},
): Promise<ProducedMedia[]> {
  if (urls.length === 0) throw noResultError(provider);
  const out: ProducedMedia[] = [];
  for (const url of urls) {
    if (typeof url !== 'string' || !url) throw new UpstreamError('upstream_bad_response', `${provider} answered with a result entry without a URL`, { retryable: true });
    out.push(await downloadMedia(provider, url, ctx, headers));
  }
  return out;
}

/** A success answer holding nothing: the upstream's fault, worth another try. */
export function noResultError(provider: string): UpstreamError {
  return new UpstreamError('upstream_bad_response', `${provider} answered without any result`, { retryable: true });
}

/** A body that stops arriving: the per-call timeout or the task's abort hit mid-body, or the connection dropped. */
function bodyReadError(provider: string, err: unknown, ctx?: ProviderContext): UpstreamError {
  const e = err as Error;
  if (ctx?.signal.aborted) return new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
  if (e?.name === 'TimeoutError') return new UpstreamError('upstream_timeout', `${provider} did not finish answering in time`, { retryable: true, cause: e });
  if (e?.name === 'AbortError') return new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
  return new UpstreamError('upstream_unavailable', `${provider} dropped the connection mid-answer (${describeNetworkError(e)})`, { retryable: true, cause: e });
}

export async function readDetail(res: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = (await res.text()).trim();
  } catch {
    return undefined;
  } finally {
    bodyRead(res);
  }
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const err = body.error as { message?: unknown; code?: unknown; status?: unknown } | string | undefined;
    const message =
      (typeof err === 'string' && err) ||
      (typeof err === 'object' && err && typeof err.message === 'string' && err.message) ||
      (typeof body.message === 'string' && body.message) ||
      (typeof body.detail === 'string' && body.detail) ||
      undefined;
    // OpenAI names the failure in `code`; Google's envelope in `status` (its `code` is the HTTP status).
    const code = typeof err === 'object' && err ? (typeof err.code === 'string' ? err.code : typeof err.status === 'string' ? err.status : undefined) : undefined;
    if (message) return (code ? `${code}: ${message}` : message).slice(0, MAX_DETAIL);
  } catch {
    /* not JSON: the status says enough */
  }
  return undefined;
}

function describeNetworkError(err: Error): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? err.message;
}
