// The stored history of a task's status changes and progress: one row per event, numbered 1, 2,
// 3... per task. An event is written in the transaction of the change it reports (or right after
// it, for the changes that are one UPDATE), after taking the task row's lock on PostgreSQL, so
// the numbers of one task are handed out in commit order and a reader that saw event N has seen
// every event before it. That is what makes `Last-Event-ID` resumption exact.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TaskEventType, TaskEventsTable } from '../db/schema.js';
import { nowIso } from '../lib/time.js';

export type TaskEvent = TaskEventsTable;

export const ENDING_EVENTS: readonly TaskEventType[] = ['succeeded', 'failed', 'canceled'];
export const isEnding = (type: TaskEventType) => ENDING_EVENTS.includes(type);

/** The status the task must have for the event to be true (a late progress report after the end is dropped). */
const STATUS_OF: Record<TaskEventType, string> = {
  queued: 'queued',
  running: 'running',
  progress: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** The task as the caller just wrote it, in the same transaction (so it holds the row's lock). */
export interface KnownTaskState {
  status: string;
  progress: number | null;
  /** The task was inserted in this transaction: this is its first event. */
  first?: boolean;
}

/**
 * Appends an event to task `taskId`'s history inside `trx`, with the task's status and progress
 * as they are now (`known` when the caller just wrote them; read otherwise). Returns undefined
 * (and writes nothing) when the task is gone or no longer in the status the event reports.
 */
export async function appendTaskEvent(
  trx: Transaction<Database>,
  taskId: string,
  type: TaskEventType,
  extra: Record<string, unknown> = {},
  known?: KnownTaskState,
): Promise<TaskEvent | undefined> {
  let task: { status: string; progress: number | null } | undefined = known;
  if (!task) {
    let read = trx.selectFrom('tasks').select(['status', 'progress']).where('id', '=', taskId);
    // SQLite runs one writer at a time; PostgreSQL needs the row lock to order concurrent writers.
    if (trx.getExecutor().adapter instanceof PostgresAdapter) read = read.forUpdate();
    task = await read.executeTakeFirst();
  }
  if (!task || task.status !== STATUS_OF[type]) return undefined;
  const event: TaskEvent = { task_id: taskId, seq: 1, type, data: JSON.stringify({ status: task.status, progress: task.progress, ...extra }), created_at: nowIso() };
  if (known?.first) {
    await trx.insertInto('task_events').values(event).execute();
    return event;
  }
  // The next number in the same statement as the insert.
  const row = await trx
    .insertInto('task_events')
    .columns(['task_id', 'seq', 'type', 'data', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('task_events')
        .select([
          eb.val(event.task_id).as('task_id'),
          sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
          eb.val(event.type).as('type'),
          eb.val(event.data).as('data'),
          eb.val(event.created_at).as('created_at'),
        ])
        .where('task_id', '=', taskId),
    )
    .returning('seq')
    .executeTakeFirstOrThrow();
  return { ...event, seq: Number(row.seq) };
}

/** The task's events after `seq`, oldest first. */
export function taskEventsAfter(db: Kysely<Database>, taskId: string, seq: number, limit = 1000): Promise<TaskEvent[]> {
  return db.selectFrom('task_events').selectAll().where('task_id', '=', taskId).where('seq', '>', seq).orderBy('seq').limit(limit).execute();
}

/** Whether the task's history holds its ending (tasks that ended before the history existed do not). */
export async function hasEndingEvent(db: Kysely<Database>, taskId: string): Promise<boolean> {
  const row = await db.selectFrom('task_events').select('seq').where('task_id', '=', taskId).where('type', 'in', ENDING_EVENTS).executeTakeFirst();
  return row !== undefined;
}
