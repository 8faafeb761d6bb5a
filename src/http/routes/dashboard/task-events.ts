// GET /api/account/tasks/{id}/events: the dashboard follows one of the user's tasks live
// (Server-Sent Events, the same stream as the API's; EventSource sends the session cookie).
import type { FastifyInstance } from 'fastify';
import { baseUrl } from '../../present.js';
import { OpenStreams, streamTaskEvents } from '../../task-event-stream.js';
import type { DashboardDeps } from './deps.js';
import { auth } from './session-guard.js';

export function dashboardTaskEventRoutes(app: FastifyInstance, { platform }: DashboardDeps): void {
  const streams = new OpenStreams(app);
  app.get<{ Params: { id: string } }>('/api/account/tasks/:id/events', async (req, reply) => {
    const { user } = auth(req);
    const task = await platform.tasks.getOwned(req.params.id, user.id);
    await streamTaskEvents(req, reply, { platform, task, base: baseUrl(req, platform.settings.publicUrl), streams });
  });
}
