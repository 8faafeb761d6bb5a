// Reliability (issue 10). An Idempotency-Key's "in progress" marker carries a lease its request
// keeps renewing and the task it created, so a crashed request's key is taken over or answered
// with that task instead of staying blocked. Tasks keep what an upstream queue told us (the fal
// request to resume after a crash, instead of paying for a second one), and when their output
// files were purged by the retention policy.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('task_id', 'text').execute();
  await db.schema.alterTable('idempotency_keys').addColumn('locked_until', 'text').execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  await db.schema.alterTable('tasks').addColumn('upstream_state', 'text').execute();
  await db.schema.alterTable('tasks').addColumn('output_expired_at', 'text').execute();
  await db.schema.createIndex('tasks_retention').on('tasks').columns(['livemode', 'finished_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tasks_retention').execute();
  await db.schema.alterTable('tasks').dropColumn('output_expired_at').execute();
  await db.schema.alterTable('tasks').dropColumn('upstream_state').execute();
  await db.schema.dropIndex('idempotency_keys_created').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('locked_until').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('task_id').execute();
}
