// A route schema's refusal (Fastify's FST_ERR_VALIDATION, from AJV) in our words: the stable
// codes clients branch on (`missing_parameter`, `unknown_parameter`, `invalid_parameter`), the
// parameter at fault, and a sentence a person can act on.
import type { FastifyError } from 'fastify';
import { AppError } from '../lib/app-error.js';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { type?: string; anyOf?: Array<{ const?: unknown }>; enum?: unknown[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; properties?: Record<string, unknown> };
  schema?: unknown;
}

const describeType = (type: unknown) => (type === 'integer' ? 'a whole number' : type === 'number' ? 'a number' : type === 'boolean' ? 'true or false' : type === 'object' ? 'an object' : type === 'array' ? 'a list' : `a ${String(type)}`);

export function fromValidation(err: FastifyError): AppError {
  const all = (err.validation ?? []) as unknown as AjvError[];
  // A choice among literals fails each branch first (`const`), then the `anyOf`: report the choice.
  const e = all.find((x) => x.keyword === 'anyOf' && x.instancePath === all[0]?.instancePath) ?? all[0];
  const where = (err as { validationContext?: string }).validationContext ?? 'body';
  if (!e) return new AppError(400, 'invalid_parameter', err.message);
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (where === 'body' && !path && e.keyword === 'type') return new AppError(400, 'invalid_request_body', 'The request body must be a JSON object.');
  if (e.keyword === 'required') {
    const name = String(e.params.missingProperty);
    const param = path ? `${path}.${name}` : name;
    return new AppError(400, 'missing_parameter', `'${param}' is required.`, { param });
  }
  if (e.keyword === 'additionalProperties') {
    const name = String(e.params.additionalProperty);
    const param = path ? `${path}.${name}` : name;
    const accepted = Object.keys(e.parentSchema?.properties ?? {});
    return new AppError(400, 'unknown_parameter', `Unknown parameter '${param}'.${accepted.length ? ` Accepted: ${accepted.join(', ')}.` : ''}`, { param });
  }
  const param = path || undefined;
  const name = `'${path || where}'`;
  const s = e.parentSchema ?? {};
  const allowed = s.anyOf?.every((o) => 'const' in o) ? s.anyOf.map((o) => String(o.const)) : s.enum?.map(String);
  let message: string;
  switch (e.keyword) {
    case 'type':
      message = `${name} must be ${describeType(e.params.type)}.`;
      break;
    case 'anyOf':
    case 'enum':
    case 'const':
      message = allowed ? `${name} must be one of: ${allowed.join(', ')}.` : `${name} is not an accepted value.`;
      break;
    case 'minLength':
      message = s.minLength === 1 ? `${name} must not be empty.` : `${name} must be at least ${s.minLength} characters long.`;
      break;
    case 'maxLength':
      message = `${name} is too long; the limit is ${s.maxLength} characters.`;
      break;
    case 'minimum':
    case 'maximum':
      message = `${name} must be from ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}.`;
      break;
    default:
      message = `${name} ${e.message ?? 'is invalid'}.`;
  }
  return new AppError(400, 'invalid_parameter', message, { param });
}
