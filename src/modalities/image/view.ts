// How an image model's parameters read on its page, in the playground and in the docs.
import type { ModelConfig } from '../../config/catalog-schema.js';
import { choiceParam, modelParam, negativeParam, promptParam, seedParam } from '../shared/fields.js';
import type { ParameterView } from '../types.js';
import { imageParams } from './request.js';

export function imageParameters(model: ModelConfig): ParameterView[] {
  const p = imageParams(model);
  const params: ParameterView[] = [
    promptParam('image'),
    modelParam(model),
    choiceParam('size', Object.keys(p.size.values), p.size.default, 'Size'),
    choiceParam('rendering_speed', p.rendering_speed.values, p.rendering_speed.default, 'Rendering speed'),
    choiceParam('output_format', p.output_format.values, p.output_format.default, 'Output format'),
  ];
  if (p.seed) params.push(seedParam);
  if (p.negative_prompt) params.push(negativeParam('image'));
  return params;
}

export function imageExample(model: ModelConfig): Record<string, unknown> {
  const p = imageParams(model);
  return {
    model: model.id,
    prompt: model.example_prompt ?? 'A clean editorial poster, bold typography, warm daylight',
    size: p.size.default,
    rendering_speed: p.rendering_speed.default,
    output_format: p.output_format.default,
  };
}

/** The exact pixel sizes, for the model page. */
export const imageSizes = (model: ModelConfig) =>
  Object.fromEntries(Object.entries(imageParams(model).size.values).map(([ratio, [width, height]]) => [ratio, { width, height }]));
