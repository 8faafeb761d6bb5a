// An image model's parameter block in the catalog: its sizes (with exact pixels), speeds, formats.
import Type, { type Static } from 'typebox';

const Text = Type.String({ minLength: 1 });

export const ImageParamsSchema = Type.Object(
  {
    size: Type.Object(
      { default: Text, values: Type.Record(Type.String(), Type.Tuple([Type.Integer({ minimum: 16 }), Type.Integer({ minimum: 16 })])) },
      { additionalProperties: false },
    ),
    rendering_speed: Type.Object(
      { default: Text, values: Type.Array(Type.Union([Type.Literal('TURBO'), Type.Literal('BALANCED'), Type.Literal('QUALITY')]), { minItems: 1 }) },
      { additionalProperties: false },
    ),
    output_format: Type.Object(
      { default: Text, values: Type.Array(Type.Union([Type.Literal('png'), Type.Literal('jpeg'), Type.Literal('webp')]), { minItems: 1 }) },
      { additionalProperties: false },
    ),
    seed: Type.Boolean(),
    negative_prompt: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type ImageParams = Static<typeof ImageParamsSchema>;

/** What the schema cannot say: defaults among the values, sizes that match their ratio. */
export function checkImageParams(params: ImageParams): string[] {
  const problems: string[] = [];
  const { size, rendering_speed, output_format } = params;
  if (!(size.default in size.values)) problems.push(`size: default '${size.default}' is not one of its values`);
  if (!rendering_speed.values.includes(rendering_speed.default as never)) problems.push(`rendering_speed: default '${rendering_speed.default}' is not one of its values`);
  if (!output_format.values.includes(output_format.default as never)) problems.push(`output_format: default '${output_format.default}' is not one of its values`);
  for (const [ratio, [w, h]] of Object.entries(size.values)) {
    const match = /^(\d+):(\d+)$/.exec(ratio);
    if (!match) {
      problems.push(`size: '${ratio}' is not a W:H ratio`);
      continue;
    }
    const want = Number(match[1]) / Number(match[2]);
    if (Math.abs(w / h - want) / want > 0.01) problems.push(`size: ${w}x${h} is not ${ratio} (within 1%)`);
  }
  return problems;
}
