// One check in front of every route: request input that no route may see. PostgreSQL cannot
// store a NUL character (it answers `invalid byte sequence for encoding "UTF8": 0x00`, a 500) and
// a lone UTF-16 surrogate is not Unicode at all, so any string holding one is refused with a 400
// naming the field, in the JSON body, the query string and the path parameters alike. JSON nested
// deeper than MAX_JSON_DEPTH is refused too: hashing or copying it recursively would overflow the stack.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalidParam } from '../lib/app-error.js';

export const MAX_JSON_DEPTH = 64;

// A NUL, a high surrogate not followed by a low one, or a low surrogate not after a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const escapeBad = (s: string) => s.replace(new RegExp(UNSTORABLE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function refuse(path: string, value: string): AppError {
  const what = value.match(UNSTORABLE)![0] === '\u0000' ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate (not valid Unicode)';
  const name = path || 'body';
  return invalidParam(name, `'${name}' contains ${what}, which is not allowed in any field.`);
}

const childPath = (parent: string, key: string | number) => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${escapeBad(key)}` : escapeBad(key));

/**
 * Throws the 400 for the first unstorable string (value or key) in `value`, or for nesting past
 * `maxDepth` (counting the top object as 1). Iterative, so no input can overflow the stack here.
 */
export function checkInput(value: unknown, maxDepth = MAX_JSON_DEPTH, root = ''): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 1 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) throw refuse(path, v);
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    if (depth > maxDepth) throw new AppError(400, 'invalid_json', `The JSON body is nested more than ${maxDepth} levels deep; send flatter data.`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: childPath(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (UNSTORABLE.test(key)) throw refuse(childPath(path, key), key);
      stack.push({ value: (v as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
    }
  }
}

function checkRequest(req: FastifyRequest): void {
  // Path parameters and the query string are flat: each value is named by its own key.
  for (const source of [req.params, req.query]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) {
      if (UNSTORABLE.test(key)) throw refuse(escapeBad(key), key);
      checkInput(value, MAX_JSON_DEPTH, escapeBad(key));
    }
  }
  checkInput(req.body);
}

/** Installs the check on `app` and every scope registered after this call. */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => checkRequest(req));
}
