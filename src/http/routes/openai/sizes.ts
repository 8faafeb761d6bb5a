// OpenAI clients ask for pixels (`1792x1024`); our models offer shapes (`16:9`). A pixel size
// becomes the closest shape the model has, compared by aspect ratio on a log scale (so 2:1 and
// 1:2 are equally far from 1:1).
import { invalidParam } from '../../../lib/app-error.js';

const PIXELS = /^(\d{1,5})x(\d{1,5})$/i;
const RATIO = /^(\d{1,3}):(\d{1,3})$/;
const MAX_SIDE = 16384;

export type RequestedSize = { kind: 'pixels'; width: number; height: number } | { kind: 'ratio'; ratio: string } | { kind: 'auto' };

/** `WIDTHxHEIGHT`, `W:H` or `auto`; anything else is a 400 naming `param`. */
export function readSize(raw: string, param = 'size'): RequestedSize {
  const value = raw.trim();
  if (value === 'auto') return { kind: 'auto' };
  const pixels = PIXELS.exec(value);
  if (pixels) {
    const [width, height] = [Number(pixels[1]), Number(pixels[2])];
    if (width >= 1 && height >= 1 && width <= MAX_SIDE && height <= MAX_SIDE) return { kind: 'pixels', width, height };
  }
  const ratio = RATIO.exec(value);
  if (ratio && Number(ratio[1]) > 0 && Number(ratio[2]) > 0) return { kind: 'ratio', ratio: value };
  throw invalidParam(param, `'${param}' must be WIDTHxHEIGHT in pixels (e.g. 1024x1024, each side 1 to ${MAX_SIDE}), a ratio such as 16:9, or auto; not '${raw}'.`);
}

const logAspect = (width: number, height: number) => Math.log(width / height);

function ratioAspect(ratio: string): number {
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  return logAspect(w, h);
}

/** Of `ratios` (`W:H` strings), the one closest in shape to width x height. */
export function nearestRatio(width: number, height: number, ratios: readonly string[]): string {
  const want = logAspect(width, height);
  let best = ratios[0]!;
  for (const ratio of ratios) if (Math.abs(ratioAspect(ratio) - want) < Math.abs(ratioAspect(best) - want)) best = ratio;
  return best;
}
