// Browser sessions of the web dashboard. The token lives only in the `aio_session` cookie; the
// database keeps its SHA-256 (a long random token needs no slow hash), so a copy of the
// database signs nobody in. Each session has its CSRF token, sent back in `x-csrf-token`.
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';
import type { Db } from '../db/database.js';
import type { SessionsTable } from '../db/schema.js';
import { randomToken } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import type { User } from './users.js';

export type Session = SessionsTable;

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60_000;
const TOKEN_LENGTH = 43; // ~256 bits of base62


/** Constant-time string equality (false for different lengths). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  /** Starts a session; the token is returned once, for the cookie. */
  async create(userId: string, meta: { ip?: string; userAgent?: string } = {}): Promise<{ token: string; session: Session }> {
    const token = randomToken(TOKEN_LENGTH);
    const now = nowIso();
    const session: Session = {
      token_hash: sha256Hex(token),
      user_id: userId,
      csrf_token: randomToken(32),
      created_at: now,
      expires_at: isoIn(this.ttlMs),
      last_seen_at: now,
      ip: meta.ip?.slice(0, 64) ?? null,
      user_agent: meta.userAgent?.slice(0, 256) ?? null,
    };
    await this.db.insertInto('sessions').values(session).execute();
    // Housekeeping: expired sessions of anyone are gone for good.
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    return { token, session };
  }

  /** The live session of `token` and its user (disabled or not: the caller decides), or undefined. */
  async resolve(token: string | undefined): Promise<{ session: Session; user: User } | undefined> {
    if (!token || token.length !== TOKEN_LENGTH) return undefined;
    const session = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
    if (!session || session.expires_at <= nowIso()) return undefined;
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
    if (!user) return undefined;
    if (Date.now() - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS)
      void this.db.updateTable('sessions').set({ last_seen_at: nowIso() }).where('token_hash', '=', session.token_hash).execute().catch(() => undefined);
    return { session, user };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
  }

  /** Ends every session of the user except `keep` (a token hash), e.g. after a password change. */
  async destroyOthers(userId: string, keepHash: string): Promise<number> {
    const res = await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepHash).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async destroyAll(userId: string): Promise<number> {
    const res = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
