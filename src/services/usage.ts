// What an account spent: the credits captured from its live tasks and chat requests, per UTC day
// and per model, and its chat requests' tokens, latency and how they ended (never their content).
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { fromCredits, toCredits } from '../lib/credits.js';

/** Credits as decimals; `tasks` counts succeeded live tasks and any others that were charged. */
export interface UsageReport {
  days: number;
  by_day: Array<{ day: string; credits: number; tasks: number }>;
  by_model: Array<{ model: string; credits: number; tasks: number }>;
  /** Live chat requests (also counted, as `tasks`, in by_day and by_model). */
  chat: ChatUsageReport;
}

export interface ChatUsageRow {
  id: string;
  model: string;
  api_key_id: string | null;
  created_at: string;
  stream: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  credits: number;
  latency_ms: number | null;
  ttft_ms: number | null;
  end_reason: string | null;
  node: string | null;
}

export interface ChatUsageReport {
  by_model: Array<{ model: string; requests: number; input_tokens: number; cached_input_tokens: number; output_tokens: number; credits: number; avg_latency_ms: number | null; avg_ttft_ms: number | null }>;
  by_key: Array<{ api_key_id: string | null; requests: number; input_tokens: number; output_tokens: number; credits: number }>;
  /** The newest requests of the period, at most 50. */
  recent: ChatUsageRow[];
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
    const chat = await this.chatReport(userId, since);
    for (const row of chat.perDay) {
      const entry = by_day.find((d) => d.day === row.day);
      if (!entry) continue;
      entry.credits = toCredits(fromCredits(entry.credits) + Number(row.micro));
      entry.tasks += Number(row.requests);
    }
    for (const m of chat.report.by_model) {
      const entry = by_model.find((x) => x.model === m.model);
      if (entry) Object.assign(entry, { credits: entry.credits + m.credits, tasks: entry.tasks + m.requests });
      else by_model.push({ model: m.model, credits: m.credits, tasks: m.requests });
    }
    by_model.sort((a, b) => b.credits - a.credits || b.tasks - a.tasks || a.model.localeCompare(b.model));
    return { days, by_day, by_model, chat: chat.report };
  }

  /** Live chat requests since `since`: per day (for the totals), per model, per key, and the newest. */
  private async chatReport(userId: string, since: string) {
    const base = this.db.selectFrom('chat_requests').where('user_id', '=', userId).where('livemode', '=', 1).where('status', '=', 'finished').where('created_at', '>=', since);
    const day = sql<string>`substr(created_at, 1, 10)`;
    const [perDay, perModel, perKey, recent] = await Promise.all([
      base.select((eb) => [day.as('day'), eb.fn.sum<number>('charged_micro').as('micro'), eb.fn.countAll<number>().as('requests')]).groupBy(day).execute(),
      base
        .select((eb) => [
          'model',
          eb.fn.countAll<number>().as('requests'),
          eb.fn.sum<number>('input_tokens').as('input'),
          eb.fn.sum<number>('cached_input_tokens').as('cached'),
          eb.fn.sum<number>('output_tokens').as('output'),
          eb.fn.sum<number>('charged_micro').as('micro'),
          eb.fn.avg<number>('latency_ms').as('latency'),
          eb.fn.avg<number>('ttft_ms').as('ttft'),
        ])
        .groupBy('model')
        .execute(),
      base
        .select((eb) => ['api_key_id', eb.fn.countAll<number>().as('requests'), eb.fn.sum<number>('input_tokens').as('input'), eb.fn.sum<number>('output_tokens').as('output'), eb.fn.sum<number>('charged_micro').as('micro')])
        .groupBy('api_key_id')
        .execute(),
      base
        .select(['id', 'model', 'api_key_id', 'created_at', 'stream', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'charged_micro', 'latency_ms', 'ttft_ms', 'end_reason', 'node'])
        .orderBy('id', 'desc')
        .limit(50)
        .execute(),
    ]);
    const avg = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
    const report: ChatUsageReport = {
      by_model: perModel
        .map((r) => ({
          model: r.model,
          requests: Number(r.requests),
          input_tokens: Number(r.input ?? 0),
          cached_input_tokens: Number(r.cached ?? 0),
          output_tokens: Number(r.output ?? 0),
          credits: toCredits(Number(r.micro ?? 0)),
          avg_latency_ms: avg(r.latency),
          avg_ttft_ms: avg(r.ttft),
        }))
        .sort((a, b) => b.credits - a.credits || a.model.localeCompare(b.model)),
      by_key: perKey.map((r) => ({ api_key_id: r.api_key_id, requests: Number(r.requests), input_tokens: Number(r.input ?? 0), output_tokens: Number(r.output ?? 0), credits: toCredits(Number(r.micro ?? 0)) })),
      recent: recent.map((r) => ({
        id: r.id,
        model: r.model,
        api_key_id: r.api_key_id,
        created_at: r.created_at,
        stream: r.stream === 1,
        input_tokens: r.input_tokens,
        cached_input_tokens: r.cached_input_tokens,
        cache_write_tokens: r.cache_write_tokens,
        output_tokens: r.output_tokens,
        credits: toCredits(r.charged_micro),
        latency_ms: r.latency_ms,
        ttft_ms: r.ttft_ms,
        end_reason: r.end_reason,
        node: r.node,
      })),
    };
    return { perDay, report };
  }
}
