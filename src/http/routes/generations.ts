// One POST route per modality (images, videos, audio, tools), each with the body schema its
// modality derives from the catalog; the work is the submit use case's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { modalityList } from '../../modalities/registry.js';
import type { Modality } from '../../modalities/types.js';
import { submitTask } from '../../services/submit-task.js';
import type { HttpDeps } from '../deps.js';
import { baseUrl, presentTask } from '../present.js';

const MAX_WAIT_S = 60;

/** Replicate's `Prefer: wait` / `Prefer: wait=N`: seconds to hold the answer for the result. */
export function preferWaitSeconds(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : header;
  const match = value?.match(/(?:^|[,;\s])wait(?:=(\d+))?(?:$|[,;\s])/i);
  if (!match) return 0;
  const seconds = match[1] ? Number(match[1]) : MAX_WAIT_S;
  return Math.max(1, Math.min(MAX_WAIT_S, seconds));
}

export const TaskRequestHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', description: 'The first answer is kept 24 h and replayed for the same body.' },
    prefer: { type: 'string', description: '`wait` or `wait=N` (N <= 60): hold the answer for the finished task.' },
  },
};

export function generationRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  for (const modality of modalityList()) registerGeneration(app, platform, modality);
}

function registerGeneration(app: FastifyInstance, platform: HttpDeps['platform'], modality: Modality<any, any>): void {
  const models: ModelConfig[] = platform.catalog.models.filter((m) => m.type === modality.type);
  if (models.length === 0) return;
  app.post(
    modality.endpoint,
    { schema: { body: modality.requestSchema(models), headers: TaskRequestHeaders, summary: modality.summary, tags: [modality.type] }, config: { taskRoute: true } },
    async (req: FastifyRequest, reply) => {
      const { user, key } = req.apiAuth;
      const idem = req.headers['idempotency-key'];
      const base = baseUrl(req, platform.settings.publicUrl);
      const res = await submitTask(platform, {
        user,
        key,
        type: modality.type,
        body: req.body as Record<string, unknown>,
        idempotencyKey: typeof idem === 'string' && idem ? idem : undefined,
        waitSeconds: preferWaitSeconds(req.headers.prefer),
        requestId: req.id,
        present: (task) => presentTask(task, base),
      });
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      if (res.task) reply.header('location', `/api/v1/tasks/${res.task.id}`);
      return reply.status(res.status).send(res.body);
    },
  );
}
