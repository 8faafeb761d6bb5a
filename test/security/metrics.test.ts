// /metrics shows revenue and traffic: without AIO_METRICS_TOKEN only loopback (and not through a
// proxy) may read it; with the token everyone must send it.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

async function get(server: TestServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { headers });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* Prometheus text */
  }
  return { status: res.status, body, text };
}

describe('/metrics access', () => {
  let server: TestServer | undefined;
  after(() => server?.close());

  test('no token: loopback reads it; a request forwarded by a proxy is 403 saying to set the token', async () => {
    server = await startTestServer();
    const local = await get(server);
    assert.equal(local.status, 200);
    assert.match(local.text, /aio_http_requests_total|# HELP/);
    const relayed: Array<Record<string, string>> = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }];
    for (const headers of relayed) {
      const res = await get(server, headers);
      expectError(res, 403, 'metrics_token_required');
      assert.match(res.body.error.message, /AIO_METRICS_TOKEN/);
      assert.ok(!res.text.includes('# HELP'));
    }
    await server.close();
    server = undefined;
  });

  test('with a token: 401 without it (even on loopback), 200 with it', async () => {
    server = await startTestServer({ env: { AIO_METRICS_TOKEN: 'sekrit-metrics-token' } });
    expectError(await get(server), 401, 'invalid_metrics_token');
    expectError(await get(server, { authorization: 'Bearer wrong' }), 401, 'invalid_metrics_token');
    const ok = await get(server, { authorization: 'Bearer sekrit-metrics-token', 'x-forwarded-for': '203.0.113.9' });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /# HELP/);
  });
});
