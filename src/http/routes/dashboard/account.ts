// The signed-in user's own account: balance, API keys, ledger, tasks, usage, codes, orders.
// The scope's hooks have already checked the session (and CSRF on changes). Money goes out as
// decimal credits (and comes in that way); inside it is micro-credits.
import type { FastifyInstance } from 'fastify';
import type { LedgerKind } from '../../../db/schema.js';
import { invalidParam } from '../../../lib/app-error.js';
import { toCredits } from '../../../lib/credits.js';
import { type KeyChanges, parseKeyExpiry, publicKey } from '../../../services/api-keys.js';
import { ledgerStatement, STATEMENT_KINDS } from '../../../services/ledger-statement.js';
import { publicEntry } from '../../../services/ledger.js';
import type { TaskStatus } from '../../../services/tasks.js';
import { publicOrder } from '../../../services/billing.js';
import { baseUrl, presentTask } from '../../present.js';
import { parseLimit } from '../tasks.js';
import type { DashboardDeps } from './deps.js';
import { type Body, creditAmount, oneOf, optionalBoolean, optionalString, queryInteger, readBody, requiredString } from './input.js';
import { auth, presentUser } from './session-guard.js';

export const LEDGER_KINDS: readonly LedgerKind[] = ['grant', 'topup', 'redeem', 'hold', 'capture', 'release', 'adjustment'];
export const TASK_STATUSES: readonly TaskStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
const MAX_KEY_NAME = 100;
const MAX_ALLOWED_MODELS = 50;
const MAX_CREDIT_LIMIT = 1_000_000_000;
const EDITABLE_KEY_FIELDS = ['name', 'expires_at', 'credit_limit', 'allowed_models'];

type Query = Record<string, string | undefined>;

export function accountRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, usage, codes, billing, redeemThrottle } = d;

  /** `allowed_models` of a key: catalog ids, or null (also for `[]`) for every model. */
  function allowedModelsInput(raw: unknown): string[] | null {
    if (raw === undefined || raw === null) return null;
    if (!Array.isArray(raw) || raw.length > MAX_ALLOWED_MODELS || !raw.every((m) => typeof m === 'string'))
      throw invalidParam('allowed_models', `'allowed_models' must be a list of up to ${MAX_ALLOWED_MODELS} model ids, or null for every model.`);
    const unknown = raw.filter((m) => !platform.catalog.model(m));
    if (unknown.length) throw invalidParam('allowed_models', `Unknown model(s): ${unknown.join(', ')}. See GET /api/v1/models.`);
    return raw.length ? [...new Set(raw as string[])] : null;
  }

  const creditLimitInput = (raw: unknown) => (raw === undefined || raw === null ? null : creditAmount(raw, 'credit_limit', { min: 0, max: MAX_CREDIT_LIMIT }));

  /** The parts of POST /api/account/keys, checked. */
  function keyInput(body: Body) {
    const name = optionalString(body, 'name', MAX_KEY_NAME)?.trim();
    const test = optionalBoolean(body, 'test');
    const rawExpiry = optionalString(body, 'expires_at', 64);
    const expiresAt = rawExpiry === undefined ? null : parseKeyExpiry(rawExpiry);
    return { name, test, expiresAt, creditLimit: creditLimitInput(body.credit_limit), allowedModels: allowedModelsInput(body.allowed_models) };
  }

  /** The parts of PATCH /api/account/keys/:id: only the fields sent change; null clears one. */
  function keyChanges(body: Body): KeyChanges {
    if (!EDITABLE_KEY_FIELDS.some((f) => f in body))
      throw invalidParam('name', `Send at least one of ${EDITABLE_KEY_FIELDS.join(', ')}.`, 'missing_parameter');
    const changes: KeyChanges = {};
    if ('name' in body) {
      const name = requiredString(body, 'name', MAX_KEY_NAME).trim();
      if (!name) throw invalidParam('name', "'name' must not be blank.");
      changes.name = name;
    }
    if ('expires_at' in body) {
      const raw = optionalString(body, 'expires_at', 64);
      changes.expiresAt = raw === undefined ? null : parseKeyExpiry(raw);
    }
    if ('credit_limit' in body) changes.creditLimit = creditLimitInput(body.credit_limit);
    if ('allowed_models' in body) changes.allowedModels = allowedModelsInput(body.allowed_models);
    return changes;
  }

  app.get('/api/account', async (req) => {
    const { user } = auth(req);
    const { balance, reserved } = await platform.ledger.balances(user.id);
    return { user: presentUser(user), balance: toCredits(balance), reserved: toCredits(reserved) };
  });

  app.get('/api/account/keys', async (req) => {
    const { user } = auth(req);
    return { object: 'list', data: (await platform.keys.list(user.id)).map(publicKey) };
  });

  app.post('/api/account/keys', async (req, reply) => {
    const { user } = auth(req);
    const input = keyInput(readBody(req.body, ['name', 'test', 'expires_at', 'credit_limit', 'allowed_models']));
    const { key, record } = await platform.keys.create(user.id, input);
    return reply.status(201).send({ ...publicKey(record), key });
  });

  app.patch<{ Params: { id: string } }>('/api/account/keys/:id', async (req) => {
    const { user } = auth(req);
    const changes = keyChanges(readBody(req.body, EDITABLE_KEY_FIELDS));
    return publicKey(await platform.keys.update(req.params.id, user.id, changes));
  });

  app.post<{ Params: { id: string } }>('/api/account/keys/:id/roll', async (req) => {
    const { user } = auth(req);
    readBody(req.body, []);
    const { key, record } = await platform.keys.roll(req.params.id, user.id);
    return { ...publicKey(record), key };
  });

  app.post<{ Params: { id: string } }>('/api/account/keys/:id/revoke', async (req) => {
    const { user } = auth(req);
    readBody(req.body, []);
    return publicKey(await platform.keys.revoke(req.params.id, user.id));
  });

  app.get<{ Querystring: Query }>('/api/account/ledger', async (req) => {
    const { user } = auth(req);
    const limit = parseLimit(req.query.limit);
    const before = req.query.starting_after || undefined;
    if (oneOf(req.query.view, 'view', ['entries', 'statement']) === 'statement') {
      const kind = oneOf(req.query.kind, 'kind', STATEMENT_KINDS);
      const { lines, hasMore } = await ledgerStatement(platform.db, user.id, { limit, before, kind });
      return { object: 'list', data: lines, has_more: hasMore };
    }
    const kind = oneOf(req.query.kind, 'kind', LEDGER_KINDS);
    const rows = await platform.ledger.list(user.id, { limit: limit + 1, before, kind });
    return { object: 'list', data: rows.slice(0, limit).map(publicEntry), has_more: rows.length > limit };
  });

  app.get<{ Querystring: Query }>('/api/account/tasks', async (req) => {
    const { user } = auth(req);
    const limit = parseLimit(req.query.limit);
    const status = oneOf(req.query.status, 'status', TASK_STATUSES);
    const rows = await platform.tasks.list(user.id, { limit: limit + 1, before: req.query.starting_after || undefined, status, model: req.query.model || undefined });
    const base = baseUrl(req, platform.settings.publicUrl);
    return { object: 'list', data: rows.slice(0, limit).map((t) => presentTask(t, base)), has_more: rows.length > limit };
  });

  app.get<{ Params: { id: string } }>('/api/account/tasks/:id', async (req) => {
    const { user } = auth(req);
    return presentTask(await platform.tasks.getOwned(req.params.id, user.id), baseUrl(req, platform.settings.publicUrl));
  });

  app.get<{ Querystring: Query }>('/api/account/usage', async (req) => {
    const { user } = auth(req);
    return usage.report(user.id, queryInteger(req.query.days, 'days', 30, 1, 90));
  });

  app.post('/api/account/redeem', async (req) => {
    const { user } = auth(req);
    const code = requiredString(readBody(req.body, ['code']), 'code', 64);
    const throttleKey = `redeem:${user.id}`;
    // The slot is taken before the lookup, so a parallel burst of guesses cannot slip through.
    const attempt = await redeemThrottle.reserve(throttleKey, undefined);
    try {
      const { creditsMicro, balanceMicro } = await codes.redeem(user.id, code);
      await attempt.release();
      return { credits: toCredits(creditsMicro), balance: toCredits(balanceMicro) };
    } catch (err) {
      // A code that does not exist is a guess and keeps its slot; any other refusal does not count.
      if ((err as { code?: string }).code !== 'code_not_found') await attempt.release();
      throw err;
    }
  });

  app.get('/api/account/orders', async (req) => {
    const { user } = auth(req);
    return { object: 'list', data: (await billing.listOrders(user.id)).map(publicOrder) };
  });

  app.post('/api/account/checkout', async (req) => {
    const { user } = auth(req);
    const body = readBody(req.body, ['pack_id']);
    const dashboard = platform.settings.dashboardUrl || `${baseUrl(req, platform.settings.publicUrl)}/dashboard`;
    const { url, order } = await billing.checkout(user, body.pack_id, `${dashboard}/billing`);
    return { url, order: publicOrder(order) };
  });
}
