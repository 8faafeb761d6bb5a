// The retention policy: generated files are not kept for ever. Test-mode outputs (free) expire
// after `testRetentionHours` (24 h by default); live outputs after `retentionDays` when the
// operator sets it (default 0: kept for ever: they were paid for, and deleting a customer's
// files must be the operator's decision). The purge runs periodically in the processes that run
// workers: it deletes the files from the store, marks the tasks' outputs expired (the task keeps
// its record, its URLs answer 404), and removes Idempotency-Keys past their 24 h. Uploaded input
// files follow the same clocks (counted from the upload), and webhook deliveries that ended
// (delivered or given up) are removed after `webhookRetentionDays` (30 by default, as Stripe
// keeps its event deliveries).
import type { Db } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import { nowIso } from '../lib/time.js';
import type { Storage } from '../storage/types.js';
import type { IdempotencyService } from './idempotency.js';

const BATCH = 200;
const FILE_PATH = /^\/files\/([A-Za-z0-9_-]+\.[a-z0-9]+)$/;

export interface RetentionPolicy {
  testRetentionHours: number;
  /** 0 = live outputs are kept for ever. */
  retentionDays: number;
  /** 0 = ended webhook deliveries are kept for ever. */
  webhookRetentionDays: number;
}

export interface PurgeResult {
  tasks: number;
  files: number;
  uploads: number;
  idempotencyKeys: number;
  webhookDeliveries: number;
}

/** The stored file names of a task's output (`{kind: [{path, thumbnail_path?}]}`). */
export function outputFileNames(output: string | null): string[] {
  if (!output) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const names: string[] = [];
  for (const items of Object.values(parsed)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      for (const field of ['path', 'thumbnail_path'] as const) {
        const name = typeof item?.[field] === 'string' ? FILE_PATH.exec(item[field])?.[1] : undefined;
        if (name) names.push(name);
      }
    }
  }
  return names;
}

export class RetentionPurge {
  constructor(
    private readonly deps: { db: Db; storage: Storage; idempotency: IdempotencyService; policy: RetentionPolicy; log: Logger },
  ) {}

  /** One pass: every expired output and idempotency key as of `now`. */
  async run(now = Date.now()): Promise<PurgeResult> {
    const { policy } = this.deps;
    const result: PurgeResult = { tasks: 0, files: 0, uploads: 0, idempotencyKeys: 0, webhookDeliveries: 0 };
    const testBefore = new Date(now - policy.testRetentionHours * 3_600_000).toISOString();
    await this.purgeOutputs(0, testBefore, result);
    await this.purgeUploads(0, testBefore, result);
    if (policy.retentionDays > 0) {
      const liveBefore = new Date(now - policy.retentionDays * 86_400_000).toISOString();
      await this.purgeOutputs(1, liveBefore, result);
      await this.purgeUploads(1, liveBefore, result);
    }
    result.idempotencyKeys = await this.deps.idempotency.purgeExpired(now);
    if (policy.webhookRetentionDays > 0) result.webhookDeliveries = await this.purgeDeliveries(new Date(now - policy.webhookRetentionDays * 86_400_000).toISOString());
    if (Object.values(result).some((n) => n > 0)) this.deps.log.info(result, 'retention purge');
    return result;
  }

  private async purgeOutputs(livemode: 0 | 1, finishedBefore: string, result: PurgeResult): Promise<void> {
    const { db, storage } = this.deps;
    for (;;) {
      const batch = await db
        .selectFrom('tasks')
        .select(['id', 'output'])
        .where('livemode', '=', livemode)
        .where('finished_at', '<', finishedBefore)
        .where('status', '=', 'succeeded')
        .where('output_expired_at', 'is', null)
        .orderBy('finished_at')
        .limit(BATCH)
        .execute();
      let failed = 0;
      for (const task of batch) {
        // Files first: a task is marked only once its files are gone, so a failed delete is tried again next time.
        const names = outputFileNames(task.output);
        try {
          for (const name of names) await storage.delete(name);
        } catch (err) {
          failed++;
          this.deps.log.warn({ err, task_id: task.id }, 'retention purge: could not delete an output file');
          continue;
        }
        await db.updateTable('tasks').set({ output_expired_at: nowIso() }).where('id', '=', task.id).where('output_expired_at', 'is', null).execute();
        result.tasks++;
        result.files += names.length;
      }
      // A batch with failures would come back the same: leave the rest for the next run.
      if (batch.length < BATCH || failed) return;
    }
  }

  /** Uploaded files of that mode older than `uploadedBefore`: the bytes, then the row (so a failed delete is tried again). */
  private async purgeUploads(livemode: 0 | 1, uploadedBefore: string, result: PurgeResult): Promise<void> {
    const { db, storage } = this.deps;
    for (;;) {
      const batch = await db.selectFrom('files').select(['id', 'storage_name']).where('livemode', '=', livemode).where('created_at', '<', uploadedBefore).orderBy('created_at').limit(BATCH).execute();
      let failed = 0;
      for (const file of batch) {
        try {
          await storage.delete(file.storage_name);
        } catch (err) {
          failed++;
          this.deps.log.warn({ err, file_id: file.id }, 'retention purge: could not delete an uploaded file');
          continue;
        }
        await db.deleteFrom('files').where('id', '=', file.id).execute();
        result.uploads++;
      }
      if (batch.length < BATCH || failed) return;
    }
  }

  /** Deliveries created before `createdBefore` that ended (delivered, or failed for good); pending ones stay whatever their age. */
  private async purgeDeliveries(createdBefore: string): Promise<number> {
    const deleted = await this.deps.db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', createdBefore).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  /** Runs `run` every `everyMs` (failures are logged and tried again next time); returns the stopper. */
  every(everyMs: number): () => void {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      this.run()
        .catch((err) => this.deps.log.warn({ err }, 'retention purge failed'))
        .finally(() => (running = false));
    };
    const timer = setInterval(tick, everyMs);
    timer.unref();
    tick();
    return () => clearInterval(timer);
  }
}
