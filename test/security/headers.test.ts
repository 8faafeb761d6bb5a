// Browser-facing hardening headers: pages can't be framed and carry a Content-Security-Policy;
// generated files are never sniffed into something runnable; API answers are nosniff too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)]));

describe('security headers', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  for (const page of ['/', '/dashboard', '/models/aio-poster']) {
    test(`the page ${page}: CSP with frame-ancestors 'none', X-Frame-Options DENY, nosniff`, async () => {
      const res = await fetch(`${server.url}${page}`, { headers: { accept: 'text/html' } });
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const csp = directives(res.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('default-src'), ["'self'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.ok(csp.get('img-src')?.includes('data:'), 'the inline favicon is a data: URL');
      assert.ok(!csp.get('script-src')?.includes("'unsafe-inline'"), 'no inline scripts');
      await res.arrayBuffer();
    });
  }

  test('a generated file: nosniff and a sandboxing CSP', async () => {
    const { key } = await server.account({ test: true });
    const created = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'headers', output_format: 'png' } });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const task = await server.waitForTask(created.body.id, key);
    assert.equal(task.status, 'succeeded', JSON.stringify(task));
    const res = await fetch(task.output.images[0].url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const csp = directives(res.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.ok(csp.has('sandbox'));
    assert.ok((await res.arrayBuffer()).byteLength > 100);

    const missing = await fetch(`${server.url}/files/img_nothere.png`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-content-type-options'), 'nosniff');
    await missing.arrayBuffer();
  });

  test('API JSON answers (and errors) are nosniff', async () => {
    for (const route of ['/api/v1/models', '/api/v1/tasks', '/api/nope', '/healthz']) {
      const res = await fetch(`${server.url}${route}`);
      assert.match(res.headers.get('content-type') ?? '', /json/, route);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', route);
      await res.arrayBuffer();
    }
  });
});
