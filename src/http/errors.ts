// Turns anything thrown in a route into the one error shape clients see:
// {"error":{"code","message","param"?,"type"}}. Input problems are 4xx, never 500.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../lib/app-error.js';
import { fromValidation } from './validation-errors.js';

function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'request_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', 'The body is empty; send a JSON object.');
    case 'FST_ERR_VALIDATION':
      return fromValidation(err);
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return new AppError(400, 'invalid_json', `The body is not valid JSON: ${err.message}`);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError(err.statusCode, 'invalid_request', err.message);
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = err instanceof AppError ? err : fromFastify(err);
    if (known) {
      if (known.headers) reply.headers(known.headers);
      return reply.status(known.status).send(known.toJSON());
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new AppError(500, 'internal_error', 'Something went wrong on our side. Try again; if it persists, contact the operator with the x-request-id.').toJSON());
  });
}

export function apiNotFound(method: string, url: string): AppError {
  return new AppError(404, 'route_not_found', `There is no route ${method} ${url.split('?')[0]}.`);
}
