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

export function fmtUsd(usd: number): string {
  return `$${usd.toFixed(usd < 1 && usd * 100 !== Math.round(usd * 100) ? 4 : 2)}`;
}

export function fmtNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang);
}

export function fmtSigned(n: number, lang: Lang): string {
  return n > 0 ? `+${fmtNumber(n, lang)}` : fmtNumber(n, lang);
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

export function curlFor(origin: string, body: Record<string, unknown>, key = 'aio_your_api_key'): string {
  return [
    `curl -X POST ${origin}/api/v1/images/generations \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  --data-raw ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join('\n');
}
