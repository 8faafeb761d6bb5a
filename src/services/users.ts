import type { Db } from '../db/database.js';
import type { UsersTable } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { newId } from '../lib/ids.js';
import { hashPassword } from '../lib/passwords.js';
import { nowIso } from '../lib/time.js';

export type User = UsersTable;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!EMAIL.test(value) || value.length > 254) throw new AppError(400, 'invalid_email', `'${email}' is not an email address.`, { param: 'email' });
  return value;
}

export class UserService {
  constructor(private readonly db: Db) {}

  async create(input: { email: string; password?: string; admin?: boolean }): Promise<User> {
    const email = normalizeEmail(input.email);
    if (input.password !== undefined && input.password.length < 8)
      throw new AppError(400, 'weak_password', 'Passwords need at least 8 characters.', { param: 'password' });
    if (await this.findByEmail(email)) throw new AppError(409, 'email_taken', `An account for ${email} already exists.`, { param: 'email' });
    const user: User = {
      id: newId('usr'),
      email,
      password_hash: input.password ? await hashPassword(input.password) : null,
      is_admin: input.admin ? 1 : 0,
      disabled: 0,
      balance: 0,
      reserved: 0,
      created_at: nowIso(),
    };
    await this.db.insertInto('users').values(user).execute();
    return user;
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  }

  findById(id: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets a new password (at least 8 characters). */
  async setPassword(userId: string, password: string, param = 'password'): Promise<void> {
    if (password.length < 8) throw new AppError(400, 'weak_password', 'Passwords need at least 8 characters.', { param });
    await this.db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', userId).execute();
  }

  /** Disables (or enables again) an account: its sessions and API keys are refused while disabled. */
  async setDisabled(userId: string, disabled: boolean): Promise<User> {
    const user = await this.db.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', userId).returningAll().executeTakeFirst();
    if (!user) throw new AppError(404, 'user_not_found', `No user with id '${userId}'.`, { param: 'id' });
    return user;
  }

  /** Makes an account an administrator, or a normal account again. */
  async setAdmin(userId: string, admin: boolean): Promise<User> {
    const user = await this.db.updateTable('users').set({ is_admin: admin ? 1 : 0 }).where('id', '=', userId).returningAll().executeTakeFirst();
    if (!user) throw new AppError(404, 'user_not_found', `No user with id '${userId}'.`, { param: 'id' });
    return user;
  }

  async requireByEmail(email: string): Promise<User> {
    const user = await this.findByEmail(email);
    if (!user) throw new AppError(404, 'user_not_found', `No user with email ${email}.`, { param: 'email' });
    return user;
  }
}
