// The signed-in user's webhook endpoints (test and live side by side, as with keys) and the
// deliveries made to them, with a resend. The scope's hooks have checked the session and CSRF.
import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../../../lib/app-error.js';
import { DELIVERY_STATUSES, publicDelivery } from '../../../services/webhooks/deliveries.js';
import { publicEndpoint, WEBHOOK_EVENTS, type WebhookEventType } from '../../../services/webhooks/endpoints.js';
import { MAX_WEBHOOK_URL } from '../../../services/webhooks/target.js';
import { parseLimit } from '../tasks.js';
import type { DashboardDeps } from './deps.js';
import { type Body, oneOf, optionalBoolean, readBody, requiredString } from './input.js';
import { auth } from './session-guard.js';

type Query = Record<string, string | undefined>;

function eventsOf(body: Body): WebhookEventType[] | undefined {
  const raw = body.events;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e)))
    throw invalidParam('events', `'events' must be a non-empty list of: ${WEBHOOK_EVENTS.join(', ')}.`);
  return raw as WebhookEventType[];
}

export function dashboardWebhookRoutes(app: FastifyInstance, { platform }: DashboardDeps): void {
  const { webhooks } = platform;

  app.get('/api/account/webhook_endpoints', async (req) => {
    const { user } = auth(req);
    return { object: 'list', data: (await webhooks.endpoints.list(user.id)).map((e) => publicEndpoint(e)) };
  });

  app.post('/api/account/webhook_endpoints', async (req, reply) => {
    const { user } = auth(req);
    const body = readBody(req.body, ['url', 'events', 'test']);
    const url = await webhooks.checkUrl(requiredString(body, 'url', MAX_WEBHOOK_URL));
    const endpoint = await webhooks.endpoints.create(user.id, !optionalBoolean(body, 'test'), { url, events: eventsOf(body) });
    return reply.status(201).send(publicEndpoint(endpoint, { withSecret: true }));
  });

  app.delete<{ Params: { id: string } }>('/api/account/webhook_endpoints/:id', async (req) => {
    const { user } = auth(req);
    await webhooks.endpoints.delete(req.params.id, user.id);
    return { id: req.params.id, object: 'webhook_endpoint', deleted: true };
  });

  app.post<{ Params: { id: string } }>('/api/account/webhook_endpoints/:id/rotate', async (req) => {
    const { user } = auth(req);
    readBody(req.body, []);
    return publicEndpoint(await webhooks.endpoints.rotate(req.params.id, user.id), { withSecret: true });
  });

  app.get<{ Querystring: Query }>('/api/account/webhook_deliveries', async (req) => {
    const { user } = auth(req);
    const limit = parseLimit(req.query.limit);
    const rows = await webhooks.deliveries.list(user.id, {
      limit: limit + 1,
      before: req.query.starting_after || undefined,
      endpointId: req.query.endpoint_id || undefined,
      taskId: req.query.task_id || undefined,
      status: oneOf(req.query.status, 'status', DELIVERY_STATUSES),
    });
    return { object: 'list', data: rows.slice(0, limit).map(publicDelivery), has_more: rows.length > limit };
  });

  app.post<{ Params: { id: string } }>('/api/account/webhook_deliveries/:id/resend', async (req) => {
    const { user } = auth(req);
    readBody(req.body, []);
    const delivery = await webhooks.deliveries.resend(req.params.id, user.id);
    webhooks.kick();
    return publicDelivery(delivery);
  });
}
