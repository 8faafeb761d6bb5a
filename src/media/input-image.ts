// An image a client points us at (image-to-video, tools): a data: URL, an http(s) URL fetched
// through safeFetch, or a file the client uploaded earlier. The bytes must really be a PNG, JPEG,
// WebP or GIF within the pixel limit; adapters get a still image whose width and height are as
// the picture is seen (EXIF orientation applied, GIFs and animations reduced to their first frame).
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../lib/app-error.js';
import { FetchRefused, safeFetch, type FetchRefusedCode } from '../lib/safe-fetch.js';
import type { InputImage } from '../providers/types.js';

export type InputImageErrorCode = 'invalid_image_url' | 'image_fetch_failed' | 'image_too_large' | 'not_an_image';

/** A 400 the client caused with the image it named; `param` is the request field (`image_url`). */
export class InputImageError extends AppError {
  declare readonly code: InputImageErrorCode;

  constructor(code: InputImageErrorCode, message: string, param = 'image_url', cause?: unknown) {
    super(400, code, message, { param });
    this.name = 'InputImageError';
    if (cause !== undefined) this.cause = cause;
  }
}

export interface UploadedFile {
  data: Buffer;
  contentType: string;
}

export interface LoadInputImageOptions {
  allowPrivate: boolean;
  maxBytes: number;
  maxPixels: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The caller's uploaded file by id (scoped to the caller's account), or null when there is none. */
  readUpload?: (fileId: string) => Promise<UploadedFile | null>;
  /** The request field named in errors; default `image_url`. */
  param?: string;
}

const UPLOAD_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?\/api\/v1\/files\/([A-Za-z0-9_-]{1,128})\/content\/?$/i;
const UPLOAD_SCHEME = /^aio-file:\/\/([A-Za-z0-9_-]{1,128})\/?$/i;
const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i;
const FORMATS = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' } as const;
type Format = keyof typeof FORMATS;

export async function loadInputImage(url: string, opts: LoadInputImageOptions): Promise<InputImage> {
  const param = opts.param ?? 'image_url';
  const fail = (code: InputImageErrorCode, message: string, cause?: unknown) => new InputImageError(code, message, param, cause);
  if (typeof url !== 'string' || url.trim() === '') throw fail('invalid_image_url', `'${param}' must be a non-empty URL.`);
  const text = url.trim();

  let data: Buffer;
  if (/^data:/i.test(text)) {
    data = decodeDataUrl(text, opts.maxBytes, fail);
  } else if (UPLOAD_SCHEME.test(text) || UPLOAD_URL.test(text)) {
    const fileId = (UPLOAD_SCHEME.exec(text) ?? UPLOAD_URL.exec(text))![1]!;
    if (!opts.readUpload) throw fail('invalid_image_url', `Uploaded files cannot be used for '${param}' here.`);
    const file = await opts.readUpload(fileId);
    if (!file) throw fail('invalid_image_url', `There is no uploaded file '${fileId}'.`);
    if (file.data.length > opts.maxBytes) throw fail('image_too_large', `The uploaded file '${fileId}' is larger than ${opts.maxBytes} bytes.`);
    data = file.data;
  } else if (/^https?:\/\//i.test(text)) {
    data = await fetchImage(text, opts, fail);
  } else {
    throw fail('invalid_image_url', `'${param}' must be an http(s) URL, a data:image/...;base64 URL or an uploaded file's URL.`);
  }
  return checkImage(data, opts.maxPixels, fail);
}

type Fail = (code: InputImageErrorCode, message: string, cause?: unknown) => InputImageError;

function decodeDataUrl(text: string, maxBytes: number, fail: Fail): Buffer {
  const m = DATA_URL.exec(text);
  if (!m) throw fail('invalid_image_url', 'The data URL is malformed.');
  const mediaType = m[1]!.trim().toLowerCase();
  const base64 = m[2]!.toLowerCase().split(';').includes('base64');
  if (!mediaType.startsWith('image/')) throw fail('not_an_image', `The data URL holds '${mediaType || 'text/plain'}', not an image.`);
  if (!base64) throw fail('invalid_image_url', 'The data URL must be base64-encoded (data:image/...;base64,...).');
  const payload = text.slice(m[0].length).replace(/\s+/g, '');
  if (Math.floor((payload.length * 3) / 4) - 2 > maxBytes) throw fail('image_too_large', `The image is larger than ${maxBytes} bytes.`);
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(payload)) throw fail('invalid_image_url', 'The data URL is not valid base64.');
  const data = Buffer.from(payload, 'base64');
  if (data.length > maxBytes) throw fail('image_too_large', `The image is larger than ${maxBytes} bytes.`);
  return data;
}

const FETCH_CODES: Record<FetchRefusedCode, InputImageErrorCode> = {
  url_not_allowed: 'invalid_image_url',
  url_unreachable: 'image_fetch_failed',
  url_too_large: 'image_too_large',
  url_bad_status: 'image_fetch_failed',
  url_bad_content_type: 'not_an_image',
  url_timeout: 'image_fetch_failed',
};

async function fetchImage(url: string, opts: LoadInputImageOptions, fail: Fail): Promise<Buffer> {
  try {
    const res = await safeFetch(url, {
      allowPrivate: opts.allowPrivate,
      maxBytes: opts.maxBytes,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      accept: (type) => type.startsWith('image/'),
    });
    return res.data;
  } catch (err) {
    if (err instanceof FetchRefused) throw fail(FETCH_CODES[err.code], err.message, err);
    throw err;
  }
}

/** The format the bytes start with, before any decoder sees them (SVG, TIFF, HEIF... are refused). */
function sniff(data: Buffer): Format | null {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.toString('latin1', 0, 6))) return 'gif';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

async function checkImage(data: Buffer, maxPixels: number, fail: Fail): Promise<InputImage> {
  const sniffed = sniff(data);
  if (!sniffed) throw fail('not_an_image', 'The file is not a PNG, JPEG, WebP or GIF image.');
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw fail('not_an_image', 'The file could not be read as an image.', err);
  }
  if (meta.format !== sniffed || !meta.width || !meta.height) throw fail('not_an_image', 'The file could not be read as an image.');
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  if (oriented.width * oriented.height > maxPixels)
    throw fail('image_too_large', `The image is ${oriented.width}x${oriented.height}, more than ${maxPixels} pixels.`);

  const makeStill = sniffed === 'gif' || (meta.pages ?? 1) > 1;
  const rotated = (meta.orientation ?? 1) > 1;
  try {
    // Decoding every pixel is what proves the file whole (a header alone passes metadata()).
    const input = () => sharp(data, { limitInputPixels: maxPixels, failOn: 'warning' });
    if (!makeStill && !rotated) {
      await input().stats();
      return { data, contentType: FORMATS[sniffed], width: oriented.width, height: oriented.height };
    }
    const pipeline = input().autoOrient();
    if (makeStill || sniffed === 'png') pipeline.png();
    else if (sniffed === 'webp') pipeline.webp({ quality: 95 });
    else pipeline.jpeg({ quality: 95 });
    const out = await pipeline.toBuffer({ resolveWithObject: true });
    return { data: out.data, contentType: makeStill ? 'image/png' : FORMATS[sniffed], width: out.info.width, height: out.info.height };
  } catch (err) {
    throw fail('not_an_image', 'The image is damaged or truncated.', err);
  }
}
