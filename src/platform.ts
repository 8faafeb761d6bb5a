// Builds the platform from settings: database, catalog, services, storage, queue and (when
// this process runs workers) the task runner. The HTTP server, the CLI and the tests all
// start from here, so there is one wiring.
import path from 'node:path';
import { loadCatalogFile } from './config/load-catalog.js';
import type { Settings } from './config/settings.js';
import { openDatabase, type Db, type DbKind } from './db/database.js';
import { createLogger, type Logger } from './lib/logger.js';
import { catalogRules } from './catalog-rules.js';
import { providerNeedsCredentials } from './providers/registry.js';
import { PlatformMetrics } from './observability/metrics.js';
import { BullMqQueue } from './queue/bullmq.js';
import { InProcessQueue } from './queue/in-process.js';
import type { TaskQueue } from './queue/types.js';
import { ChatService } from './modalities/chat/service.js';
import { modalityOf } from './modalities/registry.js';
import { AdminService } from './services/admin.js';
import { BillingService } from './services/billing.js';
import { LOGIN_LIMITS, LoginThrottle } from './services/login-throttle.js';
import { RedemptionCodeService } from './services/redemption-codes.js';
import { SessionService } from './services/sessions.js';
import { UsageService } from './services/usage.js';
import { ApiKeyService } from './services/api-keys.js';
import { Catalog } from './services/catalog.js';
import { ConnectionService } from './services/connections/service.js';
import { openSecretBox } from './lib/secret-box.js';
import { LedgerService } from './services/ledger.js';
import { IdempotencyService } from './services/idempotency.js';
import { memoryLimitStores, type LimitStores } from './services/limit-stores.js';
import { redisLimitStores } from './services/redis-limit-stores.js';
import { RetentionPurge } from './services/retention.js';
import { ModelOverrideService } from './services/model-overrides.js';
import { presentTask } from './http/present.js';
import { RedisEventRelay } from './services/event-relay.js';
import { TaskEvents } from './services/task-events.js';
import { TaskService, type TaskRow } from './services/tasks.js';
import { UploadService } from './services/uploads.js';
import { UserService } from './services/users.js';
import { Webhooks } from './services/webhooks/index.js';
import { LocalDiskStorage } from './storage/local-disk.js';
import { S3Storage } from './storage/s3.js';
import type { Storage } from './storage/types.js';
import { Dispatcher } from './worker/dispatcher.js';
import { NodeRouter } from './worker/router.js';
import { SharedNodeHealth } from './worker/shared-node-health.js';
import { LOCAL_NODE, LOCAL_TEST_NODE } from './worker/shared.js';
import { TaskRunner } from './worker/task-runner.js';

export interface Platform {
  settings: Settings;
  db: Db;
  dbKind: DbKind;
  catalog: Catalog;
  users: UserService;
  keys: ApiKeyService;
  ledger: LedgerService;
  tasks: TaskService;
  idempotency: IdempotencyService;
  uploads: UploadService;
  /** The task once it has ended, or as it is after `seconds` (answers at once when it ends in this process). */
  waitForTask(task: TaskRow, seconds: number): Promise<TaskRow>;
  /** Task status changes and progress: stored, and announced here and (distributed) across processes. */
  events: TaskEvents;
  webhooks: Webhooks;
  storage: Storage;
  queue: TaskQueue;
  router: NodeRouter;
  dispatcher: Dispatcher;
  runner?: TaskRunner;
  /** The operator's model overrides (enabled, price) over the catalog file, kept applied to `catalog`. */
  overrides: ModelOverrideService;
  /** Provider connections made on the admin pages, kept merged into `catalog` (reloaded with the overrides). */
  connections: ConnectionService;
  /** Direct chat (not a task): routing, holds and settlement by the token. */
  chat: ChatService;
  /** The dashboard's services: browser sessions, codes, Stripe top-ups, usage reports, admin. */
  sessions: SessionService;
  codes: RedemptionCodeService;
  billing: BillingService;
  usage: UsageService;
  admin: AdminService;
  /** Attempts counted before the slow check: logins and password changes, code redemptions, sign-ups per address. */
  throttles: { login: LoginThrottle; redeem: LoginThrottle; signup: LoginThrottle };
  metrics: PlatformMetrics;
  /** Where rate limits and login throttles count: memory, or Redis shared by every gateway (REDIS_URL). */
  limits: LimitStores;
  log: Logger;
  close(): Promise<void>;
}

/** In distributed mode other gateways may still be streaming: only chat requests older than this are abandoned. */
const CHAT_ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

export interface PlatformOptions {
  /** Run task workers in this process (embedded mode, or `aio worker`). */
  workers?: boolean;
  /** Limit the workers to these nodes (`aio worker --node`); default all. */
  nodes?: string[];
  logger?: Logger;
}

export async function createPlatform(settings: Settings, opts: PlatformOptions = {}): Promise<Platform> {
  const log = opts.logger ?? createLogger(settings.logLevel);
  const catalogFile = loadCatalogFile(settings.catalogFile, catalogRules);
  const catalog = new Catalog(catalogFile, settings.env, providerNeedsCredentials);
  const { db, kind, close: closeDb } = await openDatabase(settings.databaseUrl, { onIdleError: (err) => log.warn({ err: err.message }, 'database connection dropped; the pool reconnects') });
  const ledger = new LedgerService(db);
  // Overrides from the dashboard apply before anything is served, and are re-read periodically
  // so that every gateway and worker on this database agrees within the interval.
  const overrides = new ModelOverrideService(db, catalog);
  await overrides.load();
  if (settings.redisUrl && !settings.secretKey)
    log.warn('AIO_SECRET_KEY is not set: provider keys added on the admin pages can only be read by processes sharing this data directory; set the same AIO_SECRET_KEY on every gateway and worker');
  const connections = new ConnectionService(db, catalog, openSecretBox(settings), log);
  await connections.load();
  const overridesRefresh = setInterval(() => {
    void overrides.load().catch((err) => log.warn({ err }, 'reloading model overrides failed'));
    void connections.load().catch((err) => log.warn({ err }, 'reloading provider connections failed'));
  }, settings.overridesRefreshMs);
  overridesRefresh.unref();
  // Webhook payloads carry media URLs: PUBLIC_URL should be set where clients reach the server another way.
  const webhooks = new Webhooks(db, settings, log, (task) => presentTask(task, settings.publicUrl ?? `http://${settings.host}:${settings.port}`));
  const events = new TaskEvents(db, { log, onEnding: (trx, event, task) => webhooks.deliveries.enqueueFor(trx, event, task).then(() => undefined) });
  if (settings.redisUrl) await events.relayThrough(new RedisEventRelay(settings.redisUrl, `${settings.queuePrefix}:task-events`, log));
  const tasks = new TaskService(db, ledger, events);
  const storage: Storage = settings.s3 ? new S3Storage(settings.s3) : new LocalDiskStorage(path.join(settings.dataDir, 'files'));
  const uploads = new UploadService(db, storage);
  const queue: TaskQueue = settings.redisUrl
    ? new BullMqQueue(settings.redisUrl, { prefix: settings.queuePrefix, lockMs: settings.leaseMs, enqueueTimeoutMs: settings.queueTimeoutMs })
    : new InProcessQueue();
  const metrics = new PlatformMetrics(queue);
  const router = new NodeRouter(catalog);
  const dispatcher = new Dispatcher({ settings, catalog, tasks, queue, router, log });
  const idempotency = new IdempotencyService(db);
  // Distributed: limits, throttles and node health are shared by every process through Redis.
  const limits = settings.redisUrl ? redisLimitStores(settings.redisUrl, `${settings.queuePrefix}:limits`, log) : memoryLimitStores();
  await limits.ready?.();
  const chat = new ChatService({ db, ledger, catalog, router, settings, log, buckets: limits.buckets });
  // Chat requests a dead process left open: their holds go back (in distributed mode only old
  // ones, since other gateways may still be streaming theirs).
  const abandonedBefore = new Date(Date.now() - (settings.redisUrl ? CHAT_ABANDONED_AFTER_MS : 0)).toISOString();
  void chat.store
    .recoverAbandoned(abandonedBefore)
    .then((n) => n && log.info({ released: n }, 'chat requests left running by an earlier process ended, their holds released'))
    .catch((err) => log.warn({ err }, 'recovering abandoned chat requests failed'));
  const signups = settings.signupLimitPerHour;
  const throttles = {
    login: new LoginThrottle(LOGIN_LIMITS, limits.attempts('login')),
    redeem: new LoginThrottle({ perKey: 10, perIp: 10, windowMs: 15 * 60_000 }, limits.attempts('redeem')),
    signup: new LoginThrottle({ perKey: signups, perIp: signups, windowMs: 60 * 60_000, refusal: 'Too many sign-ups from this address.' }, limits.attempts('signup')),
  };
  const nodeHealth = settings.redisUrl ? new SharedNodeHealth(settings.redisUrl, settings.queuePrefix, router, log) : undefined;
  await nodeHealth?.start();

  let runner: TaskRunner | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let stopPurge: (() => void) | undefined;
  if (opts.workers) {
    runner = new TaskRunner({ settings, catalog, tasks, storage, uploads, queue, router, log, metrics });
    // Chat is answered by the gateway itself: only nodes that serve task models get queue lanes.
    const taskNodes = catalog.nodes.filter((n) => n.models.some((m) => modalityOf(catalog.model(m)?.type ?? '')));
    const wanted = opts.nodes?.length ? opts.nodes : [LOCAL_NODE, ...taskNodes.map((n) => n.id)];
    // Test-mode work has its own lane, run by whoever runs the local engines, so that free work never waits in front of paid work.
    if (wanted.includes(LOCAL_NODE)) wanted.push(LOCAL_TEST_NODE);
    const lanes = [...new Set(wanted)].map((id) => ({ id, concurrency: id === LOCAL_TEST_NODE ? settings.testConcurrency : catalog.node(id)?.concurrency ?? 4 }));
    await queue.consume(lanes, (job) => runner!.run(job));
    // Connections made on the admin pages later get their lanes when this process hears of them.
    connections.onChange((nodes) => {
      const added = nodes.filter((n) => !opts.nodes?.length || opts.nodes.includes(n.id)).map((n) => ({ id: n.id, concurrency: n.concurrency }));
      void queue.addLanes(added).catch((err) => log.warn({ err }, 'starting lanes for new connections failed'));
    });
    if (settings.redisUrl) {
      // Other workers may be alive: only take over tasks whose lease ran out, and queued tasks
      // whose job went missing (e.g. a gateway died between saving and queueing).
      const sweep = () => dispatcher.recover(false, new Date(Date.now() - settings.leaseMs).toISOString()).catch((err) => log.warn({ err }, 'sweep failed'));
      await sweep();
      sweeper = setInterval(sweep, settings.sweepMs);
    } else {
      // Embedded: no other process serves this database, so requests in flight before a crash are
      // gone; their Idempotency-Keys need not wait for their leases to run out.
      await idempotency.releaseAllLeases();
      await dispatcher.recover(true);
    }
    webhooks.startDelivering(events);
    stopPurge = new RetentionPurge({ db, storage, idempotency, policy: settings, log }).every(settings.purgeEveryMs);
  }

  return {
    settings,
    db,
    dbKind: kind,
    catalog,
    users: new UserService(db),
    keys: new ApiKeyService(db),
    ledger,
    tasks,
    idempotency,
    uploads,
    waitForTask: (task, seconds) => events.waitFor(tasks, task, seconds),
    events,
    webhooks,
    storage,
    queue,
    router,
    dispatcher,
    runner,
    overrides,
    connections,
    chat,
    sessions: new SessionService(db),
    codes: new RedemptionCodeService(db, ledger),
    billing: new BillingService(db, ledger, catalog.packs, settings.stripe, log),
    usage: new UsageService(db),
    admin: new AdminService(db),
    throttles,
    metrics,
    limits,
    log,
    async close() {
      stopPurge?.();
      clearInterval(overridesRefresh);
      clearInterval(sweeper);
      runner?.stop();
      await webhooks.stop();
      await queue.close();
      await events.close();
      await nodeHealth?.close();
      await limits.close();
      await closeDb();
    },
  };
}
