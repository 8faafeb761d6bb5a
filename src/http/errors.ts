// Turns anything thrown in a route into the one error shape clients see:
// {"error":{"code","message","param"?,"type"}}. Input problems are 4xx, never 500. What Fastify
// and Node refuse before any route runs (a malformed request, a bad URL, a timeout) gets the
// same shape through `frameworkErrors` and `clientErrorHandler`, Fastify options of the server.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error.js';
import { installInputGuard } from './input-guard.js';
import { fromValidation } from './validation-errors.js';

export function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'request_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return new AppError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'invalid_request_body', 'The body did not match its Content-Length header.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', 'The body is empty; send a JSON object.');
    case 'FST_ERR_BAD_URL':
      return new AppError(400, 'invalid_parameter', 'A part of the URL is not valid percent-encoding (RFC 3986).');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(400, 'invalid_parameter', 'A part of the URL is longer than any id this API uses.');
    case 'FST_ERR_VALIDATION':
      return fromValidation(err);
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return new AppError(400, 'invalid_json', `The body is not valid JSON: ${err.message}`);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError(err.statusCode, 'invalid_request', err.message);
  return undefined;
}

/**
 * Installs on `app` (and every scope registered after): the error handler, the input guard
 * (NUL, lone surrogates, JSON depth) and `nosniff` on every answer.
 */
export function installErrorHandling(app: FastifyInstance): void {
  installInputGuard(app);
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
  });
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

/** Fastify option `frameworkErrors`: the router's refusals (bad percent-encoding, over-long parameter). */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const known = fromFastify(err) ?? new AppError(400, 'invalid_request', 'The request could not be routed.');
  reply.status(known.status).header('x-request-id', req.id).header('x-content-type-options', 'nosniff').send(known.toJSON());
}

/** What Node's HTTP parser refuses, with no request object yet: answered on the raw socket. */
function clientErrorFor(code: string | undefined): AppError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError(408, 'request_timeout', 'The request took too long to arrive; send it again at once.');
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError(431, 'request_headers_too_large', 'The request headers are too large.');
  return new AppError(400, 'invalid_request', 'The request is not valid HTTP/1.1.');
}

/** Fastify option `clientErrorHandler`. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const error = clientErrorFor(err.code);
    const body = JSON.stringify(error.toJSON());
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export function apiNotFound(method: string, url: string): AppError {
  return new AppError(404, 'route_not_found', `There is no route ${method} ${url.split('?')[0]}.`);
}
