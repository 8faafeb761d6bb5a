// `npm run bench`: our gateway measured beside its references in one run, on loopback, with
// nothing installed or downloaded at run time. Each process runs on its own: the fake upstreams,
// a bare Fastify route, Portkey's gateway, and our server (`aio serve`) on SQLite and on a fresh
// PostgreSQL database; the load comes from this process. Prints one table of medians over the
// rounds, the ratios of the performance targets, and the memory check.
//
//   npm run bench [-- --rounds 3 --seconds 4 --connections 10 --only REGEX --no-postgres
//                     --no-memory --cpu-prof DIR --aio-root DIR --keep]
// --aio-root runs `aio serve` from another checkout (e.g. a copy of the code before a change).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/settings.js';
import { createPostgresDatabase, dbTargets, dropCreatedDatabases } from '../test/helpers/databases.js';
import { type AioTarget, prepareAccount, startAio } from './aio-server.js';
import { type Row, type RowResult, checkRow, loadRow, measureRound, summariseRow } from './measure.js';
import { type MemoryResult, memoryRun, memoryTable } from './memory.js';
import { type Child, freePort, startChild, stopAll } from './processes.js';
import { type RatioSpec, ratioTable, resultsTable } from './report.js';
import { bare, direct, ours, viaPortkey } from './requests.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-postgres': { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    'memory-requests': { type: 'string', default: '10000' },
    'cpu-prof': { type: 'string' },
    'aio-root': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const ROUNDS = Math.max(1, Number(args.rounds));
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const tsx = ['--import', 'tsx'];
const say = (text: string) => process.stderr.write(`${text}\n`);

const workDir = mkdtempSync(path.join(os.tmpdir(), 'aio-bench-'));
const logDir = path.join(workDir, 'logs');
mkdirSync(logDir);
const startedAt = Date.now();
const aioRoot = args['aio-root'] ? path.resolve(args['aio-root']) : undefined;

function nodeChild(name: string, script: string, extraArgs: string[] = [], readyText = '"port"') {
  return startChild({
    name,
    command: process.execPath,
    args: [...(script.endsWith('.ts') ? tsx : []), path.join(PROJECT_ROOT, 'bench', script), ...extraArgs],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    logFile: path.join(logDir, `${name}.log`),
    readyText,
  });
}

async function startPortkey(name: string, extra: string[] = []): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = await nodeChild(name, 'portkey.mjs', [`--port=${port}`, '--headless', ...extra], '"ready"');
  return Object.assign(child, { url: `http://127.0.0.1:${port}` });
}

interface Deployment {
  db: 'SQLite' | 'PostgreSQL';
  full: Child & { url: string };
  intake: Child & { url: string };
  key: string;
  intakeKey: string;
}

async function newTarget(db: Deployment['db'], name: string): Promise<AioTarget> {
  const dataDir = path.join(workDir, name);
  mkdirSync(dataDir);
  return { name, dataDir, databaseUrl: db === 'SQLite' ? path.join(dataDir, 'aio.sqlite') : await createPostgresDatabase() };
}

async function deploy(db: Deployment['db'], upstreamUrl: string): Promise<Deployment> {
  const tag = db === 'SQLite' ? 'sqlite' : 'pg';
  const fullTarget = await newTarget(db, `aio-${tag}`);
  const intakeTarget = await newTarget(db, `aio-${tag}-intake`);
  const [key, intakeKey] = [await prepareAccount(fullTarget, aioRoot), await prepareAccount(intakeTarget, aioRoot)];
  const common = { upstreamUrl, logDir, root: aioRoot, cpuProfDir: args['cpu-prof'] && path.resolve(args['cpu-prof']) };
  // The intake server's OpenAI upstream never answers (the fake's /hold/ path): the image tasks
  // it takes wait there, so the row measures the gateway alone.
  const [full, intake] = await Promise.all([
    startAio({ ...common, name: `aio-${tag}`, target: fullTarget }),
    startAio({ ...common, upstreamUrl: `${upstreamUrl}/hold`, name: `aio-${tag}-intake`, target: intakeTarget, env: { AIO_UPSTREAM_TIMEOUT_MS: '3600000' } }),
  ]);
  return { db, full, intake, key, intakeKey };
}

function rowsFor(d: Deployment): Row[] {
  const group = `ours, aio serve, ${d.db}`;
  const tag = d.db === 'SQLite' ? 'sqlite' : 'pg';
  // Reads one finished image task (made on first use), output and all.
  let taskId: string | undefined;
  const readTarget = async () => {
    if (!taskId) {
      const made = ours.imageWait(d.full.url, d.key);
      const res = await fetch(made.url, { method: made.method, headers: made.headers, body: made.body });
      taskId = ((await res.json()) as { id?: string }).id ?? 'task_missing';
    }
    return ours.read(d.full.url, d.key, taskId);
  };
  return [
    { id: `${tag}.image-wait`, group, label: 'POST /api/v1/images/generations, Prefer: wait (gpt-image-1, live key)', kind: 'http', pid: d.full.pid, target: async () => ours.imageWait(d.full.url, d.key) },
    { id: `${tag}.openai-image`, group, label: 'POST /v1/images/generations (OpenAI shape, b64_json)', kind: 'http', pid: d.full.pid, target: async () => ours.openAiImage(d.full.url, d.key) },
    { id: `${tag}.chat`, group, label: 'POST /v1/chat/completions', kind: 'http', pid: d.full.pid, target: async () => ours.chat(d.full.url, d.key, false) },
    { id: `${tag}.chat-stream`, group, label: 'POST /v1/chat/completions, stream', kind: 'stream', pid: d.full.pid, target: async () => ours.chat(d.full.url, d.key, true) },
    { id: `${tag}.intake`, group, label: 'task intake: POST /api/v1/images/generations → 202 (gateway alone)', kind: 'http', pid: d.intake.pid, target: async () => ours.intake(d.intake.url, d.intakeKey) },
    { id: `${tag}.read`, group, label: 'task read: GET /api/v1/tasks/{id}', kind: 'http', pid: d.full.pid, target: readTarget },
  ];
}

async function main(): Promise<void> {
  if (aioRoot) say(`bench: aio serve from ${aioRoot}`);
  say(`bench: ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; logs in ${logDir}`);
  const [upstream, bareRoute, portkey, portkeyStreaming] = await Promise.all([
    nodeChild('upstream', 'upstream.ts'),
    nodeChild('bare-route', 'bare-route.ts'),
    startPortkey('portkey'),
    startPortkey('portkey-streaming', ['--standard-response']),
  ]);
  const upstreamUrl = `http://127.0.0.1:${upstream.info.port}`;
  const bareUrl = `http://127.0.0.1:${bareRoute.info.port}`;

  const pg = (await dbTargets()).find((t) => t.name === 'postgres')!;
  const pgSkip = args['no-postgres'] ? 'n/a: --no-postgres' : pg.skip ? 'n/a: PostgreSQL not reachable' : undefined;
  const deployments = [await deploy('SQLite', upstreamUrl)];
  if (!pgSkip) deployments.push(await deploy('PostgreSQL', upstreamUrl));

  const limit = 'the limit: fake OpenAI upstream called directly';
  const viaPk = "Portkey's gateway 1.15.2 proxying to it";
  const rows: Row[] = [
    { id: 'direct.image', group: limit, label: 'POST /v1/images/generations (gpt-image-1, b64_json)', kind: 'http', pid: upstream.pid, target: async () => direct(upstreamUrl, 'image') },
    { id: 'direct.chat', group: limit, label: 'POST /v1/chat/completions', kind: 'http', pid: upstream.pid, target: async () => direct(upstreamUrl, 'chat') },
    { id: 'direct.chat-stream', group: limit, label: 'POST /v1/chat/completions, stream', kind: 'stream', pid: upstream.pid, target: async () => direct(upstreamUrl, 'chat-stream') },
    { id: 'portkey.image', group: viaPk, label: 'POST /v1/images/generations', kind: 'http', pid: portkey.pid, target: async () => viaPortkey(portkey.url, upstreamUrl, 'image') },
    { id: 'portkey.chat', group: viaPk, label: 'POST /v1/chat/completions', kind: 'http', pid: portkey.pid, target: async () => viaPortkey(portkey.url, upstreamUrl, 'chat') },
    { id: 'portkey.chat-stream', group: viaPk, label: 'POST /v1/chat/completions, stream (standard Response, see bench/portkey.mjs)', kind: 'stream', pid: portkeyStreaming.pid, target: async () => viaPortkey(portkeyStreaming.url, upstreamUrl, 'chat-stream') },
    { id: 'bare.post', group: 'a bare Fastify route (no logger, no database)', label: 'POST /tasks → 202', kind: 'http', pid: bareRoute.pid, target: async () => bare.post(bareUrl) },
    { id: 'bare.get', group: 'a bare Fastify route (no logger, no database)', label: 'GET /tasks/{id}', kind: 'http', pid: bareRoute.pid, target: async () => bare.get(bareUrl) },
    ...deployments.flatMap(rowsFor),
  ];
  if (pgSkip)
    for (const r of rowsFor({ db: 'PostgreSQL', full: { pid: 0 }, intake: { pid: 0 } } as Deployment)) rows.push({ ...r, skip: pgSkip });
  const only = args.only ? new RegExp(args.only) : undefined;
  const chosen = rows.filter((r) => !only || only.test(r.id));
  for (const row of chosen) await checkRow(row);
  const live = chosen.filter((r) => !r.skip);

  const opts = { connections: CONNECTIONS, seconds: SECONDS };
  const rounds = new Map<Row, Awaited<ReturnType<typeof measureRound>>[]>(live.map((r) => [r, []]));
  // Rounds go over every row in turn, so that a change in the machine's load hits all rows alike.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const row of live) {
      if (round === 1 && WARMUP > 0) await loadRow(row, { connections: CONNECTIONS, seconds: WARMUP });
      const result = await measureRound(row, opts);
      rounds.get(row)!.push(result);
      say(`round ${round}/${ROUNDS} ${row.id.padEnd(20)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms${result.ttft50 !== undefined ? `  ttft ${result.ttft50.toFixed(2)} ms` : ''}`);
    }
  }
  const results = live.map((r) => summariseRow(r, rounds.get(r)!));
  const byId = (id: string): RowResult | undefined => results.find((r) => r.row.id === id);

  const specs: RatioSpec[] = [];
  for (const [tag, db, intakeTarget, readTarget] of [
    ['sqlite', 'SQLite', 30, 60],
    ['pg', 'PostgreSQL', 15, 30],
  ] as const) {
    specs.push(
      { label: `${db}: waited image path vs Portkey, throughput`, ours: byId(`${tag}.image-wait`), reference: byId('portkey.image'), kind: 'ratio', metric: 'rps', target: 1.5 },
      { label: `${db}: OpenAI image path vs Portkey, throughput`, ours: byId(`${tag}.openai-image`), reference: byId('portkey.image'), kind: 'ratio', metric: 'rps', target: 1.5 },
      { label: `${db}: chat vs Portkey, throughput`, ours: byId(`${tag}.chat`), reference: byId('portkey.chat'), kind: 'ratio', metric: 'rps', target: 1.5 },
      { label: `${db}: chat stream vs Portkey, throughput`, ours: byId(`${tag}.chat-stream`), reference: byId('portkey.chat-stream'), kind: 'ratio', metric: 'rps', target: 1.5 },
      { label: `${db}: waited image path, added p50 over the direct call`, ours: byId(`${tag}.image-wait`), reference: byId('direct.image'), kind: 'added', metric: 'p50', target: 5 },
      { label: `${db}: OpenAI image path, added p50 over the direct call`, ours: byId(`${tag}.openai-image`), reference: byId('direct.image'), kind: 'added', metric: 'p50', target: 5 },
      { label: `${db}: chat, added p50 over the direct call`, ours: byId(`${tag}.chat`), reference: byId('direct.chat'), kind: 'added', metric: 'p50', target: 2 },
      { label: `${db}: chat stream, added time to first token`, ours: byId(`${tag}.chat-stream`), reference: byId('direct.chat-stream'), kind: 'added', metric: 'ttft50', target: 2 },
      { label: `${db}: task intake, % of the bare route`, ours: byId(`${tag}.intake`), reference: byId('bare.post'), kind: 'percent', metric: 'rps', target: intakeTarget },
      { label: `${db}: task reads, % of the bare route`, ours: byId(`${tag}.read`), reference: byId('bare.get'), kind: 'percent', metric: 'rps', target: readTarget },
    );
  }
  const portkeyAdded: RatioSpec[] = [
    { label: 'Portkey: image, added p50 over the direct call (for comparison)', ours: byId('portkey.image'), reference: byId('direct.image'), kind: 'added', metric: 'p50', target: 5 },
    { label: 'Portkey: chat, added p50 over the direct call (for comparison)', ours: byId('portkey.chat'), reference: byId('direct.chat'), kind: 'added', metric: 'p50', target: 2 },
    { label: 'Portkey: chat stream, added time to first token (for comparison)', ours: byId('portkey.chat-stream'), reference: byId('direct.chat-stream'), kind: 'added', metric: 'ttft50', target: 2 },
  ];
  const ratios = ratioTable(specs.filter((s) => s.ours || s.reference));
  const out: string[] = [
    `## Bench run ${new Date().toISOString()}`,
    '',
    `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ${os.platform()} ${os.release()}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    ...(aioRoot ? [`aio serve from ${aioRoot}.`] : []),
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per path (interleaved, after a ${WARMUP} s warm-up); medians of the rounds, peak RSS the highest; ` +
      `CPU and RSS are the serving process's (PostgreSQL's own CPU is not counted). ` +
      `Upstream image: a ${upstream.info.pngBytes} byte 1024x1024 PNG (${upstream.info.b64Bytes} byte JSON); streamed chat: ${upstream.info.chunks} content chunks.`,
    '',
    resultsTable(results, chosen.filter((r) => r.skip).map((r) => ({ group: r.group, label: r.label, why: r.skip! }))),
    '',
    ratios.text,
    '',
    ratioTable(portkeyAdded.filter((s) => s.ours)).text.replace(/\| (yes|no) \|$/gm, '| |'),
  ];
  const missed = [...ratios.missed];

  if (!args['no-memory'] && !only) {
    say('memory: fresh processes, mixed requests');
    const total = Number(args['memory-requests']);
    const first = Math.round(total / 10);
    const memTarget = await newTarget('SQLite', 'aio-memory');
    const memKey = await prepareAccount(memTarget, aioRoot);
    const mem = await startAio({ name: 'aio-memory', target: memTarget, upstreamUrl, logDir, root: aioRoot });
    const oursMix = [ours.imageWait(mem.url, memKey), ours.chat(mem.url, memKey, false), ours.openAiImage(mem.url, memKey), ours.chat(mem.url, memKey, true)];
    const oursMem: MemoryResult = await memoryRun('ours (aio serve, SQLite)', mem.pid, oursMix, { connections: CONNECTIONS, first, total });
    await mem.stop();
    const pk = await startPortkey('portkey-memory', ['--standard-response']);
    const pkMix = [viaPortkey(pk.url, upstreamUrl, 'image'), viaPortkey(pk.url, upstreamUrl, 'chat'), viaPortkey(pk.url, upstreamUrl, 'image'), viaPortkey(pk.url, upstreamUrl, 'chat-stream')];
    const pkMem = await memoryRun("Portkey's gateway", pk.pid, pkMix, { connections: CONNECTIONS, first, total });
    await pk.stop();
    const memory = memoryTable(oursMem, pkMem);
    missed.push(...memory.missed);
    out.push('', `Memory (mix: waited image, chat, OpenAI image, streamed chat; Portkey: image, chat, image, streamed chat):`, '', memory.text);
  }
  out.push('', `Targets met: ${ratios.met.length ? ratios.met.join('; ') : 'none'}.`, `Targets missed: ${missed.length ? missed.join('; ') : 'none'}.`, `Bench took ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  await main();
} finally {
  await stopAll();
  await dropCreatedDatabases().catch((err) => say(`dropping the bench databases failed: ${(err as Error).message}`));
  if (!args.keep) rmSync(workDir, { recursive: true, force: true });
  else say(`kept ${workDir}`);
}
process.exit(0);
