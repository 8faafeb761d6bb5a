// The delivery worker loop, in every process that runs task workers: it takes due deliveries
// (leased, so several workers share the work), signs and sends each, and records the outcome.
// It wakes when a task ends (in any process, through the task events) and polls once a second
// for retries that came due and rows another process wrote.
import type { Logger } from '../../lib/logger.js';
import type { WebhookDeliveryService, WebhookDelivery } from './deliveries.js';
import { signingSecrets, type WebhookEndpointService } from './endpoints.js';
import { postWebhook } from './send.js';
import { signedHeaders } from './signing.js';

const POLL_MS = 1000;
const BATCH = 10;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Longer than an attempt can take, so only a dead worker's lease runs out. */
const LEASE_MS = 60_000;

export interface DelivererDeps {
  deliveries: WebhookDeliveryService;
  endpoints: WebhookEndpointService;
  allowPrivate: boolean;
  retryBaseMs: number;
  log: Logger;
}

export class WebhookDeliverer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly aborts = new AbortController();

  constructor(private readonly deps: DelivererDeps) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.kick();
  }

  /** Looks for due deliveries now (once more after the current round, if one is running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.deps.log.warn({ err }, 'webhook delivery round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const batch = await this.deps.deliveries.claimDue(BATCH, LEASE_MS);
      await Promise.all(batch.map((d) => this.attempt(d).catch((err) => this.deps.log.warn({ err, delivery_id: d.id }, 'webhook attempt failed unexpectedly'))));
      if (batch.length < BATCH) return;
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const { deliveries, log } = this.deps;
    const secrets = await this.secretsFor(delivery);
    if (!secrets) {
      await deliveries.settle(delivery, { ok: false, error: delivery.endpoint_id ? 'The endpoint was deleted.' : 'The account has no webhook endpoint whose secret signs a task’s webhook_url.' }, this.deps.retryBaseMs);
      return;
    }
    const result = await postWebhook(delivery.url, delivery.payload, signedHeaders(delivery.id, delivery.payload, secrets), {
      allowPrivate: this.deps.allowPrivate,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      signal: this.aborts.signal,
    });
    if (!result.ok && this.aborts.signal.aborted) return deliveries.release(delivery);
    await deliveries.settle(delivery, result, this.deps.retryBaseMs);
    log.info({ delivery_id: delivery.id, task_id: delivery.task_id, attempt: delivery.attempts, ok: result.ok, status: result.status, error: result.error }, 'webhook attempt');
  }

  /** Who signs: the endpoint's secrets, or for a task's own URL the account's first endpoint of the mode. */
  private async secretsFor(delivery: WebhookDelivery): Promise<string[] | undefined> {
    const { endpoints } = this.deps;
    const endpoint = delivery.endpoint_id ? await endpoints.get(delivery.endpoint_id) : await endpoints.first(delivery.user_id, delivery.livemode === 1);
    return endpoint ? signingSecrets(endpoint) : undefined;
  }

  /** Stops taking deliveries; attempts in flight are cut short and given back for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.aborts.abort();
    await this.running;
  }
}
