import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Process settings, all from the environment, with the embedded defaults of `npm start`. */
export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://...` for PostgreSQL; otherwise the SQLite file path. */
  databaseUrl: string;
  redisUrl?: string;
  /** Key prefix of the BullMQ queues in Redis (several platforms can share one Redis). */
  queuePrefix: string;
  catalogFile: string;
  publicUrl?: string;
  logLevel: string;
  maxAttempts: number;
  retryBaseMs: number;
  upstreamTimeoutMs: number;
  /** First delay between status polls of queue-style upstreams (fal, Veo); their own defaults when unset. */
  pollMs?: number;
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** Longest a client may take to send a whole request (headers and body); 0 = no limit. */
  requestTimeoutMs: number;
  /** Dashboard sign-ups allowed per client address per hour; 0 = no limit. */
  signupLimitPerHour: number;
  /** How long a running task is leased to its worker before others may take it over. */
  leaseMs: number;
  /** How often distributed workers sweep for tasks that lost their job or their worker. */
  sweepMs: number;
  /** Most test-mode tasks an account may have queued or running (429 `test_mode_limit` beyond); 0 = no limit. */
  testModeMaxActive: number;
  /** Test-mode tasks run at most this many at once per worker process, in their own lane (`local-test`). */
  testConcurrency: number;
  /** Hours test-mode outputs are kept before the purge deletes them. */
  testRetentionHours: number;
  /** Days live outputs (and uploaded files) are kept before the purge deletes them; 0 = kept forever. */
  retentionDays: number;
  /** Days ended webhook deliveries are kept; 0 = kept forever. */
  webhookRetentionDays: number;
  /** How often the processes running workers purge expired outputs and idempotency keys. */
  purgeEveryMs: number;
  /** Longest a gateway waits for the queue (Redis) to take a task before answering 503 queue_unavailable. */
  queueTimeoutMs: number;
  /** Bearer token that guards GET /metrics (without it, /metrics answers loopback only). */
  metricsToken?: string;
  /** Port of a worker's own /healthz, /readyz and /metrics server. */
  metricsPort?: number;
  /** Where Stripe sends buyers back (default PUBLIC_URL/dashboard). */
  dashboardUrl?: string;
  /** Stripe Checkout top-ups; without a secret key, top-ups are by redemption code. */
  stripe: { secretKey?: string; webhookSecret?: string; apiBase?: string };
  /** Behind a reverse proxy: trust X-Forwarded-* for client addresses and https. */
  trustProxy: boolean;
  /** How often gateways reload the admin's model overrides. */
  overridesRefreshMs: number;
  /** Whether tools may fetch input images from private, loopback and link-local addresses. */
  allowPrivateUrls: boolean;
  /** Largest input file (image URL, upload) a task may use. */
  maxInputBytes: number;
  /** Chat (direct requests billed by the token). */
  chat: {
    /** Keep prompts and answers with each chat request (AIO_CHAT_STORE_CONTENT=1); off by default. */
    storeContent: boolean;
    /** Body limit of the chat routes (messages may carry base64 images). */
    bodyLimitBytes: number;
    /** Longest wait for an upstream's answer, and longest silence between two chunks. */
    idleTimeoutMs: number;
    /** After the client left mid-stream, how long to keep reading the upstream for its final usage. */
    usageDeadlineMs: number;
    /** Tokens (prompt + answer) a key may use a minute; 0 = no limit. */
    tokensPerMinute: number;
  };
  /** Whether webhooks may be sent to private, loopback and link-local addresses (AIO_WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate: boolean;
  /** First retry delay of a failed webhook delivery; later ones grow from it to about a day in all. */
  webhookRetryBaseMs: number;
  /** How often an open task event stream (SSE) sends a heartbeat comment. */
  sseHeartbeatMs: number;
  /** Set when generated files go to an S3-compatible bucket instead of AIO_DATA_DIR/files. */
  s3?: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; prefix: string };
  /** Encrypts provider credentials stored from the admin pages (AIO_SECRET_KEY); else a key generated into dataDir. */
  secretKey?: string;
  /** Outgoing mail (password reset e-mails): `smtp://user:pass@host:port` or `smtps://...`; none = no e-mail. */
  smtpUrl?: string;
  /** The From address of the mail we send. */
  mailFrom: string;
  /** Where the `aio` client commands (generate, tasks, chat) send requests, with which key. */
  client: { baseUrl: string; apiKey?: string };
  env: NodeJS.ProcessEnv;
}

function s3Settings(env: NodeJS.ProcessEnv): Settings['s3'] {
  if (!env.S3_BUCKET) return undefined;
  const missing = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length) throw new Error(`S3_BUCKET is set, so ${missing.join(', ')} must be set too`);
  return {
    endpoint: env.S3_ENDPOINT!,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    prefix: env.S3_PREFIX ?? '',
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const dataDir = path.resolve(env.AIO_DATA_DIR || path.join(process.cwd(), 'data'));
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8080),
    dataDir,
    databaseUrl: env.DATABASE_URL || path.join(dataDir, 'aio.sqlite'),
    redisUrl: env.REDIS_URL || undefined,
    queuePrefix: env.AIO_QUEUE_PREFIX || 'aio',
    catalogFile: path.resolve(env.AIO_CATALOG || path.join(PROJECT_ROOT, 'config/catalog.json')),
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    maxAttempts: Math.max(1, int(env, 'AIO_MAX_ATTEMPTS', 3)),
    retryBaseMs: int(env, 'AIO_RETRY_BASE_MS', 1000),
    upstreamTimeoutMs: int(env, 'AIO_UPSTREAM_TIMEOUT_MS', 120_000),
    pollMs: env.AIO_POLL_MS ? int(env, 'AIO_POLL_MS', 0) : undefined,
    rateLimitPerMinute: int(env, 'AIO_RATE_LIMIT_PER_MINUTE', 600),
    bodyLimitBytes: int(env, 'AIO_BODY_LIMIT_BYTES', 64 * 1024),
    requestTimeoutMs: int(env, 'AIO_REQUEST_TIMEOUT_MS', 30_000),
    signupLimitPerHour: int(env, 'AIO_SIGNUP_LIMIT_PER_HOUR', 10),
    leaseMs: Math.max(1000, int(env, 'AIO_LEASE_MS', 30_000)),
    sweepMs: Math.max(500, int(env, 'AIO_SWEEP_MS', 10_000)),
    testModeMaxActive: int(env, 'AIO_TEST_MODE_MAX_ACTIVE', 20),
    testConcurrency: Math.max(1, int(env, 'AIO_TEST_CONCURRENCY', 2)),
    testRetentionHours: Math.max(1, int(env, 'AIO_TEST_RETENTION_HOURS', 24)),
    retentionDays: int(env, 'AIO_RETENTION_DAYS', 0),
    webhookRetentionDays: int(env, 'AIO_WEBHOOK_RETENTION_DAYS', 30),
    purgeEveryMs: Math.max(1000, int(env, 'AIO_PURGE_EVERY_MS', 10 * 60_000)),
    queueTimeoutMs: Math.max(100, int(env, 'AIO_QUEUE_TIMEOUT_MS', 5000)),
    metricsToken: env.AIO_METRICS_TOKEN || undefined,
    metricsPort: env.AIO_METRICS_PORT ? int(env, 'AIO_METRICS_PORT', 0) : undefined,
    dashboardUrl: env.AIO_DASHBOARD_URL?.replace(/\/+$/, '') || undefined,
    stripe: { secretKey: env.STRIPE_SECRET_KEY || undefined, webhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined, apiBase: env.STRIPE_API_BASE || undefined },
    trustProxy: env.AIO_TRUST_PROXY === '1',
    overridesRefreshMs: Math.max(50, int(env, 'AIO_OVERRIDES_REFRESH_MS', 30_000)),
    allowPrivateUrls: env.AIO_ALLOW_PRIVATE_URLS === '1',
    maxInputBytes: int(env, 'AIO_MAX_INPUT_BYTES', 20 * 1024 * 1024),
    chat: {
      storeContent: env.AIO_CHAT_STORE_CONTENT === '1',
      bodyLimitBytes: int(env, 'AIO_CHAT_BODY_LIMIT_BYTES', 16 * 1024 * 1024),
      idleTimeoutMs: Math.max(100, int(env, 'AIO_CHAT_IDLE_TIMEOUT_MS', 60_000)),
      usageDeadlineMs: int(env, 'AIO_CHAT_USAGE_DEADLINE_MS', 30_000),
      tokensPerMinute: int(env, 'AIO_TOKENS_PER_MINUTE', 0),
    },
    webhookAllowPrivate: env.AIO_WEBHOOK_ALLOW_PRIVATE === '1',
    webhookRetryBaseMs: Math.max(10, int(env, 'AIO_WEBHOOK_RETRY_BASE_MS', 5000)),
    sseHeartbeatMs: Math.max(100, int(env, 'AIO_SSE_HEARTBEAT_MS', 15_000)),
    s3: s3Settings(env),
    secretKey: env.AIO_SECRET_KEY || undefined,
    smtpUrl: env.AIO_SMTP_URL || undefined,
    mailFrom: env.AIO_MAIL_FROM || 'API in One <no-reply@localhost>',
    client: { baseUrl: (env.AIO_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, ''), apiKey: env.AIO_API_KEY || undefined },
    env,
  };
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);
