// How an upstream failure is classified decides whether the worker retries it.
//  - `retryable: true`: 429, 5xx, timeouts, connection errors: back off, maybe another node.
//  - `retryable: false`: the upstream rejected the request itself (content policy, bad input).
//  - `canceled`: we asked the upstream to drop the job (the client cancelled) and it did.

export type UpstreamErrorCode =
  | 'content_policy_violation'
  | 'upstream_invalid_request'
  | 'upstream_auth_failed'
  | 'upstream_rate_limited'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'upstream_bad_response'
  | 'upstream_failed'
  | 'canceled';

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly retryable: boolean;
  readonly status?: number;
  /** A message in our own words that may be shown to the client (the upstream's text never is). */
  readonly clientDetail?: string;

  constructor(code: UpstreamErrorCode, message: string, opts: { retryable: boolean; status?: number; cause?: unknown; clientDetail?: string }) {
    super(message, { cause: opts.cause });
    this.name = 'UpstreamError';
    this.code = code;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.clientDetail = opts.clientDetail;
  }
}

/** The upstream dropped the job because we asked it to: the task ends `canceled`, not `failed`. */
export class UpstreamCanceled extends UpstreamError {
  constructor(provider: string) {
    super('canceled', `${provider} dropped the request on our cancel`, { retryable: false });
    this.name = 'UpstreamCanceled';
  }
}

/** Classify an upstream HTTP status that is not a success. Messages never include secrets. */
export function errorForStatus(provider: string, status: number, detail?: string, secret?: string): UpstreamError {
  const clean = detail && secret ? detail.split(secret).join('[redacted]') : detail;
  const suffix = clean ? `: ${clean}` : '';
  if (status === 429) return new UpstreamError('upstream_rate_limited', `${provider} is rate limiting requests${suffix}`, { retryable: true, status });
  if (status >= 500) return new UpstreamError('upstream_unavailable', `${provider} answered ${status}${suffix}`, { retryable: true, status });
  if (status === 401 || status === 403) return new UpstreamError('upstream_auth_failed', `${provider} refused the configured credentials (${status})`, { retryable: false, status });
  if (status === 422 || /content_policy|moderation|safety/i.test(detail ?? ''))
    return new UpstreamError('content_policy_violation', `${provider} rejected the prompt on safety grounds${suffix}`, { retryable: false, status });
  return new UpstreamError('upstream_invalid_request', `${provider} rejected the request (${status})${suffix}`, { retryable: false, status });
}
