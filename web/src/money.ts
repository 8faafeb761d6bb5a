// Money as people read it: credits (decimals, up to 6 places) and dollars.
import type { Lang } from './i18n';

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
