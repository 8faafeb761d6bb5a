// A body that trickles in is cut off after AIO_REQUEST_TIMEOUT_MS instead of holding a
// connection (and its parser) forever; a normal request still goes through.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { PASSWORD, signIn, signUp } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { trickleBody } from './raw-http.js';

describe('request timeouts', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { AIO_REQUEST_TIMEOUT_MS: '1000' } });
  });
  after(() => server?.close());

  test('the default is 30 s and the setting is read', () => {
    assert.equal(loadSettings({}).requestTimeoutMs, 30_000);
    assert.equal(loadSettings({ AIO_REQUEST_TIMEOUT_MS: '1000' }).requestTimeoutMs, 1000);
  });

  test('a body trickling in (one byte every 100 ms) is closed by the server before it ends', async () => {
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json`;
    // 600 bytes at 10 a second would take a minute; the client gives up waiting after 20 s.
    const answer = await trickleBody(server.url, head, 600, 100, 20_000);
    assert.ok(answer.sent < 600);
    if (answer.status !== undefined) {
      assert.equal(answer.status, 408, answer.text);
      assert.equal(answer.body?.error?.code, 'request_timeout', answer.text);
    }
  });

  test('several slow bodies at once are all cut off', async () => {
    const head = `POST /api/v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => trickleBody(server.url, head, 600, 100, 20_000)));
    for (const a of answers) assert.ok(a.sent < 600);
  });

  test('a request that arrives in time is answered', async () => {
    const { email } = await signUp(server, undefined, PASSWORD);
    await signIn(server, email);
  });
});
