// Validates a POST /images/generations body against the model it names and fills defaults.
// Which values are allowed comes from the catalog, so a model with fewer sizes refuses the rest.
import type { ModelConfig } from '../config/catalog-schema.js';
import { AppError, invalidParam } from '../lib/app-error.js';
import type { OutputFormat, RenderingSpeed } from '../providers/types.js';
import type { Catalog } from './catalog.js';

export interface ImageTaskInput {
  model: string;
  prompt: string;
  size: string;
  rendering_speed: RenderingSpeed;
  output_format: OutputFormat;
  seed?: number;
  negative_prompt?: string;
}

const FIELDS = new Set(['model', 'prompt', 'size', 'rendering_speed', 'output_format', 'seed', 'negative_prompt']);
const MAX_PROMPT = 4000;
const MAX_SEED = 2147483647;
const SPEED_ALIASES: Record<string, string> = { DEFAULT: 'BALANCED' };
const FORMAT_ALIASES: Record<string, string> = { jpg: 'jpeg' };

function requireString(body: Record<string, unknown>, param: string): string {
  const value = body[param];
  if (value === undefined || value === null) throw invalidParam(param, `'${param}' is required.`, 'missing_parameter');
  if (typeof value !== 'string') throw invalidParam(param, `'${param}' must be a string.`);
  return value;
}

function pick(model: ModelConfig, param: string, value: unknown, allowed: readonly string[], normalise: (v: string) => string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalidParam(param, `'${param}' must be a string, one of: ${allowed.join(', ')}.`);
  const v = normalise(value.trim());
  if (!allowed.includes(v)) throw invalidParam(param, `'${value}' is not a ${param} that ${model.id} supports. Use one of: ${allowed.join(', ')}.`);
  return v;
}

export function parseImageRequest(body: unknown, catalog: Catalog): ImageTaskInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError(400, 'invalid_request_body', 'The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields))
    if (!FIELDS.has(name)) throw invalidParam(name, `Unknown parameter '${name}'. Accepted: ${[...FIELDS].join(', ')}.`, 'unknown_parameter');

  const modelId = requireString(fields, 'model').trim();
  const model = catalog.model(modelId);
  if (!model || model.type !== 'image')
    throw invalidParam('model', `There is no image model '${modelId}'. See GET /api/v1/models for the catalog.`, 'model_not_found');
  if (!model.enabled) throw invalidParam('model', `The model '${modelId}' is currently disabled.`, 'model_disabled');

  const prompt = requireString(fields, 'prompt').trim();
  if (!prompt) throw invalidParam('prompt', "'prompt' must not be empty.");
  if (prompt.length > MAX_PROMPT) throw invalidParam('prompt', `'prompt' is ${prompt.length} characters long; the limit is ${MAX_PROMPT}.`);

  const { size, rendering_speed, output_format } = model.params;
  const input: ImageTaskInput = {
    model: model.id,
    prompt,
    size: pick(model, 'size', fields.size, Object.keys(size.values), (v) => v) || size.default,
    rendering_speed: (pick(model, 'rendering_speed', fields.rendering_speed, rendering_speed.values, (v) => SPEED_ALIASES[v.toUpperCase()] ?? v.toUpperCase()) ||
      rendering_speed.default) as RenderingSpeed,
    output_format: (pick(model, 'output_format', fields.output_format, output_format.values, (v) => FORMAT_ALIASES[v.toLowerCase()] ?? v.toLowerCase()) ||
      output_format.default) as OutputFormat,
  };

  if (fields.seed !== undefined && fields.seed !== null) {
    if (!model.params.seed) throw invalidParam('seed', `${model.id} does not take a seed.`, 'unsupported_parameter');
    const seed = fields.seed;
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
      throw invalidParam('seed', `'seed' must be a whole number from 0 to ${MAX_SEED}.`);
    input.seed = seed;
  }
  if (fields.negative_prompt !== undefined && fields.negative_prompt !== null) {
    if (!model.params.negative_prompt) throw invalidParam('negative_prompt', `${model.id} does not support 'negative_prompt'.`, 'unsupported_parameter');
    const negative = fields.negative_prompt;
    if (typeof negative !== 'string') throw invalidParam('negative_prompt', "'negative_prompt' must be a string.");
    if (negative.length > MAX_PROMPT) throw invalidParam('negative_prompt', `'negative_prompt' is longer than ${MAX_PROMPT} characters.`);
    if (negative.trim()) input.negative_prompt = negative.trim();
  }
  return input;
}
