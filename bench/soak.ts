// `npm run soak [-- --minutes N --clients C --think-ms MS --json]`: minutes of mixed traffic on the distributed setup, for real:
// PostgreSQL and Redis of this machine, one `aio serve` gateway and one `aio worker` process on
// loopback, a fake Ideogram that fails in every way a real one does. Clients create (live and
// test), poll, follow events, list, cancel and send bad requests; the worker is killed and
// started again half-way. At the end every task must have ended: it prints requests served,
// answers by class, tasks lost, credits drift, the audit and the memory of both processes.
// Exits 1 when a task is lost or stuck, credits drifted, the audit failed or a 5xx was answered.
import { parseArgs } from 'node:util';
import { MICRO } from '../src/lib/credits.js';
import { REDIS_TEST_URL, createPostgresDatabase, dbTargets, dropCreatedDatabases } from '../test/helpers/databases.js';
import { openSse } from '../test/events/sse-client.js';
import { audit, startFaultRig, taskCounts, waitAllEnded, type FaultRig } from '../test/faults/cluster.js';
import { FAULT_MODES, faultPrompt } from '../test/faults/fault-upstream.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' }, clients: { type: 'string', default: '8' }, 'think-ms': { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const clients = Number(values.clients);
/** Pause of each client between two requests. */
const thinkMs = Number(values['think-ms']);
if (!(minutes > 0) || !(clients > 0)) throw new Error('--minutes and --clients must be positive numbers');

const pgSkip = (await dbTargets()).find((t) => t.name === 'postgres')!.skip;
if (pgSkip) throw new Error(`the soak needs PostgreSQL: ${pgSkip}`);

const GRANT = 1_000_000 * MICRO;

interface Tally {
  requests: number;
  byClass: Record<string, number>;
  byCode: Record<string, number>;
  accepted: Map<string, string>;
  latencies: number[];
}
const tally: Tally = { requests: 0, byClass: {}, byCode: {}, accepted: new Map(), latencies: [] };

function count(status: number, code?: string): void {
  tally.requests++;
  const cls = status === 0 ? 'connection errors' : `${Math.floor(status / 100)}xx`;
  tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
  if (status >= 400 || status === 0) tally.byCode[`${status} ${code ?? '-'}`] = (tally.byCode[`${status} ${code ?? '-'}`] ?? 0) + 1;
}

async function call(base: string, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const parsed = (await res.json().catch(() => ({}))) as any;
    tally.latencies.push(performance.now() - started);
    count(res.status, parsed?.error?.code);
    return { status: res.status, body: parsed };
  } catch (err) {
    count(0, (err as Error).name);
    return { status: 0, body: {} };
  }
}

function pick<T>(items: Array<[number, T]>): T {
  const total = items.reduce((s, [w]) => s + w, 0);
  let r = Math.random() * total;
  for (const [w, item] of items) if ((r -= w) < 0) return item;
  return items.at(-1)![1];
}

const mb = (n: number | undefined) => (n === undefined ? '-' : `${n} MB`);

async function main(): Promise<void> {
  const rig: FaultRig = await startFaultRig({
    databaseUrl: await createPostgresDatabase(),
    redisUrl: REDIS_TEST_URL,
    tasks: 0,
    slowMs: 100,
    env: { AIO_UPSTREAM_TIMEOUT_MS: '2000', AIO_LEASE_MS: '5000', AIO_SWEEP_MS: '2000', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' },
  });
  let failed = false;
  try {
    failed = await soak(rig);
  } finally {
    await rig.close();
    await dropCreatedDatabases();
  }
  process.exit(failed ? 1 : 0);
}

async function soak(rig: FaultRig): Promise<boolean> {
  const { operator } = rig;
  // Accounts: live ones with plenty of credits (the rig's own key has none), and a test key.
  const live: Array<{ userId: string; key: string }> = [];
  for (let i = 0; i < 3; i++) {
    const user = await operator.users.create({ email: `soak${i}@example.com` });
    await operator.ledger.credit(user.id, GRANT, 'grant', 'soak');
    live.push({ userId: user.id, key: (await operator.keys.create(user.id, {})).key });
  }
  const testKey = (await operator.keys.create(live[0]!.userId, { test: true })).key;

  const [gateway, worker] = await Promise.all([rig.spawn('serve'), rig.spawn('worker')]);
  const memory = { gatewayStart: await gateway!.rssMb(), workerStart: await worker!.rssMb(), workerBeforeRestart: undefined as number | undefined };
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const recent: Array<{ id: string; key: string }> = [];
  let restarted = false;

  const create = async (key: string, body: object) => {
    const res = await call(gateway!.url, 'POST', '/api/v1/images/generations', key, body);
    if (res.status === 202) {
      tally.accepted.set(res.body.id, key);
      recent.push({ id: res.body.id, key });
      if (recent.length > 200) recent.shift();
    }
  };
  const someTask = () => recent[Math.floor(Math.random() * recent.length)];

  const actions: Array<[number, () => Promise<unknown>]> = [
    [30, () => create(live[Math.floor(Math.random() * live.length)]!.key, { model: 'ideogram-v4', prompt: `A poster reading "SOAK ${Math.random()}"`, size: '1:1' })],
    [8, () => {
      const mode = FAULT_MODES[Math.floor(Math.random() * FAULT_MODES.length)]!;
      return create(live[0]!.key, { model: 'ideogram-v4', prompt: faultPrompt(mode, Math.random() < 0.5 ? 1 : 3, String(Math.random())), size: '1:1' });
    }],
    [1, () => create(live[1]!.key, { model: 'aio-poster', prompt: `A poster reading "LOCAL ${Math.random()}"`, size: '1:1' })],
    [2, () => create(testKey, { model: 'aio-poster', prompt: `A poster reading "TEST ${Math.random()}"` })],
    [25, async () => {
      const t = someTask();
      if (t) await call(gateway!.url, 'GET', `/api/v1/tasks/${t.id}`, t.key);
    }],
    [10, () => call(gateway!.url, 'GET', '/api/v1/tasks?limit=20', live[Math.floor(Math.random() * live.length)]!.key)],
    [4, async () => {
      const t = someTask();
      if (!t) return;
      try {
        const stream = await openSse(`${gateway!.url}/api/v1/tasks/${t.id}/events`, { authorization: `Bearer ${t.key}` });
        count(stream.status);
        await Promise.race([stream.ended, new Promise((r) => setTimeout(r, 5000))]);
        stream.close();
      } catch (err) {
        count(0, (err as Error).name);
      }
    }],
    [3, async () => {
      const t = someTask();
      if (t) await call(gateway!.url, 'POST', `/api/v1/tasks/${t.id}/cancel`, t.key);
    }],
    [4, () => call(gateway!.url, 'GET', '/api/v1/models', live[0]!.key)],
    [4, () => call(gateway!.url, 'POST', '/api/v1/images/generations', live[2]!.key, pick<unknown>([[1, '{"model":'], [1, { model: 'nope', prompt: 'x' }], [1, { model: 'ideogram-v4', prompt: '', size: '7:7' }]]))],
  ];

  const progress = setInterval(async () => {
    const counts = await taskCounts(operator).catch(() => ({}));
    const line = `[soak ${Math.round((Date.now() - started) / 1000)}s] ${tally.requests} requests; tasks ${JSON.stringify(counts)}; gateway ${mb(await gateway!.rssMb())}, worker ${mb(await worker!.rssMb())}`;
    if (!values.json) console.log(line);
  }, 15_000);

  const restart = (async () => {
    await new Promise((r) => setTimeout(r, (deadline - Date.now()) / 2));
    memory.workerBeforeRestart = await worker!.rssMb();
    await worker!.restart();
    restarted = true;
  })();

  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        await pick(actions)();
        await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
      }
    }),
  );
  await restart;
  clearInterval(progress);

  // Traffic over: everything accepted must end, settled once.
  const stillOpen = await waitAllEnded(operator, 180_000);
  const ids = [...tally.accepted.keys()];
  const rows = await operator.db.selectFrom('tasks').select(['id', 'status', 'user_id', 'charged_micro', 'livemode']).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id)).length;
  const lost = missing + stillOpen;
  let drift = 0;
  for (const account of live) {
    const charged = rows.filter((r) => r.user_id === account.userId && r.status === 'succeeded').reduce((s, r) => s + Number(r.charged_micro), 0);
    const { balance, reserved } = await operator.ledger.balances(account.userId);
    drift += Math.abs(GRANT - charged - balance) + reserved;
  }
  const report = await audit(operator);
  const statuses = rows.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
  const memoryEnd = { gateway: await gateway!.rssMb(), worker: await worker!.rssMb() };
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  const fivexx = Object.entries(tally.byClass).filter(([c]) => c === '5xx').reduce((s, [, n]) => s + n, 0);

  const summary = {
    minutes,
    clients,
    requests_served: tally.requests,
    answers_by_class: tally.byClass,
    errors_by_code: tally.byCode,
    latency_ms: { p50: q(0.5), p99: q(0.99) },
    tasks: { accepted: ids.length, by_status: statuses },
    tasks_lost: lost,
    credits_drift_micro: drift,
    worker_restarted: restarted,
    audit: { ok: report.ok, violations: report.checks.filter((c) => c.violations > 0), ledger_rows: report.counts.ledgerRows },
    memory_rss: {
      gateway: { start: memory.gatewayStart, end: memoryEnd.gateway },
      worker: { start: memory.workerStart, before_restart: memory.workerBeforeRestart, end_after_restart: memoryEnd.worker },
    },
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(`\nsoak: ${minutes} min, ${clients} clients, distributed (PostgreSQL + Redis, 1 gateway + 1 worker process), worker killed and restarted half-way`);
    console.log(`  requests served     ${tally.requests} (p50 ${q(0.5)} ms, p99 ${q(0.99)} ms)`);
    console.log(`  answers by class    ${Object.entries(tally.byClass).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    console.log(`  errors by code      ${Object.entries(tally.byCode).sort(([, a], [, b]) => b - a).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none'}`);
    console.log(`  tasks               ${ids.length} accepted; ${Object.entries(statuses).map(([s, n]) => `${s} ${n}`).join(', ')}`);
    console.log(`  tasks lost          ${lost}${missing ? ` (${missing} accepted but not saved)` : ''}${stillOpen ? ` (${stillOpen} still open)` : ''}`);
    console.log(`  credits drift       ${drift} micro-credits`);
    console.log(`  audit               ${report.ok ? 'clean' : `FAILED: ${report.checks.filter((c) => c.violations).map((c) => `${c.check} ${c.violations}`).join(', ')}`} (${report.counts.ledgerRows} ledger rows)`);
    console.log(`  gateway RSS         ${mb(memory.gatewayStart)} -> ${mb(memoryEnd.gateway)}`);
    console.log(`  worker RSS          ${mb(memory.workerStart)} -> ${mb(memory.workerBeforeRestart)} (restarted) -> ${mb(memoryEnd.worker)}`);
  }
  if (stillOpen) {
    const open = await operator.db.selectFrom('tasks').select(['id', 'status', 'model', 'node', 'attempts', 'livemode', 'created_at', 'started_at', 'lease_until', 'cancel_requested_at', 'input']).where('status', 'in', ['queued', 'running']).execute();
    console.log('  still open:');
    for (const t of open) console.log(`    ${JSON.stringify({ ...t, input: JSON.parse(t.input).prompt })}`);
  }
  const bad = lost > 0 || drift !== 0 || !report.ok || fivexx > 0;
  if (bad) console.error(`soak FAILED: lost ${lost}, drift ${drift}, audit ${report.ok ? 'clean' : 'failed'}, 5xx ${fivexx}`);
  return bad;
}

await main();
