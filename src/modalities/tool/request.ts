// POST /api/v1/tools/runs: an input image (required) and, for upscalers, the factor.
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { invalidParam } from '../../lib/app-error.js';
import { choice, modelField, literals, supported, unionOf, WebhookUrlField } from '../shared/fields.js';
import { checkImageUrl } from '../shared/image-url.js';
import type { ToolParams } from './params.js';

export interface ToolTaskInput {
  model: string;
  image_url: string;
  scale?: number;
}

export const toolParams = (model: ModelConfig) => model.params as unknown as ToolParams;

export function toolRequestSchema(models: ModelConfig[]) {
  const scales = unionOf(models.map((m) => toolParams(m).scales ?? []));
  return Type.Object(
    {
      model: modelField(models),
      image_url: Type.String({ minLength: 1, description: 'The input image: an https URL, a data:image/...;base64 URL, or the URL of a file uploaded with POST /api/v1/files.' }),
      ...(scales.length ? { scale: Type.Optional(literals(scales)) } : {}),
      webhook_url: Type.Optional(WebhookUrlField),
    },
    { additionalProperties: false, description: 'Which fields each model takes: GET /api/v1/models/{id}.' },
  );
}

export function parseToolRequest(body: Record<string, unknown>, model: ModelConfig): ToolTaskInput {
  const p = toolParams(model);
  if (body.image_url === undefined) throw invalidParam('image_url', `'image_url' is required: the image ${model.id} works on.`, 'missing_parameter');
  const input: ToolTaskInput = { model: model.id, image_url: checkImageUrl(body.image_url as string, 'image_url') };
  if (p.tool === 'upscale') input.scale = choice(model, body, 'scale', p.scales!, p.default_scale!);
  else supported(model, body, 'scale', false);
  return input;
}
