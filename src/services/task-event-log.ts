// The stored history of a task's status changes and progress: one row per event, numbered 1, 2,
// 3... per task. An event is written in the transaction of the change it reports (or right after
// it, for the changes that are one UPDATE), after taking the task row's lock on PostgreSQL, so
// the numbers of one task are handed out in commit order and a reader that saw event N has seen
// every event before it. That is what makes `Last-Event-ID` resumption exact.
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
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

/**
 * Appends an event to task `taskId`'s history inside `trx`, with the task's status and progress
 * as they are now. Returns undefined (and writes nothing) when the task is gone or no longer in
 * the status the event reports.
 */
export async function appendTaskEvent(trx: Transaction<Database>, taskId: string, type: TaskEventType, extra: Record<string, unknown> = {}): Promise<TaskEvent | undefined> {
  let read = trx.selectFrom('tasks').select(['status', 'progress']).where('id', '=', taskId);
  // SQLite runs one writer at a time; PostgreSQL needs the row lock to order concurrent writers.
  if (trx.getExecutor().adapter instanceof PostgresAdapter) read = read.forUpdate();
  const task = await read.executeTakeFirst();
  if (!task || task.status !== STATUS_OF[type]) return undefined;
  const last = await trx.selectFrom('task_events').select((eb) => eb.fn.max('seq').as('seq')).where('task_id', '=', taskId).executeTakeFirst();
  const event: TaskEvent = {
    task_id: taskId,
    seq: Number(last?.seq ?? 0) + 1,
    type,
    data: JSON.stringify({ status: task.status, progress: task.progress, ...extra }),
    created_at: nowIso(),
  };
  await trx.insertInto('task_events').values(event).execute();
  return event;
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
