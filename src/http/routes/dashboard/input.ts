// Reading dashboard request bodies: a JSON object with only the fields a route names, each
// checked for its type, every problem a 400 with the parameter named.
import { AppError, invalidParam } from '../../../lib/app-error.js';
import { MICRO, parseCredits } from '../../../lib/credits.js';

export type Body = Record<string, unknown>;

/** The body as an object (an absent body is `{}`), refusing fields outside `allowed`. */
export function readBody(raw: unknown, allowed: readonly string[]): Body {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AppError(400, 'invalid_request_body', 'The request body must be a JSON object.');
  for (const name of Object.keys(raw))
    if (!allowed.includes(name)) throw invalidParam(name, `Unknown parameter '${name}'. Accepted: ${allowed.join(', ') || 'none'}.`, 'unknown_parameter');
  return raw as Body;
}

export function requiredString(body: Body, name: string, max = 1000): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw invalidParam(name, `'${name}' is required.`, 'missing_parameter');
  if (typeof value !== 'string') throw invalidParam(name, `'${name}' must be a string.`);
  if (value.length > max) throw invalidParam(name, `'${name}' may be at most ${max} characters.`);
  return value;
}

export function optionalString(body: Body, name: string, max = 1000): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, `'${name}' must be a string.`);
  if (value.length > max) throw invalidParam(name, `'${name}' may be at most ${max} characters.`);
  return value;
}

export function optionalBoolean(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParam(name, `'${name}' must be true or false.`);
  return value;
}

export function requiredInteger(body: Body, name: string, min: number, max: number): number {
  const value = body[name];
  if (value === undefined || value === null) throw invalidParam(name, `'${name}' is required.`, 'missing_parameter');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParam(name, `'${name}' must be a whole number from ${min} to ${max}.`);
  return value;
}

/**
 * A credit amount (a JSON number, at most 6 decimals) in [min, max] credits, as micro-credits.
 * 0 is refused unless `zero` allows it.
 */
export function creditAmount(value: unknown, name: string, opts: { min: number; max: number; zero?: boolean }): number {
  const micro = typeof value === 'number' ? parseCredits(value) : undefined;
  if (micro === undefined || micro < opts.min * MICRO || micro > opts.max * MICRO || (micro === 0 && !opts.zero))
    throw invalidParam(name, `'${name}' must be a number of credits from ${opts.min} to ${opts.max}${opts.zero ? '' : ', not 0,'} with at most 6 decimals.`);
  return micro;
}

export function requiredCredits(body: Body, name: string, opts: { min: number; max: number; zero?: boolean }): number {
  if (body[name] === undefined || body[name] === null) throw invalidParam(name, `'${name}' is required.`, 'missing_parameter');
  return creditAmount(body[name], name, opts);
}

/** A whole number in [min, max] from the query string, or `fallback` when absent. */
export function queryInteger(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidParam(name, `'${name}' must be a whole number from ${min} to ${max}.`);
  return n;
}

export function oneOf<T extends string>(raw: unknown, name: string, values: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !values.includes(raw as T)) throw invalidParam(name, `'${name}' must be one of: ${values.join(', ')}.`);
  return raw as T;
}
