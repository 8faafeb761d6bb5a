// The models behind the fake fal queue, each checking its input the way fal's runner does (pydantic:
// unknown fields ignored, wrong types and values a 422 `{"detail":[{loc,msg,type}]}`), per
// /work/shared/spec/upstreams.md and upstreams-media-chat.md section 1, and producing real media:
// FLUX images, Kling MP4s, ElevenLabs music (mp3), birefnet cut-outs (PNG with alpha), clarity
// upscales (PNG).
import sharp from 'sharp';
import { type ImageFormat, randomSeed } from './http-helpers.js';
import { makeAudio, makeVideo } from './media.js';

export type FalItem = { loc: string[]; msg: string; type: string; url?: string };

export class InvalidInput extends Error {
  constructor(readonly items: FalItem[]) {
    super(items.map((i) => i.msg).join('; '));
  }
}

/** What a model run may use from the fake. */
export interface RunEnv {
  /** Serves bytes at a result URL (or a broken one / junk, per the fake's modes). */
  hostMedia(data: Buffer, contentType: string): string;
  makeImage(width: number, height: number, format: ImageFormat, seed: number): Promise<Buffer>;
  modes: { unsafe: boolean; unsafeKind: 'nsfw' | 'error'; wrongDuration: boolean };
}

export interface FalModel {
  matches(endpoint: string): boolean;
  run(input: Record<string, unknown>, endpoint: string, env: RunEnv): Promise<unknown>;
}

const CONTENT_POLICY: FalItem = {
  loc: ['body', 'prompt'],
  msg: 'The content could not be processed because it contained material flagged by a content checker.',
  type: 'content_policy_violation',
  url: 'https://docs.fal.ai/errors#content_policy_violation',
};

/** Thrown by a run to answer the request's result with a 422 content-policy refusal. */
export class ContentRefused extends InvalidInput {
  constructor() {
    super([CONTENT_POLICY]);
  }
}

/** Collects the 422 items of one input. */
class Check {
  readonly items: FalItem[] = [];
  constructor(readonly body: Record<string, unknown>) {}
  bad(field: string, msg: string, type: string): void {
    this.items.push({ loc: ['body', field], msg, type });
  }
  requiredString(field: string): void {
    const v = this.body[field];
    if (v === undefined) this.bad(field, 'Field required', 'missing');
    else if (typeof v !== 'string') this.bad(field, 'Input should be a valid string', 'string_type');
    else if (!v.trim()) this.bad(field, 'String should have at least 1 character', 'string_too_short');
  }
  optionalString(field: string): void {
    const v = this.body[field];
    if (v !== undefined && typeof v !== 'string') this.bad(field, 'Input should be a valid string', 'string_type');
  }
  optionalBool(field: string): void {
    const v = this.body[field];
    if (v !== undefined && typeof v !== 'boolean') this.bad(field, 'Input should be a valid boolean', 'bool_type');
  }
  optionalInt(field: string, min: number, max: number): void {
    const v = this.body[field];
    if (v === undefined) return;
    if (!Number.isInteger(v)) this.bad(field, 'Input should be a valid integer', 'int_type');
    else if ((v as number) < min) this.bad(field, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
    else if ((v as number) > max) this.bad(field, `Input should be less than or equal to ${max}`, 'less_than_equal');
  }
  optionalNumber(field: string, min: number, max: number): void {
    const v = this.body[field];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.bad(field, 'Input should be a valid number', 'float_type');
    else if (v < min) this.bad(field, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
    else if (v > max) this.bad(field, `Input should be less than or equal to ${max}`, 'less_than_equal');
  }
  /** A literal choice: the value must be one of these exactly (a number is not its string). */
  optionalLiteral(field: string, allowed: readonly unknown[]): void {
    const v = this.body[field];
    if (v !== undefined && !allowed.includes(v)) this.bad(field, `Input should be ${allowed.map((a) => JSON.stringify(a).replace(/"/g, "'")).join(', ')}`, 'literal_error');
  }
  done(): void {
    if (this.items.length) throw new InvalidInput(this.items);
  }
}

/** Loads `image_url`: a base64 data URI (what our adapters send) or an http(s) URL. */
async function loadImage(check: Check): Promise<{ data: Buffer; width: number; height: number } | undefined> {
  check.requiredString('image_url');
  const url = check.body.image_url;
  if (typeof url !== 'string' || !url) return undefined;
  const failed = () => check.bad('image_url', 'Failed to load the image. Please ensure the image file is not corrupted and is in a supported format.', 'image_load_error');
  let data: Buffer;
  const dataUri = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s.exec(url);
  if (dataUri) data = Buffer.from(dataUri[2]!, 'base64');
  else if (/^https?:\/\//.test(url)) {
    const res = await fetch(url).catch(() => undefined);
    if (!res?.ok) return void failed();
    data = Buffer.from(await res.arrayBuffer());
  } else return void failed();
  try {
    const meta = await sharp(data).metadata();
    return { data, width: meta.width!, height: meta.height! };
  } catch {
    return void failed();
  }
}

// --- FLUX (any endpoint not listed below) -------------------------------------------------

const PRESETS: Record<string, [number, number]> = {
  square_hd: [1024, 1024],
  square: [512, 512],
  portrait_4_3: [768, 1024],
  portrait_16_9: [576, 1024],
  landscape_4_3: [1024, 768],
  landscape_16_9: [1024, 576],
};
const MAX_SIDE = 14142;

export const flux: FalModel = {
  matches: () => true,
  async run(body, _endpoint, env) {
    const check = new Check(body);
    check.requiredString('prompt');
    let [width, height] = PRESETS.landscape_4_3!;
    const size = body.image_size;
    if (typeof size === 'string') {
      if (PRESETS[size]) [width, height] = PRESETS[size]!;
      else check.bad('image_size', `Input should be one of ${Object.keys(PRESETS).join(', ')}`, 'enum');
    } else if (typeof size === 'object' && size !== null) {
      const { width: w, height: h } = size as { width?: unknown; height?: unknown };
      if (!Number.isInteger(w) || (w as number) < 1 || (w as number) > MAX_SIDE) check.bad('image_size', `width must be an integer in 1..${MAX_SIDE}`, 'value_error');
      else if (!Number.isInteger(h) || (h as number) < 1 || (h as number) > MAX_SIDE) check.bad('image_size', `height must be an integer in 1..${MAX_SIDE}`, 'value_error');
      else [width, height] = [w as number, h as number];
    } else if (size !== undefined) check.bad('image_size', 'Input should be a valid size', 'value_error');
    check.optionalInt('seed', 0, Number.MAX_SAFE_INTEGER);
    check.optionalInt('num_images', 1, 4);
    if (body.output_format !== undefined && body.output_format !== 'jpeg' && body.output_format !== 'png') check.bad('output_format', "Input should be 'jpeg' or 'png'", 'enum');
    check.optionalBool('enable_safety_checker');
    check.done();

    if (env.modes.unsafe && env.modes.unsafeKind === 'error') throw new ContentRefused();
    const seed = (body.seed as number | undefined) ?? randomSeed();
    const format = (body.output_format as 'png' | 'jpeg' | undefined) ?? 'jpeg';
    const contentType = `image/${format}`;
    const images = [];
    for (let i = 0; i < ((body.num_images as number | undefined) ?? 1); i++) {
      // The safety checker blacks out what it flags.
      const data = await env.makeImage(width, height, format, env.modes.unsafe ? 0 : seed + i);
      images.push({ url: env.hostMedia(data, contentType), width, height, content_type: contentType });
    }
    return { images, timings: { inference: 0.42 }, seed, has_nsfw_concepts: images.map(() => env.modes.unsafe), prompt: body.prompt };
  },
};

// --- Kling v2.6 (text-to-video, image-to-video) -----------------------------------------------

/** What Kling delivers for each aspect ratio. */
export const KLING_SIZES: Record<string, [number, number]> = { '16:9': [1920, 1080], '9:16': [1080, 1920], '1:1': [1080, 1080] };

export const kling: FalModel = {
  matches: (endpoint) => /^fal-ai\/kling-video\/v2\.6\/(pro|standard)\/(text|image)-to-video$/.test(endpoint),
  async run(body, endpoint, env) {
    const check = new Check(body);
    const imageToVideo = endpoint.endsWith('/image-to-video');
    check.requiredString('prompt');
    if (typeof body.prompt === 'string' && body.prompt.length > 2500) check.bad('prompt', 'String should have at most 2500 characters', 'string_too_long');
    // v2.6 takes the duration as a string: 5 (a number) is refused like "7" is.
    check.optionalLiteral('duration', ['5', '10']);
    check.optionalLiteral('aspect_ratio', ['16:9', '9:16', '1:1']);
    check.optionalString('negative_prompt');
    check.optionalBool('generate_audio');
    check.optionalNumber('cfg_scale', 0, 1);
    const image = imageToVideo ? await loadImage(check) : undefined;
    check.done();

    if (env.modes.unsafe) throw new ContentRefused();
    let aspect = (body.aspect_ratio as string | undefined) ?? '16:9';
    // Image-to-video keeps the first frame's shape: the nearest of Kling's three.
    if (image) aspect = nearestAspect(image.width / image.height);
    const [width, height] = KLING_SIZES[aspect]!;
    const asked = Number((body.duration as string | undefined) ?? '5');
    const durationS = env.modes.wrongDuration ? asked - 2 : asked;
    const data = await makeVideo({ width, height, durationS, audio: body.generate_audio !== false, seed: (body.prompt as string).length });
    return { video: { url: env.hostMedia(data, 'video/mp4'), content_type: 'video/mp4', file_name: 'output.mp4', file_size: data.length } };
  },
};

function nearestAspect(ratio: number): string {
  const options: Array<[string, number]> = [
    ['16:9', 16 / 9],
    ['9:16', 9 / 16],
    ['1:1', 1],
  ];
  return options.reduce((best, o) => (Math.abs(Math.log(o[1] / ratio)) < Math.abs(Math.log(best[1] / ratio)) ? o : best))[0];
}

// --- ElevenLabs music --------------------------------------------------------------------------

export const music: FalModel = {
  matches: (endpoint) => endpoint === 'fal-ai/elevenlabs/music',
  async run(body, _endpoint, env) {
    const check = new Check(body);
    check.requiredString('prompt');
    check.optionalInt('music_length_ms', 3000, 300000);
    check.optionalBool('force_instrumental');
    check.optionalInt('seed', 0, 2147483647);
    check.optionalLiteral('model_id', ['music_v1']);
    check.done();

    if (env.modes.unsafe) throw new ContentRefused();
    const ms = (body.music_length_ms as number | undefined) ?? 10_000;
    const durationS = env.modes.wrongDuration ? ms / 2000 : ms / 1000;
    const data = await makeAudio('mp3', durationS, (body.seed as number | undefined) ?? 1, 44100);
    return { audio: { url: env.hostMedia(data, 'audio/mpeg'), content_type: 'audio/mpeg', file_name: 'output.mp3', file_size: data.length } };
  },
};

// --- birefnet v2: background removal ---------------------------------------------------------------

export const BIREFNET_MODELS = ['General Use (Light)', 'General Use (Light 2K)', 'General Use (Heavy)', 'Matting', 'Portrait', 'General Use (Dynamic)'] as const;

export const birefnet: FalModel = {
  matches: (endpoint) => endpoint === 'fal-ai/birefnet/v2',
  async run(body, _endpoint, env) {
    const check = new Check(body);
    check.optionalLiteral('model', BIREFNET_MODELS);
    const image = await loadImage(check);
    check.done();

    // The "foreground" is an ellipse in the middle; everything around it becomes transparent.
    const { width, height } = image!;
    const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><ellipse cx="${width / 2}" cy="${height / 2}" rx="${width / 3}" ry="${height / 3}" fill="#fff"/></svg>`);
    const data = await sharp(image!.data).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
    return { image: { url: env.hostMedia(data, 'image/png'), content_type: 'image/png', file_name: 'output.png', file_size: data.length, width, height } };
  },
};

// --- clarity upscaler ----------------------------------------------------------------------------

export const clarity: FalModel = {
  matches: (endpoint) => endpoint === 'fal-ai/clarity-upscaler',
  async run(body, _endpoint, env) {
    const check = new Check(body);
    check.optionalNumber('upscale_factor', 1, 4);
    check.optionalString('prompt');
    check.optionalString('negative_prompt');
    check.optionalNumber('creativity', 0, 1);
    check.optionalNumber('resemblance', 0, 1);
    check.optionalInt('seed', 0, 2147483647);
    const image = await loadImage(check);
    check.done();

    const factor = (body.upscale_factor as number | undefined) ?? 2;
    const width = Math.round(image!.width * factor);
    const height = Math.round(image!.height * factor);
    const data = await sharp(image!.data).resize(width, height, { fit: 'fill' }).png().toBuffer();
    const seed = (body.seed as number | undefined) ?? randomSeed();
    return { image: { url: env.hostMedia(data, 'image/png'), content_type: 'image/png', file_name: 'output.png', file_size: data.length, width, height }, seed };
  },
};

/** The model serving an endpoint: the listed ones, else FLUX. */
export function modelFor(endpoint: string): FalModel {
  return [kling, music, birefnet, clarity].find((m) => m.matches(endpoint)) ?? flux;
}
