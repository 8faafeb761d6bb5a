// Account webhook endpoints, as at Stripe: a URL, the events it wants, and a signing secret shown
// once (on creation and rotation). Test-mode and live endpoints are apart, like keys: a test key
// sees and makes test endpoints, which receive only test tasks' events.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { WebhookEndpointsTable } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import { newId } from '../../lib/ids.js';
import { isoIn, nowIso } from '../../lib/time.js';

export type WebhookEndpoint = WebhookEndpointsTable;

export const WEBHOOK_EVENTS = ['task.succeeded', 'task.failed', 'task.canceled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const MAX_ENDPOINTS_PER_MODE = 20;
/** How long the secret before a rotation keeps signing next to the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** How an endpoint looks from the outside; `secret` only where it is shown once. */
export function publicEndpoint(e: WebhookEndpoint, opts: { withSecret?: boolean } = {}) {
  return {
    id: e.id,
    object: 'webhook_endpoint' as const,
    url: e.url,
    events: JSON.parse(e.events) as WebhookEventType[],
    livemode: e.livemode === 1,
    created_at: e.created_at,
    ...(opts.withSecret ? { secret: e.secret } : {}),
  };
}

const notFound = (id: string) => new AppError(404, 'webhook_endpoint_not_found', `No webhook endpoint with id '${id}'.`, { param: 'id' });

export class WebhookEndpointService {
  constructor(private readonly db: Db) {}

  /** Makes an endpoint for the account in one mode; `url` must already be checked. */
  async create(userId: string, livemode: boolean, input: { url: string; events?: WebhookEventType[] }): Promise<WebhookEndpoint> {
    const count = await this.db
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('livemode', '=', livemode ? 1 : 0)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ENDPOINTS_PER_MODE)
      throw new AppError(400, 'webhook_endpoint_limit_reached', `An account may have at most ${MAX_ENDPOINTS_PER_MODE} ${livemode ? 'live' : 'test'} webhook endpoints. Delete one first.`);
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      user_id: userId,
      url: input.url,
      events: JSON.stringify(input.events?.length ? [...new Set(input.events)] : WEBHOOK_EVENTS),
      secret: newSecret(),
      previous_secret: null,
      previous_secret_expires_at: null,
      livemode: livemode ? 1 : 0,
      created_at: nowIso(),
    };
    await this.db.insertInto('webhook_endpoints').values(endpoint).execute();
    return endpoint;
  }

  /** The account's endpoints, oldest first; of one mode, or of both when `livemode` is undefined. */
  list(userId: string, livemode?: boolean): Promise<WebhookEndpoint[]> {
    let q = this.db.selectFrom('webhook_endpoints').selectAll().where('user_id', '=', userId);
    if (livemode !== undefined) q = q.where('livemode', '=', livemode ? 1 : 0);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  async getOwned(id: string, userId: string, livemode?: boolean): Promise<WebhookEndpoint> {
    let q = this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('user_id', '=', userId);
    if (livemode !== undefined) q = q.where('livemode', '=', livemode ? 1 : 0);
    const found = await q.executeTakeFirst();
    if (!found) throw notFound(id);
    return found;
  }

  get(id: string): Promise<WebhookEndpoint | undefined> {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Deletes it; its deliveries still waiting are given up. */
  async delete(id: string, userId: string, livemode?: boolean): Promise<void> {
    const endpoint = await this.getOwned(id, userId, livemode);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_endpoints').where('id', '=', endpoint.id).execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', last_error: 'The endpoint was deleted.', lease_until: null })
        .where('endpoint_id', '=', endpoint.id)
        .where('status', '=', 'pending')
        .execute();
    });
  }

  /** A new secret; the old one keeps signing next to it for a day, so receivers can switch without a gap. */
  async rotate(id: string, userId: string, livemode?: boolean): Promise<WebhookEndpoint> {
    const endpoint = await this.getOwned(id, userId, livemode);
    const rotated = { secret: newSecret(), previous_secret: endpoint.secret, previous_secret_expires_at: isoIn(ROTATION_OVERLAP_MS) };
    await this.db.updateTable('webhook_endpoints').set(rotated).where('id', '=', id).execute();
    return { ...endpoint, ...rotated };
  }

  /** The account's first endpoint of a mode: its secret signs deliveries to a task's own `webhook_url`. */
  first(userId: string, livemode: boolean): Promise<WebhookEndpoint | undefined> {
    return this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('user_id', '=', userId)
      .where('livemode', '=', livemode ? 1 : 0)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }
}

/** The secrets that sign for an endpoint now: its own, and the one before a rotation while it overlaps. */
export function signingSecrets(e: WebhookEndpoint, now = Date.now()): string[] {
  const previous = e.previous_secret && e.previous_secret_expires_at && Date.parse(e.previous_secret_expires_at) > now ? [e.previous_secret] : [];
  return [e.secret, ...previous];
}
