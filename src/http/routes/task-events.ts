// GET /api/v1/tasks/{id}/events: follow a task live (Server-Sent Events). A test key follows
// test tasks only, as with every task route.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { HttpDeps } from '../deps.js';
import { baseUrl } from '../present.js';
import { LastEventIdHeaders, OpenStreams, streamTaskEvents } from '../task-event-stream.js';

const TaskId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export function taskEventRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  const streams = new OpenStreams(app);
  app.get<{ Params: { id: string } }>(
    '/api/v1/tasks/:id/events',
    {
      schema: {
        params: TaskId,
        headers: LastEventIdHeaders,
        summary: 'Follow a task: Server-Sent Events of its status changes and progress, ending with the finished task',
        tags: ['tasks'],
      },
    },
    async (req, reply) => {
      const { user, key } = req.apiAuth;
      const task = await platform.tasks.getOwned(req.params.id, user.id, key.livemode === 1);
      await streamTaskEvents(req, reply, { platform, task, base: baseUrl(req, platform.settings.publicUrl), streams });
    },
  );
}
