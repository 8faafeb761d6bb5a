// Audio: speech (priced per 1,000 characters of text) and music (priced per second).
import type { Modality } from '../types.js';
import { AudioParamsSchema, checkAudioParams, type AudioParams } from './params.js';
import { audioParams, audioRequestSchema, isSpeech, parseAudioRequest, type AudioTaskInput } from './request.js';
import { AudioOutputSchema, executeAudio, type StoredAudio } from './result.js';
import { audioExample, audioParameters } from './view.js';

export const audioModality: Modality<AudioTaskInput, { audio: StoredAudio[] }> = {
  type: 'audio',
  endpoint: '/api/v1/audio/generations',
  summary: 'Create a speech or music generation task',
  paramsSchema: AudioParamsSchema,
  checkParams: (params) => checkAudioParams(params as AudioParams),
  units: ['1k_characters', 'second'],
  outputSchema: AudioOutputSchema,
  requestSchema: audioRequestSchema,
  parse: parseAudioRequest,
  operation: (model) => (audioParams(model).kind === 'speech' ? 'speech' : 'music'),
  quote: (input) => ({ quantity: isSpeech(input) ? [...input.text].length / 1000 : input.duration }),
  parameters: audioParameters,
  example: audioExample,
  describe: (model) => ({ audio_kind: audioParams(model).kind }),
  execute: executeAudio,
};
