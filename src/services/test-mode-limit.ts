// Free test-mode work is capped per account: at most `limit` test tasks queued or running at once,
// so one account's free traffic cannot fill the test lane for everyone (429 beyond it).
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';

/**
 * Throws 429 `test_mode_limit` when `userId` already has `limit` unfinished test tasks. Runs in
 * the create transaction after a no-op write to the user's row: on PostgreSQL that row lock makes
 * parallel submits of one account count one after another (SQLite has one writer anyway), so a
 * burst cannot slip past the limit.
 */
export async function enforceTestModeLimit(trx: Transaction<Database>, userId: string, limit: number): Promise<void> {
  await trx.updateTable('users').set((eb) => ({ reserved: eb.ref('reserved') })).where('id', '=', userId).execute();
  const row = await trx
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('livemode', '=', 0)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= limit)
    throw new AppError(429, 'test_mode_limit', `This account already has ${limit} test-mode tasks queued or running, the most allowed. Retry when some have finished.`, {
      headers: { 'retry-after': '5' },
    });
}
