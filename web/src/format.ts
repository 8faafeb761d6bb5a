// Dates, durations, money and request snippets as people read them.
import type { Lang } from './i18n';

// Money and curl have their own files (pages that show a price need no dates); kept here too.
export { fmtCredits, fmtCreditsUsd, fmtNumber, fmtSignedCredits, fmtUsd, USD_PER_CREDIT } from './money';
export { curlFor, shellQuote } from './curl';

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
