// Fetching a task's input image on the worker, with the operator's limits. A client-caused
// failure (a URL that does not answer, bytes that are not an image) fails the task with our
// own message, which the client may read.
import { loadInputImage } from '../../media/input-image.js';
import type { InputImage } from '../../providers/types.js';
import type { ExecuteArgs } from '../types.js';

/** Largest input picture, in pixels (about 36 megapixels). */
export const MAX_INPUT_PIXELS = 6000 * 6000;

export function fetchInputImage(url: string, args: Pick<ExecuteArgs<unknown>, 'settings' | 'ctx' | 'readUpload'>, param = 'image_url'): Promise<InputImage> {
  return loadInputImage(url, {
    allowPrivate: args.settings.allowPrivateUrls,
    maxBytes: args.settings.maxInputBytes,
    maxPixels: MAX_INPUT_PIXELS,
    timeoutMs: Math.min(args.ctx.timeoutMs, 60_000),
    signal: args.ctx.signal,
    readUpload: args.readUpload,
    param,
  });
}
