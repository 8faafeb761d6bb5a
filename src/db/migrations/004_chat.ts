// Chat requests: direct (no task), billed by the token. One row per request, whose id is the
// ledger's `task_id` for its hold, capture and release (so the unique (task_id, kind) index makes
// a second settlement impossible here too). Prompts and answers are kept only when the operator
// turns that on (AIO_CHAT_STORE_CONTENT=1).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('api_key_id', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('shape', 'text', (c) => c.notNull())
    .addColumn('stream', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('node', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('price', 'text', (c) => c.notNull())
    .addColumn('max_output_tokens', 'integer', (c) => c.notNull())
    .addColumn('prompt_tokens_counted', 'integer', (c) => c.notNull())
    .addColumn('hold_micro', 'bigint', (c) => c.notNull())
    .addColumn('cost_micro', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('charged_micro', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cached_input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cache_write_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('usage_source', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('finish_reason', 'text')
    .addColumn('error_code', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('first_token_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('ttft_ms', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('prompt', 'text')
    .addColumn('completion', 'text')
    .execute();
  await db.schema.createIndex('chat_requests_user_created').on('chat_requests').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('chat_requests_status').on('chat_requests').column('status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_requests').execute();
}
