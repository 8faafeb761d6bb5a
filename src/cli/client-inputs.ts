// From `aio generate <type> "text" --flags` to the request body of the type's route: flags named
// as people say them (--size, --format, --image), a local image file sent as a data: URL, and the
// output format taken from -o's extension when --format is not given.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type GenerateType = 'image' | 'video' | 'audio' | 'tool';
export const GENERATE_TYPES: readonly GenerateType[] = ['image', 'video', 'audio', 'tool'];

export interface GenerateFlags {
  model: string;
  text?: string;
  size?: string;
  format?: string;
  duration?: string;
  image?: string;
  scale?: string;
  voice?: string;
  resolution?: string;
  seed?: string;
  output?: string;
  /** The model's parameters (GET /api/v1/models/{id}): speech or music, what it takes. */
  parameters: string[];
}

export class InputError extends Error {}

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };
const IMAGE_FORMATS: Record<string, string> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };
const AUDIO_FORMATS: Record<string, string> = { mp3: 'mp3', wav: 'wav', ogg: 'opus', opus: 'opus', aac: 'aac', flac: 'flac' };

function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InputError(`--${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

/** A URL as it is; a local file as a data: URL. */
export async function imageInput(value: string): Promise<string> {
  if (/^(https?:|data:|aio-file:)/i.test(value)) return value;
  const type = IMAGE_TYPES[path.extname(value).slice(1).toLowerCase()];
  if (!type) throw new InputError(`--image '${value}' is neither a URL nor a .png, .jpg, .webp or .gif file`);
  const data = await readFile(value).catch((err: Error) => {
    throw new InputError(`cannot read --image '${value}': ${err.message}`);
  });
  return `data:${type};base64,${data.toString('base64')}`;
}

function formatFrom(output: string | undefined, formats: Record<string, string>): string | undefined {
  return output ? formats[path.extname(output).slice(1).toLowerCase()] : undefined;
}

export async function generateBody(type: GenerateType, f: GenerateFlags): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = { model: f.model };
  const put = (field: string, value: unknown) => {
    if (value !== undefined) body[field] = value;
  };
  const needText = (what: string) => {
    if (!f.text) throw new InputError(`give the ${what} as the text after '${type}'`);
    return f.text;
  };
  switch (type) {
    case 'image':
      body.prompt = needText('prompt');
      put('size', f.size);
      put('output_format', f.format ?? formatFrom(f.output, IMAGE_FORMATS));
      put('seed', whole(f.seed, 'seed'));
      break;
    case 'video':
      body.prompt = needText('prompt');
      put('aspect_ratio', f.size);
      put('duration', whole(f.duration, 'duration'));
      put('resolution', f.resolution);
      put('seed', whole(f.seed, 'seed'));
      if (f.image) body.image_url = await imageInput(f.image);
      break;
    case 'audio':
      if (f.parameters.includes('text')) {
        body.text = needText('text to say');
        put('voice', f.voice);
      } else {
        body.prompt = needText('prompt');
        put('duration', whole(f.duration, 'duration'));
        put('seed', whole(f.seed, 'seed'));
      }
      put('format', f.format ?? formatFrom(f.output, AUDIO_FORMATS));
      break;
    case 'tool': {
      const image = f.image ?? f.text;
      if (!image) throw new InputError("give the input image with --image (a URL or a file), or as the text after 'tool'");
      body.image_url = await imageInput(image);
      put('scale', whole(f.scale, 'scale'));
      break;
    }
  }
  return body;
}
