// Webhooks as the platform sees them: endpoints, deliveries, the checks of a task's own
// `webhook_url`, and (in processes that run workers) the delivery loop.
import type { Settings } from '../../config/settings.js';
import type { Db } from '../../db/database.js';
import { invalidParam } from '../../lib/app-error.js';
import type { Logger } from '../../lib/logger.js';
import type { TaskEvents } from '../task-events.js';
import type { TaskRow } from '../tasks.js';
import { WebhookDeliverer } from './deliverer.js';
import { WebhookDeliveryService } from './deliveries.js';
import { WebhookEndpointService } from './endpoints.js';
import { checkWebhookUrl } from './target.js';

export class Webhooks {
  readonly endpoints: WebhookEndpointService;
  readonly deliveries: WebhookDeliveryService;
  private deliverer?: WebhookDeliverer;
  private stopListening?: () => void;

  constructor(
    db: Db,
    private readonly settings: Pick<Settings, 'webhookAllowPrivate' | 'webhookRetryBaseMs'>,
    private readonly log: Logger,
    present: (task: TaskRow) => unknown,
  ) {
    this.endpoints = new WebhookEndpointService(db);
    this.deliveries = new WebhookDeliveryService(db, present);
  }

  /** An endpoint URL a client gave, checked (400 on `param`). */
  checkUrl(raw: string, param = 'url'): Promise<string> {
    return checkWebhookUrl(raw, param, this.settings.webhookAllowPrivate);
  }

  /**
   * A task request's `webhook_url`, checked before the task is made: a usable URL, and an
   * endpoint in the key's mode whose secret will sign the deliveries.
   */
  async checkTaskUrl(userId: string, livemode: boolean, raw: string): Promise<string> {
    const url = await this.checkUrl(raw, 'webhook_url');
    if (!(await this.endpoints.first(userId, livemode)))
      throw invalidParam(
        'webhook_url',
        `Deliveries to a task's webhook_url are signed with the secret of your first ${livemode ? 'live' : 'test'} webhook endpoint, and there is none: create one with POST /api/v1/webhook_endpoints.`,
        'webhook_endpoint_required',
      );
    return url;
  }

  attachToTask(taskId: string, url: string): Promise<void> {
    return this.deliveries.attachToTask(taskId, url);
  }

  /** Runs the delivery loop in this process, woken whenever a task ends anywhere. */
  startDelivering(events: TaskEvents): void {
    this.deliverer = new WebhookDeliverer({
      deliveries: this.deliveries,
      endpoints: this.endpoints,
      allowPrivate: this.settings.webhookAllowPrivate,
      retryBaseMs: this.settings.webhookRetryBaseMs,
      log: this.log,
    });
    this.stopListening = events.onAnyEnded(() => this.deliverer?.kick());
    this.deliverer.start();
  }

  /** Sends due deliveries now, when this process delivers (a resend from the dashboard). */
  kick(): void {
    this.deliverer?.kick();
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    await this.deliverer?.stop();
  }
}
