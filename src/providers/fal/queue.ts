// fal's queue API, shared by every fal operation: `Authorization: Key`, JSON input submitted to a
// queue, then polled at the URLs the submit answer gives until COMPLETED; the output (or a failed
// request's error body) is at response_url. A client's cancel is passed on while fal has not
// started the request (PUT cancel_url answers 202); once started, it runs to the end. Abandoning a
// request (abort, deadline, broken polling) cancels it upstream, best effort.
//
// fal documents no idempotency header for queue submits (none is sent), so a submit repeated
// after a crash would be a second paid request. Instead the request's URLs are kept with the task
// (`ctx.remember`) before polling, and the next attempt after a crash or a shutdown resumes
// polling that same request (`ctx.recall`); a shutdown then leaves the request running upstream.
// A request fal no longer knows (404) is submitted afresh.
import type { InputImage, ProviderContext } from '../types.js';
import { UpstreamCanceled, UpstreamError, errorForStatus } from '../errors.js';
import { readJson, upstreamRequest } from '../http.js';
import { pollUntil, withDeadline, type PollOptions } from '../polling.js';

export const FAL = 'fal';
const MAX_DETAIL = 300;

/** fal's polling back-off; the operator's AIO_POLL_MS overrides it (tests set it low). */
export const falPollOptions: PollOptions = { initialMs: 250, maxMs: 3000, factor: 1.5 };

interface FalQueued {
  request_id?: string;
  status_url?: string;
  response_url?: string;
  cancel_url?: string;
}
interface FalStatus {
  status?: string;
}

/** A file in a fal output: `{url, content_type, file_name, file_size}` (images add width, height). */
export interface FalFile {
  url?: string;
  content_type?: string;
  width?: number;
  height?: number;
}

export interface FalRun<T> {
  /** The endpoint to submit to, e.g. `fal-ai/kling-video/v2.6/pro/text-to-video`. */
  path: string;
  input: Record<string, unknown>;
  taskId: string;
  /** Whether a 200 body is this endpoint's output (decides what an unknown final status means). */
  isOutput(output: T): boolean;
}

export const falAuth = (ctx: ProviderContext) => ({ Authorization: `Key ${ctx.credentials.apiKey ?? ''}` });

/** An input image as fal takes it in `image_url`: a base64 data URI (adapters never pass on client URLs). */
export function toDataUri(image: InputImage): string {
  return `data:${image.contentType};base64,${image.data.toString('base64')}`;
}

/** The key under which a task keeps its fal request (ctx.remember). */
export const FAL_REQUEST = 'fal_request';

interface KeptRequest {
  path: string;
  request_id?: string;
  status_url: string;
  response_url: string;
  cancel_url?: string;
}

/** The request an earlier attempt of this task submitted to the same endpoint, if it kept one. */
function keptRequest(ctx: ProviderContext, path: string): KeptRequest | undefined {
  const kept = ctx.recall?.(FAL_REQUEST) as Partial<KeptRequest> | undefined;
  if (!kept || kept.path !== path || typeof kept.status_url !== 'string' || typeof kept.response_url !== 'string') return undefined;
  return { path, request_id: kept.request_id, status_url: kept.status_url, response_url: kept.response_url, cancel_url: typeof kept.cancel_url === 'string' ? kept.cancel_url : undefined };
}

/** Whether fal still knows the request (a 404 on its status means it does not); other failures are left to the polling. */
async function stillKnown(request: KeptRequest, ctx: ProviderContext, deadline: number): Promise<boolean> {
  try {
    const res = await upstreamRequest(FAL, request.status_url, { method: 'GET', headers: falAuth(ctx) }, withDeadline(ctx, deadline));
    await res.arrayBuffer().catch(() => undefined);
    return res.status !== 404;
  } catch {
    return true;
  }
}

async function submitRequest<T>(run: FalRun<T>, ctx: ProviderContext, deadline: number): Promise<KeptRequest> {
  const submit = await falCall(
    `${ctx.credentials.baseUrl}/${run.path}`,
    { method: 'POST', headers: { ...falAuth(ctx), 'Content-Type': 'application/json' }, body: JSON.stringify(run.input) },
    withDeadline(ctx, deadline),
  );
  const queued = await readJson<FalQueued>(FAL, submit, ctx);
  const { status_url: statusUrl, response_url: responseUrl, cancel_url: cancelUrl } = queued ?? {};
  if (typeof statusUrl !== 'string' || typeof responseUrl !== 'string')
    throw new UpstreamError('upstream_bad_response', `${FAL} accepted the request without status and response URLs`, { retryable: true });
  ctx.log.info({ provider: FAL, requestId: queued.request_id, taskId: run.taskId }, 'fal request queued');
  const request: KeptRequest = {
    path: run.path,
    request_id: typeof queued.request_id === 'string' ? queued.request_id : undefined,
    status_url: statusUrl,
    response_url: responseUrl,
    cancel_url: typeof cancelUrl === 'string' ? cancelUrl : undefined,
  };
  if (ctx.remember)
    await ctx.remember(FAL_REQUEST, request).catch((err: Error) => ctx.log.warn({ provider: FAL, err: err.message }, 'could not keep the fal request with the task'));
  return request;
}

/** Submits one request (or resumes the one this task submitted before a crash), waits for it and answers fal's output body (errors classified). */
export async function runFalRequest<T extends object>(run: FalRun<T>, ctx: ProviderContext): Promise<T> {
  const auth = falAuth(ctx);
  // The whole queued request gets the per-call timeout, as one synchronous call would.
  const deadline = Date.now() + ctx.timeoutMs;
  let request = keptRequest(ctx, run.path);
  if (request && (await stillKnown(request, ctx, deadline))) ctx.log.info({ provider: FAL, requestId: request.request_id, taskId: run.taskId }, 'fal request resumed: not submitted again');
  else request = await submitRequest(run, ctx, deadline);
  const { status_url: statusUrl, response_url: responseUrl, cancel_url: cancelUrl } = request;

  let final: string;
  try {
    final = await waitUntilDone(statusUrl, cancelUrl, ctx, deadline);
  } catch (err) {
    // A shutdown (our signal) leaves a kept request running for the next attempt to resume.
    const resumable = ctx.signal.aborted && ctx.remember !== undefined;
    if (!(err instanceof UpstreamCanceled) && cancelUrl !== undefined && !resumable) await cancelFalRequest(cancelUrl, ctx);
    throw err;
  }

  // The request is over (and paid for): fetching the result gets a fresh per-call timeout. A
  // failed request answers here with its error body, which falCall classifies.
  try {
    const output = await readJson<T>(FAL, await falCall(responseUrl, { method: 'GET', headers: auth }, ctx), ctx);
    if (typeof output !== 'object' || output === null || Array.isArray(output))
      throw new UpstreamError('upstream_bad_response', `${FAL} answered a result that is not an object`, { retryable: true });
    if (final !== 'COMPLETED' && !run.isOutput(output))
      throw new UpstreamError('upstream_failed', `${FAL} ended the request with the unknown status '${final.slice(0, 40)}'`, { retryable: false });
    return output;
  } catch (err) {
    // After a status we do not know, the request may still be running: do not leave it behind.
    if (final !== 'COMPLETED' && typeof cancelUrl === 'string') await cancelFalRequest(cancelUrl, ctx);
    throw err;
  }
}

/**
 * Asks fal to drop a queued request. Best effort: never throws; answers fal's status (202: dropped;
 * 400: already started or over) or undefined when fal could not be reached.
 */
export async function cancelFalRequest(cancelUrl: string, ctx: ProviderContext): Promise<number | undefined> {
  // The task's own signal may be the reason we cancel: use a fresh, short-lived one.
  const cancelCtx: ProviderContext = { ...ctx, signal: new AbortController().signal, timeoutMs: Math.min(ctx.timeoutMs, 5000) };
  try {
    const res = await upstreamRequest(FAL, cancelUrl, { method: 'PUT', headers: falAuth(ctx) }, cancelCtx);
    await res.arrayBuffer().catch(() => undefined);
    ctx.log.info({ provider: FAL, status: res.status }, 'fal request cancel sent');
    return res.status;
  } catch (err) {
    ctx.log.warn({ provider: FAL, err: (err as Error).message }, 'fal request cancel failed');
    return undefined;
  }
}

/**
 * Polls status_url until the request leaves the queue; answers the final status: COMPLETED, or a
 * status this adapter does not know, which is read as final too (fal keeps the outcome, error or
 * not, at response_url). Before each poll, passes on a client's cancel while fal can still take it.
 */
async function waitUntilDone(statusUrl: string, cancelUrl: string | undefined, ctx: ProviderContext, deadline: number): Promise<string> {
  let cancelRefused = cancelUrl === undefined;
  return pollUntil(FAL, ctx, deadline, falPollOptions, async (pollCtx) => {
    if (!cancelRefused && (await cancelAsked(ctx))) {
      const status = await cancelFalRequest(cancelUrl!, ctx);
      if (status === 202) throw new UpstreamCanceled(FAL);
      // Already running or over: fal finishes it (and bills it), so we take the result. An
      // unreachable cancel endpoint is tried again on the next poll.
      if (status !== undefined) {
        cancelRefused = true;
        ctx.log.info({ provider: FAL, status }, 'fal request already started: it runs to the end');
      }
    }
    const res = await falCall(statusUrl, { method: 'GET', headers: falAuth(ctx) }, pollCtx);
    const status = await readJson<FalStatus>(FAL, res, ctx);
    if (typeof status?.status !== 'string') throw new UpstreamError('upstream_bad_response', `${FAL} answered a status poll without a status`, { retryable: true });
    if (status.status === 'IN_QUEUE' || status.status === 'IN_PROGRESS') return undefined;
    if (status.status !== 'COMPLETED') ctx.log.warn({ provider: FAL, status: status.status }, 'fal answered an unknown request status');
    return status.status;
  });
}

/** Whether the client asked to cancel; a failing check is logged and read as no. */
async function cancelAsked(ctx: ProviderContext): Promise<boolean> {
  if (!ctx.cancelRequested) return false;
  try {
    return await ctx.cancelRequested();
  } catch (err) {
    ctx.log.warn({ provider: FAL, err: (err as Error).message }, 'could not read whether the task was cancelled');
    return false;
  }
}

/** A fal call whose non-2xx answers are classified by reading fal's own error bodies. */
async function falCall(url: string, init: RequestInit, ctx: ProviderContext): Promise<Response> {
  const res = await upstreamRequest(FAL, url, init, ctx);
  if (res.ok) return res;
  throw classifyFalError(res.status, await res.text().catch(() => ''), ctx.credentials.apiKey);
}

/**
 * fal's errors: `{"detail":[{"loc","msg","type"}]}` (or a bare list) for rejected input, where
 * `type` `content_policy_violation` marks the content checker; `{"detail":"...","error_type":"..."}`
 * for infrastructure failures (503/504, retryable). A 422 that is not a content-policy refusal is a
 * bad input, not a safety failure.
 */
export function classifyFalError(status: number, text: string, secret?: string): UpstreamError {
  const { detail, types } = parseFalError(text);
  const clean = detail && secret ? detail.split(secret).join('[redacted]') : detail;
  const suffix = clean ? `: ${clean}` : '';
  if (types.includes('content_policy_violation') || /content.?policy|nsfw|content checker/i.test(detail ?? ''))
    return new UpstreamError('content_policy_violation', `${FAL} rejected the request on safety grounds${suffix}`, { retryable: false, status });
  if (status === 422 || status === 400)
    return new UpstreamError('upstream_invalid_request', `${FAL} rejected the request (${status})${suffix}`, { retryable: false, status });
  return errorForStatus(FAL, status, clean);
}

function parseFalError(text: string): { detail?: string; types: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { types: [] };
  }
  const root = body as { detail?: unknown; error?: unknown; message?: unknown; error_type?: unknown } | null;
  const list = Array.isArray(body) ? body : Array.isArray(root?.detail) ? root.detail : [];
  const items = list.filter((i): i is { msg?: unknown; type?: unknown; loc?: unknown } => typeof i === 'object' && i !== null);
  const types = items.map((i) => i.type).filter((t): t is string => typeof t === 'string');
  if (typeof root?.error_type === 'string') types.push(root.error_type);
  const parts = items.map((i) => {
    const where = Array.isArray(i.loc) ? ` (${i.loc.filter((l) => l !== 'body').join('.')})` : '';
    return `${typeof i.type === 'string' ? `${i.type}: ` : ''}${typeof i.msg === 'string' ? i.msg : 'invalid'}${where}`;
  });
  for (const field of [root?.detail, root?.error, root?.message]) if (typeof field === 'string' && field) parts.push(field);
  if (typeof root?.error_type === 'string') parts.push(`(${root.error_type})`);
  const detail = parts.join('; ').slice(0, MAX_DETAIL) || undefined;
  return { detail, types };
}
