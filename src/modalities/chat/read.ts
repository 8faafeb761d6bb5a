// Reading a chat request body field by field, so that every refusal names the exact parameter
// (`messages[2].content[0].image_url.url`) with one of our stable codes.
import { AppError } from '../../lib/app-error.js';

export type Json = Record<string, unknown>;

export const invalid = (param: string, message: string) => new AppError(400, 'invalid_parameter', message, { param });
export const missing = (param: string) => new AppError(400, 'missing_parameter', `'${param}' is required.`, { param });
export const unsupported = (param: string, message: string) => new AppError(400, 'unsupported_parameter', message, { param });

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const present = (v: unknown) => v !== undefined && v !== null;

export function object(v: unknown, param: string): Json {
  if (!isObject(v)) throw invalid(param, `'${param}' must be an object.`);
  return v;
}

export function array(v: unknown, param: string, opts: { min?: number; max?: number } = {}): unknown[] {
  if (!Array.isArray(v)) throw invalid(param, `'${param}' must be an array.`);
  if (opts.min !== undefined && v.length < opts.min) throw invalid(param, `'${param}' must have at least ${opts.min} item${opts.min === 1 ? '' : 's'}.`);
  if (opts.max !== undefined && v.length > opts.max) throw invalid(param, `'${param}' may have at most ${opts.max} items.`);
  return v;
}

export function string(v: unknown, param: string, opts: { min?: number; max?: number } = {}): string {
  if (typeof v !== 'string') throw invalid(param, `'${param}' must be a string.`);
  if (opts.min !== undefined && v.length < opts.min) throw invalid(param, `'${param}' must not be empty.`);
  if (opts.max !== undefined && v.length > opts.max) throw invalid(param, `'${param}' is ${v.length} characters long; the limit is ${opts.max}.`);
  return v;
}

export function number(v: unknown, param: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(param, `'${param}' must be a number.`);
  if (v < min || v > max) throw invalid(param, `'${param}' must be between ${min} and ${max}; it is ${v}.`);
  return v;
}

export function integer(v: unknown, param: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(param, `'${param}' must be an integer.`);
  if (v < min || v > max) throw invalid(param, `'${param}' must be between ${min} and ${max}; it is ${v}.`);
  return v;
}

export function boolean(v: unknown, param: string): boolean {
  if (typeof v !== 'boolean') throw invalid(param, `'${param}' must be true or false.`);
  return v;
}

export function oneOf<T extends string>(v: unknown, param: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) throw invalid(param, `'${param}' must be one of: ${values.join(', ')}.`);
  return v as T;
}

/** Refuses any field of `obj` not in `known`, naming it (`unknown_parameter`). */
export function onlyKnown(obj: Json, known: readonly string[], prefix = ''): void {
  for (const name of Object.keys(obj))
    if (!known.includes(name)) {
      const param = prefix ? `${prefix}.${name}` : name;
      throw new AppError(400, 'unknown_parameter', `Unknown parameter '${param}'.`, { param });
    }
}

/** `stop` / `stop_sequences`: one string or a list of non-empty strings. */
export function stopList(v: unknown, param: string, max: number): string[] {
  const list = typeof v === 'string' ? [v] : array(v, param, { max });
  return list.map((s, i) => string(s, `${param}[${i}]`, { min: 1, max: 1000 }));
}

/** A `data:` URL's media type and base64 payload, or undefined when it is not one. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+);base64,(.*)$/is.exec(url);
  return match ? { mediaType: match[1]!.toLowerCase(), data: match[2]! } : undefined;
}

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
