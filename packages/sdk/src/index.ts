// @api-in-one/sdk: a typed client for API in One servers. No dependencies; fetch only (Node 20+
// and browsers).
export { Aio, ChatStream, MediaResource } from './client.js';
export { Aio as default } from './client.js';
export {
  AioApiError,
  AioError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InsufficientCreditsError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TaskFailedError,
} from './errors.js';
export { newIdempotencyKey, retryAfterMs, type ClientOptions, type RequestOptions } from './http.js';
export { readSse, type SseMessage } from './sse.js';
export type * from './generated.js';
export type * from './types.js';
