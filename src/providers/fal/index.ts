// fal's queue API (FLUX and others): `Authorization: Key`, JSON input submitted to a queue, then
// polled at the URLs the submit answer gives until COMPLETED; the output (or a failed request's
// error body) is at response_url and points at image URLs we download at once. Abandoning a
// request (abort, deadline, broken polling) cancels it upstream, best effort.
import { setTimeout as sleep } from 'node:timers/promises';
import type { GenerateInput, GeneratedImage, Provider, ProviderContext } from '../types.js';
import { UpstreamError, errorForStatus } from '../errors.js';
import { downloadImage, readJson, upstreamRequest } from '../http.js';

const NAME = 'fal';
const MAX_DETAIL = 300;
/** Consecutive retryable polling failures tolerated before giving up on a request. */
const MAX_POLL_FAILURES = 3;

/** Polling back-off; `FAL_POLL_MS=initial[,max]` overrides the delays (tests set them low). */
export const falPollOptions = { initialMs: 250, maxMs: 3000, factor: 1.5 };
{
  const [initial, max] = (process.env.FAL_POLL_MS ?? '').split(',').map((v) => Number.parseInt(v, 10));
  if (initial !== undefined && initial >= 0) falPollOptions.initialMs = initial;
  if (max !== undefined && max >= 0) falPollOptions.maxMs = max;
  else if (initial !== undefined && initial >= 0) falPollOptions.maxMs = Math.max(initial, Math.min(falPollOptions.maxMs, initial * 12));
}

interface FalQueued {
  request_id?: string;
  status_url?: string;
  response_url?: string;
  cancel_url?: string;
}
interface FalStatus {
  status?: string;
  queue_position?: number;
}
interface FalOutput {
  images?: Array<{ url?: string; width?: number; height?: number; content_type?: string }>;
  seed?: number;
  has_nsfw_concepts?: boolean[];
}

export function buildInput(input: GenerateInput): Record<string, unknown> {
  return {
    prompt: input.prompt,
    image_size: { width: input.width, height: input.height },
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    num_images: 1,
    // fal gives png or jpeg; the worker converts to webp.
    output_format: input.outputFormat === 'jpeg' ? 'jpeg' : 'png',
    enable_safety_checker: true,
  };
}

export const falProvider: Provider = {
  id: 'fal',
  needsCredentials: true,
  async generate(input: GenerateInput, ctx: ProviderContext): Promise<GeneratedImage[]> {
    const auth = { Authorization: `Key ${ctx.credentials.apiKey ?? ''}` };
    // The whole queued generation gets the per-call timeout, as one synchronous call would.
    const deadline = Date.now() + ctx.timeoutMs;
    const submit = await falCall(
      `${ctx.credentials.baseUrl}/${input.upstreamModel}`,
      { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(buildInput(input)) },
      withDeadline(ctx, deadline),
    );
    const queued = await readJson<FalQueued>(NAME, submit, ctx);
    const { status_url: statusUrl, response_url: responseUrl, cancel_url: cancelUrl } = queued;
    if (typeof statusUrl !== 'string' || typeof responseUrl !== 'string')
      throw new UpstreamError('upstream_bad_response', `${NAME} accepted the request without status and response URLs`, { retryable: true });
    ctx.log.info({ provider: NAME, requestId: queued.request_id, taskId: input.taskId }, 'fal request queued');

    let final: string;
    try {
      final = await waitUntilDone(statusUrl, auth, ctx, deadline);
    } catch (err) {
      if (typeof cancelUrl === 'string') await cancelFalRequest(cancelUrl, ctx);
      throw err;
    }

    // The request is over (and paid for): fetching the result gets a fresh per-call timeout. A
    // failed request answers here with its error body, which falCall classifies.
    let output: FalOutput;
    try {
      output = await readJson<FalOutput>(NAME, await falCall(responseUrl, { method: 'GET', headers: auth }, ctx), ctx);
      if (final !== 'COMPLETED' && !Array.isArray(output.images))
        throw new UpstreamError('upstream_failed', `${NAME} ended the request with the unknown status '${final.slice(0, 40)}'`, { retryable: false });
    } catch (err) {
      // After a status we do not know, the request may still be running: do not leave it behind.
      if (final !== 'COMPLETED' && typeof cancelUrl === 'string') await cancelFalRequest(cancelUrl, ctx);
      throw err;
    }
    if (Array.isArray(output.has_nsfw_concepts) && output.has_nsfw_concepts.some(Boolean))
      throw new UpstreamError('content_policy_violation', `${NAME}'s safety checker flagged the generated image`, { retryable: false });
    const images = Array.isArray(output.images) ? output.images : [];
    if (images.length === 0) throw new UpstreamError('upstream_bad_response', `${NAME} answered without images`, { retryable: true });
    const out: GeneratedImage[] = [];
    for (const image of images) {
      if (!image.url) throw new UpstreamError('upstream_bad_response', `${NAME} answered with an image entry without a URL`, { retryable: true });
      // Image URLs are public CDN links: never send them our key.
      out.push({ data: await downloadImage(NAME, image.url, ctx), seed: typeof output.seed === 'number' ? output.seed : undefined });
    }
    return out;
  },
};

/** Asks fal to drop a queued or running request. Best effort: never throws; true if fal accepted. */
export async function cancelFalRequest(cancelUrl: string, ctx: ProviderContext): Promise<boolean> {
  // The task's own signal may be the reason we cancel: use a fresh, short-lived one.
  const cancelCtx: ProviderContext = { ...ctx, signal: new AbortController().signal, timeoutMs: Math.min(ctx.timeoutMs, 5000) };
  try {
    const res = await upstreamRequest(NAME, cancelUrl, { method: 'PUT', headers: { Authorization: `Key ${ctx.credentials.apiKey ?? ''}` } }, cancelCtx);
    await res.arrayBuffer().catch(() => undefined);
    ctx.log.info({ provider: NAME, status: res.status }, 'fal request cancel sent');
    return res.status === 202;
  } catch (err) {
    ctx.log.warn({ provider: NAME, err: (err as Error).message }, 'fal request cancel failed');
    return false;
  }
}

/**
 * Polls status_url with back-off until the request leaves the queue; answers the final status:
 * COMPLETED, or a status this adapter does not know, which is read as final too (fal keeps the
 * outcome, error or not, at response_url).
 */
async function waitUntilDone(statusUrl: string, auth: Record<string, string>, ctx: ProviderContext, deadline: number): Promise<string> {
  let delay = falPollOptions.initialMs;
  let failures = 0;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw deadlineError(ctx);
    try {
      await sleep(Math.min(delay, left), undefined, { signal: ctx.signal });
    } catch (err) {
      throw new UpstreamError('upstream_failed', `${NAME} call was aborted`, { retryable: false, cause: err });
    }
    delay = Math.min(delay * falPollOptions.factor, falPollOptions.maxMs);
    if (Date.now() >= deadline) throw deadlineError(ctx);

    let status: FalStatus;
    try {
      status = await readJson<FalStatus>(NAME, await falCall(statusUrl, { method: 'GET', headers: auth }, withDeadline(ctx, deadline)), ctx);
      if (typeof status?.status !== 'string') throw new UpstreamError('upstream_bad_response', `${NAME} answered a status poll without a status`, { retryable: true });
      failures = 0;
    } catch (err) {
      if (Date.now() >= deadline && err instanceof UpstreamError && err.code === 'upstream_timeout') throw deadlineError(ctx);
      // A blip while polling should not throw away a request fal is still working on.
      if (err instanceof UpstreamError && err.retryable && ++failures < MAX_POLL_FAILURES) {
        ctx.log.warn({ provider: NAME, err: err.message, failures }, 'fal status poll failed, polling on');
        continue;
      }
      throw err;
    }
    if (status.status === 'IN_QUEUE' || status.status === 'IN_PROGRESS') continue;
    if (status.status !== 'COMPLETED') ctx.log.warn({ provider: NAME, status: status.status }, 'fal answered an unknown request status');
    return status.status;
  }
}

function withDeadline(ctx: ProviderContext, deadline: number): ProviderContext {
  return { ...ctx, timeoutMs: Math.max(1, Math.min(ctx.timeoutMs, deadline - Date.now())) };
}

function deadlineError(ctx: ProviderContext): UpstreamError {
  return new UpstreamError('upstream_timeout', `${NAME} did not finish within ${Math.round(ctx.timeoutMs / 1000)} s`, { retryable: true });
}

/** A fal call whose non-2xx answers are classified by reading fal's own error bodies. */
async function falCall(url: string, init: RequestInit, ctx: ProviderContext): Promise<Response> {
  const res = await upstreamRequest(NAME, url, init, ctx);
  if (res.ok) return res;
  throw classifyFalError(res.status, await res.text().catch(() => ''), ctx.credentials.apiKey);
}

/**
 * fal's errors: `{"detail":[{"loc","msg","type"}]}` (or a bare list) for rejected input, where
 * `type` `content_policy_violation` marks the content checker; `{"detail":"..."}` otherwise.
 * A 422 that is not a content-policy refusal is a bad input, not a safety failure.
 */
export function classifyFalError(status: number, text: string, secret?: string): UpstreamError {
  const { detail, types } = parseFalError(text);
  const clean = detail && secret ? detail.split(secret).join('[redacted]') : detail;
  const suffix = clean ? `: ${clean}` : '';
  if (types.includes('content_policy_violation') || /content.?policy|nsfw|content checker/i.test(detail ?? ''))
    return new UpstreamError('content_policy_violation', `${NAME} rejected the request on safety grounds${suffix}`, { retryable: false, status });
  if (status === 422 || status === 400)
    return new UpstreamError('upstream_invalid_request', `${NAME} rejected the request (${status})${suffix}`, { retryable: false, status });
  return errorForStatus(NAME, status, clean);
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
  const detail = parts.join('; ').slice(0, MAX_DETAIL) || undefined;
  return { detail, types };
}
