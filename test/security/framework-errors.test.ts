// What Fastify and Node refuse before a route runs still answers in our error shape
// {"error":{"code","message","type"}}: bad percent-encoding, an over-long path parameter,
// malformed requests, oversized headers, content-type trouble.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest } from './raw-http.js';

/** Our shape, exactly: no Fastify fields (statusCode, error as a string) next to it. */
function ourShape(res: { status: number; body: any }, status: number, code: string): void {
  expectError(res, status, code);
  assert.deepEqual(Object.keys(res.body), ['error'], JSON.stringify(res.body));
  assert.ok(!('statusCode' in res.body.error), JSON.stringify(res.body));
}

describe("Fastify's own refusals in our error shape", () => {
  let server: TestServer;
  let key: string;
  before(async () => {
    server = await startTestServer();
    key = (await server.account({ test: true })).key;
  });
  after(() => server?.close());

  test('bad percent-encoding in a path parameter: 400 invalid_parameter', async () => {
    const res = await server.api('GET', '/api/v1/tasks/%E0%A4%A', { key });
    ourShape(res, 400, 'invalid_parameter');
    assert.ok(res.headers.get('x-request-id'), 'the request id is still sent');
    ourShape(await server.api('GET', '/api/v1/models/%ZZ'), 400, 'invalid_parameter');
  });

  test('an over-long path parameter: 400 invalid_parameter', async () => {
    ourShape(await server.api('GET', `/api/v1/tasks/${'a'.repeat(500)}`, { key }), 400, 'invalid_parameter');
    ourShape(await server.api('GET', `/files/${'b'.repeat(500)}.png`), 400, 'invalid_parameter');
  });

  test('a malformed request line or header: 400 invalid_request', async () => {
    for (const request of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n', 'POST /api/v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n']) {
      const res = await rawRequest(server.url, request);
      assert.equal(res.status, 400, res.text);
      ourShape({ status: res.status!, body: res.body }, 400, 'invalid_request');
    }
  });

  test('headers larger than the server takes: 431 request_headers_too_large', async () => {
    const res = await rawRequest(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    ourShape({ status: res.status!, body: res.body }, 431, 'request_headers_too_large');
  });

  test('content-type trouble: unknown type 415, empty JSON 400, broken JSON 400, poisoned JSON 400', async () => {
    const GEN = '/api/v1/images/generations';
    ourShape(await server.api('POST', GEN, { key, raw: '<a/>', headers: { 'content-type': 'application/xml' } }), 415, 'unsupported_media_type');
    ourShape(await server.api('POST', GEN, { key, raw: '', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    ourShape(await server.api('POST', GEN, { key, raw: '{"a":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    ourShape(await server.api('POST', GEN, { key, raw: '{"__proto__":{"x":1}}', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
  });

  test('broken multipart uploads: no boundary, a truncated form, a misnamed part: 400 in our shape', async () => {
    const FILES = '/api/v1/files';
    const upload = (raw: string, contentType: string) => server.api('POST', FILES, { key, raw, headers: { 'content-type': contentType } });
    ourShape(await upload('', 'multipart/form-data'), 400, 'invalid_multipart');
    const head = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n';
    const truncated = await upload(`${head}\x89PNG`, 'multipart/form-data; boundary=b');
    assert.equal(truncated.status, 400, JSON.stringify(truncated.body));
    assert.ok(['invalid_multipart', 'unsupported_file_type'].includes(truncated.body.error.code), JSON.stringify(truncated.body));
    ourShape(await upload(`${head.replace('name="file"', 'name="image"')}x\r\n--b--\r\n`, 'multipart/form-data; boundary=b'), 400, 'missing_parameter');
    ourShape(await upload('--b--\r\n', 'multipart/form-data; boundary=b'), 400, 'missing_parameter');
  });
});
