import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeFetch, isPublicAddress, describeUrl, FetchRefused, type SafeFetchOptions } from '../../src/lib/safe-fetch.js';

// A real server on 127.0.0.1 playing each answer a fetched URL can give.
let server: http.Server;
let base: string;
const hits: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const send = (status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    switch (url.pathname) {
      case '/image.png':
        return send(200, 'image/png; charset=binary', Buffer.from('not really a png but bytes'));
      case '/text':
        return send(200, 'text/html', '<html></html>');
      case '/big-declared':
        return send(200, 'image/png', Buffer.alloc(5000, 1));
      case '/big-streamed': {
        // No Content-Length: chunked, so only counting the body can catch it.
        res.writeHead(200, { 'content-type': 'image/png' });
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 2));
        return res.end();
      }
      case '/missing':
        return send(404, 'text/plain', 'nope');
      case '/broken':
        return send(500, 'text/plain', 'boom');
      case '/hang':
        return; // never answers
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(Buffer.alloc(10));
        return; // never ends
      case '/redirect': {
        const to = url.searchParams.get('to') ?? '/image.png';
        return send(302, 'text/plain', '', { location: to });
      }
      case '/loop': {
        const n = Number(url.searchParams.get('n') ?? '0');
        return send(301, 'text/plain', '', { location: `/loop?n=${n + 1}` });
      }
      case '/echo-headers':
        return send(200, 'application/json', JSON.stringify(req.headers));
      default:
        return send(404, 'text/plain', 'unknown');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const OPEN: SafeFetchOptions = { allowPrivate: true, maxBytes: 4096, timeoutMs: 5000 };

async function refusal(p: Promise<unknown>): Promise<FetchRefused> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FetchRefused, `expected FetchRefused, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the fetch to be refused');
}

test('fetches from a private address only when allowed', async () => {
  const before = hits.length;
  const err = await refusal(safeFetch(`${base}/image.png`, { ...OPEN, allowPrivate: false }));
  assert.equal(err.code, 'url_not_allowed');
  assert.match(err.message, /127\.0\.0\.1/);
  assert.equal(hits.length, before, 'no request reached the server');

  const ok = await safeFetch(`${base}/image.png`, OPEN);
  assert.equal(ok.data.toString(), 'not really a png but bytes');
  assert.equal(ok.contentType, 'image/png');
  assert.equal(ok.finalUrl, `${base}/image.png`);
});

test('a hostname resolving to loopback is refused like the literal address', async () => {
  const port = (server.address() as AddressInfo).port;
  const err = await refusal(safeFetch(`http://localhost:${port}/image.png`, { ...OPEN, allowPrivate: false }));
  assert.equal(err.code, 'url_not_allowed');
});

test('literal private addresses in any spelling are refused before connecting', async () => {
  for (const url of [
    'http://10.1.2.3/x.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://[::ffff:a9fe:a9fe]/x',
    'http://0x7f000001/x', // the URL parser turns this into 127.0.0.1
    'http://2130706433/x',
    'http://0/x',
    'https://[fd00::1]/x',
  ]) {
    const err = await refusal(safeFetch(url, { ...OPEN, allowPrivate: false, timeoutMs: 2000 }));
    assert.equal(err.code, 'url_not_allowed', url);
  }
});

test('only http and https are fetched', async () => {
  for (const url of ['file:///etc/passwd', 'ftp://example.com/a.png', 'data:image/png;base64,AAAA', 'gopher://x/', 'not a url']) {
    const err = await refusal(safeFetch(url, OPEN));
    assert.equal(err.code, 'url_not_allowed', url);
  }
});

test('follows redirects, re-checking each target', async () => {
  const ok = await safeFetch(`${base}/redirect?to=/image.png`, OPEN);
  assert.equal(ok.finalUrl, `${base}/image.png`);
  assert.equal(ok.data.toString(), 'not really a png but bytes');

  const toFile = await refusal(safeFetch(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, OPEN));
  assert.equal(toFile.code, 'url_not_allowed');

  const tooMany = await refusal(safeFetch(`${base}/loop`, { ...OPEN, maxRedirects: 3 }));
  assert.equal(tooMany.code, 'url_bad_status');
  assert.match(tooMany.message, /more than 3/);
  assert.ok(hits.includes('/loop') && hits.filter((h) => h === '/loop').length >= 4);

  const none = await refusal(safeFetch(`${base}/redirect?to=/image.png`, { ...OPEN, maxRedirects: 0 }));
  assert.equal(none.code, 'url_bad_status');
});

test('a redirect into a private address is refused when private addresses are not allowed', async () => {
  // Without outside network the first hop cannot be public; what matters is that a redirect's
  // target goes through the same check: a literal private target is refused on its own.
  const err = await refusal(safeFetch(`${base}/redirect?to=${encodeURIComponent('http://10.0.0.1/x')}`, { ...OPEN, allowPrivate: false }));
  assert.equal(err.code, 'url_not_allowed');
});

test('too large by Content-Length and by the streamed body', async () => {
  const declared = await refusal(safeFetch(`${base}/big-declared`, OPEN));
  assert.equal(declared.code, 'url_too_large');
  const streamed = await refusal(safeFetch(`${base}/big-streamed`, OPEN));
  assert.equal(streamed.code, 'url_too_large');
  const fits = await safeFetch(`${base}/big-streamed`, { ...OPEN, maxBytes: 10_000 });
  assert.equal(fits.data.length, 10_000);
});

test('bad status and bad content type', async () => {
  const missing = await refusal(safeFetch(`${base}/missing`, OPEN));
  assert.equal(missing.code, 'url_bad_status');
  assert.equal(missing.status, 404);
  const broken = await refusal(safeFetch(`${base}/broken`, OPEN));
  assert.equal(broken.code, 'url_bad_status');
  assert.equal(broken.status, 500);
  const html = await refusal(safeFetch(`${base}/text`, { ...OPEN, accept: (t) => t.startsWith('image/') }));
  assert.equal(html.code, 'url_bad_content_type');
  assert.match(html.message, /text\/html/);
});

test('times out on a server that never answers, and on a body that never ends', async () => {
  const hang = await refusal(safeFetch(`${base}/hang`, { ...OPEN, timeoutMs: 300 }));
  assert.equal(hang.code, 'url_timeout');
  const slow = await refusal(safeFetch(`${base}/slow-body`, { ...OPEN, timeoutMs: 300 }));
  assert.equal(slow.code, 'url_timeout');
});

test("the caller's abort is thrown as such, not as a refusal", async () => {
  const ctrl = new AbortController();
  const p = safeFetch(`${base}/hang`, { ...OPEN, signal: ctrl.signal });
  setTimeout(() => ctrl.abort(new Error('task canceled')), 50);
  await assert.rejects(p, (err: Error) => !(err instanceof FetchRefused) && err.message === 'task canceled');
});

test('unreachable: nothing listens on the port', async () => {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const err = await refusal(safeFetch(`http://127.0.0.1:${port}/x`, OPEN));
  assert.equal(err.code, 'url_unreachable');
});

test('asks for the body uncompressed', async () => {
  const res = await safeFetch(`${base}/echo-headers`, OPEN);
  const headers = JSON.parse(res.data.toString()) as Record<string, string>;
  assert.equal(headers['accept-encoding'], 'identity');
});

test('messages name the host and path, never credentials or the query', async () => {
  assert.equal(describeUrl('https://user:secret@example.com:8443/a/b.png?token=abc#frag'), 'https://example.com:8443/a/b.png');
  const err = await refusal(safeFetch(`http://user:pw@10.0.0.1/p.png?sig=topsecret`, { ...OPEN, allowPrivate: false }));
  assert.doesNotMatch(err.message, /pw|topsecret|user/);
  assert.equal(err.url, 'http://10.0.0.1/p.png');
});

test('address classifier', () => {
  const table: Array<[string, boolean]> = [
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['93.184.216.34', true],
    ['172.15.255.255', true],
    ['172.32.0.1', true],
    ['100.63.255.255', true],
    ['100.128.0.1', true],
    ['223.255.255.255', true],
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.0.0.1', false],
    ['10.255.255.255', false],
    ['100.64.0.1', false],
    ['100.127.255.254', false],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['192.0.2.5', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['239.255.255.250', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['2606:4700:4700::1111', true],
    ['2001:4860:4860::8888', true],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::808:808', true],
    ['2002:808:808::1', true],
    ['::', false],
    ['::1', false],
    ['0:0:0:0:0:0:0:1', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['febf:ffff::1', false],
    ['fc00::1', false],
    ['fd12:3456:789a::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:192.168.0.1', false],
    ['::127.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['2002:c0a8:101::1', false],
    ['2001:db8::1', false],
    ['2001:0:4136:e378::1', false],
    ['localhost', false],
    ['not-an-ip', false],
    ['', false],
  ];
  for (const [ip, expected] of table) assert.equal(isPublicAddress(ip), expected, ip);
});

test('connects to the address it checked, never resolving the name a second time', async (t) => {
  // A rebinding DNS answers the check with one address and the connection with another; here
  // any second resolution through dns.lookup would answer a documentation address nobody serves.
  const { default: dns } = await import('node:dns');
  const second = t.mock.method(dns, 'lookup', (_host: string, _opts: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, '192.0.2.1', 4));
  const port = (server.address() as AddressInfo).port;
  const ok = await safeFetch(`http://localhost:${port}/image.png`, { ...OPEN, timeoutMs: 3000 });
  assert.equal(ok.data.toString(), 'not really a png but bytes');
  assert.equal(second.mock.callCount(), 0);
});
