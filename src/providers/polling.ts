// Polling a long job (fal's queue, Gemini's long-running operations): back-off between polls, the
// whole wait bounded by one deadline (ctx.timeoutMs from the start, as one synchronous call would
// be), the task's abort honoured while asleep, and a few retryable poll failures ridden out so a
// blip does not throw away a job the upstream is still working on.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderContext } from './types.js';
import { UpstreamError } from './errors.js';

export interface PollOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** Consecutive retryable polling failures tolerated before giving up on a job. */
export const MAX_POLL_FAILURES = 3;

/** The provider's delays, unless the operator set a first delay (`AIO_POLL_MS`; tests set it low): then at most 12 times that. */
export function effectivePollOptions(options: PollOptions, pollMs: number | undefined): PollOptions {
  if (pollMs === undefined) return options;
  return { ...options, initialMs: pollMs, maxMs: Math.max(pollMs, Math.min(options.maxMs, pollMs * 12)) };
}

/**
 * Sleeps, then calls `poll`, again and again until it answers something other than undefined.
 * `poll` gets a context whose timeout ends at the deadline. A retryable UpstreamError from `poll`
 * is tolerated MAX_POLL_FAILURES - 1 times in a row; anything else ends the wait.
 */
export async function pollUntil<T>(
  provider: string,
  ctx: ProviderContext,
  deadline: number,
  providerOptions: PollOptions,
  poll: (pollCtx: ProviderContext) => Promise<T | undefined>,
): Promise<T> {
  const options = effectivePollOptions(providerOptions, ctx.pollMs);
  let delay = options.initialMs;
  let failures = 0;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw deadlineError(provider, ctx);
    try {
      await sleep(Math.min(delay, left), undefined, { signal: ctx.signal });
    } catch (err) {
      throw new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: err });
    }
    delay = Math.min(delay * options.factor, options.maxMs);
    if (Date.now() >= deadline) throw deadlineError(provider, ctx);

    let result: T | undefined;
    try {
      result = await poll(withDeadline(ctx, deadline));
      failures = 0;
    } catch (err) {
      if (Date.now() >= deadline && err instanceof UpstreamError && err.code === 'upstream_timeout') throw deadlineError(provider, ctx);
      if (err instanceof UpstreamError && err.retryable && ++failures < MAX_POLL_FAILURES) {
        ctx.log.warn({ provider, err: err.message, failures }, 'status poll failed, polling on');
        continue;
      }
      throw err;
    }
    if (result !== undefined) return result;
  }
}

/** The context for one call inside a deadline: its timeout never reaches past the deadline. */
export function withDeadline(ctx: ProviderContext, deadline: number): ProviderContext {
  return { ...ctx, timeoutMs: Math.max(1, Math.min(ctx.timeoutMs, deadline - Date.now())) };
}

export function deadlineError(provider: string, ctx: ProviderContext): UpstreamError {
  return new UpstreamError('upstream_timeout', `${provider} did not finish within ${Math.round(ctx.timeoutMs / 1000)} s`, { retryable: true });
}
