// The one way adapters talk HTTP: a per-call timeout joined with the task's abort signal,
// network failures classified as retryable, and non-2xx statuses classified by errorForStatus.
// Error messages carry the upstream's words (trimmed) but never our credentials.
import type { ProviderContext } from './types.js';
import { UpstreamError, errorForStatus } from './errors.js';

const MAX_DETAIL = 300;

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
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  try {
    return await fetch(url, { ...init, signal });
  } catch (err) {
    const e = err as Error;
    if (ctx.signal.aborted) throw new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
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
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamError('upstream_bad_response', `${provider} answered with a body that is not JSON`, { retryable: true, status: res.status });
  }
}

/** Downloads an image the upstream points at (its URLs expire: fetch at once). */
export async function downloadImage(provider: string, url: string, ctx: ProviderContext, headers: Record<string, string> = {}): Promise<Buffer> {
  const res = await upstreamRequest(provider, url, { method: 'GET', headers }, ctx);
  if (!res.ok) {
    await res.body?.cancel();
    // An image link that answers 4xx has expired or was never served: generate again.
    throw new UpstreamError('upstream_bad_response', `${provider}'s image link answered ${res.status}`, { retryable: true, status: res.status });
  }
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (err) {
    throw bodyReadError(provider, err, ctx);
  }
}

/** A body that stops arriving: the per-call timeout or the task's abort hit mid-body, or the connection dropped. */
function bodyReadError(provider: string, err: unknown, ctx?: ProviderContext): UpstreamError {
  const e = err as Error;
  if (ctx?.signal.aborted) return new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
  if (e?.name === 'TimeoutError') return new UpstreamError('upstream_timeout', `${provider} did not finish answering in time`, { retryable: true, cause: e });
  if (e?.name === 'AbortError') return new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: e });
  return new UpstreamError('upstream_unavailable', `${provider} dropped the connection mid-answer (${describeNetworkError(e)})`, { retryable: true, cause: e });
}

async function readDetail(res: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = (await res.text()).trim();
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const err = body.error as { message?: unknown; code?: unknown } | string | undefined;
    const message =
      (typeof err === 'string' && err) ||
      (typeof err === 'object' && err && typeof err.message === 'string' && err.message) ||
      (typeof body.message === 'string' && body.message) ||
      (typeof body.detail === 'string' && body.detail) ||
      undefined;
    const code = typeof err === 'object' && err && typeof err.code === 'string' ? err.code : undefined;
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
