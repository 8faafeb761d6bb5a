// Local poster renderer: turns a prompt into a deterministic, typographic poster PNG.
//
// Pipeline: prompt -> (headline, subtitle) [prompt-text] -> seeded palette [palette] + one of
// five compositions [layouts] -> text sized and wrapped into the layout's box [text-block,
// line-break] -> SVG whose text is already converted to glyph outlines [fonts: fontkit, fonts
// from npm packages in node_modules] -> PNG via sharp/librsvg. No system fonts and nothing
// fetched at run time: the SVG holds only paths and shapes (prompt text never enters it as
// text, so nothing needs XML escaping). Output bytes are a pure function of (prompt, seed,
// width, height) for given versions of the fonts, sharp/librsvg and Node's ICU (used for
// Chinese word breaking).
import sharp from 'sharp';
import { buildPosterSvg, type PosterRequest } from './compose.js';

export { buildPosterLayers, buildPosterSvg, posterSvgDocument } from './compose.js';
export type { PosterLayerOptions, PosterLayers, PosterRequest } from './compose.js';
export { posterFontFiles } from './fonts.js';
export type { PosterFontFiles } from './fonts.js';
export type { Box } from './geometry.js';
export { extractHeadline, parsePosterText } from './prompt-text.js';
export type { PosterText } from './prompt-text.js';
export type { TextLine } from './text-block.js';

/** Throws RangeError unless the size and seed are ones the renderer accepts. */
export function checkPosterRequest(req: PosterRequest): void {
  const { width, height } = req;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 8192 || height > 8192) {
    throw new RangeError(`renderPoster: width and height must be integers in 16..8192, got ${width}x${height}`);
  }
  if (!Number.isFinite(req.seed)) throw new RangeError(`renderPoster: seed must be a finite number, got ${req.seed}`);
}

/** Render a poster for the prompt as PNG bytes of exactly width x height pixels. */
export async function renderPoster(req: PosterRequest): Promise<Buffer> {
  checkPosterRequest(req);
  const { width, height } = req;
  const svg = buildPosterSvg(req);
  let img = sharp(Buffer.from(svg), { density: 72, limitInputPixels: false });
  const meta = await img.metadata();
  if (meta.width !== width || meta.height !== height) {
    // librsvg renders SVG at its declared size; this is a safety net only.
    img = img.resize(width, height, { fit: 'fill' });
  }
  return img.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
