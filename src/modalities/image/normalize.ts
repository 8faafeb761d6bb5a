// Turns whatever an upstream returned into exactly what the client asked for: the promised
// pixel size (centre-cropping a near ratio) in the requested format. Refuses bytes that are
// not an image.
import sharp, { type Metadata } from 'sharp';
import type { OutputFormat } from '../../providers/types.js';
import { UpstreamError } from '../../providers/errors.js';
import { readImageSize } from '../../media/image-size.js';

export interface NormalizedImage {
  data: Buffer;
  width: number;
  height: number;
  format: OutputFormat;
}

const SHARP_FORMATS: Record<string, OutputFormat> = { png: 'png', jpeg: 'jpeg', webp: 'webp' };

export async function normalizeImage(data: Buffer, target: { width: number; height: number; format: OutputFormat }): Promise<NormalizedImage> {
  // Already what was asked (the usual case): its header says so, no need to ask libvips.
  const header = readImageSize(data);
  if (header && header.format === target.format && header.width === target.width && header.height === target.height) return { data, ...header };
  let meta: Metadata;
  try {
    meta = await sharp(data).metadata();
  } catch (err) {
    throw new UpstreamError('upstream_bad_response', 'The upstream returned bytes that are not an image.', { retryable: true, cause: err });
  }
  if (!meta.width || !meta.height || !meta.format) throw new UpstreamError('upstream_bad_response', 'The upstream returned an image without dimensions.', { retryable: true });
  const sameSize = meta.width === target.width && meta.height === target.height;
  if (sameSize && SHARP_FORMATS[meta.format] === target.format) return { data, width: meta.width, height: meta.height, format: target.format };

  let pipeline = sharp(data);
  if (!sameSize) pipeline = pipeline.resize(target.width, target.height, { fit: 'cover', position: 'centre' });
  if (target.format === 'png') pipeline = pipeline.png({ compressionLevel: 6 });
  else if (target.format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 90, mozjpeg: true });
  else pipeline = pipeline.webp({ quality: 90 });
  const out = await pipeline.toBuffer({ resolveWithObject: true });
  return { data: out.data, width: out.info.width, height: out.info.height, format: target.format };
}
