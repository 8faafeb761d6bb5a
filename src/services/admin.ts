// What only an operator sees: every account and every task, across users.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { toCredits } from '../lib/credits.js';
import type { TaskRow, TaskStatus } from './tasks.js';
import type { User } from './users.js';

/** A user as the admin list shows them: never the password hash; money in decimal credits. */
export function adminUserView(u: User) {
  return { id: u.id, email: u.email, is_admin: u.is_admin === 1, disabled: u.disabled === 1, balance: toCredits(u.balance), reserved: toCredits(u.reserved), created_at: u.created_at };
}

/** `q` as a LIKE pattern that matches it literally anywhere. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class AdminService {
  constructor(private readonly db: Db) {}

  /** Users newest first; `q` matches any part of the email. */
  listUsers(opts: { q?: string; limit: number; before?: string }): Promise<User[]> {
    let query = this.db.selectFrom('users').selectAll();
    if (opts.q) query = query.where(sql<boolean>`email LIKE ${containsPattern(opts.q.trim().toLowerCase())} ESCAPE '\\'`);
    if (opts.before) query = query.where('id', '<', opts.before);
    return query.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /** Tasks of every user, newest first, with the owner's email. */
  listTasks(opts: { limit: number; before?: string; status?: TaskStatus; model?: string; email?: string }): Promise<Array<TaskRow & { user_email: string }>> {
    let query = this.db.selectFrom('tasks').innerJoin('users', 'users.id', 'tasks.user_id').selectAll('tasks').select('users.email as user_email');
    if (opts.before) query = query.where('tasks.id', '<', opts.before);
    if (opts.status) query = query.where('tasks.status', '=', opts.status);
    if (opts.model) query = query.where('tasks.model', '=', opts.model);
    if (opts.email) query = query.where('users.email', '=', opts.email.trim().toLowerCase());
    return query.orderBy('tasks.id', 'desc').limit(opts.limit).execute();
  }
}
