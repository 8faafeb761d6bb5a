// Public billing routes: the packs on sale, and Stripe's webhook (the only place orders are paid).
import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from './deps.js';

const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export function billingRoutes(app: FastifyInstance, { billing }: DashboardDeps): void {
  app.get('/api/billing', async () => ({ stripe_enabled: billing.enabled, packs: billing.packs() }));

  app.register(async (webhook) => {
    // The signature covers the exact bytes Stripe sent, so this route alone takes its body raw.
    webhook.removeAllContentTypeParsers();
    webhook.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    webhook.post('/api/webhooks/stripe', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (req) => {
      const signature = req.headers['stripe-signature'];
      return billing.handleWebhook(req.body as Buffer | undefined, Array.isArray(signature) ? signature[0] : signature);
    });
  });
}
