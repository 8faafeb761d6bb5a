// Deadlines of outgoing calls under garbage collection: an upstream that never answers must be
// given up at the deadline even when the collector runs while the call waits (Node holds
// AbortSignal.any()/AbortSignal.timeout() signals weakly; one collected before it fires never
// aborts the call). The collector is run every few milliseconds while the calls wait.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CallSignal } from '../../src/lib/call-signal.js';
import { openEventSource } from '../../src/providers/chat-http.js';
import { upstreamFetch } from '../../src/providers/http.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { postWebhook } from '../../src/services/webhooks/send.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs `work` with the collector running every 5 ms; fails if it has not settled in 10 s. */
async function underGc<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(gc, 5);
  let guard: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('still waiting after 10 s: the deadline was lost')), 10_000)))]);
  } finally {
    clearInterval(timer);
    clearTimeout(guard);
  }
}

describe('call deadlines survive garbage collection', () => {
  let server: http.Server;
  let url: string;
  const waiting = new Set<http.ServerResponse>();
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      waiting.add(res); // never answers
      res.on('close', () => waiting.delete(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    for (const res of waiting) res.destroy();
    await new Promise((r) => server.close(r));
  });

  const ctx = (signal = new AbortController().signal): ProviderContext => ({
    signal,
    credentials: { apiKey: 'k' },
    timeoutMs: 300,
    log: { info: () => undefined, warn: () => undefined },
  });

  test('an upstream call that gets no answer fails as upstream_timeout, and its connection is closed', async () => {
    const results = await underGc(Promise.allSettled(Array.from({ length: 5 }, () => upstreamFetch('fake', url, { method: 'POST', body: '{}' }, ctx()))));
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal((r as PromiseRejectedResult).reason.code, 'upstream_timeout');
    }
    await underGc(new Promise<void>((r) => (function check() { if (waiting.size === 0) r(); else setTimeout(check, 20); })()));
  });

  test('a chat stream that gets no answer fails as upstream_timeout', async () => {
    const results = await underGc(Promise.allSettled(Array.from({ length: 5 }, () => openEventSource('fake', url, { method: 'POST', body: '{}' }, ctx()))));
    for (const r of results) assert.equal((r as PromiseRejectedResult).reason?.code, 'upstream_timeout');
  });

  test('the caller’s abort still reaches a waiting call (a shutdown), not as a timeout', async () => {
    const stop = new AbortController();
    const pending = Promise.allSettled(Array.from({ length: 5 }, () => upstreamFetch('fake', url, { method: 'POST', body: '{}' }, { ...ctx(stop.signal), timeoutMs: 60_000 })));
    setTimeout(() => stop.abort(), 200);
    for (const r of await underGc(pending)) assert.equal((r as PromiseRejectedResult).reason?.code, 'upstream_failed');
  });

  test('a webhook receiver that never answers is given up at the deadline', async () => {
    const results = await underGc(
      Promise.all(Array.from({ length: 3 }, () => postWebhook(url, '{}', {}, { allowPrivate: true, timeoutMs: 300, signal: new AbortController().signal }))),
    );
    for (const r of results) assert.deepEqual(r, { ok: false, error: 'No answer within 300 ms.' });
  });

  test('CallSignal: the deadline can be restarted and stopped; timedOut tells a deadline from an abort', async () => {
    const quiet = new CallSignal(undefined, 50);
    quiet.done();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(quiet.signal.aborted, false, 'a stopped deadline does not fire');
    const late = new CallSignal(undefined, 50);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(late.signal.aborted, true);
    assert.equal(late.timedOut, true);
    assert.equal((late.signal.reason as Error).name, 'TimeoutError');
    const parent = new AbortController();
    const child = new CallSignal(parent.signal, 10_000);
    parent.abort();
    assert.equal(child.signal.aborted, true);
    assert.equal(child.timedOut, false);
    child.done();
  });
});
