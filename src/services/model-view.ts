// The public face of a catalog model: what GET /api/v1/models shows and the model pages use.
import type { ModelConfig } from '../config/catalog-schema.js';

export const IMAGE_ENDPOINT = '/api/v1/images/generations';
export const TASK_ENDPOINT = '/api/v1/tasks/{task_id}';
export const USD_PER_CREDIT = 0.01;

export interface ParameterView {
  name: string;
  type: 'string' | 'integer';
  required: boolean;
  default?: string;
  values?: string[];
  description: string;
}

export function modelParameters(model: ModelConfig): ParameterView[] {
  const { size, rendering_speed, output_format } = model.params;
  const sizes = Object.keys(size.values);
  const params: ParameterView[] = [
    { name: 'prompt', type: 'string', required: true, description: 'Text description of the image (1 to 4000 characters).' },
    { name: 'model', type: 'string', required: true, default: model.id, description: `Use "${model.id}".` },
    { name: 'size', type: 'string', required: false, default: size.default, values: sizes, description: `Size: ${sizes.join(', ')}` },
    { name: 'rendering_speed', type: 'string', required: false, default: rendering_speed.default, values: rendering_speed.values, description: `Rendering speed: ${rendering_speed.values.join(', ')}` },
    { name: 'output_format', type: 'string', required: false, default: output_format.default, values: output_format.values, description: `Output format: ${output_format.values.join(', ')}` },
  ];
  if (model.params.seed) params.push({ name: 'seed', type: 'integer', required: false, description: 'Seed from 0 to 2147483647; the same seed repeats a result where the model allows.' });
  if (model.params.negative_prompt) params.push({ name: 'negative_prompt', type: 'string', required: false, description: 'What the image should not contain.' });
  return params;
}

export function modelView(model: ModelConfig, availability: { available: boolean; nodes: string[] }) {
  return {
    id: model.id,
    object: 'model' as const,
    name: model.name,
    provider: model.provider,
    type: model.type,
    enabled: model.enabled,
    available: model.enabled && availability.available,
    nodes: availability.nodes,
    pitch: model.pitch,
    description: model.description,
    endpoint: model.type === 'image' ? IMAGE_ENDPOINT : null,
    task_endpoint: TASK_ENDPOINT,
    method: 'POST',
    auth: 'bearer',
    webhook_required: false,
    input_types: model.input_types,
    output_type: model.type,
    price: {
      credits: model.price_credits,
      usd: Number((model.price_credits * USD_PER_CREDIT).toFixed(4)),
      unit: model.type,
      billing: 'per_successful_request',
    },
    parameters: modelParameters(model),
    sizes: Object.fromEntries(Object.entries(model.params.size.values).map(([ratio, [width, height]]) => [ratio, { width, height }])),
    capabilities: model.capabilities,
    use_cases: model.use_cases,
    faq: model.faq,
    example_prompt: model.example_prompt,
    i18n: model.i18n ?? {},
  };
}
