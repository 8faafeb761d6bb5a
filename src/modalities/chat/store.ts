// A chat request's row and its money, written together: the row and its hold in one transaction
// (nothing is written when the hold is refused), and the row's end and the settlement in another
// that only the first finisher can win (the UPDATE names the state it leaves).
import type { Db } from '../../db/database.js';
import type { ChatEndReason, ChatRequestsTable } from '../../db/schema.js';
import { nowIso } from '../../lib/time.js';
import type { HoldResult, LedgerService } from '../../services/ledger.js';
import type { ChatUsage } from '../../providers/chat-types.js';

export type ChatRequestRow = ChatRequestsTable;

/** Thrown inside the begin transaction to roll it back. */
export class HoldRefused extends Error {
  constructor(readonly reason: Exclude<HoldResult, 'ok'>) {
    super(reason);
  }
}

export interface ChatEnd {
  node: string | null;
  attempts: number;
  usage: ChatUsage;
  usageSource: 'upstream' | 'counted' | null;
  costMicro: number;
  chargedMicro: number;
  endReason: ChatEndReason;
  finishReason: string | null;
  errorCode: string | null;
  firstTokenAt: string | null;
  ttftMs: number | null;
  latencyMs: number;
  completion: string | null;
}

export class ChatStore {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
  ) {}

  /** Saves the running request and holds its credits (none when `hold_micro` is 0). */
  async begin(row: ChatRequestRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('chat_requests').values(row).execute();
      if (row.hold_micro === 0) return;
      const held = await this.ledger.hold(trx, { userId: row.user_id, amount: row.hold_micro, taskId: row.id, keyId: row.api_key_id });
      if (held !== 'ok') throw new HoldRefused(held);
    });
  }

  /** Ends the request and settles its hold, once; false when it had already ended. */
  async finish(row: ChatRequestRow, end: ChatEnd): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('chat_requests')
        .set({
          status: 'finished',
          node: end.node,
          attempts: end.attempts,
          input_tokens: end.usage.inputTokens,
          cached_input_tokens: end.usage.cachedInputTokens,
          cache_write_tokens: end.usage.cacheWriteTokens,
          output_tokens: end.usage.outputTokens,
          usage_source: end.usageSource,
          cost_micro: end.costMicro,
          charged_micro: end.chargedMicro,
          end_reason: end.endReason,
          finish_reason: end.finishReason,
          error_code: end.errorCode,
          first_token_at: end.firstTokenAt,
          finished_at: nowIso(),
          ttft_ms: end.ttftMs,
          latency_ms: end.latencyMs,
          completion: end.completion,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      if (row.hold_micro > 0) {
        const u = end.usage;
        const note = `chat ${row.model} node=${end.node ?? '-'} in=${u.inputTokens} cached=${u.cachedInputTokens} cache_write=${u.cacheWriteTokens} out=${u.outputTokens} end=${end.endReason}`;
        await this.ledger.settle(trx, { userId: row.user_id, taskId: row.id, keyId: row.api_key_id, held: row.hold_micro, captured: end.chargedMicro, note });
      }
      return true;
    });
  }

  get(id: string): Promise<ChatRequestRow | undefined> {
    return this.db.selectFrom('chat_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Requests a dead process left running (started before `before`): nothing is known of what was
   * generated, so they end `interrupted` and their holds go back in full.
   */
  async recoverAbandoned(before: string): Promise<number> {
    const rows = await this.db.selectFrom('chat_requests').selectAll().where('status', '=', 'running').where('created_at', '<', before).execute();
    let n = 0;
    for (const row of rows) {
      const zero = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
      const done = await this.finish(row, {
        node: row.node,
        attempts: row.attempts,
        usage: zero,
        usageSource: null,
        costMicro: 0,
        chargedMicro: 0,
        endReason: 'interrupted',
        finishReason: null,
        errorCode: 'interrupted',
        firstTokenAt: null,
        ttftMs: null,
        latencyMs: Date.now() - Date.parse(row.created_at),
        completion: null,
      });
      if (done) n++;
    }
    return n;
  }
}
