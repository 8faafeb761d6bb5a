// POST /api/v1/audio/generations: speech models take `text` and a voice, music models a `prompt`
// and a `duration`; each refuses the other's fields.
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { invalidParam } from '../../lib/app-error.js';
import { MAX_PROMPT, modelField, PromptField, SeedField, choice, literals, requiredText, supported, unionOf, WebhookUrlField } from '../shared/fields.js';
import type { AudioFormatName, AudioParams } from './params.js';

export interface SpeechTaskInput {
  model: string;
  text: string;
  voice: string;
  format: AudioFormatName;
  speed: number;
  instructions?: string;
}

export interface MusicTaskInput {
  model: string;
  prompt: string;
  duration: number;
  instrumental: boolean;
  format: AudioFormatName;
  seed?: number;
}

export type AudioTaskInput = SpeechTaskInput | MusicTaskInput;

export const audioParams = (model: ModelConfig) => model.params as unknown as AudioParams;
export const isSpeech = (input: AudioTaskInput): input is SpeechTaskInput => 'text' in input;

const MIN_SPEED = 0.25;
const MAX_SPEED = 4;
const MAX_TEXT = 4096;

export function audioRequestSchema(models: ModelConfig[]) {
  const params = models.map(audioParams);
  return Type.Object(
    {
      model: modelField(models),
      text: Type.Optional(Type.String({ minLength: 1, maxLength: Math.max(MAX_TEXT, ...params.map((p) => p.max_characters ?? 0)), description: 'Speech models: what to say.' })),
      voice: Type.Optional(Type.String({ description: 'Speech models: one of the model’s voices.' })),
      speed: Type.Optional(Type.Number({ minimum: MIN_SPEED, maximum: MAX_SPEED, description: 'Speech models: 0.25 to 4, default 1.' })),
      instructions: Type.Optional(Type.String({ maxLength: MAX_PROMPT, description: 'Speech models that take a voice style.' })),
      prompt: Type.Optional(PromptField),
      duration: Type.Optional(Type.Integer({ minimum: 1, description: 'Music models: seconds.' })),
      instrumental: Type.Optional(Type.Boolean({ description: 'Music models: no vocals.' })),
      seed: Type.Optional(SeedField),
      format: Type.Optional(literals(unionOf(params.map((p) => p.formats)))),
      webhook_url: Type.Optional(WebhookUrlField),
    },
    { additionalProperties: false, description: 'Which fields each model takes: GET /api/v1/models/{id}.' },
  );
}

export function parseAudioRequest(body: Record<string, unknown>, model: ModelConfig): AudioTaskInput {
  const p = audioParams(model);
  const speech = p.kind === 'speech';
  for (const field of speech ? ['prompt', 'duration', 'instrumental', 'seed'] : ['text', 'voice', 'speed', 'instructions'])
    supported(model, body, field, false);
  const format = choice(model, body, 'format', p.formats, p.default_format, (v) => String(v).toLowerCase());
  if (speech) {
    if (body.text === undefined) throw invalidParam('text', `'text' is required: what ${model.id} should say.`, 'missing_parameter');
    const input: SpeechTaskInput = {
      model: model.id,
      text: requiredText(body, 'text', p.max_characters!),
      voice: choice(model, body, 'voice', p.voices!, p.default_voice!, (v) => String(v).toLowerCase()),
      format,
      speed: supported(model, body, 'speed', p.speed ?? false) ? (body.speed as number) : 1,
    };
    if (supported(model, body, 'instructions', p.instructions ?? false) && String(body.instructions).trim()) input.instructions = String(body.instructions).trim();
    return input;
  }
  if (body.prompt === undefined) throw invalidParam('prompt', `'prompt' is required: what music ${model.id} should make.`, 'missing_parameter');
  const duration = body.duration === undefined ? p.default_duration! : (body.duration as number);
  if (duration < p.min_duration! || duration > p.max_duration!)
    throw invalidParam('duration', `'duration' must be from ${p.min_duration} to ${p.max_duration} seconds for ${model.id}.`);
  const input: MusicTaskInput = {
    model: model.id,
    prompt: requiredText(body, 'prompt', MAX_PROMPT),
    duration,
    instrumental: supported(model, body, 'instrumental', p.instrumental ?? false) ? (body.instrumental as boolean) : false,
    format,
  };
  if (supported(model, body, 'seed', p.seed ?? false)) input.seed = body.seed as number;
  return input;
}
