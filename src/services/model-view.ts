// The public face of a catalog model: what GET /api/v1/models shows and the model pages, the
// playground and the docs use. Everything type-specific comes from the model's modality.
import type { ModelConfig } from '../config/catalog-schema.js';
import { chatView } from '../modalities/chat/view.js';
import { modalityOf } from '../modalities/registry.js';

export const TASK_ENDPOINT = '/api/v1/tasks/{task_id}';
export const USD_PER_CREDIT = 0.01;

const usd = (credits: number) => Number((credits * USD_PER_CREDIT).toFixed(6));

export function modelView(model: ModelConfig, availability: { available: boolean }) {
  // Chat is direct (no task): its slice offers the same view facets.
  const modality = model.type === 'chat' ? chatView : modalityOf(model.type)!;
  return {
    id: model.id,
    object: 'model' as const,
    name: model.name,
    provider: model.provider,
    type: model.type,
    enabled: model.enabled,
    available: model.enabled && availability.available,
    pitch: model.pitch,
    description: model.description,
    endpoint: modality.endpoint,
    task_endpoint: TASK_ENDPOINT,
    method: 'POST',
    auth: 'bearer',
    webhook_required: false,
    input_types: model.input_types,
    output_type: model.type,
    price: {
      unit: model.price.unit,
      credits: model.price.credits,
      usd: usd(model.price.credits),
      rates: model.price.rates ?? {},
      billing: model.type === 'chat' ? 'per_token' : 'per_successful_request',
    },
    parameters: modality.parameters(model),
    example: modality.example(model),
    ...modality.describe?.(model),
    capabilities: model.capabilities,
    use_cases: model.use_cases,
    faq: model.faq,
    example_prompt: model.example_prompt,
    i18n: model.i18n ?? {},
  };
}
