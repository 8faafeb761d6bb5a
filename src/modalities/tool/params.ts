// A tool model's parameter block: which tool it is, and the upscale factors where it scales.
import Type, { type Static } from 'typebox';

export const ToolParamsSchema = Type.Object(
  {
    tool: Type.Union([Type.Literal('remove-background'), Type.Literal('upscale')]),
    scales: Type.Optional(Type.Array(Type.Integer({ minimum: 2, maximum: 8 }), { minItems: 1 })),
    default_scale: Type.Optional(Type.Integer({ minimum: 2, maximum: 8 })),
    /** Largest input accepted, in pixels; also what a per-megapixel price is held for. */
    max_input_pixels: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);

export type ToolParams = Static<typeof ToolParamsSchema>;

export function checkToolParams(p: ToolParams): string[] {
  if (p.tool !== 'upscale') return p.scales ? ['scales: only an upscale tool has scales'] : [];
  if (!p.scales || p.default_scale === undefined) return ['an upscale tool needs scales and default_scale'];
  return p.scales.includes(p.default_scale) ? [] : [`default_scale: ${p.default_scale} is not one of its scales`];
}
