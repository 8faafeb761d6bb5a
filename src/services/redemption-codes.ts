// Redemption codes: `AIO-XXXX-XXXX-XXXX`, made in bulk by an admin, each worth an amount of
// credits (kept in micro-credits) and good exactly once. Redeeming marks the code (a conditional UPDATE that only an
// unredeemed code passes) and credits the ledger in one transaction, so however many requests
// race for a code, one wins and the others change nothing. An admin may void an unused code, and
// a code may carry an expiry time after which it can no longer be redeemed.
import type { Db } from '../db/database.js';
import type { RedemptionCodesTable } from '../db/schema.js';
import { AppError, invalidParam } from '../lib/app-error.js';
import { MICRO, toCredits } from '../lib/credits.js';
import { newId, randomToken } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import type { LedgerService } from './ledger.js';

export type RedemptionCode = RedemptionCodesTable;

export const MAX_CODES_PER_BATCH = 1000;
/** The most a code may be worth, in credits. */
export const MAX_CODE_CREDITS = 10_000_000;
const CODE_SHAPE = /^AIO([0-9A-Z]{12})$/;

/** Upper case, spaces and dashes dropped, dashes put back: `aio-abcd efgh-ijkl` finds the code. */
export function normalizeCode(raw: string): string | undefined {
  const compact = raw.replace(/[\s-]+/g, '').toUpperCase();
  const match = CODE_SHAPE.exec(compact);
  if (!match) return undefined;
  const body = match[1]!;
  return `AIO-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;
}

function makeCode(): string {
  return normalizeCode(`AIO${randomToken(12).toUpperCase()}`)!;
}

export type CodeStatus = 'active' | 'redeemed' | 'voided' | 'expired';

export function codeStatus(c: Pick<RedemptionCode, 'redeemed_at' | 'voided_at' | 'expires_at'>, now = nowIso()): CodeStatus {
  if (c.redeemed_at) return 'redeemed';
  if (c.voided_at) return 'voided';
  if (c.expires_at && c.expires_at <= now) return 'expired';
  return 'active';
}

export function publicCode(c: RedemptionCode & { redeemed_by_email?: string | null }) {
  return {
    id: c.id,
    code: c.code,
    credits: toCredits(c.credits_micro),
    note: c.note,
    created_at: c.created_at,
    redeemed_by: c.redeemed_by,
    redeemed_by_email: c.redeemed_by_email ?? null,
    redeemed_at: c.redeemed_at,
    expires_at: c.expires_at,
    voided_at: c.voided_at,
    status: codeStatus(c),
  };
}

export class RedemptionCodeService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
  ) {}

  /** `creditsMicro`: what each code is worth, in micro-credits. */
  async generate(input: { count: number; creditsMicro: number; note?: string | null; createdBy?: string | null; expiresAt?: string | null }): Promise<RedemptionCode[]> {
    const { count, creditsMicro } = input;
    if (!Number.isInteger(count) || count < 1 || count > MAX_CODES_PER_BATCH)
      throw invalidParam('count', `'count' must be a whole number from 1 to ${MAX_CODES_PER_BATCH}.`);
    if (!Number.isSafeInteger(creditsMicro) || creditsMicro < 1 || creditsMicro > MAX_CODE_CREDITS * MICRO)
      throw invalidParam('credits', `'credits' must be more than 0 and at most ${MAX_CODE_CREDITS}, with at most 6 decimals.`);
    const createdAt = nowIso();
    const codes = new Set<string>();
    while (codes.size < count) codes.add(makeCode());
    const rows: RedemptionCode[] = [...codes].map((code) => ({
      id: newId('rc'),
      code,
      credits_micro: creditsMicro,
      note: input.note ?? null,
      created_by: input.createdBy ?? null,
      created_at: createdAt,
      redeemed_by: null,
      redeemed_at: null,
      expires_at: input.expiresAt ?? null,
      voided_at: null,
    }));
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) await trx.insertInto('redemption_codes').values(rows.slice(i, i + 100)).execute();
    });
    return rows;
  }

  /** Credits the code's value to `userId` once; 404 for no such code, 409 once it is used. Amounts in micro-credits. */
  async redeem(userId: string, raw: string): Promise<{ creditsMicro: number; balanceMicro: number; code: string }> {
    const code = normalizeCode(raw);
    if (!code) throw new AppError(404, 'code_not_found', 'That is not a valid redemption code.', { param: 'code' });
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const taken = await trx
        .updateTable('redemption_codes')
        .set({ redeemed_by: userId, redeemed_at: now })
        .where('code', '=', code)
        .where('redeemed_at', 'is', null)
        .where('voided_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .returning(['credits_micro'])
        .executeTakeFirst();
      if (!taken) {
        const found = await trx.selectFrom('redemption_codes').select(['redeemed_at', 'voided_at', 'expires_at']).where('code', '=', code).executeTakeFirst();
        if (!found) throw new AppError(404, 'code_not_found', 'That is not a valid redemption code.', { param: 'code' });
        const status = codeStatus(found, now);
        if (status === 'voided') throw new AppError(410, 'code_voided', 'That code was withdrawn and can no longer be redeemed.', { param: 'code' });
        if (status === 'expired') throw new AppError(410, 'code_expired', 'That code has expired.', { param: 'code' });
        throw new AppError(409, 'code_already_redeemed', 'That code has already been redeemed.', { param: 'code' });
      }
      const entry = await this.ledger.credit(userId, taken.credits_micro, 'redeem', `Redeemed code ${code}`, trx);
      return { creditsMicro: taken.credits_micro, balanceMicro: entry.balance_after, code };
    });
  }

  /** Voids an unused code (404 unknown, 409 once redeemed); voiding twice is harmless. */
  async void(id: string): Promise<RedemptionCode> {
    const voided = await this.db
      .updateTable('redemption_codes')
      .set({ voided_at: nowIso() })
      .where('id', '=', id)
      .where('redeemed_at', 'is', null)
      .where('voided_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (voided) return voided;
    const found = await this.requireCode(id);
    if (found.redeemed_at) throw new AppError(409, 'code_already_redeemed', 'That code has already been redeemed; it cannot be voided.', { param: 'id' });
    return found;
  }

  /** Sets (or with null, clears) when an unused code expires; 409 once redeemed or voided. */
  async setExpiry(id: string, expiresAt: string | null): Promise<RedemptionCode> {
    const changed = await this.db
      .updateTable('redemption_codes')
      .set({ expires_at: expiresAt })
      .where('id', '=', id)
      .where('redeemed_at', 'is', null)
      .where('voided_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (changed) return changed;
    const found = await this.requireCode(id);
    throw new AppError(409, found.redeemed_at ? 'code_already_redeemed' : 'code_voided', `That code is ${found.redeemed_at ? 'redeemed' : 'voided'}; its expiry no longer matters.`, { param: 'id' });
  }

  private async requireCode(id: string): Promise<RedemptionCode> {
    const found = await this.db.selectFrom('redemption_codes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!found) throw new AppError(404, 'code_not_found', `There is no code with id '${id}'.`, { param: 'id' });
    return found;
  }

  async list(opts: { limit: number; before?: string; redeemed?: boolean }): Promise<Array<RedemptionCode & { redeemed_by_email: string | null }>> {
    let q = this.db
      .selectFrom('redemption_codes')
      .leftJoin('users', 'users.id', 'redemption_codes.redeemed_by')
      .selectAll('redemption_codes')
      .select('users.email as redeemed_by_email');
    if (opts.before) q = q.where('redemption_codes.id', '<', opts.before);
    if (opts.redeemed !== undefined) q = q.where('redemption_codes.redeemed_at', opts.redeemed ? 'is not' : 'is', null);
    return q.orderBy('redemption_codes.id', 'desc').limit(opts.limit).execute();
  }
}
