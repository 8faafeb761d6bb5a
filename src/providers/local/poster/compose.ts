// Composition: palette + layout + text + shapes -> the poster's SVG, whole or as layers
// (background, accent rule, one element per text line) for the motion engine to animate.
import { contrast, hex } from './color.js';
import { fmt, intersects, type Box } from './geometry.js';
import { LAYOUTS, type Ctx } from './layouts.js';
import { makePalette, safeOpacity } from './palette.js';
import { parsePosterText, type PosterText } from './prompt-text.js';
import { makeRng } from './random.js';
import { layoutText, type TextLine } from './text-block.js';

export interface PosterRequest {
  prompt: string;
  seed: number;
  width: number;
  height: number;
}

/** A poster split into the parts that are drawn in order, each an SVG fragment in poster coordinates. */
export interface PosterLayers {
  width: number;
  height: number;
  /** Gradient definitions the background refers to (goes inside `<defs>`). */
  defs: string;
  /** Everything behind the text: gradient, glow, shapes, frames and thin rules. */
  background: string;
  /** The short accent rule between headline and subtitle, if the layout has one. */
  rule: { svg: string; box: Box } | null;
  /** The text, one element per line, headline lines first; `box` is the line's padded box. */
  lines: TextLine[];
  /** Padded bounds of all the text. */
  textBounds: Box;
}

export interface PosterLayerOptions {
  /**
   * Extra margin in pixels around each text line when deciding whether a shape behind the text
   * must be toned down. The still poster uses 0; motion, which moves the background under the
   * text, asks for more so a shape drifting under a line still leaves it readable.
   */
  textClearance?: number;
}

const grow = (b: Box, m: number): Box => ({ x: b.x - m, y: b.y - m, w: b.w + 2 * m, h: b.h + 2 * m });

/**
 * Lay the poster out. `text` overrides the headline/subtitle parsed from the prompt while keeping
 * the palette and layout the prompt and seed choose.
 */
export function buildPosterLayers(req: PosterRequest, text?: PosterText, opts: PosterLayerOptions = {}): PosterLayers {
  const W = req.width;
  const H = req.height;
  const prompt = typeof req.prompt === 'string' ? req.prompt : '';
  const rng = makeRng(prompt, req.seed);
  const pal = makePalette(rng, prompt);
  const ctx: Ctx = { W, H, rng, pal, defs: [] };
  const layout = LAYOUTS[rng.int(0, LAYOUTS.length - 1)]!(ctx);

  const block = layoutText(text ?? parsePosterText(prompt), layout.spec, W, H, pal);

  // Background: gradient plus a soft glow.
  const ang = rng.range(0, Math.PI * 2);
  const gx = Math.cos(ang) / 2;
  const gy = Math.sin(ang) / 2;
  ctx.defs.push(
    `<linearGradient id="bg" x1="${fmt(0.5 - gx)}" y1="${fmt(0.5 - gy)}" x2="${fmt(0.5 + gx)}" y2="${fmt(0.5 + gy)}"><stop offset="0" stop-color="${hex(pal.bg1)}"/><stop offset="1" stop-color="${hex(pal.bg2)}"/></linearGradient>`,
  );
  const gcx = rng.pick([0.15, 0.85] as const);
  const gcy = rng.pick([0.1, 0.9] as const);
  ctx.defs.push(
    `<radialGradient id="glow" gradientUnits="userSpaceOnUse" cx="${fmt(W * gcx)}" cy="${fmt(H * gcy)}" r="${fmt(Math.max(W, H) * 0.75)}"><stop offset="0" stop-color="${hex(pal.glow)}" stop-opacity="${pal.glowOpacity}"/><stop offset="1" stop-color="${hex(pal.glow)}" stop-opacity="0"/></radialGradient>`,
  );

  const clearance = opts.textClearance ?? 0;
  const avoid = clearance > 0 ? block.lineBoxes.map((b) => grow(b, clearance)) : block.lineBoxes;
  const drawnShapes = layout.shapes(block);
  const shapes = drawnShapes.map((s) => {
    const overText = avoid.some((b) => (s.hits ? s.hits(b) : intersects(s.bbox, b)));
    const op = overText ? Math.min(s.opacity, safeOpacity(pal, s.color, s.opacity)) : s.opacity;
    return op > 0 ? s.draw(hex(s.color), op) : '';
  });
  const overlays = layout.overlays ? layout.overlays(block) : [];

  // The rule takes the layout's accent unless it would vanish into a shape or the background.
  let rule: PosterLayers['rule'] = null;
  if (block.ruleBox) {
    const rb = block.ruleBox;
    let rc = layout.ruleColor;
    const hidden = drawnShapes.some((s) => intersects(s.bbox, rb) && contrast(s.color, rc) < 1.6);
    if (hidden || pal.behindText.some((b) => contrast(b, rc) < 1.6)) rc = pal.text;
    rule = { svg: `<rect x="${fmt(rb.x)}" y="${fmt(rb.y)}" width="${fmt(rb.w)}" height="${fmt(rb.h)}" fill="${hex(rc)}"/>`, box: rb };
  }

  return {
    width: W,
    height: H,
    defs: ctx.defs.join(''),
    background: `<rect width="${W}" height="${H}" fill="url(#bg)"/>` + `<rect width="${W}" height="${H}" fill="url(#glow)"/>` + shapes.join('') + overlays.join(''),
    rule,
    lines: block.lines,
    textBounds: block.bounds,
  };
}

/** An SVG document drawing `body` (fragments of `layers`) over the region `view` of the poster (default: all of it). */
export function posterSvgDocument(layers: PosterLayers, body: string, view?: Box): string {
  const v = view ?? { x: 0, y: 0, w: layers.width, h: layers.height };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${v.w}" height="${v.h}" viewBox="${v.x} ${v.y} ${v.w} ${v.h}">` +
    `<defs>${layers.defs}</defs>` +
    body +
    `</svg>`
  );
}

/**
 * Build the poster as an SVG document (text already converted to outlines).
 * `text` overrides the headline/subtitle parsed from the prompt while keeping the palette and
 * layout the prompt and seed choose (used by tests to compare a poster with and without text).
 */
export function buildPosterSvg(req: PosterRequest, text?: PosterText): string {
  const layers = buildPosterLayers(req, text);
  return posterSvgDocument(layers, layers.background + (layers.rule?.svg ?? '') + layers.lines.map((l) => l.svg).join(''));
}
