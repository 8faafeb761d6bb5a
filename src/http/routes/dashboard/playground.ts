// The dashboard's playground runs tasks on the signed-in session with one of the user's own keys,
// chosen by id: the browser never holds a secret. Each modality has its route, whose body is the
// public API's request body (validated by the same schema); the task is made by `submitTask`
// exactly as the public route makes it, so it counts toward that key's limits and spending.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ModelConfig } from '../../../config/catalog-schema.js';
import { AppError, invalidParam } from '../../../lib/app-error.js';
import { modalityList } from '../../../modalities/registry.js';
import { type ApiKey, isExpired } from '../../../services/api-keys.js';
import { submitTask } from '../../../services/submit-task.js';
import { baseUrl, presentTask } from '../../present.js';
import { presentFile } from '../uploads.js';
import { readUploadedFile, registerUploadParser } from '../../upload-body.js';
import type { DashboardDeps } from './deps.js';
import { auth } from './session-guard.js';

const MAX_WAIT_S = 60;

const KeyQuery = Type.Object(
  {
    key_id: Type.String({ minLength: 1, maxLength: 100, description: 'One of your API keys, by id: the task runs as if sent with it.' }),
    wait: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: `Seconds to hold the answer for the finished task (at most ${MAX_WAIT_S}); 0 = at once.` })),
  },
  { additionalProperties: false },
);
const FileQuery = Type.Object({ key_id: KeyQuery.properties.key_id }, { additionalProperties: false });

/** The user's key for a playground run: theirs, not revoked, not expired. */
export async function usableKey(d: DashboardDeps, keyId: string, userId: string): Promise<ApiKey> {
  const key = await d.platform.keys.getOwned(keyId, userId).catch(() => {
    throw invalidParam('key_id', `You have no API key with id '${keyId}'.`);
  });
  if (key.revoked_at) throw new AppError(409, 'api_key_revoked', 'That API key has been revoked. Choose another key or create one.', { param: 'key_id' });
  if (isExpired(key.expires_at)) throw new AppError(409, 'api_key_expired', 'That API key has expired. Choose another key or create one.', { param: 'key_id' });
  return key;
}

export async function playgroundRoutes(app: FastifyInstance, d: DashboardDeps): Promise<void> {
  const { platform, limiter } = d;
  await registerUploadParser(app, platform.settings.maxInputBytes);

  for (const modality of modalityList()) {
    const models: ModelConfig[] = platform.catalog.models.filter((m) => m.type === modality.type);
    if (models.length === 0) continue;
    app.post<{ Querystring: { key_id: string; wait?: string } }>(
      `/api/account/playground/${modality.type}`,
      { schema: { body: modality.requestSchema(models), querystring: KeyQuery, summary: `Playground: ${modality.summary}` } },
      async (req, reply) => {
        const { user } = auth(req);
        const key = await usableKey(d, req.query.key_id, user.id);
        await limiter.take(key.id);
        void platform.keys.touch(key.id).catch(() => undefined);
        const base = baseUrl(req, platform.settings.publicUrl);
        const res = await submitTask(platform, {
          user,
          key,
          type: modality.type,
          body: req.body as Record<string, unknown>,
          waitSeconds: Math.min(MAX_WAIT_S, Number(req.query.wait ?? 0)),
          requestId: req.id,
          present: (task) => presentTask(task, base),
        });
        return reply.status(res.status).send(res.body);
      },
    );
  }

  /** An input image too large to send inline, stored for the chosen key's mode (as POST /api/v1/files). */
  app.post<{ Querystring: { key_id: string } }>('/api/account/playground/files', { schema: { querystring: FileQuery } }, async (req, reply) => {
    const { user } = auth(req);
    const key = await usableKey(d, req.query.key_id, user.id);
    const { filename, data } = await readUploadedFile(req, platform.settings.maxInputBytes);
    const file = await platform.uploads.create({ userId: user.id, livemode: key.livemode === 1, filename, data });
    return reply.status(201).send(presentFile(file, baseUrl(req, platform.settings.publicUrl)));
  });
}
