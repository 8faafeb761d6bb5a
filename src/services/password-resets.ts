// Password resets by e-mail: a random token (only its SHA-256 is stored) good once, for an hour.
// Asking never says whether an account exists; asking too often for one account sends nothing
// more. Setting the new password ends every session of the account.
import type { Db } from '../db/database.js';
import { AppError } from '../lib/app-error.js';
import { sha256Hex } from '../lib/hash.js';
import { randomToken } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { isoIn, nowIso } from '../lib/time.js';
import type { Mailer } from './mailer.js';
import type { SessionService } from './sessions.js';
import type { UserService } from './users.js';

export const RESET_TTL_MS = 60 * 60_000;
/** At most this many reset e-mails per account per hour. */
const MAX_PER_HOUR = 3;
const TOKEN_LENGTH = 43;

const invalidToken = () =>
  new AppError(400, 'invalid_reset_token', 'This reset link is not valid: it was used already, has expired, or was mistyped. Ask for a new one.', { param: 'token' });

export class PasswordResetService {
  constructor(
    private readonly deps: { db: Db; users: UserService; sessions: SessionService; mailer: Mailer; log: Logger },
  ) {}

  get emailEnabled(): boolean {
    return this.deps.mailer.enabled;
  }

  /**
   * Sends a reset link to `email` when it has an account that may sign in. Answers nothing
   * either way, so the caller cannot learn which addresses have accounts.
   * `linkBase`: the page the link opens, e.g. `https://example.com/reset-password`.
   */
  async request(email: string, linkBase: string): Promise<void> {
    const { db, users, mailer, log } = this.deps;
    if (!mailer.enabled) throw new AppError(400, 'password_reset_unavailable', 'Password reset by e-mail is not set up on this server. Ask the operator to reset your password.');
    const user = await users.findByEmail(email);
    if (!user || user.disabled) return;
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const recent = await db.selectFrom('password_resets').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).where('created_at', '>', since).executeTakeFirstOrThrow();
    if (Number(recent.n) >= MAX_PER_HOUR) {
      log.info({ userId: user.id }, 'password reset asked too often; no e-mail sent');
      return;
    }
    const token = randomToken(TOKEN_LENGTH);
    await db.insertInto('password_resets').values({ token_hash: sha256Hex(token), user_id: user.id, created_at: nowIso(), expires_at: isoIn(RESET_TTL_MS), used_at: null }).execute();
    const link = `${linkBase}?token=${token}`;
    try {
      await mailer.send({
        to: user.email,
        subject: 'Reset your API in One password',
        text: [
          'Someone (hopefully you) asked to reset the password of this account.',
          '',
          `Choose a new password here (the link works once, for one hour):`,
          link,
          '',
          'If it was not you, ignore this e-mail: your password stays as it is.',
        ].join('\n'),
      });
    } catch (err) {
      // The operator's problem, not the requester's: logged without the link.
      log.error({ err: (err as Error).message, userId: user.id }, 'sending a password reset e-mail failed');
      throw new AppError(503, 'mail_unavailable', 'The reset e-mail could not be sent right now. Try again later.');
    }
    log.info({ userId: user.id }, 'password reset e-mail sent');
  }

  /** Uses the token once (a conditional UPDATE only one caller wins) and sets the new password. */
  async complete(token: string, password: string): Promise<void> {
    const { db, users, sessions } = this.deps;
    if (password.length < 8) throw new AppError(400, 'weak_password', 'Passwords need at least 8 characters.', { param: 'password' });
    if (token.length !== TOKEN_LENGTH) throw invalidToken();
    const now = nowIso();
    const used = await db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', sha256Hex(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['user_id'])
      .executeTakeFirst();
    if (!used) throw invalidToken();
    await users.setPassword(used.user_id, password);
    // Every other reset link of the account dies with this one, and every session ends.
    await db.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', used.user_id).where('used_at', 'is', null).execute();
    await sessions.destroyAll(used.user_id);
  }
}
