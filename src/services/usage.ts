// What an account spent: the credits captured from its live tasks, per UTC day and per model.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { toCredits } from '../lib/credits.js';

/** Credits as decimals; `tasks` counts succeeded live tasks and any others that were charged. */
export interface UsageReport {
  days: number;
  by_day: Array<{ day: string; credits: number; tasks: number }>;
  by_model: Array<{ model: string; credits: number; tasks: number }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class UsageService {
  constructor(private readonly db: Db) {}

  /** The last `days` UTC days, today included; days without tasks are listed with zeros. */
  async report(userId: string, days: number, now = new Date()): Promise<UsageReport> {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const since = new Date(today - (days - 1) * DAY_MS).toISOString();
    const base = this.db
      .selectFrom('tasks')
      .where('user_id', '=', userId)
      .where('livemode', '=', 1)
      .where((eb) => eb.or([eb('status', '=', 'succeeded'), eb('charged_micro', '>', 0)]))
      .where('created_at', '>=', since);
    const day = sql<string>`substr(created_at, 1, 10)`;
    const [perDay, perModel] = await Promise.all([
      base
        .select((eb) => [day.as('day'), eb.fn.sum<number>('charged_micro').as('micro'), eb.fn.countAll<number>().as('tasks')])
        .groupBy(day)
        .execute(),
      base
        .select((eb) => ['model', eb.fn.sum<number>('charged_micro').as('micro'), eb.fn.countAll<number>().as('tasks')])
        .groupBy('model')
        .execute(),
    ]);
    const found = new Map(perDay.map((r) => [r.day, r]));
    const by_day = Array.from({ length: days }, (_, i) => {
      const d = new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10);
      const row = found.get(d);
      return { day: d, credits: toCredits(Number(row?.micro ?? 0)), tasks: Number(row?.tasks ?? 0) };
    });
    const by_model = perModel
      .map((r) => ({ model: r.model, credits: toCredits(Number(r.micro)), tasks: Number(r.tasks) }))
      .sort((a, b) => b.credits - a.credits || b.tasks - a.tasks || a.model.localeCompare(b.model));
    return { days, by_day, by_model };
  }
}
