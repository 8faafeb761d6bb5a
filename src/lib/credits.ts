// Money is kept in integer micro-credits everywhere inside (1 credit = 1,000,000), as Stripe keeps
// cents: per-second and per-token prices stay exact. People see credits as decimals.
export const MICRO = 1_000_000;

/** Micro-credits as a decimal number of credits, for the API and the dashboard. */
export const toCredits = (micro: number): number => micro / MICRO;

/** A credit amount someone typed (may be fractional) as micro-credits, rounded to the nearest. */
export const fromCredits = (credits: number): number => Math.round(credits * MICRO);

/**
 * A credit amount from a person (a JSON number, or a string such as the CLI's `--amount 1.5`) as
 * micro-credits, or undefined when it is not a finite number with at most 6 decimals. The sign
 * is kept: callers decide what range they take.
 */
export function parseCredits(value: unknown): number | undefined {
  if (typeof value === 'string') {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim())) return undefined;
    value = Number(value);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const micro = Math.round(value * MICRO);
  // Exact for any decimal with up to 6 places (both sides round to the same double); not for more.
  if (!Number.isSafeInteger(micro) || micro / MICRO !== value) return undefined;
  return micro;
}
