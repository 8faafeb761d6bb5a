// Operator routes: users and credits, redemption codes, model overrides, nodes, all tasks; one
// user's details (admin-users.ts) and provider connections (admin-connections.ts).
// The scope's hooks have already checked the session, CSRF on changes, and the admin flag.
// Amounts come in and go out as decimal credits; inside they are micro-credits.
import type { FastifyInstance } from 'fastify';
import { AppError, invalidParam } from '../../../lib/app-error.js';
import { toCredits } from '../../../lib/credits.js';
import { adminUserView } from '../../../services/admin.js';
import { parseKeyExpiry } from '../../../services/api-keys.js';
import { publicEntry } from '../../../services/ledger.js';
import { MAX_CODES_PER_BATCH, MAX_CODE_CREDITS, publicCode } from '../../../services/redemption-codes.js';
import { baseUrl, presentTask } from '../../present.js';
import { presentModel } from '../models.js';
import { nodeHealth } from '../nodes.js';
import { parseLimit } from '../tasks.js';
import { adminConnectionRoutes } from './admin-connections.js';
import { adminUserRoutes } from './admin-users.js';
import type { DashboardDeps } from './deps.js';
import { TASK_STATUSES } from './account.js';
import { oneOf, optionalString, readBody, requiredCredits, requiredInteger, requiredString } from './input.js';
import { auth } from './session-guard.js';

type Query = Record<string, string | undefined>;
const MAX_GRANT = 1_000_000_000;
const CSV_MAX_ROWS = 100_000;

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function adminRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, admin, codes } = d;
  adminUserRoutes(app, d);
  adminConnectionRoutes(app, d);

  const requireUser = async (id: string) => {
    const user = await platform.users.findById(id);
    if (!user) throw new AppError(404, 'user_not_found', `No user with id '${id}'.`, { param: 'id' });
    return user;
  };

  const modelAdminView = (id: string) => {
    const model = platform.catalog.model(id)!;
    const override = platform.overrides.get(id);
    return {
      ...presentModel(platform, model),
      override: override
        ? {
            enabled: override.enabled === null ? null : override.enabled === 1,
            price_credits: override.unit_price_micro === null ? null : toCredits(override.unit_price_micro),
            updated_at: override.updated_at,
          }
        : null,
      catalog_file: platform.catalog.fileValuesOf(id) ?? null,
    };
  };

  app.get<{ Querystring: Query }>('/api/admin/users', async (req) => {
    const limit = parseLimit(req.query.limit);
    const rows = await admin.listUsers({ q: req.query.q || undefined, limit: limit + 1, before: req.query.starting_after || undefined });
    return { object: 'list', data: rows.slice(0, limit).map(adminUserView), has_more: rows.length > limit };
  });

  app.post<{ Params: { id: string } }>('/api/admin/users/:id/grant', async (req) => {
    const body = readBody(req.body, ['amount', 'note']);
    const amount = requiredCredits(body, 'amount', { min: -MAX_GRANT, max: MAX_GRANT });
    const note = requiredString(body, 'note', 500).trim();
    if (!note) throw invalidParam('note', "'note' must not be blank.", 'missing_parameter');
    const user = await requireUser(req.params.id);
    const entry = await platform.ledger.credit(user.id, amount, amount > 0 ? 'grant' : 'adjustment', note);
    req.log.info({ admin: auth(req).user.id, userId: user.id, credits: toCredits(amount) }, 'admin credit change');
    return { balance: toCredits(entry.balance_after), entry: publicEntry(entry) };
  });

  app.post<{ Params: { id: string } }>('/api/admin/users/:id/disable', async (req) => {
    const body = readBody(req.body, ['disabled']);
    if (typeof body.disabled !== 'boolean') throw invalidParam('disabled', "'disabled' must be true or false.", body.disabled === undefined ? 'missing_parameter' : 'invalid_parameter');
    if (req.params.id === auth(req).user.id) throw new AppError(400, 'cannot_disable_self', 'You cannot disable your own account.', { param: 'id' });
    const user = await platform.users.setDisabled(req.params.id, body.disabled);
    req.log.info({ admin: auth(req).user.id, userId: user.id, disabled: body.disabled }, 'admin disabled/enabled a user');
    return adminUserView(user);
  });

  app.post('/api/admin/redemption-codes', async (req, reply) => {
    const body = readBody(req.body, ['count', 'credits', 'note', 'expires_at']);
    const count = requiredInteger(body, 'count', 1, MAX_CODES_PER_BATCH);
    const creditsMicro = requiredCredits(body, 'credits', { min: 0, max: MAX_CODE_CREDITS });
    const note = optionalString(body, 'note', 500)?.trim() || null;
    const rawExpiry = optionalString(body, 'expires_at', 64);
    const expiresAt = rawExpiry === undefined ? null : parseKeyExpiry(rawExpiry);
    const rows = await codes.generate({ count, creditsMicro, note, createdBy: auth(req).user.id, expiresAt });
    return reply
      .status(201)
      .send({ object: 'list', data: rows.map((c) => ({ id: c.id, code: c.code, credits: toCredits(c.credits_micro), note: c.note, created_at: c.created_at, expires_at: c.expires_at })) });
  });

  app.post<{ Params: { id: string } }>('/api/admin/redemption-codes/:id/void', async (req) => {
    readBody(req.body, []);
    const code = await codes.void(req.params.id);
    req.log.info({ admin: auth(req).user.id, code_id: code.id }, 'admin voided a redemption code');
    return publicCode(code);
  });

  app.patch<{ Params: { id: string } }>('/api/admin/redemption-codes/:id', async (req) => {
    const body = readBody(req.body, ['expires_at']);
    if (body.expires_at === undefined) throw invalidParam('expires_at', "'expires_at' is required: an ISO-8601 time in the future, or null for no expiry.", 'missing_parameter');
    const raw = optionalString(body, 'expires_at', 64);
    return publicCode(await codes.setExpiry(req.params.id, raw === undefined ? null : parseKeyExpiry(raw)));
  });

  app.get<{ Querystring: Query }>('/api/admin/redemption-codes', async (req, reply) => {
    const redeemed = oneOf(req.query.redeemed, 'redeemed', ['true', 'false'] as const);
    const filter = redeemed === undefined ? undefined : redeemed === 'true';
    if (req.query.format === 'csv') {
      const rows = await codes.list({ limit: CSV_MAX_ROWS, redeemed: filter });
      const lines = [['code', 'credits', 'note', 'created_at', 'redeemed_by', 'redeemed_by_email', 'redeemed_at', 'expires_at', 'voided_at', 'status'].join(',')];
      for (const c of rows.map(publicCode))
        lines.push([c.code, c.credits, c.note, c.created_at, c.redeemed_by, c.redeemed_by_email, c.redeemed_at, c.expires_at, c.voided_at, c.status].map(csvField).join(','));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="redemption-codes-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(`${lines.join('\r\n')}\r\n`);
    }
    if (req.query.format !== undefined && req.query.format !== 'json') throw invalidParam('format', "'format' must be csv or json.");
    const limit = parseLimit(req.query.limit, 100, 1000);
    const rows = await codes.list({ limit: limit + 1, before: req.query.starting_after || undefined, redeemed: filter });
    return { object: 'list', data: rows.slice(0, limit).map(publicCode), has_more: rows.length > limit };
  });

  app.get('/api/admin/models', async () => ({ object: 'list', data: platform.catalog.models.map((m) => modelAdminView(m.id)) }));

  app.patch<{ Params: { id: string } }>('/api/admin/models/:id', async (req) => {
    const body = readBody(req.body, ['enabled', 'price_credits']);
    await platform.overrides.set(req.params.id, body, auth(req).user.id);
    req.log.info({ admin: auth(req).user.id, model: req.params.id, change: body }, 'admin changed a model');
    return modelAdminView(req.params.id);
  });

  app.get('/api/admin/nodes', async () => ({ object: 'list', data: await nodeHealth(platform) }));

  app.get<{ Querystring: Query }>('/api/admin/tasks', async (req) => {
    const limit = parseLimit(req.query.limit);
    const status = oneOf(req.query.status, 'status', TASK_STATUSES);
    const rows = await admin.listTasks({ limit: limit + 1, before: req.query.starting_after || undefined, status, model: req.query.model || undefined, email: req.query.user || undefined });
    const base = baseUrl(req, platform.settings.publicUrl);
    return { object: 'list', data: rows.slice(0, limit).map(({ user_email, ...t }) => ({ ...presentTask(t, base), user_email })), has_more: rows.length > limit };
  });
}
