// API keys: `aio_<40 random>` (live) or `aio_test_<40 random>` (test). Only a SHA-256 of the
// key is stored (keys are long random strings, so a fast hash is the right tool; passwords
// get scrypt). The first random characters find the row; a constant-time compare decides.
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';
import { ApiKeyCache } from './api-key-cache.js';
import type { Db } from '../db/database.js';
import type { ApiKeysTable } from '../db/schema.js';
import { AppError, invalidParam } from '../lib/app-error.js';
import { toCredits } from '../lib/credits.js';
import { newId, randomToken } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import type { User } from './users.js';

export type ApiKey = ApiKeysTable;

const LOOKUP_LEN = 8;
const KEY_PATTERN = /^aio_(test_)?([0-9A-Za-z]{40})$/;


/** The latest expiry a key may have; later years are written `+010000-...` and compare wrongly as text. */
const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$/;

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** An `expires_at` from a client: an ISO-8601 time in the future, up to 9999-12-31; stored as UTC ISO. */
export function parseKeyExpiry(raw: string, now = Date.now()): string {
  const text = raw.trim();
  const m = ISO_TIME.exec(text);
  const at = m ? Date.parse(text) : NaN;
  if (!m || Number.isNaN(at) || !realDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59)
    throw invalidParam('expires_at', "'expires_at' must be an ISO-8601 time, e.g. 2030-01-31T00:00:00Z.");
  if (at > LATEST_EXPIRY_MS) throw invalidParam('expires_at', "'expires_at' may be at most 9999-12-31T23:59:59Z.");
  if (at <= now) throw invalidParam('expires_at', "'expires_at' must be in the future.");
  return new Date(at).toISOString();
}

/** Compared as instants, not text; an expiry that does not parse counts as expired. */
export const isExpired = (expiresAt: string | null, now = Date.now()) => expiresAt !== null && !(Date.parse(expiresAt) > now);

export interface CreateKeyInput {
  name?: string;
  test?: boolean;
  expiresAt?: string | null;
  /** Micro-credits; null or absent for no limit. */
  creditLimit?: number | null;
  allowedModels?: string[] | null;
}

/** Changes to a key's settings (PATCH); undefined leaves a field as it is. */
export interface KeyChanges {
  name?: string;
  expiresAt?: string | null;
  creditLimit?: number | null;
  allowedModels?: string[] | null;
}

/** What a key looks like from the outside: never the hash; money in decimal credits. */
export function publicKey(k: ApiKey) {
  return {
    id: k.id,
    object: 'api_key' as const,
    name: k.name,
    prefix: k.prefix,
    livemode: k.livemode === 1,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    expires_at: k.expires_at,
    revoked_at: k.revoked_at,
    credit_limit: k.credit_limit === null ? null : toCredits(k.credit_limit),
    spent: toCredits(k.spent),
    allowed_models: k.allowed_models ? (JSON.parse(k.allowed_models) as string[]) : null,
  };
}

/** Throws the refusal a revoked or expired key gets. */
function admitKey(key: ApiKey): void {
  if (key.revoked_at) throw new AppError(401, 'api_key_revoked', 'That API key has been revoked.');
  if (isExpired(key.expires_at)) throw new AppError(401, 'api_key_expired', 'That API key has expired.');
}

/** The key and its user, or the refusal a revoked or expired key, or a disabled account, gets. */
function admit(key: ApiKey, user: User): { key: ApiKey; user: User } {
  admitKey(key);
  if (user.disabled) throw new AppError(403, 'account_disabled', 'This account is disabled. Contact the operator.');
  return { key, user };
}

export class ApiKeyService {
  /** Authenticated keys, dropped whenever a key or user changes anywhere (see api-key-cache.ts). */
  private readonly cache: ApiKeyCache;

  constructor(private readonly db: Db) {
    this.cache = new ApiKeyCache(db);
  }

  async create(userId: string, input: CreateKeyInput = {}): Promise<{ key: string; record: ApiKey }> {
    const secret = randomToken(40);
    const key = `aio_${input.test ? 'test_' : ''}${secret}`;
    const record: ApiKey = {
      id: newId('key'),
      user_id: userId,
      name: input.name?.trim() || (input.test ? 'Test key' : 'Live key'),
      prefix: key.slice(0, key.length - 40 + 4),
      lookup: secret.slice(0, LOOKUP_LEN),
      hash: sha256Hex(key),
      livemode: input.test ? 0 : 1,
      created_at: nowIso(),
      last_used_at: null,
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      credit_limit: input.creditLimit ?? null,
      spent: 0,
      allowed_models: input.allowedModels?.length ? JSON.stringify(input.allowedModels) : null,
    };
    await this.db.insertInto('api_keys').values(record).execute();
    return { key, record };
  }

  /** Resolves a bearer key to its row and user, or throws the 401 a client should see. */
  async authenticate(raw: string | undefined): Promise<{ key: ApiKey; user: User }> {
    if (!raw) throw new AppError(401, 'missing_api_key', 'No API key given. Send it as "Authorization: Bearer aio_...".');
    const match = KEY_PATTERN.exec(raw);
    if (!match) throw new AppError(401, 'invalid_api_key', 'That API key is not valid.');
    const hash = sha256Hex(raw);
    const rev = await this.cache.revision();
    const kept = this.cache.get(hash);
    if (kept) return admit(kept.key, kept.user);
    const candidates = await this.db.selectFrom('api_keys').selectAll().where('lookup', '=', match[2]!.slice(0, LOOKUP_LEN)).execute();
    const wanted = Buffer.from(hash, 'hex');
    const key = candidates.find((c) => timingSafeEqual(Buffer.from(c.hash, 'hex'), wanted));
    if (!key) throw new AppError(401, 'invalid_api_key', 'That API key is not valid.');
    admitKey(key);
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', key.user_id).executeTakeFirstOrThrow();
    admit(key, user);
    this.cache.set(hash, key, user, rev);
    return { key, user };
  }

  async touch(keyId: string): Promise<void> {
    const at = nowIso();
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
    this.cache.noteUse(keyId, at);
  }

  list(userId: string): Promise<ApiKey[]> {
    return this.db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  }

  /** Renames a key of `userId`. */
  async rename(keyId: string, userId: string, name: string): Promise<ApiKey> {
    const key = await this.db.updateTable('api_keys').set({ name }).where('id', '=', keyId).where('user_id', '=', userId).returningAll().executeTakeFirst();
    if (!key) throw new AppError(404, 'not_found', `No API key with id '${keyId}'.`);
    return key;
  }

  /** A key of `userId`, or the 404 another account's key (or a missing one) gets. */
  async getOwned(keyId: string, userId: string): Promise<ApiKey> {
    const key = await this.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).where('user_id', '=', userId).executeTakeFirst();
    if (!key) throw new AppError(404, 'not_found', `No API key with id '${keyId}'.`);
    return key;
  }

  /**
   * Changes a key's settings; a field left out stays as it is. `expiresAt`, `creditLimit`
   * (micro-credits) and `allowedModels` take null for none. A limit below what the key has
   * spent is allowed: the key then refuses new tasks with `key_credit_limit_reached`.
   */
  async update(keyId: string, userId: string, changes: KeyChanges): Promise<ApiKey> {
    const set: Partial<ApiKey> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.expiresAt !== undefined) set.expires_at = changes.expiresAt;
    if (changes.creditLimit !== undefined) set.credit_limit = changes.creditLimit;
    if (changes.allowedModels !== undefined) set.allowed_models = changes.allowedModels?.length ? JSON.stringify(changes.allowedModels) : null;
    if (Object.keys(set).length === 0) return this.getOwned(keyId, userId);
    const key = await this.db.updateTable('api_keys').set(set).where('id', '=', keyId).where('user_id', '=', userId).returningAll().executeTakeFirst();
    if (!key) throw new AppError(404, 'not_found', `No API key with id '${keyId}'.`);
    return key;
  }

  /**
   * Rolls a key: a new secret for the same key (its id, name, mode, limits and spending stay);
   * the old secret stops working at once. A revoked key cannot be rolled.
   */
  async roll(keyId: string, userId: string): Promise<{ key: string; record: ApiKey }> {
    const current = await this.getOwned(keyId, userId);
    if (current.revoked_at) throw new AppError(409, 'api_key_revoked', 'This API key is revoked; create a new one instead.', { param: 'id' });
    const secret = randomToken(40);
    const key = `aio_${current.livemode ? '' : 'test_'}${secret}`;
    const record = await this.db
      .updateTable('api_keys')
      .set({ prefix: key.slice(0, key.length - 40 + 4), lookup: secret.slice(0, LOOKUP_LEN), hash: sha256Hex(key) })
      .where('id', '=', keyId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!record) throw new AppError(409, 'api_key_revoked', 'This API key is revoked; create a new one instead.', { param: 'id' });
    return { key, record };
  }

  /** Revokes a key (of `userId` when given); revoking twice is harmless. */
  async revoke(keyId: string, userId?: string): Promise<ApiKey> {
    let q = this.db.updateTable('api_keys').set({ revoked_at: nowIso() }).where('id', '=', keyId).where('revoked_at', 'is', null);
    if (userId) q = q.where('user_id', '=', userId);
    await q.execute();
    let find = this.db.selectFrom('api_keys').selectAll().where('id', '=', keyId);
    if (userId) find = find.where('user_id', '=', userId);
    const key = await find.executeTakeFirst();
    if (!key) throw new AppError(404, 'not_found', `No API key with id '${keyId}'.`);
    return key;
  }
}
