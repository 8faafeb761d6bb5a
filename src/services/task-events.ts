// Task changes as events. Each status change and progress report is stored (task-event-log.ts)
// and announced: inside this process on an event bus, and in distributed mode to every process
// over Redis pub/sub. A waiting request (`Prefer: wait`) and an SSE stream wake on the
// announcement and re-read the database; a slow re-check covers an announcement that got lost.
import { EventEmitter } from 'node:events';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, TaskEventType } from '../db/schema.js';
import type { Logger } from '../lib/logger.js';
import type { RedisEventRelay, TaskNotice } from './event-relay.js';
import { appendTaskEvent, hasEndingEvent, isEnding, taskEventsAfter, type KnownTaskState, type TaskEvent } from './task-event-log.js';
import { TERMINAL, type TaskRow, type TaskService } from './tasks.js';

/** How often a listener re-reads on its own, in case an announcement was lost. */
export const RECHECK_MS = 5000;
const ANY_ENDED = Symbol('any task ended');

/** What follows inside the transaction of a task's ending (the webhook deliveries it causes); `task` as it ended, when known. */
export type EndingFollower = (trx: Transaction<Database>, event: TaskEvent, task?: TaskRow) => Promise<void>;

/** The task as the caller just wrote it (see KnownTaskState), and for an ending the whole row. */
export interface KnownTask extends KnownTaskState {
  row?: TaskRow;
}

/** An announcement inside this process: an ending carries the row as committed, so listeners need not read it. */
interface LocalNotice extends TaskNotice {
  ended?: TaskRow;
}

/** One listener's view of a task's announcements: whether any came since it last looked. */
export class TaskWatch {
  private dirty = false;
  private wake?: () => void;
  /** The task as it ended, when an announcement in this process carried it. */
  ended?: TaskRow;

  constructor(private readonly unsubscribe: () => void) {}

  /** Called for each announcement. */
  notify(ended?: TaskRow): void {
    if (ended) this.ended = ended;
    this.dirty = true;
    this.wake?.();
  }

  /** Resolves 'event' at the next announcement (at once if one came already), else 'timeout' after `ms`. */
  next(ms: number): Promise<'event' | 'timeout'> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve('event');
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve('timeout');
      }, Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.dirty = false;
        resolve('event');
      };
    });
  }

  close(): void {
    this.unsubscribe();
    this.wake?.();
  }
}

export class TaskEvents {
  private readonly bus = new EventEmitter();
  private relay?: RedisEventRelay;
  /** How waits for a task's end ended: by an announcement, by the slow re-check, at the deadline, or at once. */
  readonly waitEnds = { event: 0, recheck: 0, deadline: 0, immediate: 0 };

  constructor(
    private readonly db: Db,
    private readonly opts: { log: Logger; onEnding?: EndingFollower },
  ) {
    this.bus.setMaxListeners(0);
  }

  /** Distributed mode: announce through Redis too, and hear the other processes' announcements. */
  async relayThrough(relay: RedisEventRelay): Promise<void> {
    this.relay = relay;
    await relay.start((notice) => this.emitLocal(notice));
  }

  /**
   * Inside the transaction of a state change: stores the event, and for an ending what follows
   * from it, so both commit (or roll back) with the change. Announce with `changed` after commit.
   */
  async record(trx: Transaction<Database>, taskId: string, type: TaskEventType, extra?: Record<string, unknown>, known?: KnownTask): Promise<TaskEvent | undefined> {
    const event = await appendTaskEvent(trx, taskId, type, extra, known);
    if (event && isEnding(type)) await this.opts.onEnding?.(trx, event, known?.row);
    return event;
  }

  /**
   * For a change already committed on its own (claim, progress, requeue): stores its event and
   * announces it. Never throws: a missing event must not fail the task's work.
   */
  async note(taskId: string, type: TaskEventType, extra?: Record<string, unknown>): Promise<void> {
    try {
      const event = await this.db.transaction().execute((trx) => this.record(trx, taskId, type, extra));
      if (event) this.changed(taskId, type);
    } catch (err) {
      this.opts.log.warn({ err, task_id: taskId, type }, 'recording a task event failed');
    }
  }

  /** Says that task `id` changed (called after the change is committed), here and in every other process; `ended`: the row it ended with. */
  changed(id: string, type?: TaskEventType, ended?: TaskRow): void {
    this.emitLocal({ taskId: id, type, ended });
    this.relay?.publish({ taskId: id, type });
  }

  private emitLocal(notice: LocalNotice): void {
    this.bus.emit(notice.taskId, notice);
    if (notice.type && isEnding(notice.type)) this.bus.emit(ANY_ENDED, notice);
  }

  /** Starts listening to task `id`'s announcements (those `wanted`, default all); close the watch when done. */
  watch(id: string, wanted?: (notice: TaskNotice) => boolean): TaskWatch {
    const listener = (notice: LocalNotice) => {
      if (!wanted || wanted(notice)) watch.notify(notice.ended);
    };
    const watch: TaskWatch = new TaskWatch(() => this.bus.off(id, listener));
    this.bus.on(id, listener);
    return watch;
  }

  /** Calls `listener` whenever any task ends, in this process or (distributed) another. */
  onAnyEnded(listener: (notice: TaskNotice) => void): () => void {
    this.bus.on(ANY_ENDED, listener);
    return () => this.bus.off(ANY_ENDED, listener);
  }

  /** The task's stored events after `seq`, oldest first. */
  after(taskId: string, seq: number): Promise<TaskEvent[]> {
    return taskEventsAfter(this.db, taskId, seq);
  }

  hasEnding(taskId: string): Promise<boolean> {
    return hasEndingEvent(this.db, taskId);
  }

  /** The task once it has ended, or as it is when `seconds` have passed. */
  async waitFor(tasks: TaskService, task: TaskRow, seconds: number): Promise<TaskRow> {
    const deadline = Date.now() + seconds * 1000;
    // Only an ending (or a notice that does not say what changed) can end the wait.
    const watch = this.watch(task.id, (notice) => !notice.type || isEnding(notice.type));
    try {
      // Listening now: read once more, since it may have ended before we listened.
      let current = (await tasks.get(task.id)) ?? task;
      let woken: 'event' | 'timeout' | undefined;
      while (!TERMINAL.includes(current.status)) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.waitEnds.deadline++;
          return current;
        }
        woken = await watch.next(Math.min(RECHECK_MS, left));
        // An ending announced in this process came with its row, as committed: nothing to read.
        current = watch.ended ?? (await tasks.get(task.id)) ?? current;
      }
      this.waitEnds[woken === undefined ? 'immediate' : woken === 'event' ? 'event' : 'recheck']++;
      return current;
    } finally {
      watch.close();
    }
  }

  async close(): Promise<void> {
    this.bus.removeAllListeners();
    await this.relay?.close();
  }
}
