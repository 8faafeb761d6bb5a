// `aio-upscale`: enlarges an image on this machine by exactly 2x or 4x with Lanczos-3 and a
// light unsharp mask to take the softness off. Not a generative upscaler: it invents no detail.
import sharp from 'sharp';
import type { OutputFormat } from '../types.js';

export type UpscaleFactor = 2 | 4;

/**
 * `image` enlarged to exactly `scale` times its width and height (as seen: EXIF orientation
 * applied), in `format` (PNG by default). Transparency is kept (JPEG, which has none, gets white
 * behind it). The caller bounds the output size (input pixels x scale^2).
 */
export async function upscaleImage(image: Buffer, scale: UpscaleFactor, format: OutputFormat = 'png'): Promise<Buffer> {
  if (scale !== 2 && scale !== 4) throw new RangeError(`upscale factor must be 2 or 4, not ${String(scale)}`);
  const meta = await sharp(image).metadata();
  const { width, height } = meta.autoOrient ?? { width: meta.width, height: meta.height };
  if (!width || !height) throw new Error('upscale input has no dimensions');
  let pipeline = sharp(image)
    .autoOrient()
    .resize({ width: width * scale, height: height * scale, fit: 'fill', kernel: sharp.kernel.lanczos3 })
    // Works on lightness only, so alpha and colour edges get no halos of their own.
    .sharpen({ sigma: scale === 2 ? 0.7 : 1.1, m1: 0.4, m2: 1.2 });
  if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 92, mozjpeg: true });
  else if (format === 'webp') pipeline = pipeline.webp({ quality: 92, alphaQuality: 100 });
  else pipeline = pipeline.png({ compressionLevel: 6 });
  return pipeline.toBuffer();
}
