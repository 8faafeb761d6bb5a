// POST /api/v1/videos/generations: the body's schema and the per-model rules.
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { MAX_PROMPT, modelField, NegativePromptField, PromptField, SeedField, choice, literals, requiredText, seedAndNegative, supported, unionOf, WebhookUrlField } from '../shared/fields.js';
import { checkImageUrl } from '../shared/image-url.js';
import type { AspectRatio, VideoParams, VideoResolution } from './params.js';

export interface VideoTaskInput {
  model: string;
  prompt: string;
  duration: number;
  aspect_ratio: AspectRatio;
  resolution: VideoResolution;
  image_url?: string;
  negative_prompt?: string;
  seed?: number;
  audio?: boolean;
}

export const videoParams = (model: ModelConfig) => model.params as unknown as VideoParams;

export function videoRequestSchema(models: ModelConfig[]) {
  const params = models.map(videoParams);
  return Type.Object(
    {
      model: modelField(models),
      prompt: PromptField,
      duration: Type.Optional(Type.Integer({ description: `Seconds: ${unionOf(params.map((p) => p.durations)).sort((a, b) => a - b).join(', ')} (as the model allows).` })),
      aspect_ratio: Type.Optional(literals(unionOf(params.map((p) => p.aspect_ratios)))),
      resolution: Type.Optional(literals(unionOf(params.map((p) => p.resolutions)))),
      image_url: Type.Optional(Type.String({ minLength: 1, description: 'Image-to-video: the first frame (https URL, data: URL or an uploaded file URL), where the model has it.' })),
      negative_prompt: Type.Optional(NegativePromptField),
      seed: Type.Optional(SeedField),
      audio: Type.Optional(Type.Boolean({ description: 'Generate sound too, where the model has it (priced at its audio rate).' })),
      webhook_url: Type.Optional(WebhookUrlField),
    },
    { additionalProperties: false, description: 'Which values each model accepts: GET /api/v1/models/{id}.' },
  );
}

export function parseVideoRequest(body: Record<string, unknown>, model: ModelConfig): VideoTaskInput {
  const p = videoParams(model);
  const input: VideoTaskInput = {
    model: model.id,
    prompt: requiredText(body, 'prompt', MAX_PROMPT),
    duration: choice(model, body, 'duration', p.durations, p.default_duration),
    aspect_ratio: choice(model, body, 'aspect_ratio', p.aspect_ratios, p.default_aspect_ratio),
    resolution: choice(model, body, 'resolution', p.resolutions, p.default_resolution),
    ...seedAndNegative(model, body, p),
  };
  if (supported(model, body, 'image_url', p.image_to_video)) input.image_url = checkImageUrl(body.image_url as string, 'image_url');
  if (supported(model, body, 'audio', p.audio)) input.audio = body.audio as boolean;
  return input;
}
