// One account on the admin pages: its keys, tasks and ledger; setting its password; making it an
// administrator (or not). And the first-run checklist of a new install. The scope's hooks have
// checked the session, CSRF and the admin flag.
import type { FastifyInstance } from 'fastify';
import { AppError, invalidParam } from '../../../lib/app-error.js';
import { adminUserView } from '../../../services/admin.js';
import { publicKey } from '../../../services/api-keys.js';
import { publicEntry } from '../../../services/ledger.js';
import { baseUrl, presentTask } from '../../present.js';
import { parseLimit } from '../tasks.js';
import { LEDGER_KINDS, TASK_STATUSES } from './account.js';
import type { DashboardDeps } from './deps.js';
import { oneOf, readBody, requiredString } from './input.js';
import { auth } from './session-guard.js';

type Query = Record<string, string | undefined>;
const MAX_PASSWORD = 1024;

export function adminUserRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, sessions } = d;

  const requireUser = async (id: string) => {
    const user = await platform.users.findById(id);
    if (!user) throw new AppError(404, 'user_not_found', `No user with id '${id}'.`, { param: 'id' });
    return user;
  };

  app.get<{ Params: { id: string } }>('/api/admin/users/:id', async (req) => {
    const user = await requireUser(req.params.id);
    return { ...adminUserView(user), keys: (await platform.keys.list(user.id)).map(publicKey) };
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/admin/users/:id/tasks', async (req) => {
    const user = await requireUser(req.params.id);
    const limit = parseLimit(req.query.limit);
    const status = oneOf(req.query.status, 'status', TASK_STATUSES);
    const rows = await platform.tasks.list(user.id, { limit: limit + 1, before: req.query.starting_after || undefined, status, model: req.query.model || undefined });
    const base = baseUrl(req, platform.settings.publicUrl);
    return { object: 'list', data: rows.slice(0, limit).map((t) => presentTask(t, base)), has_more: rows.length > limit };
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/admin/users/:id/ledger', async (req) => {
    const user = await requireUser(req.params.id);
    const limit = parseLimit(req.query.limit);
    const kind = oneOf(req.query.kind, 'kind', LEDGER_KINDS);
    const rows = await platform.ledger.list(user.id, { limit: limit + 1, before: req.query.starting_after || undefined, kind });
    return { object: 'list', data: rows.slice(0, limit).map(publicEntry), has_more: rows.length > limit };
  });

  app.post<{ Params: { id: string } }>('/api/admin/users/:id/password', async (req, reply) => {
    const password = requiredString(readBody(req.body, ['password']), 'password', MAX_PASSWORD);
    const user = await requireUser(req.params.id);
    await platform.users.setPassword(user.id, password);
    // Whoever knew the old password is signed out (the admin keeps this session when it is their own account).
    const me = auth(req);
    if (user.id === me.user.id) await sessions.destroyOthers(user.id, me.session.token_hash);
    else await sessions.destroyAll(user.id);
    req.log.info({ admin: me.user.id, userId: user.id }, 'admin set a user’s password');
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/admin/users/:id/admin', async (req) => {
    const body = readBody(req.body, ['admin']);
    if (typeof body.admin !== 'boolean') throw invalidParam('admin', "'admin' must be true or false.", body.admin === undefined ? 'missing_parameter' : 'invalid_parameter');
    if (!body.admin && req.params.id === auth(req).user.id)
      throw new AppError(400, 'cannot_demote_self', 'You cannot take away your own administrator rights; ask another administrator.', { param: 'id' });
    await requireUser(req.params.id);
    const user = await platform.users.setAdmin(req.params.id, body.admin);
    req.log.info({ admin: auth(req).user.id, userId: user.id, is_admin: body.admin }, 'admin changed a user’s administrator rights');
    return adminUserView(user);
  });

  /** The first-run checklist: connect a provider, set a price, make a key. */
  app.get('/api/admin/setup', async (req) => {
    const { user } = auth(req);
    await platform.connections.load();
    const provider = platform.catalog.nodes.some((n) => n.provider !== 'local' && n.missing.length === 0);
    const priced = await platform.db.selectFrom('model_overrides').select('model_id').where('unit_price_micro', 'is not', null).limit(1).executeTakeFirst();
    const key = await platform.db.selectFrom('api_keys').select('id').where('user_id', '=', user.id).limit(1).executeTakeFirst();
    const steps = [
      { id: 'connect_provider', done: provider },
      { id: 'set_price', done: Boolean(priced) },
      { id: 'create_key', done: Boolean(key) },
    ];
    return { steps, done: steps.every((s) => s.done) };
  });
}
