// Load from the bench process: autocannon for request/response paths, and a small streaming
// client for server-sent chat, which also times the first token. Latencies are kept per request
// (sub-millisecond), not from autocannon's whole-millisecond histogram.
import http from 'node:http';
import autocannon from 'autocannon';

export interface Target {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** 2xx answers completed in the window. */
  ok: number;
  /** Other answers and errors, by status (0 = connection error or timeout). */
  failed: Record<number, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Streams: time to the first content token. */
  ttft50?: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarise(latencies: number[], failed: Record<number, number>, seconds: number, ttfts?: number[]): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const ttftSorted = ttfts && Float64Array.from(ttfts).sort();
  return {
    ok: latencies.length,
    failed,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ...(ttftSorted ? { ttft50: percentile(ttftSorted, 50) } : {}),
  };
}

/** `connections` keep-alive connections sending `target` back to back for `seconds` (or `amount` requests in all). */
export function autocannonLoad(target: Target | Target[], opts: { connections: number; seconds?: number; amount?: number }): Promise<LoadResult> {
  const targets = Array.isArray(target) ? target : [target];
  const first = targets[0]!;
  const latencies: number[] = [];
  const failed: Record<number, number> = {};
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: first.url,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
        timeout: 60,
        requests: targets.map((t) => ({ method: t.method, path: new URL(t.url).pathname + new URL(t.url).search, headers: t.headers, ...(t.body ? { body: t.body } : {}) })),
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (result.errors || result.timeouts) failed[0] = (failed[0] ?? 0) + result.errors + result.timeouts;
        resolve(summarise(latencies, failed, seconds));
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else failed[status] = (failed[status] ?? 0) + 1;
    });
  });
}

const FIRST_TOKEN = /"content":"[^"]/;

/** Streamed chat: `connections` clients each sending `target` back to back, timing the first token and the whole answer. */
export async function streamLoad(target: Target, opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  const ttfts: number[] = [];
  const failed: Record<number, number> = {};
  const url = new URL(target.url);
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      let firstAt: number | undefined;
      let seen = '';
      const req = http.request(url, { method: target.method, headers: target.headers, agent }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          if (firstAt !== undefined) return;
          seen += text;
          if (FIRST_TOKEN.test(seen)) firstAt = performance.now();
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status === 200 && firstAt !== undefined) {
            latencies.push(performance.now() - t0);
            ttfts.push(firstAt - t0);
          } else failed[status] = (failed[status] ?? 0) + 1;
          resolve();
        });
        res.on('error', () => resolve());
      });
      req.on('error', () => {
        failed[0] = (failed[0] ?? 0) + 1;
        resolve();
      });
      req.end(target.body);
    });

  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  agent.destroy();
  return summarise(latencies, failed, (performance.now() - started) / 1000, ttfts);
}

/** One request, to see whether a route exists and answers as expected. */
export async function probe(target: Target): Promise<{ status: number; body: string }> {
  const res = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body });
  return { status: res.status, body: await res.text() };
}
