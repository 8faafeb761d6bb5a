// A fake Stripe API on 127.0.0.1 for the billing tests: `POST /v1/checkout/sessions` and
// `GET /v1/checkout/sessions/:id` the way Stripe answers them (form-encoded requests with
// bracketed keys, Bearer secret key, Idempotency-Key replays, Stripe's error body), plus helpers
// that sign webhook events with the real `stripe` package the way Stripe signs them.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import Stripe from 'stripe';

export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form body decoded into nested objects, e.g. `{metadata: {order_id: '...'}}`. */
  form: Record<string, any>;
}

export interface FakeStripe {
  /** For STRIPE_API_BASE. */
  url: string;
  secretKey: string;
  webhookSecret: string;
  requests: RecordedStripeRequest[];
  /** Checkout Sessions made so far, by id. */
  sessions: Map<string, any>;
  /** Answer the next `n` API requests with this Stripe error. */
  failNext(n: number, status: number, error?: { type: string; message: string; code?: string }): void;
  /** A signed webhook delivery of `type` about a session: the body and its Stripe-Signature. */
  event(type: string, session: object, opts?: { id?: string; secret?: string; timestamp?: number }): { id: string; payload: string; signature: string };
  close(): Promise<void>;
}

/** `a[b][0][c]=x` form fields into `{a: {b: [{c: 'x'}]}}`. */
export function decodeForm(body: string): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: any = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return root;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': `req_${randomBytes(7).toString('hex')}` });
  res.end(text);
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const requests: RecordedStripeRequest[] = [];
  const sessions = new Map<string, any>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const failures: Array<{ status: number; error: object }> = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = decodeForm(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, form });
      if (req.headers.authorization !== `Bearer ${secretKey}`)
        return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
      const failure = failures.shift();
      if (failure) return send(res, failure.status, { error: failure.error });
      const idem = req.headers['idempotency-key'];
      if (req.method === 'POST' && typeof idem === 'string' && idempotent.has(idem)) {
        const saved = idempotent.get(idem)!;
        res.setHeader('idempotent-replayed', 'true');
        return send(res, saved.status, saved.body);
      }
      const answer = route(req.method ?? 'GET', url.pathname, form);
      if (req.method === 'POST' && typeof idem === 'string') idempotent.set(idem, answer);
      send(res, answer.status, answer.body);
    });
  });

  function route(method: string, path: string, form: Record<string, any>): { status: number; body: unknown } {
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const missing = ['mode', 'success_url', 'line_items'].find((f) => form[f] === undefined);
      if (missing) return { status: 400, body: { error: { type: 'invalid_request_error', message: `Missing required param: ${missing}.`, param: missing } } };
      const items = form.line_items as Array<any>;
      const total = items.reduce((sum, item) => sum + Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1), 0);
      const id = `cs_test_${randomBytes(24).toString('hex')}`;
      const session = {
        id,
        object: 'checkout.session',
        amount_subtotal: total,
        amount_total: total,
        cancel_url: form.cancel_url ?? null,
        client_reference_id: form.client_reference_id ?? null,
        created: Math.floor(Date.now() / 1000),
        currency: items[0]?.price_data?.currency ?? 'usd',
        customer_email: form.customer_email ?? null,
        expires_at: Math.floor(Date.now() / 1000) + 24 * 3600,
        livemode: false,
        metadata: form.metadata ?? {},
        mode: form.mode,
        payment_intent: null,
        payment_status: 'unpaid',
        status: 'open',
        success_url: form.success_url,
        url: `https://checkout.stripe.com/c/pay/${id}#fake`,
      };
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    const get = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && get) {
      const session = sessions.get(get[1]!);
      if (session) return { status: 200, body: session };
      return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${get[1]}'` } } };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    requests,
    sessions,
    failNext(n, status, error = { type: 'api_error', message: 'Something went wrong on Stripe’s end.' }) {
      for (let i = 0; i < n; i++) failures.push({ status, error });
    },
    event(type, session, opts = {}) {
      const id = opts.id ?? `evt_${randomBytes(12).toString('hex')}`;
      const payload = JSON.stringify(
        {
          id,
          object: 'event',
          api_version: Stripe.API_VERSION,
          created: Math.floor(Date.now() / 1000),
          data: { object: session },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type,
        },
        null,
        2,
      );
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? webhookSecret, timestamp: opts.timestamp });
      return { id, payload, signature };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
