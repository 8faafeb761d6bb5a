// Every failure the SDK reports is an AioError: `code` is the server's stable code (branch on
// it), `status` the HTTP status (undefined when no answer came), `requestId` the server's
// x-request-id (quote it to the operator).

export class AioError extends Error {
  readonly code: string;
  readonly status?: number;
  readonly param?: string;
  readonly type?: string;
  readonly requestId?: string;

  constructor(message: string, o: { code: string; status?: number; param?: string | null; type?: string; requestId?: string | null; cause?: unknown }) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = new.target.name;
    this.code = o.code;
    this.status = o.status;
    this.param = o.param ?? undefined;
    this.type = o.type;
    this.requestId = o.requestId ?? undefined;
  }
}

/** The server answered with an error (4xx, 5xx). */
export class AioApiError extends AioError {}
/** 400: a parameter is missing, unknown or not accepted (see `param`). */
export class InvalidRequestError extends AioApiError {}
/** 401: the API key is missing, unknown, revoked or expired. */
export class AuthenticationError extends AioApiError {}
/** 402: not enough credits (or the key's credit limit); no task was made. */
export class InsufficientCreditsError extends AioApiError {}
/** 403: the key may not do this (e.g. use this model). */
export class PermissionDeniedError extends AioApiError {}
/** 404: no such task, model or route. */
export class NotFoundError extends AioApiError {}
/** 409 / 422: a state conflict (not cancelable, idempotency key in use or reused). */
export class ConflictError extends AioApiError {}
/** 429: rate limited; the SDK already waited for Retry-After and retried. */
export class RateLimitError extends AioApiError {}
/** 5xx: the server or a provider failed; the SDK already retried. */
export class ServerError extends AioApiError {}

/** No answer: the network failed or the request timed out (after the retries). */
export class ConnectionError extends AioError {}

/** A task ended `failed` or `canceled` where a result was awaited; `task` is the ended task. */
export class TaskFailedError extends AioError {
  readonly task: { id: string; status: string; error: { code: string; message: string } | null };

  constructor(task: TaskFailedError['task']) {
    super(task.error?.message ?? `Task ${task.id} ended ${task.status}.`, { code: task.error?.code ?? task.status });
    this.task = task;
  }
}

const BY_STATUS: Record<number, typeof AioApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: ConflictError,
  429: RateLimitError,
};

/** The error for an HTTP answer: our envelope `{error:{code,message,param,type}}` (also in OpenAI's shape), or the bare status. */
export function errorFromResponse(status: number, body: unknown, requestId: string | null): AioApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; param?: unknown; type?: unknown } } | null)?.error;
  const Kind = BY_STATUS[status] ?? (status >= 500 ? ServerError : AioApiError);
  return new Kind(typeof e?.message === 'string' ? e.message : `The server answered ${status}.`, {
    code: typeof e?.code === 'string' ? e.code : `http_${status}`,
    status,
    param: typeof e?.param === 'string' ? e.param : undefined,
    type: typeof e?.type === 'string' ? e.type : undefined,
    requestId,
  });
}
