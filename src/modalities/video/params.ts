// A video model's parameter block in the catalog: durations, shapes, resolutions, and which of
// image-to-video, negative prompt, seed and sound it has.
import Type, { type Static } from 'typebox';

const Ratio = Type.Union([Type.Literal('16:9'), Type.Literal('9:16'), Type.Literal('1:1')]);
const Resolution = Type.Union([Type.Literal('720p'), Type.Literal('1080p')]);

export const VideoParamsSchema = Type.Object(
  {
    durations: Type.Array(Type.Integer({ minimum: 1, maximum: 60 }), { minItems: 1 }),
    default_duration: Type.Integer({ minimum: 1 }),
    aspect_ratios: Type.Array(Ratio, { minItems: 1 }),
    default_aspect_ratio: Ratio,
    resolutions: Type.Array(Resolution, { minItems: 1 }),
    default_resolution: Resolution,
    image_to_video: Type.Boolean(),
    negative_prompt: Type.Boolean(),
    seed: Type.Boolean(),
    audio: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type VideoParams = Static<typeof VideoParamsSchema>;
export type AspectRatio = Static<typeof Ratio>;
export type VideoResolution = Static<typeof Resolution>;

export function checkVideoParams(p: VideoParams): string[] {
  const problems: string[] = [];
  if (!p.durations.includes(p.default_duration)) problems.push(`default_duration: ${p.default_duration} is not one of its durations`);
  if (!p.aspect_ratios.includes(p.default_aspect_ratio)) problems.push(`default_aspect_ratio: '${p.default_aspect_ratio}' is not one of its aspect_ratios`);
  if (!p.resolutions.includes(p.default_resolution)) problems.push(`default_resolution: '${p.default_resolution}' is not one of its resolutions`);
  return problems;
}

const SHORT_SIDE: Record<VideoResolution, number> = { '720p': 720, '1080p': 1080 };

/** The pixel size of a shape at a resolution: the short side is the resolution's (720p 16:9 = 1280x720). */
export function videoSize(ratio: AspectRatio, resolution: VideoResolution): { width: number; height: number } {
  const short = SHORT_SIDE[resolution];
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  const long = Math.round((short * Math.max(w, h)) / Math.min(w, h) / 2) * 2;
  return w >= h ? { width: long, height: short } : { width: short, height: long };
}
