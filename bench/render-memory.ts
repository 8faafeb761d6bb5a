// Memory of the embedded server over many aio-poster renders, in one process: a platform with
// in-process workers on SQLite, aio-poster tasks submitted over HTTP with a test key (4 at a
// time, sizes and formats varied), RSS / V8 heap / external / sharp's cache printed every
// `--every` renders. Run with --expose-gc to also see what the heap keeps after a full GC.
//
//   node --expose-gc --import tsx bench/render-memory.ts [--renders 1000] [--every 100] [--sharp-cache off]
//
// A leak keeps growing with the count; allocator and cache growth levels off.
import { parseArgs } from 'node:util';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { loadSettings } from '../src/config/settings.js';
import { buildServer } from '../src/http/server.js';
import { createPlatform } from '../src/platform.js';
import { tempDir } from '../test/helpers/databases.js';

const { values } = parseArgs({
  options: { renders: { type: 'string', default: '1000' }, every: { type: 'string', default: '100' }, 'sharp-cache': { type: 'string', default: 'on' }, parallel: { type: 'string', default: '4' } },
});
const renders = Number(values.renders);
const every = Number(values.every);
if (values['sharp-cache'] === 'off') sharp.cache(false);

const mb = (n: number) => `${Math.round(n / 1024 / 1024)}`.padStart(5);
function sample(label: string): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  const cache = sharp.cache().memory;
  console.log(`${label.padStart(6)}  rss ${mb(m.rss)} MB  heap ${mb(m.heapUsed)} MB  external ${mb(m.external)} MB  arrayBuffers ${mb(m.arrayBuffers)} MB  sharp cache ${cache.current} MB`);
  return m.rss;
}

const dir = tempDir('aio-memory-');
const settings = loadSettings({ AIO_DATA_DIR: dir, DATABASE_URL: path.join(dir, 'aio.sqlite'), AIO_RATE_LIMIT_PER_MINUTE: '0', AIO_TEST_MODE_MAX_ACTIVE: '0' });
const platform = await createPlatform(settings, { workers: true, logger: pino({ level: 'silent' }) });
const app = await buildServer(platform);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const user = await platform.users.create({ email: 'memory@example.com' });
const { key } = await platform.keys.create(user.id, { test: true });

const sizes = ['1:1', '16:9', '9:16', '3:4', '4:3'];
const formats = ['png', 'jpeg', 'webp'];
async function renderOne(i: number): Promise<void> {
  const body = { model: 'aio-poster', prompt: `A poster reading "RENDER ${i}", bold type, warm colours`, size: sizes[i % sizes.length], output_format: formats[i % formats.length], seed: i };
  const res = await fetch(`${base}/api/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', prefer: 'wait=60' }, body: JSON.stringify(body) });
  const task = (await res.json()) as { status: string; id: string; error?: unknown };
  if (task.status !== 'succeeded') throw new Error(`render ${i} ended ${task.status}: ${JSON.stringify(task.error)}`);
}

console.log(`${renders} aio-poster renders through the embedded server, ${values.parallel} at a time; sharp cache ${values['sharp-cache']}, concurrency ${sharp.concurrency()}, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '-'}`);
const first = sample('start');
let done = 0;
let next = 0;
const rss: number[] = [];
await Promise.all(
  Array.from({ length: Number(values.parallel) }, async () => {
    while (next < renders) {
      await renderOne(next++);
      if (++done % every === 0) rss.push(sample(String(done)));
    }
  }),
);
const half = rss.slice(Math.floor(rss.length / 2));
const tail = half.length > 1 ? half[half.length - 1]! - half[0]! : 0;
console.log(`RSS ${mb(first)} -> ${mb(rss.at(-1) ?? first)} MB; over the second half of the run it moved ${Math.round(tail / 1024 / 1024)} MB`);
await app.close();
await platform.close();
process.exit(0);
