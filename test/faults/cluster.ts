// Real processes on loopback for the fault tests and the soak: `aio serve` gateways and `aio
// worker`s (bin/aio.js, as an operator runs them), each restartable and killable, plus an
// operator's view of the same database (a platform without workers) to check and audit it.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadSettings } from '../../src/config/settings.js';
import { MICRO } from '../../src/lib/credits.js';
import { randomToken } from '../../src/lib/ids.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { auditDatabase, type AuditReport } from '../../src/services/audit.js';
import { tempDir } from '../helpers/databases.js';
import { startFaultUpstream, type FaultUpstream } from './fault-upstream.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Waits until `url/readyz` answers 200. */
export async function waitReady(url: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready in ${ms} ms`);
}

/** One `aio serve` or `aio worker` process; `url` is its HTTP (a worker's: its probe server). */
export class AioProcess {
  child?: ChildProcess;
  readonly url: string;
  private exits = 0;

  constructor(
    readonly role: 'serve' | 'worker',
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async create(role: 'serve' | 'worker', env: Record<string, string>): Promise<AioProcess> {
    return new AioProcess(role, await freePort(), env);
  }

  /** Starts the process and waits until it answers /readyz. */
  async start(): Promise<void> {
    const portEnv = this.role === 'serve' ? { PORT: String(this.port) } : { AIO_METRICS_PORT: String(this.port) };
    const child = spawn(process.execPath, [BIN, this.role], { env: { ...process.env, ...this.env, ...portEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Logs (stdout) and crashes (stderr) show with TEST_LOG_LEVEL set.
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (d) => process.env.TEST_LOG_LEVEL && process.stderr.write(`[${this.role}:${this.port}] ${d}`));
    child.on('exit', () => this.exits++);
    this.child = child;
    await waitReady(this.url);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the process at once (no shutdown: as a crash or an OOM kill would) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Resident memory of the process now, in MB (Linux /proc). */
  async rssMb(): Promise<number | undefined> {
    const pid = this.child?.pid;
    if (!pid || !this.running) return undefined;
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  }

  /** Times the process ended, by itself or killed. */
  get exitCount(): number {
    return this.exits;
  }
}

/** The operator's view of the database the processes use: no workers, no Redis. */
export function operatorPlatform(env: Record<string, string>): Promise<Platform> {
  return createPlatform(loadSettings({ ...env, REDIS_URL: '' }), { workers: false, logger: pino({ level: 'silent' }) });
}

/** Task counts by status. */
export async function taskCounts(platform: Platform): Promise<Record<string, number>> {
  const rows = await platform.db.selectFrom('tasks').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Waits until no task is queued or running; returns how many still are when `ms` ran out (0 = all ended). */
export async function waitAllEnded(platform: Platform, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const counts = await taskCounts(platform);
    const open = (counts.queued ?? 0) + (counts.running ?? 0);
    if (open === 0 || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function audit(platform: Platform, taskTimeoutMs = 600_000): Promise<AuditReport> {
  return auditDatabase(platform.db, { kind: platform.dbKind, taskTimeoutMs });
}

/** POSTs a generation; a connection that dies (a killed gateway) is `status: 0`, not a throw. */
export async function postGeneration(url: string, key: string, body: object, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`${url}/api/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    return { status: 0, body: { error: { code: 'connection_failed', message: (err as Error).message } } };
  }
}

/** ideogram-v4's price, micro-credits: what the fault rigs' tasks cost. */
export const PRICE = 12 * MICRO;

/** A database, a slow fault upstream, an account that can pay for `tasks` tasks, and the processes started on them. */
export interface FaultRig {
  env: Record<string, string>;
  upstream: FaultUpstream;
  operator: Platform;
  key: string;
  userId: string;
  /** Micro-credits granted. */
  initial: number;
  processes: AioProcess[];
  spawn(role: 'serve' | 'worker', start?: boolean): Promise<AioProcess>;
  close(): Promise<void>;
}

export async function startFaultRig(opts: { databaseUrl: string; redisUrl?: string; tasks: number; slowMs: number; env?: Record<string, string> }): Promise<FaultRig> {
  const upstream = await startFaultUpstream();
  upstream.slow(opts.slowMs);
  const env: Record<string, string> = {
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl ?? '',
    AIO_QUEUE_PREFIX: `aio-fault-${randomToken(8)}`,
    AIO_DATA_DIR: tempDir(),
    IDEOGRAM_API_KEY: upstream.apiKey,
    IDEOGRAM_BASE_URL: upstream.url,
    AIO_LEASE_MS: '3000',
    AIO_SWEEP_MS: '1000',
    AIO_RETRY_BASE_MS: '50',
    AIO_UPSTREAM_TIMEOUT_MS: '15000',
    AIO_RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...opts.env,
  };
  const operator = await operatorPlatform(env);
  const user = await operator.users.create({ email: `faults-${randomToken(6)}@example.com` });
  const initial = opts.tasks * PRICE;
  if (initial > 0) await operator.ledger.credit(user.id, initial, 'grant', 'fault test');
  const { key } = await operator.keys.create(user.id, {});
  const rig: FaultRig = {
    env,
    upstream,
    operator,
    key,
    userId: user.id,
    initial,
    processes: [],
    async spawn(role, start = true) {
      const p = await AioProcess.create(role, env);
      rig.processes.push(p);
      if (start) await p.start();
      return p;
    },
    async close() {
      await Promise.all(rig.processes.map((p) => p.kill()));
      await rig.operator.close().catch(() => undefined);
      await upstream.close();
    },
  };
  return rig;
}

export const posterBody = (tag: string) => ({ model: 'ideogram-v4', prompt: `A poster reading "${tag}"`, size: '1:1' });

export function submitMany(url: string, key: string, n: number, tag: string) {
  return Promise.all(Array.from({ length: n }, (_, i) => postGeneration(url, key, posterBody(`${tag} ${i}`))));
}

export async function waitForRunning(operator: Platform, atLeast: number, ms = 30_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = (await taskCounts(operator)).running ?? 0;
    if (running >= atLeast) return running;
    if (Date.now() > deadline) throw new Error(`only ${running} tasks running after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the database holds more than `count` tasks (a request got as far as saving one). */
export async function waitForTaskCount(operator: Platform, count: number): Promise<void> {
  for (;;) {
    const row = await operator.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(row.n) > count) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every task ended, each settled once, the balance is what the successes cost, the audit is clean. */
export async function assertNothingLost(rig: FaultRig, expectedTasks?: number): Promise<{ succeeded: number; failed: number; retried: number }> {
  const open = await waitAllEnded(rig.operator, 120_000);
  assert.equal(open, 0, 'no task is left queued or running');
  const tasks = await rig.operator.db.selectFrom('tasks').selectAll().where('user_id', '=', rig.userId).execute();
  if (expectedTasks !== undefined) assert.equal(tasks.length, expectedTasks, 'every accepted task is in the database');
  const succeeded = tasks.filter((t) => t.status === 'succeeded').length;
  const failed = tasks.filter((t) => t.status === 'failed').length;
  assert.equal(succeeded + failed, tasks.length, 'every task succeeded or failed');
  const { balance, reserved } = await rig.operator.ledger.balances(rig.userId);
  assert.deepEqual({ balance, reserved }, { balance: rig.initial - succeeded * PRICE, reserved: 0 }, 'charged exactly the successes, once');
  const report = await audit(rig.operator);
  assert.equal(report.ok, true, JSON.stringify(report.findings, null, 1));
  return { succeeded, failed, retried: tasks.filter((t) => t.attempts > 1).length };
}
