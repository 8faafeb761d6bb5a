// Buying credits over real HTTP, on SQLite and PostgreSQL: without Stripe keys the dashboard says
// so; with them, checkout goes through the real `stripe` package to a fake Stripe API, and only
// signed webhook events pay an order, exactly once however often and in whatever form they come.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MICRO } from '../../src/lib/credits.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { Browser, signUp } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { expectError } from '../helpers/assert-error.js';

after(dropCreatedDatabases);


describe('billing without Stripe keys', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  test('GET /api/billing lists the packs with stripe_enabled false; checkout is 400 stripe_not_configured', async () => {
    const billing = await new Browser(server.url).get('/api/billing');
    assert.equal(billing.status, 200);
    assert.equal(billing.body.stripe_enabled, false);
    assert.deepEqual(
      billing.body.packs.map((p: any) => [p.id, p.credits, p.amount_usd]),
      [
        ['starter', 500, 5],
        ['builder', 2000, 20],
        ['studio', 10000, 100],
      ],
    );
    assert.ok(billing.body.packs.every((p: any) => typeof p.name === 'string' && p.name));
    const user = await signUp(server);
    expectError(await user.post('/api/account/checkout', { pack_id: 'starter' }), 400, 'stripe_not_configured');
    assert.deepEqual((await user.get('/api/account/orders')).body.data, []);
    expectError(await new Browser(server.url).call('POST', '/api/webhooks/stripe', { raw: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } }), 400, 'stripe_not_configured');
  });

  test('a secret key without a webhook secret is not enough', async () => {
    const half = await startTestServer({ env: { STRIPE_SECRET_KEY: 'sk_test_x' } });
    try {
      assert.equal((await new Browser(half.url).get('/api/billing')).body.stripe_enabled, false);
    } finally {
      await half.close();
    }
  });
});

for (const target of await dbTargets()) {
  describe(`billing with Stripe on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let stripe: FakeStripe;
    before(async () => {
      stripe = await startFakeStripe();
      server = await startTestServer({
        databaseUrl: await target.create(),
        env: { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_BASE: stripe.url },
      });
    });
    after(async () => {
      await server?.close();
      await stripe?.close();
    });

    /** Delivers a webhook the way Stripe does: raw JSON body, Stripe-Signature header. */
    const deliver = (ev: { payload: string; signature: string }, headers: Record<string, string> = {}) =>
      new Browser(server.url).call('POST', '/api/webhooks/stripe', {
        raw: ev.payload,
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': ev.signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', ...headers },
      });

    async function startCheckout(packId = 'builder') {
      const user = await signUp(server);
      const res = await user.post('/api/account/checkout', { pack_id: packId });
      assert.equal(res.status, 200, res.text);
      const session = [...stripe.sessions.values()].find((s) => s.metadata.order_id === res.body.order.id);
      assert.ok(session, 'the fake Stripe saw the Checkout Session');
      return { user, url: res.body.url as string, order: res.body.order, session };
    }

    test('checkout makes a pending order and a Checkout Session carrying it', async () => {
      assert.equal((await new Browser(server.url).get('/api/billing')).body.stripe_enabled, true);
      const { user, url, order, session } = await startCheckout('builder');
      assert.equal(url, session.url);
      assert.equal(order.status, 'pending');
      assert.equal(order.credits, 2000);
      assert.equal(order.amount_usd, 20);

      const req = stripe.requests.find((r) => r.path === '/v1/checkout/sessions' && r.form.metadata?.order_id === order.id)!;
      assert.equal(req.method, 'POST');
      assert.match(req.headers['content-type']!, /application\/x-www-form-urlencoded/);
      assert.equal(req.headers['idempotency-key'], `checkout-${order.id}`);
      assert.equal(req.form.mode, 'payment');
      assert.equal(req.form.client_reference_id, user.userId);
      assert.equal(req.form.customer_email, user.email);
      assert.equal(req.form.line_items[0].quantity, '1');
      assert.equal(req.form.line_items[0].price_data.currency, 'usd');
      assert.equal(req.form.line_items[0].price_data.unit_amount, '2000');
      assert.equal(req.form.success_url, `${server.url}/dashboard/billing?checkout=success&order_id=${order.id}`);
      assert.equal(req.form.cancel_url, `${server.url}/dashboard/billing?checkout=cancel&order_id=${order.id}`);

      const orders = await user.get('/api/account/orders');
      assert.equal(orders.body.object, 'list');
      assert.deepEqual(orders.body.data, [order]);
      assert.deepEqual(Object.keys(order).sort(), ['amount_usd', 'created_at', 'credits', 'id', 'pack_id', 'paid_at', 'status']);
      assert.equal((await user.get('/api/account')).body.balance, 0, 'nothing is credited before payment');
    });

    test('checkout refusals: unknown pack, missing pack, CSRF, Stripe failing', async () => {
      const user = await signUp(server);
      expectError(await user.post('/api/account/checkout', { pack_id: 'gold' }), 400, 'pack_not_found', 'pack_id');
      expectError(await user.post('/api/account/checkout', {}), 400, 'missing_parameter', 'pack_id');
      expectError(await user.post('/api/account/checkout', { pack_id: 'starter' }, { csrf: false }), 403, 'csrf_failed');
      stripe.failNext(1, 400, { type: 'invalid_request_error', message: 'Not a valid URL' });
      expectError(await user.post('/api/account/checkout', { pack_id: 'starter' }), 502, 'stripe_error');
      const orders = (await user.get('/api/account/orders')).body.data;
      assert.equal(orders.length, 1);
      assert.equal(orders[0].status, 'failed');
    });

    test('a paid checkout.session.completed credits the order once; repeats and a second event for it change nothing', async () => {
      const { user, order, session } = await startCheckout('starter');
      const paid = { ...session, status: 'complete', payment_status: 'paid' };
      const event = stripe.event('checkout.session.completed', paid);

      const first = await deliver(event);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.received, true);
      assert.equal((await user.get('/api/account')).body.balance, 500);
      const [o] = (await user.get('/api/account/orders')).body.data;
      assert.equal(o.status, 'paid');
      assert.ok(o.paid_at);

      // Stripe retries the same event (in parallel, too), and sends a second, distinct event.
      const again = await Promise.all([deliver(event), deliver(event), deliver(event)]);
      assert.ok(again.every((r) => r.status === 200));
      const second = await deliver(stripe.event('checkout.session.async_payment_succeeded', paid));
      assert.equal(second.status, 200);
      const third = await deliver(stripe.event('checkout.session.completed', paid));
      assert.equal(third.status, 200);

      assert.equal((await user.get('/api/account')).body.balance, 500);
      const topups = (await user.get('/api/account/ledger?kind=topup')).body.data;
      assert.equal(topups.length, 1);
      assert.equal(topups[0].amount, 500);
      assert.ok(topups[0].note.includes(order.id));
      const sums = await server.platform.ledger.sums(user.userId);
      assert.equal(sums.amount, 500 * MICRO, 'kept in micro-credits, shown in credits');
    });

    test('many distinct events for one order at once still credit it once', async () => {
      const { user, session } = await startCheckout('starter');
      const paid = { ...session, status: 'complete', payment_status: 'paid' };
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => deliver(stripe.event(i % 2 ? 'checkout.session.completed' : 'checkout.session.async_payment_succeeded', paid))));
      assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.map((r) => r.status)));
      assert.equal((await user.get('/api/account')).body.balance, 500);
      assert.equal((await user.get('/api/account/ledger?kind=topup')).body.data.length, 1);
    });

    test('delayed payment: completed-but-unpaid waits, async_payment_succeeded pays', async () => {
      const { user, session } = await startCheckout('starter');
      const waiting = await deliver(stripe.event('checkout.session.completed', { ...session, status: 'complete', payment_status: 'unpaid' }));
      assert.equal(waiting.status, 200);
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'pending');
      assert.equal((await user.get('/api/account')).body.balance, 0);
      await deliver(stripe.event('checkout.session.async_payment_succeeded', { ...session, status: 'complete', payment_status: 'paid' }));
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'paid');
      assert.equal((await user.get('/api/account')).body.balance, 500);
    });

    test('an expired session expires its order, and a late payment event cannot pay it', async () => {
      const { user, session } = await startCheckout('starter');
      assert.equal((await deliver(stripe.event('checkout.session.expired', { ...session, status: 'expired' }))).status, 200);
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'expired');
      await deliver(stripe.event('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid' }));
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'expired');
      assert.equal((await user.get('/api/account')).body.balance, 0);
    });

    test('async_payment_failed fails the order', async () => {
      const { user, session } = await startCheckout('starter');
      await deliver(stripe.event('checkout.session.async_payment_failed', { ...session, status: 'complete', payment_status: 'unpaid' }));
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'failed');
    });

    test('bad signatures are 400 invalid_signature and change nothing', async () => {
      const { user, session } = await startCheckout('starter');
      const paid = { ...session, status: 'complete', payment_status: 'paid' };
      const good = stripe.event('checkout.session.completed', paid);
      expectError(await deliver({ payload: good.payload, signature: stripe.event('checkout.session.completed', paid, { secret: 'whsec_wrong' }).signature }), 400, 'invalid_signature');
      expectError(await deliver({ payload: good.payload.replace('"paid"', '"paid" '), signature: good.signature }), 400, 'invalid_signature');
      expectError(await deliver({ payload: good.payload, signature: '' }), 400, 'invalid_signature');
      expectError(await deliver({ payload: good.payload, signature: 't=1,v1=deadbeef' }), 400, 'invalid_signature');
      const stale = stripe.event('checkout.session.completed', paid, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      expectError(await deliver(stale), 400, 'invalid_signature');
      assert.equal((await user.get('/api/account/orders')).body.data[0].status, 'pending');
      assert.equal((await user.get('/api/account')).body.balance, 0);
      // The good delivery still works afterwards (a refused one is not remembered as handled).
      assert.equal((await deliver(good)).status, 200);
      assert.equal((await user.get('/api/account')).body.balance, 500);
    });

    test('events for sessions that are not ours, and other event types, are acknowledged and ignored', async () => {
      const stranger = await deliver(stripe.event('checkout.session.completed', { id: 'cs_test_other', object: 'checkout.session', payment_status: 'paid', metadata: {} }));
      assert.equal(stranger.status, 200);
      const other = await deliver(stripe.event('customer.created', { id: 'cus_1', object: 'customer' }));
      assert.equal(other.status, 200);
      // An event naming our order but another session id does not pay it.
      const { user, order } = await startCheckout('starter');
      await deliver(stripe.event('checkout.session.completed', { id: 'cs_test_forged', object: 'checkout.session', payment_status: 'paid', metadata: { order_id: order.id } }));
      assert.equal((await user.get('/api/account')).body.balance, 0);
    });

    test('the webhook route takes raw bodies of any type while the rest of the API stays JSON-only', async () => {
      const { user, session } = await startCheckout('starter');
      const ev = stripe.event('checkout.session.completed', { ...session, payment_status: 'paid' });
      // Whatever content type arrives, the signature is checked on the exact bytes.
      const res = await deliver(ev, { 'content-type': 'text/plain' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await user.get('/api/account')).body.balance, 500);
      // ...while the public API still takes JSON only (the key is checked first, then the body).
      const { key } = await server.account({ test: true });
      const gen = await server.api('POST', '/api/v1/images/generations', { raw: 'x', key, headers: { 'content-type': 'text/plain' } });
      assert.equal(gen.status, 415);
    });
  });
}
