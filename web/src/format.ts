// Dates, durations, money and request snippets as people read them.
import type { Lang } from './i18n';

export function fmtDate(iso: string | null | undefined, lang: Lang, withTime = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
}

/** A compact date and time for table cells (the year only when it is not this year). */
export function fmtShort(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleString(lang, { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit' });
}

export const USD_PER_CREDIT = 0.01;

/** Dollars: cents when that is exact, else as many places as it takes (at most 8): $0.12, $0.0035. */
export function fmtUsd(usd: number): string {
  const cents = Math.round(usd * 100);
  if (Math.abs(usd * 100 - cents) < 1e-9) return `${usd < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2)}`;
  return `${usd < 0 ? '-' : ''}$${Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8, useGrouping: false })}`;
}

/** Credits in dollars, formatted. */
export const fmtCreditsUsd = (credits: number): string => fmtUsd(credits * USD_PER_CREDIT);

/** Credits as a decimal with up to 6 places, trailing zeros trimmed: 12, 0.35, 0.000123, 1,234.5. */
export function fmtCredits(n: number, lang: Lang): string {
  return n.toLocaleString(lang, { maximumFractionDigits: 6 });
}

export function fmtSignedCredits(n: number, lang: Lang): string {
  return n > 0 ? `+${fmtCredits(n, lang)}` : fmtCredits(n, lang);
}

export function fmtNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang);
}

export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function durationSeconds(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  return Math.max(0, (new Date(end).getTime() - new Date(start).getTime()) / 1000);
}

export function fmtDuration(s: number | null): string {
  if (s === null) return '—';
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 120) return `${Math.round(s)}s`;
  return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
}

/** A JSON body as a shell argument in single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A `curl` that POSTs `body` to `endpoint` on `origin`, with extra headers (e.g. `Prefer: wait`). */
export function curlFor(origin: string, endpoint: string, body: Record<string, unknown>, opts: { key?: string; headers?: string[] } = {}): string {
  return [
    `curl -X POST ${origin}${endpoint} \\`,
    `  -H "Authorization: Bearer ${opts.key ?? 'aio_your_api_key'}" \\`,
    `  -H "Content-Type: application/json" \\`,
    ...(opts.headers ?? []).map((h) => `  -H "${h}" \\`),
    `  --data-raw ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join('\n');
}

/** How many bytes a base64 `data:` URL holds. */
export function dataUrlBytes(value: string): number {
  const data = value.slice(value.indexOf(',') + 1);
  return Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
}

/** A long `data:` URL cut for display (the request itself keeps it whole). */
export function shortDataUrl(value: string): string {
  if (!value.startsWith('data:') || value.length <= 80) return value;
  const comma = value.indexOf(',');
  return `${value.slice(0, comma + 1)}${value.slice(comma + 1, comma + 25)}…(${fmtBytes(dataUrlBytes(value))})`;
}
