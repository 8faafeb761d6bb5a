// Buying credits: packs from the catalog file, paid through Stripe Checkout. Checkout makes an
// order `pending` and a Checkout Session carrying the order id; only the signed webhook marks an
// order paid, and it does so with a conditional UPDATE (status 'pending' -> 'paid') and the ledger
// top-up in one transaction, so an order is credited once however often Stripe repeats itself.
import Stripe from 'stripe';
import type { PackConfig } from '../config/catalog-schema.js';
import type { Db } from '../db/database.js';
import type { OrdersTable, OrderStatus } from '../db/schema.js';
import { AppError, invalidParam } from '../lib/app-error.js';
import { fromCredits, toCredits } from '../lib/credits.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import type { Logger } from '../lib/logger.js';
import type { LedgerService } from './ledger.js';
import type { User } from './users.js';

export type Order = OrdersTable;

export interface StripeConfig {
  secretKey?: string;
  webhookSecret?: string;
  /** e.g. `http://127.0.0.1:12111` for a local Stripe stand-in; default Stripe's own API. */
  apiBase?: string;
}

export function publicPack(p: PackConfig) {
  return { id: p.id, name: p.name, credits: p.credits, amount_usd: p.amount_usd };
}

export function publicOrder(o: Order) {
  return {
    id: o.id,
    pack_id: o.pack_id,
    credits: toCredits(o.credits_micro),
    amount_usd: o.amount_cents / 100,
    status: o.status,
    created_at: o.created_at,
    paid_at: o.paid_at,
  };
}

/** The events this service acts on; every other verified event is acknowledged and ignored. */
const HANDLED = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired']);

export class BillingService {
  private readonly stripe?: Stripe;
  private readonly webhookSecret?: string;

  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly packList: PackConfig[],
    config: StripeConfig,
    private readonly log?: Logger,
  ) {
    if (config.secretKey && config.webhookSecret) {
      const options: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false, appInfo: { name: 'api-in-one' } };
      if (config.apiBase) {
        const base = new URL(config.apiBase);
        options.protocol = base.protocol === 'http:' ? 'http' : 'https';
        options.host = base.hostname;
        options.port = base.port || (base.protocol === 'http:' ? 80 : 443);
      }
      this.stripe = new Stripe(config.secretKey, options);
      this.webhookSecret = config.webhookSecret;
    }
  }

  /** Payments need both the secret key and the webhook secret (orders are fulfilled only by the webhook). */
  get enabled(): boolean {
    return this.stripe !== undefined;
  }

  packs() {
    return this.packList.map(publicPack);
  }

  listOrders(userId: string, limit = 100): Promise<Order[]> {
    return this.db.selectFrom('orders').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
  }

  getOrder(id: string): Promise<Order | undefined> {
    return this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Starts buying `packId`: a pending order and a Checkout Session for it. `returnUrl` is the
   * dashboard page Stripe sends the buyer back to (`?checkout=success|cancel&order_id=...` added).
   */
  async checkout(user: User, packId: unknown, returnUrl: string): Promise<{ url: string; order: Order }> {
    if (!this.stripe) throw new AppError(400, 'stripe_not_configured', 'Payments are not set up on this platform (the operator must set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET).');
    if (typeof packId !== 'string' || !packId) throw invalidParam('pack_id', "'pack_id' is required.", 'missing_parameter');
    const pack = this.packList.find((p) => p.id === packId);
    if (!pack) throw invalidParam('pack_id', `There is no pack '${packId}'. Packs: ${this.packList.map((p) => p.id).join(', ') || 'none'}.`, 'pack_not_found');
    const now = nowIso();
    const order: Order = {
      id: newId('ord'),
      user_id: user.id,
      pack_id: pack.id,
      credits_micro: fromCredits(pack.credits),
      amount_cents: Math.round(pack.amount_usd * 100),
      currency: 'usd',
      status: 'pending',
      stripe_session_id: null,
      created_at: now,
      paid_at: null,
      updated_at: now,
    };
    await this.db.insertInto('orders').values(order).execute();
    const back = (outcome: string) => `${returnUrl}${returnUrl.includes('?') ? '&' : '?'}checkout=${outcome}&order_id=${order.id}`;
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: order.currency, unit_amount: order.amount_cents, product_data: { name: pack.name, description: `${pack.credits} API in One credits` } },
            },
          ],
          customer_email: user.email,
          client_reference_id: user.id,
          metadata: { order_id: order.id, user_id: user.id, pack_id: pack.id },
          payment_intent_data: { metadata: { order_id: order.id } },
          success_url: back('success'),
          cancel_url: back('cancel'),
        },
        { idempotencyKey: `checkout-${order.id}` },
      );
    } catch (err) {
      await this.setStatus(order.id, 'failed', ['pending']);
      this.log?.warn({ err: (err as Error).message, orderId: order.id }, 'stripe checkout failed');
      throw new AppError(502, 'stripe_error', 'The payment provider did not answer as expected. Nothing was charged; try again in a moment.');
    }
    await this.db.updateTable('orders').set({ stripe_session_id: session.id, updated_at: nowIso() }).where('id', '=', order.id).execute();
    if (!session.url) throw new AppError(502, 'stripe_error', 'The payment provider gave no checkout page. Nothing was charged; try again in a moment.');
    return { url: session.url, order: { ...order, stripe_session_id: session.id } };
  }

  /** Verifies and applies one webhook delivery; throws 400 invalid_signature for anything unsigned. */
  async handleWebhook(raw: Buffer | string | undefined, signature: string | undefined): Promise<{ received: true; duplicate?: true; ignored?: true }> {
    if (!this.stripe || !this.webhookSecret) throw new AppError(400, 'stripe_not_configured', 'Payments are not set up on this platform.');
    let event: Stripe.Event;
    try {
      if (raw === undefined || !signature) throw new Error('no body or no Stripe-Signature header');
      event = this.stripe.webhooks.constructEvent(raw, signature, this.webhookSecret);
    } catch (err) {
      throw new AppError(400, 'invalid_signature', `The Stripe-Signature does not verify: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!HANDLED.has(event.type)) return { received: true, ignored: true };
    const session = event.data.object as Stripe.Checkout.Session;
    return this.db.transaction().execute(async (trx) => {
      // The event id is written with its effects: a repeat finds it and changes nothing.
      const fresh = await trx
        .insertInto('stripe_events')
        .values({ id: event.id, type: event.type, received_at: nowIso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(fresh.numInsertedOrUpdatedRows ?? 0) !== 1) return { received: true as const, duplicate: true as const };
      const orderId = session.metadata?.order_id;
      const order = orderId ? await trx.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst() : undefined;
      if (!order || (order.stripe_session_id && order.stripe_session_id !== session.id)) {
        this.log?.warn({ eventId: event.id, type: event.type, orderId, session: session.id }, 'stripe event for no order of ours');
        return { received: true as const, ignored: true as const };
      }
      const now = nowIso();
      const paid =
        event.type === 'checkout.session.async_payment_succeeded' ||
        (event.type === 'checkout.session.completed' && (session.payment_status === 'paid' || session.payment_status === 'no_payment_required'));
      if (paid) {
        const won = await trx
          .updateTable('orders')
          .set({ status: 'paid', paid_at: now, updated_at: now, stripe_session_id: session.id })
          .where('id', '=', order.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(won.numUpdatedRows) === 1) {
          const pack = this.packList.find((p) => p.id === order.pack_id);
          await this.ledger.credit(order.user_id, order.credits_micro, 'topup', `Stripe order ${order.id}${pack ? ` (${pack.name})` : ''}`, trx);
          this.log?.info({ orderId: order.id, credits: toCredits(order.credits_micro), userId: order.user_id }, 'order paid');
        }
      } else if (event.type === 'checkout.session.expired') {
        await trx.updateTable('orders').set({ status: 'expired', updated_at: now }).where('id', '=', order.id).where('status', '=', 'pending').execute();
      } else if (event.type === 'checkout.session.async_payment_failed') {
        await trx.updateTable('orders').set({ status: 'failed', updated_at: now }).where('id', '=', order.id).where('status', '=', 'pending').execute();
      }
      return { received: true as const };
    });
  }

  private async setStatus(id: string, status: OrderStatus, from: OrderStatus[]): Promise<void> {
    await this.db.updateTable('orders').set({ status, updated_at: nowIso() }).where('id', '=', id).where('status', 'in', from).execute();
  }
}
