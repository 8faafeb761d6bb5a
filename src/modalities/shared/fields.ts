// Request fields and per-model checks that several modalities share. The route schema checks
// types; these check what depends on the model (its allowed values, what it supports).
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { invalidParam } from '../../lib/app-error.js';
import type { ParameterView } from '../types.js';

export const MAX_PROMPT = 4000;
export const MAX_SEED = 2147483647;

export const literals = (values: readonly (string | number)[]) => Type.Union(values.map((v) => Type.Literal(v)));
export const unionOf = <T>(lists: T[][]): T[] => [...new Set(lists.flat())];

/** The `model` field: any id (an unknown one is `model_not_found`, not a schema error); the catalog's ids as examples. */
export const modelField = (models: ModelConfig[]) =>
  Type.String({ minLength: 1, maxLength: 200, description: 'The model id, from GET /api/v1/models.', examples: models.map((m) => m.id) });
export const PromptField = Type.String({ minLength: 1, maxLength: MAX_PROMPT, description: 'What to make (1 to 4000 characters).' });
export const SeedField = Type.Integer({ minimum: 0, maximum: MAX_SEED, description: 'Repeats a result where the model allows.' });
export const NegativePromptField = Type.String({ maxLength: MAX_PROMPT, description: 'What the result should not contain (where the model supports it).' });
/** Where to POST the task's ending (signed like the account's webhooks); not part of the model's input. */
export const WebhookUrlField = Type.String({ minLength: 1, maxLength: 2000, description: 'An http(s) URL that receives task.succeeded / task.failed / task.canceled for this task, signed with the secret of your first webhook endpoint.' });

/** A required text field, trimmed, not blank. */
export function requiredText(body: Record<string, unknown>, param: string, max: number): string {
  const value = String(body[param] ?? '').trim();
  if (!value) throw invalidParam(param, `'${param}' must not be empty.`);
  if (value.length > max) throw invalidParam(param, `'${param}' is ${value.length} characters long; the limit is ${max}.`);
  return value;
}

/** A choice among the model's values (after `normalise`), or the model's default when absent. */
export function choice<T extends string | number>(model: ModelConfig, body: Record<string, unknown>, param: string, allowed: readonly T[], fallback: T, normalise: (v: unknown) => unknown = (v) => v): T {
  const raw = body[param];
  if (raw === undefined || raw === null) return fallback;
  const value = normalise(typeof raw === 'string' ? raw.trim() : raw);
  if (!allowed.includes(value as T)) throw invalidParam(param, `'${String(raw)}' is not a ${param} that ${model.id} supports. Use one of: ${allowed.join(', ')}.`);
  return value as T;
}

/** A field only some models take: refused with `unsupported_parameter` where the model does not. */
export function supported(model: ModelConfig, body: Record<string, unknown>, param: string, allowed: boolean): boolean {
  const present = body[param] !== undefined && body[param] !== null;
  if (present && !allowed) throw invalidParam(param, `${model.id} does not support '${param}'.`, 'unsupported_parameter');
  return present;
}

/** The optional seed and negative prompt, where the model takes them. */
export function seedAndNegative(model: ModelConfig, body: Record<string, unknown>, caps: { seed: boolean; negative_prompt: boolean }) {
  const out: { seed?: number; negative_prompt?: string } = {};
  if (supported(model, body, 'seed', caps.seed)) out.seed = body.seed as number;
  if (supported(model, body, 'negative_prompt', caps.negative_prompt)) {
    const negative = String(body.negative_prompt).trim();
    if (negative) out.negative_prompt = negative;
  }
  return out;
}

export const modelParam = (model: ModelConfig): ParameterView => ({ name: 'model', type: 'string', required: true, default: model.id, description: `Use "${model.id}".` });
export const promptParam = (what: string): ParameterView => ({ name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT, widget: 'textarea', description: `Text description of the ${what} (1 to ${MAX_PROMPT} characters).` });
export const seedParam: ParameterView = { name: 'seed', type: 'integer', required: false, minimum: 0, maximum: MAX_SEED, description: `Seed from 0 to ${MAX_SEED}; the same seed repeats a result where the model allows.` };
export const negativeParam = (what: string): ParameterView => ({ name: 'negative_prompt', type: 'string', required: false, maxLength: MAX_PROMPT, description: `What the ${what} should not contain.` });

/** A choice parameter for the views. */
export const choiceParam = (name: string, values: Array<string | number>, fallback: string | number, description: string, type: 'string' | 'integer' = 'string'): ParameterView => ({
  name,
  type,
  required: false,
  default: fallback,
  values,
  description: `${description}: ${values.join(', ')}`,
});
