// Account webhook endpoints through the API, as at Stripe: the key's mode decides whether they are
// test or live endpoints (test endpoints receive test tasks' events only). The signing secret is
// in the answers to POST (create) and rotate only.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { publicEndpoint, WEBHOOK_EVENTS, type WebhookEventType } from '../../services/webhooks/endpoints.js';
import { MAX_WEBHOOK_URL } from '../../services/webhooks/target.js';
import type { HttpDeps } from '../deps.js';

export const EndpointBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: MAX_WEBHOOK_URL, description: 'Where to POST the events: an http(s) URL on a public address.' }),
    events: Type.Optional(
      Type.Array(Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e))), { minItems: 1, uniqueItems: true, description: `Which events to send; default all: ${WEBHOOK_EVENTS.join(', ')}.` }),
    ),
  },
  { additionalProperties: false },
);
const EndpointId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['webhooks'];

export function webhookRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  const { webhooks } = platform;

  app.post<{ Body: { url: string; events?: WebhookEventType[] } }>(
    '/api/v1/webhook_endpoints',
    { schema: { body: EndpointBody, summary: 'Create a webhook endpoint (the answer holds its signing secret, shown once)', tags } },
    async (req, reply) => {
      const { user, key } = req.apiAuth;
      const url = await webhooks.checkUrl(req.body.url);
      const endpoint = await webhooks.endpoints.create(user.id, key.livemode === 1, { url, events: req.body.events });
      return reply.status(201).send(publicEndpoint(endpoint, { withSecret: true }));
    },
  );

  app.get('/api/v1/webhook_endpoints', { schema: { summary: "List the account's webhook endpoints of the key's mode", tags } }, async (req) => {
    const { user, key } = req.apiAuth;
    return { object: 'list', data: (await webhooks.endpoints.list(user.id, key.livemode === 1)).map((e) => publicEndpoint(e)), has_more: false };
  });

  app.get<{ Params: { id: string } }>('/api/v1/webhook_endpoints/:id', { schema: { params: EndpointId, summary: 'Retrieve a webhook endpoint', tags } }, async (req) => {
    const { user, key } = req.apiAuth;
    return publicEndpoint(await webhooks.endpoints.getOwned(req.params.id, user.id, key.livemode === 1));
  });

  app.delete<{ Params: { id: string } }>('/api/v1/webhook_endpoints/:id', { schema: { params: EndpointId, summary: 'Delete a webhook endpoint (its pending deliveries are dropped)', tags } }, async (req) => {
    const { user, key } = req.apiAuth;
    await webhooks.endpoints.delete(req.params.id, user.id, key.livemode === 1);
    return { id: req.params.id, object: 'webhook_endpoint', deleted: true };
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/webhook_endpoints/:id/rotate',
    { schema: { params: EndpointId, summary: 'Rotate the signing secret (the old one keeps signing alongside for 24 h)', tags } },
    async (req) => {
      const { user, key } = req.apiAuth;
      return publicEndpoint(await webhooks.endpoints.rotate(req.params.id, user.id, key.livemode === 1), { withSecret: true });
    },
  );
}
