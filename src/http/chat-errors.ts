// Errors in the shape of the chat endpoint called, with our stable code inside: OpenAI's
// envelope `{"error":{message,type,param,code}}` on /v1/chat/completions, Anthropic's
// `{"type":"error","error":{type,message}}` (plus our `code` and `param`) on /v1/messages.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../lib/app-error.js';
import { fromFastify } from './errors.js';

export function openAiErrorBody(err: AppError) {
  return { error: { message: err.message, type: err.type, param: err.param ?? null, code: err.code } };
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
};

export function anthropicErrorBody(err: AppError) {
  const type = ANTHROPIC_TYPES[err.status] ?? (err.status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: err.message, code: err.code, ...(err.param ? { param: err.param } : {}) } };
}

/** Makes every error of `scope` (its routes and the hooks they inherit, such as the API key's) answer in `shape`. */
export function chatErrorShape(scope: FastifyInstance, shape: 'openai' | 'anthropic'): void {
  scope.setErrorHandler((err: FastifyError, req, reply) => {
    let known = err instanceof AppError ? err : fromFastify(err);
    if (!known) {
      req.log.error({ err }, 'unhandled error');
      known = new AppError(500, 'internal_error', 'Something went wrong on our side. Try again; if it persists, contact the operator with the x-request-id.');
    }
    if (known.headers) reply.headers(known.headers);
    return reply.status(known.status).send(shape === 'openai' ? openAiErrorBody(known) : anthropicErrorBody(known));
  });
}
