// What every Gemini API call shares: the `x-goog-api-key` header and Google's error envelope
// `{"error":{"code","message","status","details"}}`. Google answers a key it does not know with
// 400 `API_KEY_INVALID` (a missing one with 403): both are our credentials, not the request.
// Google documents no idempotency header for these endpoints: none is sent.
import type { ProviderContext } from '../types.js';
import { UpstreamError, errorForStatus } from '../errors.js';
import { upstreamRequest } from '../http.js';

export const GEMINI = 'Gemini';
const MAX_DETAIL = 300;

export const geminiKeyHeader = (ctx: ProviderContext) => ({ 'x-goog-api-key': ctx.credentials.apiKey ?? '' });

/** A Gemini API call whose non-2xx answers are classified from Google's envelope. */
export async function geminiCall(url: string, init: RequestInit, ctx: ProviderContext): Promise<Response> {
  const headers = { ...geminiKeyHeader(ctx), ...(init.headers as Record<string, string> | undefined) };
  const res = await upstreamRequest(GEMINI, url, { ...init, headers }, ctx);
  if (res.ok) return res;
  throw classifyGeminiError(res.status, await res.text().catch(() => ''), ctx.credentials.apiKey);
}

export function classifyGeminiError(status: number, text: string, secret?: string): UpstreamError {
  let error: { message?: unknown; status?: unknown; details?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    /* not JSON: the status says enough */
  }
  const message = typeof error?.message === 'string' ? error.message : undefined;
  const reasons = Array.isArray(error?.details) ? error.details.map((d) => (d as { reason?: unknown })?.reason).filter((r) => typeof r === 'string') : [];
  if (status === 400 && (reasons.includes('API_KEY_INVALID') || /API key not valid/i.test(message ?? '')))
    return new UpstreamError('upstream_auth_failed', `${GEMINI} refused the configured credentials (${status})`, { retryable: false, status });
  const detail = message ? `${typeof error?.status === 'string' ? `${error.status}: ` : ''}${message}`.slice(0, MAX_DETAIL) : undefined;
  return errorForStatus(GEMINI, status, detail, secret);
}
