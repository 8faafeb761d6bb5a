// POST /api/v1/images/generations: the body's schema (types, for every image model at once) and
// the per-model rules (which sizes, speeds and formats this model has), with defaults filled in.
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import type { OutputFormat, RenderingSpeed } from '../../providers/types.js';
import { MAX_PROMPT, modelField, NegativePromptField, PromptField, SeedField, choice, literals, requiredText, seedAndNegative, unionOf, WebhookUrlField } from '../shared/fields.js';
import type { ImageParams } from './params.js';

export interface ImageTaskInput {
  model: string;
  prompt: string;
  size: string;
  rendering_speed: RenderingSpeed;
  output_format: OutputFormat;
  seed?: number;
  negative_prompt?: string;
}

const SPEED_ALIASES: Record<string, string> = { DEFAULT: 'BALANCED' };
const FORMAT_ALIASES: Record<string, string> = { jpg: 'jpeg' };

export const imageParams = (model: ModelConfig) => model.params as unknown as ImageParams;

export function imageRequestSchema(models: ModelConfig[]) {
  const params = models.map(imageParams);
  return Type.Object(
    {
      model: modelField(models),
      prompt: PromptField,
      size: Type.Optional(literals(unionOf(params.map((p) => Object.keys(p.size.values))))),
      rendering_speed: Type.Optional(Type.String({ description: `${unionOf(params.map((p) => p.rendering_speed.values)).join(', ')} (DEFAULT = BALANCED).` })),
      output_format: Type.Optional(literals([...unionOf(params.map((p) => p.output_format.values)), 'jpg'])),
      seed: Type.Optional(SeedField),
      negative_prompt: Type.Optional(NegativePromptField),
      webhook_url: Type.Optional(WebhookUrlField),
    },
    { additionalProperties: false, description: 'Which values each model accepts: GET /api/v1/models/{id}.' },
  );
}

export function parseImageRequest(body: Record<string, unknown>, model: ModelConfig): ImageTaskInput {
  const p = imageParams(model);
  return {
    model: model.id,
    prompt: requiredText(body, 'prompt', MAX_PROMPT),
    size: choice(model, body, 'size', Object.keys(p.size.values), p.size.default),
    rendering_speed: choice(model, body, 'rendering_speed', p.rendering_speed.values, p.rendering_speed.default as RenderingSpeed, (v) => {
      const up = String(v).toUpperCase();
      return SPEED_ALIASES[up] ?? up;
    }),
    output_format: choice(model, body, 'output_format', p.output_format.values, p.output_format.default as OutputFormat, (v) => {
      const low = String(v).toLowerCase();
      return FORMAT_ALIASES[low] ?? low;
    }),
    ...seedAndNegative(model, body, p),
  };
}
