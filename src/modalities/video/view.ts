// How a video model's parameters read on its page, in the playground and in the docs.
import type { ModelConfig } from '../../config/catalog-schema.js';
import { choiceParam, modelParam, negativeParam, promptParam, seedParam } from '../shared/fields.js';
import type { ParameterView } from '../types.js';
import { videoSize } from './params.js';
import { videoParams } from './request.js';

export function videoParameters(model: ModelConfig): ParameterView[] {
  const p = videoParams(model);
  const params: ParameterView[] = [
    promptParam('video'),
    modelParam(model),
    choiceParam('duration', p.durations, p.default_duration, 'Length in seconds', 'integer'),
    choiceParam('aspect_ratio', p.aspect_ratios, p.default_aspect_ratio, 'Shape'),
    choiceParam('resolution', p.resolutions, p.default_resolution, 'Resolution'),
  ];
  if (p.image_to_video) params.push({ name: 'image_url', type: 'string', required: false, widget: 'image', description: 'Image-to-video: the first frame (https URL, data: URL or uploaded file).' });
  if (p.audio) params.push({ name: 'audio', type: 'boolean', required: false, default: false, description: 'Generate sound with the video (priced at the audio rate).' });
  if (p.negative_prompt) params.push(negativeParam('video'));
  if (p.seed) params.push(seedParam);
  return params;
}

export function videoExample(model: ModelConfig): Record<string, unknown> {
  const p = videoParams(model);
  return { model: model.id, prompt: model.example_prompt ?? 'A paper boat drifting down a rainy street, cinematic', duration: p.default_duration, aspect_ratio: p.default_aspect_ratio };
}

export const videoSizes = (model: ModelConfig) => {
  const p = videoParams(model);
  return Object.fromEntries(p.resolutions.map((r) => [r, Object.fromEntries(p.aspect_ratios.map((a) => [a, videoSize(a, r)]))]));
};
