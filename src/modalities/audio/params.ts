// An audio model's parameter block: speech (text in, a voice) or music (a prompt and a length).
import Type, { type Static } from 'typebox';

export const AUDIO_FORMAT_NAMES = ['mp3', 'wav', 'opus', 'aac', 'flac'] as const;
const Format = Type.Union(AUDIO_FORMAT_NAMES.map((f) => Type.Literal(f)));

export const AudioParamsSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('speech'), Type.Literal('music')]),
    formats: Type.Array(Format, { minItems: 1 }),
    default_format: Format,
    // speech
    voices: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    default_voice: Type.Optional(Type.String({ minLength: 1 })),
    max_characters: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    instructions: Type.Optional(Type.Boolean()),
    speed: Type.Optional(Type.Boolean()),
    // music
    min_duration: Type.Optional(Type.Integer({ minimum: 1 })),
    max_duration: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    default_duration: Type.Optional(Type.Integer({ minimum: 1 })),
    instrumental: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type AudioParams = Static<typeof AudioParamsSchema>;
export type AudioFormatName = (typeof AUDIO_FORMAT_NAMES)[number];

export function checkAudioParams(p: AudioParams): string[] {
  const problems: string[] = [];
  if (!p.formats.includes(p.default_format)) problems.push(`default_format: '${p.default_format}' is not one of its formats`);
  if (p.kind === 'speech') {
    if (!p.voices || !p.default_voice || !p.max_characters) problems.push('a speech model needs voices, default_voice and max_characters');
    else if (!p.voices.includes(p.default_voice)) problems.push(`default_voice: '${p.default_voice}' is not one of its voices`);
  } else {
    if (p.min_duration === undefined || p.max_duration === undefined || p.default_duration === undefined) problems.push('a music model needs min_duration, max_duration and default_duration');
    else if (p.default_duration < p.min_duration || p.default_duration > p.max_duration || p.min_duration > p.max_duration)
      problems.push('durations: min_duration <= default_duration <= max_duration');
  }
  return problems;
}
