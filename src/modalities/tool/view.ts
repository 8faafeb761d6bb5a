// How a tool model's parameters read on its page, in the playground and in the docs.
import type { ModelConfig } from '../../config/catalog-schema.js';
import { choiceParam, modelParam } from '../shared/fields.js';
import type { ParameterView } from '../types.js';
import { toolParams } from './request.js';

const EXAMPLE_IMAGE = 'https://example.com/photo.jpg';

export function toolParameters(model: ModelConfig): ParameterView[] {
  const p = toolParams(model);
  const params: ParameterView[] = [
    { name: 'image_url', type: 'string', required: true, widget: 'image', description: `The input image (PNG, JPEG, WebP or GIF, at most ${Math.round(p.max_input_pixels / 1e6)} megapixels): an https URL, a data: URL, or an uploaded file.` },
    modelParam(model),
  ];
  if (p.tool === 'upscale') params.push(choiceParam('scale', p.scales!, p.default_scale!, 'Upscale factor', 'integer'));
  return params;
}

export function toolExample(model: ModelConfig): Record<string, unknown> {
  const p = toolParams(model);
  return { model: model.id, image_url: EXAMPLE_IMAGE, ...(p.tool === 'upscale' ? { scale: p.default_scale } : {}) };
}
