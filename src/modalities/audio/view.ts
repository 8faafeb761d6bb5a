// How an audio model's parameters read on its page, in the playground and in the docs.
import type { ModelConfig } from '../../config/catalog-schema.js';
import { MAX_PROMPT, choiceParam, modelParam, promptParam, seedParam } from '../shared/fields.js';
import type { ParameterView } from '../types.js';
import { audioParams } from './request.js';

export function audioParameters(model: ModelConfig): ParameterView[] {
  const p = audioParams(model);
  if (p.kind === 'speech') {
    const params: ParameterView[] = [
      { name: 'text', type: 'string', required: true, maxLength: p.max_characters, widget: 'textarea', description: `What to say (at most ${p.max_characters} characters).` },
      modelParam(model),
      choiceParam('voice', p.voices!, p.default_voice!, 'Voice'),
      choiceParam('format', p.formats, p.default_format, 'Audio format'),
    ];
    if (p.speed) params.push({ name: 'speed', type: 'number', required: false, default: 1, minimum: 0.25, maximum: 4, description: 'Speaking speed, 0.25 to 4.' });
    if (p.instructions) params.push({ name: 'instructions', type: 'string', required: false, maxLength: MAX_PROMPT, description: 'How to speak: tone, pace, accent.' });
    return params;
  }
  const params: ParameterView[] = [
    promptParam('music'),
    modelParam(model),
    { name: 'duration', type: 'integer', required: false, default: p.default_duration, minimum: p.min_duration, maximum: p.max_duration, description: `Length in seconds, ${p.min_duration} to ${p.max_duration}.` },
    choiceParam('format', p.formats, p.default_format, 'Audio format'),
  ];
  if (p.instrumental) params.push({ name: 'instrumental', type: 'boolean', required: false, default: false, description: 'No vocals.' });
  if (p.seed) params.push(seedParam);
  return params;
}

export function audioExample(model: ModelConfig): Record<string, unknown> {
  const p = audioParams(model);
  return p.kind === 'speech'
    ? { model: model.id, text: model.example_prompt ?? 'Hello and welcome to API in One.', voice: p.default_voice, format: p.default_format }
    : { model: model.id, prompt: model.example_prompt ?? 'A calm lo-fi beat with warm piano', duration: p.default_duration, format: p.default_format };
}
