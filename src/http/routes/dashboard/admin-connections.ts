// Provider connections on the admin pages (docs/dashboard-api.md, "Providers"): list, add, edit,
// disable, delete and test. The scope's hooks have checked the session, CSRF and the admin flag.
// Request bodies may hold an API key: they are never logged, and answers show its last four
// characters only.
import type { FastifyInstance } from 'fastify';
import type { ConnectionView } from '../../../services/connections/service.js';
import type { DashboardDeps } from './deps.js';
import { readBody } from './input.js';
import { auth } from './session-guard.js';

/** The field names a change touched (never their values: one may be a key). */
const changedFields = (body: unknown) => (body && typeof body === 'object' ? Object.keys(body) : []);

export function adminConnectionRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform } = d;
  const { connections, router } = platform;
  const withHealth = (c: ConnectionView) => ({ ...c, state: c.configured ? router.state(c.id) : null });

  app.get('/api/admin/providers', async () => ({ object: 'list', data: connections.providers() }));

  app.get('/api/admin/connections', async () => {
    // Another process may have changed them a moment ago: read them fresh for the admin.
    await connections.load();
    return { object: 'list', data: connections.list().map(withHealth) };
  });

  app.get<{ Params: { id: string } }>('/api/admin/connections/:id', async (req) => withHealth(connections.get(req.params.id)));

  app.post('/api/admin/connections', async (req, reply) => {
    const created = await connections.create(req.body, auth(req).user.id);
    req.log.info({ admin: auth(req).user.id, connection: created.id, provider: created.provider, models: created.models }, 'admin added a provider connection');
    return reply.status(201).send(withHealth(created));
  });

  app.post('/api/admin/connections/test', async (req) => {
    const result = await connections.testDraft(req.body);
    return { object: 'connection_test', ...result };
  });

  app.patch<{ Params: { id: string } }>('/api/admin/connections/:id', async (req) => {
    const updated = await connections.update(req.params.id, req.body, auth(req).user.id);
    req.log.info({ admin: auth(req).user.id, connection: updated.id, fields: changedFields(req.body) }, 'admin changed a provider connection');
    return withHealth(updated);
  });

  app.delete<{ Params: { id: string } }>('/api/admin/connections/:id', async (req, reply) => {
    await connections.remove(req.params.id);
    req.log.info({ admin: auth(req).user.id, connection: req.params.id }, 'admin deleted a provider connection');
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/admin/connections/:id/test', async (req) => {
    readBody(req.body, []);
    const result = await connections.test(req.params.id);
    return { object: 'connection_test', ...result };
  });
}
