// A fake Ideogram API following /work/shared/spec/upstreams.md: `Api-Key` auth, multipart forms
// only, 4.0's and 3.0's fields checked strictly, images served at temporary URLs.
import type http from 'node:http';
import { type FakeOptions, type FakeUpstream, type RecordedRequest, randomSeed, sendError, sendJson, startFake } from './http-helpers.js';

export type { RecordedRequest };

const V4_RESOLUTIONS = new Set([
  '2048x2048', '1440x2880', '2880x1440', '1664x2496', '2496x1664', '1792x2240', '2240x1792', '1440x2560', '2560x1440', '1600x2560',
  '2560x1600', '1728x2304', '2304x1728', '1296x3168', '3168x1296', '1152x2944', '2944x1152', '1248x3328', '3328x1248', '1280x3072', '3072x1280',
]);
const V4_FIELDS = new Set(['text_prompt', 'json_prompt', 'resolution', 'rendering_speed', 'seed']);
const V4_SPEEDS = new Set(['TURBO', 'DEFAULT', 'QUALITY']);

const V3_FIELDS = new Set(['prompt', 'seed', 'aspect_ratio', 'resolution', 'rendering_speed', 'magic_prompt', 'negative_prompt', 'num_images', 'style_type']);
const V3_ASPECT_RATIOS = new Set(['1x1', '16x9', '9x16', '3x4', '4x3', '3x2', '2x3', '1x3', '3x1', '1x2', '2x1', '10x16', '16x10', '4x5', '5x4']);
const V3_SPEEDS = new Set(['FLASH', 'TURBO', 'DEFAULT', 'QUALITY']);
const V3_MAGIC = new Set(['AUTO', 'ON', 'OFF']);
const V3_STYLES = new Set(['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN', 'FICTION']);

export interface FakeIdeogram extends FakeUpstream {
  /** The prompt fails the safety check: `422 {"error": ...}` (`unsafe` instead withholds the generated image). */
  unsafePrompt: boolean;
}

class BadRequest extends Error {}

export async function startFakeIdeogram(opts: FakeOptions = {}): Promise<FakeIdeogram> {
  let fake!: FakeIdeogram;
  const core = await startFake(
    {
      keyPrefix: 'ideo_',
      // 400, 401 and 429 bodies may be empty or not JSON; 422 carries {"error"}; 5xx is a gateway page.
      errorBody: (status) => (status === 422 ? { error: 'Prompt failed the safety check' } : status >= 500 ? '<html><body>Internal Server Error</body></html>' : undefined),
      rateLimited: (res) => sendError(res, 429, 'Too Many Requests'),
      handle,
    },
    opts,
  );
  fake = Object.assign(core.fake, { unsafePrompt: false }) as FakeIdeogram;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    Object.assign(fake, { unsafePrompt: false });
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const route = /^\/v1\/(ideogram-v4|ideogram-v3)\/generate$/.exec(rec.path);
    if (!route || rec.method !== 'POST') return sendError(res, 404, undefined);
    if (req.headers['api-key'] !== fake.apiKey) return sendError(res, 401, undefined);
    const v4 = route[1] === 'ideogram-v4';
    try {
      const fields = await parseForm(rec);
      rec.fields = fields;
      const job = v4 ? checkV4(fields) : checkV3(fields);
      if (fake.unsafePrompt) return sendJson(res, 422, { error: 'Prompt failed the safety check' });
      const data = [];
      for (let i = 0; i < job.count; i++) {
        const seed = job.seed ?? randomSeed();
        const [width, height] = job.resolution.split('x').map(Number) as [number, number];
        const url = fake.unsafe ? null : core.host(await core.makeImage(width, height, 'png', seed), 'image/png');
        data.push({
          url,
          prompt: `${job.prompt} (enhanced by Magic Prompt)`,
          resolution: job.resolution,
          is_image_safe: !fake.unsafe,
          seed,
          ...(v4 ? {} : { style_type: job.styleType }),
        });
      }
      sendJson(res, 200, { created: new Date().toISOString(), ...(v4 ? { response_type: 'url' } : {}), data });
    } catch (err) {
      if (err instanceof BadRequest) return sendJson(res, 400, { error: err.message });
      throw err;
    }
  }
}

interface Job {
  prompt: string;
  resolution: string;
  seed?: number;
  count: number;
  styleType?: string;
}

async function parseForm(rec: RecordedRequest): Promise<Record<string, string>> {
  const type = rec.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) throw new BadRequest(`expected a multipart/form-data body, got '${type || 'none'}'`);
  let form: FormData;
  try {
    form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(rec.raw) }).formData();
  } catch {
    throw new BadRequest('malformed multipart body');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value !== 'string') throw new BadRequest(`unexpected file in field '${name}'`);
    if (name in fields) throw new BadRequest(`field '${name}' given twice`);
    fields[name] = value;
  }
  return fields;
}

function checkKnown(fields: Record<string, string>, known: Set<string>, model: string): void {
  for (const name of Object.keys(fields)) if (!known.has(name)) throw new BadRequest(`${model} has no field '${name}'`);
}

function checkSeed(fields: Record<string, string>): number | undefined {
  if (fields.seed === undefined) return undefined;
  if (!/^\d+$/.test(fields.seed) || Number(fields.seed) > 2147483647) throw new BadRequest(`seed must be an integer in 0..2147483647, got '${fields.seed}'`);
  return Number(fields.seed);
}

function checkV4(fields: Record<string, string>): Job {
  checkKnown(fields, V4_FIELDS, 'Ideogram 4.0');
  const hasText = fields.text_prompt !== undefined;
  if (hasText === (fields.json_prompt !== undefined)) throw new BadRequest('exactly one of text_prompt and json_prompt is required');
  let prompt = fields.text_prompt ?? '';
  if (hasText && !prompt.trim()) throw new BadRequest('text_prompt is empty');
  if (!hasText) {
    try {
      const parsed: unknown = JSON.parse(fields.json_prompt!);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      prompt = fields.json_prompt!;
    } catch {
      throw new BadRequest('json_prompt must be a JSON object');
    }
  }
  if (fields.resolution !== undefined && !V4_RESOLUTIONS.has(fields.resolution)) throw new BadRequest(`resolution '${fields.resolution}' is not supported`);
  if (fields.rendering_speed !== undefined && !V4_SPEEDS.has(fields.rendering_speed))
    throw new BadRequest(`rendering_speed '${fields.rendering_speed}' is not supported`);
  return { prompt, resolution: fields.resolution ?? '2048x2048', seed: checkSeed(fields), count: 1 };
}

function checkV3(fields: Record<string, string>): Job {
  checkKnown(fields, V3_FIELDS, 'Ideogram 3.0');
  if (!fields.prompt?.trim()) throw new BadRequest('prompt is required');
  if (fields.aspect_ratio !== undefined && fields.resolution !== undefined) throw new BadRequest('give aspect_ratio or resolution, not both');
  if (fields.aspect_ratio !== undefined && !V3_ASPECT_RATIOS.has(fields.aspect_ratio)) throw new BadRequest(`aspect_ratio '${fields.aspect_ratio}' is not supported`);
  if (fields.resolution !== undefined && !/^[1-9]\d{2,3}x[1-9]\d{2,3}$/.test(fields.resolution)) throw new BadRequest(`resolution '${fields.resolution}' is not supported`);
  const oneOf = (name: string, allowed: Set<string>) => {
    if (fields[name] !== undefined && !allowed.has(fields[name]!)) throw new BadRequest(`${name} '${fields[name]}' is not supported`);
  };
  oneOf('rendering_speed', V3_SPEEDS);
  oneOf('magic_prompt', V3_MAGIC);
  oneOf('style_type', V3_STYLES);
  const count = fields.num_images === undefined ? 1 : Number(fields.num_images);
  if (!/^\d+$/.test(fields.num_images ?? '1') || count < 1 || count > 8) throw new BadRequest(`num_images must be 1..8, got '${fields.num_images}'`);
  const resolution = fields.resolution ?? v3Resolution(fields.aspect_ratio ?? '1x1');
  const styleType = !fields.style_type || fields.style_type === 'AUTO' ? 'GENERAL' : fields.style_type;
  return { prompt: fields.prompt, resolution, seed: checkSeed(fields), count, styleType };
}

/** About a megapixel at the ratio, sides in multiples of 32. */
function v3Resolution(aspectRatio: string): string {
  const [w, h] = aspectRatio.split('x').map(Number) as [number, number];
  const width = Math.round(Math.sqrt((1024 * 1024 * w) / h) / 32) * 32;
  const height = Math.round(Math.sqrt((1024 * 1024 * h) / w) / 32) * 32;
  return `${width}x${height}`;
}
