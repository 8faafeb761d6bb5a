// Every error a client can see. `code` is stable (clients branch on it), `message` is for people.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_credits_error'
  | 'idempotency_error'
  | 'service_unavailable_error'
  | 'api_error';

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_credits_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'idempotency_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'service_unavailable_error',
};

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param?: string;
  readonly type: ErrorType;
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, opts: { param?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.param = opts.param;
    this.type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    this.headers = opts.headers;
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        type: this.type,
      },
    };
  }
}

export const invalidParam = (param: string, message: string, code = 'invalid_parameter') =>
  new AppError(400, code, message, { param });

export const notFound = (what: string, id: string) =>
  new AppError(404, 'not_found', `No ${what} with id '${id}'.`);
